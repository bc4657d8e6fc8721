// The second independent check of credpub's Python signer: every credential of
// a built site verified with MIT DCC's @digitalcredentials/verifier-core,
// offline (test-support/dcc-check.js serves the site folder as its network).
//
//   CREDPUB_SITE=path/to/site node --test test/dcc.test.js
//   CREDPUB_EXPECT_REVOKED=<id>,<id>   credential ids whose revocation bit is set
//
// Expected: signature valid, not expired, revocation as the site's lists say,
// and the registry check "unknown issuer" (the issuer is in no DCC registry:
// none is given, and registries are never fetched in a test). verifier-core
// also validates OB 3.0 credentials against the 1EdTech JSON schema, which it
// fetches from purl.imsglobal.org: refused offline, so that check is not run;
// the test asserts that this is the only request that left the site.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {dccCheckSite} from '../test-support/dcc-check.js';
import {statusBit} from '../test-support/db-stack.js';

const SITE = process.env.CREDPUB_SITE;
const skip = SITE ? false : 'CREDPUB_SITE is not set (point it at a built site folder to run the DCC check)';
const SCHEMA = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/schema\/json\/ob_v3p0_achievementcredential_schema\.json$/;

test('independent check: DCC verifier-core on every credential of the built site, offline', {skip}, async (t) => {
  const {site, rows, refused, served} = await dccCheckSite(SITE);
  assert.ok(rows.length > 0, `${SITE}: no readable credentials`);
  const now = Date.now();
  const tally = {signature: 0, notExpired: 0, revoked: 0, notRevoked: 0, unknownIssuer: 0};
  for (const r of rows) {
    assert.equal(r.errors, undefined, `${r.path}: DCC fatal error ${JSON.stringify(r.errors)}`);
    assert.deepEqual(Object.keys(r.steps).sort(), ['expiration', 'registered_issuer', 'revocation_status', 'valid_signature'], r.path);
    assert.equal(r.steps.valid_signature.valid, true, `${r.path}: signature`);
    tally.signature++;
    const doc = site.credentials.find((c) => c.path === r.path).doc;
    const expired = doc.validUntil !== undefined && Date.parse(doc.validUntil) < now;
    assert.equal(r.steps.expiration.valid, !expired, `${r.path}: expiration`);
    if (!expired) tally.notExpired++;
    const bit = statusBit(doc, site.lists);
    assert.equal(r.steps.revocation_status.valid, !bit, `${r.path}: revocation (bit ${bit}) ${JSON.stringify(r.steps.revocation_status)}`);
    if (bit) tally.revoked++;
    else tally.notRevoked++;
    // "unknown issuer": in no registry, and no registry left unchecked.
    assert.deepEqual(r.steps.registered_issuer, {id: 'registered_issuer', valid: false, matchingIssuers: [], uncheckedRegistries: []}, r.path);
    tally.unknownIssuer++;
    assert.match(String(r.schema), /^INVALID_SCHEMA/, `${r.path}: the schema check ran although its schema cannot be fetched offline`);
  }
  const expected = process.env.CREDPUB_EXPECT_REVOKED;
  if (expected !== undefined) {
    const want = new Set(expected.split(',').map((s) => s.trim()).filter(Boolean));
    assert.deepEqual(new Set(rows.filter((r) => r.steps.revocation_status.valid === false).map((r) => r.id)), want);
  }
  assert.deepEqual([...new Set(refused)].filter((u) => !SCHEMA.test(u)), [], 'requests that left the site');
  assert.ok(served.some((u) => u.endsWith('did.json')) && served.some((u) => /\/status\/\d+\.json$/.test(u)), 'DID document and status list served from the site');
  t.diagnostic(`DCC verifier-core: ${rows.length} credentials; signature valid ${tally.signature}; not expired ${tally.notExpired}; revoked ${tally.revoked}, not revoked ${tally.notRevoked}; unknown issuer ${tally.unknownIssuer}; schema check not run offline (${[...new Set(refused)].length} schema URL refused)`);
  if (site.encrypted.length) t.diagnostic(`${site.encrypted.length} encrypted claim credential(s) not checked`);
});
