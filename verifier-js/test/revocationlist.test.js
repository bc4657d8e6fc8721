// The 1EdTechRevocationList status of the 1EdTech OB 3.0 displayer test (valid,
// expired, revoked): each check as the shared fixture says, the fixture Python
// is held to too (tests/make_revocation_fixture.py, tests/verify/test_status.py).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {verifyCredential} from '../src/verify/verify.js';
import {byName} from '../test-support/helpers.js';

const SHARED = JSON.parse(readFileSync(new URL('./fixtures/revocation-list.json', import.meta.url), 'utf8'));
const serving = (body) => ({now: SHARED.now, offline: true,
  documentLoader: (url) => (url === SHARED.listUrl ? {document: body} : undefined)});
const run = (credential, body = SHARED.list) => verifyCredential(JSON.stringify(credential), serving(body));

for (const [name, expect] of Object.entries(SHARED.cases)) {
  test(`1EdTechRevocationList ${name}: every check as the shared fixture says`, async () => {
    const r = await run(expect.credential);
    assert.deepEqual(Object.fromEntries(r.checks.map((c) => [c.name, c.status])), expect.checks, JSON.stringify(r.checks));
    assert.equal(r.verified, expect.verified);
  });
}

test('1EdTechRevocationList: the messages say the same as the CLI', async () => {
  assert.equal(byName(await run(SHARED.cases.revoked.credential)).status.message,
    'revoked (checked against the issuer\'s list); Issued in error');
  assert.equal(byName(await run(SHARED.cases.valid.credential)).status.message,
    'not revoked (checked against the issuer\'s list)');
});

test('1EdTechRevocationList: unreachable is not checked; a response without revokedCredentials is never a pass', async () => {
  const offline = await verifyCredential(JSON.stringify(SHARED.cases.revoked.credential), {now: SHARED.now, offline: true});
  assert.equal(byName(offline).status.status, 'skipped');
  for (const body of [[], {revokedCredentials: 'all'}, {revoked: []}, 7]) {
    assert.equal(byName(await run(SHARED.cases.valid.credential, body)).status.status, 'fail', JSON.stringify(body));
  }
});

test('1EdTechRevocationList: an entry without an https list URL fails; a credential without an id is not checked', async () => {
  const noUrl = {...SHARED.cases.valid.credential, credentialStatus: {type: '1EdTechRevocationList', id: 'file:///etc/passwd'}};
  assert.match(byName(await run(noUrl)).status.message, /names no status list URL/);
  const {id, ...noId} = SHARED.cases.revoked.credential;
  assert.ok(id);
  const s = byName(await run(noId)).status;
  assert.equal(s.status, 'skipped');
  assert.match(s.message, /no id/);
});
