// The independent check of credpub's Python signer: every credential of a
// built site verified with Digital Bazaar's stack (@digitalbazaar/vc +
// eddsa-rdfc-2022 / eddsa-jcs-2022, picked by proof.cryptosuite), offline:
// bundled contexts, the site's own DID document, its status lists mapped from
// their https URLs; anything else is refused.
//
//   CREDPUB_SITE=path/to/site npm test -- test/independent.test.js
//   CREDPUB_EXPECT_REVOKED=<id>,<id>   (optional) credential ids that must have
//                                      their revocation bit set; all others must not
//   CREDPUB_NOW=<ISO date>             (optional) the clock for date checks
//
// DB reports a credential whose status bit is set as verified (the bit is only
// in statusResult), so the bit is read here separately.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {checkSite} from '../test-support/site-check.js';

const SITE = process.env.CREDPUB_SITE;
const skip = SITE ? false : 'CREDPUB_SITE is not set (point it at a built site folder to run the independent check)';

test('independent check: every credential of the built site verifies with Digital Bazaar\'s stack', {skip}, async (t) => {
  const now = process.env.CREDPUB_NOW;
  const {site, rows} = await checkSite(SITE, {now});
  assert.ok(rows.length > 0, `${SITE}: no c/*/credential.json or s/*/credential.json found`);
  if (site.encrypted.length) t.diagnostic(`${site.encrypted.length} encrypted claim credential(s) not checked: ${site.encrypted.join(', ')}`);
  for (const r of rows) {
    assert.equal(r.db.verified, true, `${r.path}: DB says not verified: ${r.db.error}`);
  }
  const revoked = rows.filter((r) => r.bit === true);
  t.diagnostic(`${rows.length} credentials verified by DB; ${revoked.length} with the revocation bit set`);
  const expected = process.env.CREDPUB_EXPECT_REVOKED;
  if (expected !== undefined) {
    const want = new Set(expected.split(',').map((s) => s.trim()).filter(Boolean));
    assert.deepEqual(new Set(revoked.map((r) => r.id)), want, 'revoked credentials differ from CREDPUB_EXPECT_REVOKED');
  }
});

test('independent check: credpub\'s verifier agrees with DB on the same site (revoked → "revoked")', {skip}, async () => {
  const {rows} = await checkSite(SITE, {now: process.env.CREDPUB_NOW});
  for (const r of rows) {
    const status = r.ours.checks.find((c) => c.name === 'status');
    if (r.bit) {
      assert.equal(r.ours.verified, false, `${r.path}: revoked but verified`);
      assert.match(status.message, /^revoked/, r.path);
    } else {
      assert.equal(r.ours.verified, true, `${r.path}: ${JSON.stringify(r.ours.checks)}`);
    }
  }
});
