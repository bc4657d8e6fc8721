// Interoperability with Digital Bazaar's stack on a site it signed
// (test-support/make-site.js): credpub's verifier accepts DB's credentials
// and status lists, and the independent check (test/independent.test.js)
// works end to end before the Python build exists.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {makeSite} from '../test-support/make-site.js';
import {checkSite} from '../test-support/site-check.js';
import {readSite, dbVerify} from '../test-support/db-stack.js';

for (const cryptosuite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022']) {
  test(`a site signed by DB with ${cryptosuite}: DB and credpub agree, revoked one is revoked`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'credpub-site-'));
    t.after(() => rmSync(dir, {recursive: true, force: true}));
    const {revoked} = await makeSite(dir, {cryptosuite});
    const {site, rows} = await checkSite(dir, {now: '2026-07-01T00:00:00Z'});
    assert.deepEqual(site.encrypted, ['c/tok-encrypted']);
    assert.equal(rows.length, 4);
    for (const r of rows) {
      assert.equal(r.db.verified, true, `${r.path}: ${r.db.error}`);
      const proof = r.ours.checks.find((c) => c.name === 'proof');
      assert.equal(proof.status, 'pass', `${r.path}: ${proof.message}`);
      assert.match(proof.message, new RegExp(cryptosuite));
      const isRevoked = revoked.includes(r.id);
      assert.equal(r.bit, isRevoked, r.path);
      assert.equal(r.ours.verified, !isRevoked, `${r.path}: ${JSON.stringify(r.ours.checks)}`);
      if (isRevoked) assert.match(r.ours.checks.find((c) => c.name === 'status').message, /^revoked/);
    }
  });
}

test('negative control: DB\'s check does reject a changed credential of that site', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'credpub-site-'));
  t.after(() => rmSync(dir, {recursive: true, force: true}));
  await makeSite(dir);
  const site = readSite(dir);
  const doc = structuredClone(site.credentials[0].doc);
  doc.credentialSubject.identifier[0].identityHash = 'Someone Else';
  const r = await dbVerify(doc, {didDocs: {[site.didDoc.id]: site.didDoc}, lists: site.lists, now: '2026-07-01T00:00:00Z'});
  assert.equal(r.verified, false);
});
