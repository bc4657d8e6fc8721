// The corpus of credentials published by others (../../shared/corpus, see its
// MANIFEST.md): for each file, the outcome its source expects, and whether
// credpub's verdict matches. Runs only when the corpus folder exists.
//
// Honesty rules for this table:
//  - SKIP = credpub cannot judge it (VC-JWT, Merkle proofs, ECDSA, Ed25519Signature2018,
//    a context or DID document nobody has offline); it is reported, never counted as a pass.
//  - TC = the verification method is `https://<controller>#z6Mk…` and no controller
//    document exists anywhere: the test serves a controller document BUILT FOR THE
//    TEST listing that key (the 1EdTech convention); without it the verdict is
//    "issuer key cannot be resolved" (checked below).
//  - DIFF = credpub's verdict differs from the source on purpose; the note says why.
//  - The clock is the MANIFEST's check date, 2026-11-29: some credentials have
//    expired since they were published.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, readdirSync, existsSync} from 'node:fs';
import {verifyCredential, CHECK_NAMES} from '../src/verify/verify.js';
import {SHARED, byName} from '../test-support/helpers.js';

const CORPUS = SHARED + 'corpus/';
const skip = existsSync(CORPUS + 'MANIFEST.md') ? false : `no corpus at ${CORPUS}`;
const NOW = '2026-11-29T12:00:00Z'; // the MANIFEST's check date (some credentials expired since)


/** file → what the source expects, as credpub judges it: one table for both verifiers
 *  (tests/verify/test_corpus.py reads it too), so that they agree. */
const TABLE = JSON.parse(readFileSync(new URL('../../tests/corpus-expectations.json', import.meta.url), 'utf8'));
const EXPECT = TABLE.expect;

function corpusDocuments() {
  const docs = {};
  const ctx = JSON.parse(readFileSync(CORPUS + 'contexts/INDEX.json', 'utf8'));
  for (const [url, v] of Object.entries(ctx)) docs[url] = JSON.parse(readFileSync(CORPUS + 'contexts/' + v.file, 'utf8'));
  const lists = JSON.parse(readFileSync(CORPUS + 'status/INDEX.json', 'utf8'));
  for (const [url, f] of Object.entries(lists)) docs[url] = JSON.parse(readFileSync(CORPUS + 'status/' + f, 'utf8'));
  for (const f of readdirSync(CORPUS + 'dids')) {
    const d = JSON.parse(readFileSync(CORPUS + 'dids/' + f, 'utf8'));
    docs[d.id] = d;
  }
  return docs;
}

/** Controller documents built for the test, for the TC files' `https://…#z6Mk…` keys. */
function testControllers(files) {
  const keys = {};
  const walk = (x) => {
    if (!x || typeof x !== 'object') return;
    const m = typeof x.verificationMethod === 'string' && /^(https:\/\/[^#]+)#(z6Mk[1-9A-HJ-NP-Za-km-z]+)$/.exec(x.verificationMethod);
    if (m) (keys[m[1]] ??= new Set()).add(m[2]);
    Object.values(x).forEach(walk);
  };
  for (const f of files) walk(JSON.parse(readFileSync(CORPUS + 'credentials/' + f, 'utf8')));
  return Object.fromEntries(Object.entries(keys).map(([url, set]) => {
    const vms = [...set].map((k) => ({id: `${url}#${k}`, type: 'Multikey', controller: url, publicKeyMultibase: k}));
    return [url, {id: url, verificationMethod: vms, assertionMethod: vms.map((v) => v.id)}];
  }));
}

function judge(expect, r) {
  const c = byName(r);
  if (expect.verified) {
    if (!r.verified) return `expected verified, got ${JSON.stringify(r.checks.filter((x) => x.status !== 'pass'))}`;
    if (expect.status && c.status.status !== expect.status) return `expected status ${expect.status}, got ${c.status.status}: ${c.status.message}`;
    return null;
  }
  if (expect.revoked) {
    return !r.verified && c.status.status === 'fail' && /^revoked/.test(c.status.message) ? null : `expected revoked, got status ${c.status.status}: ${c.status.message}`;
  }
  if (expect.signature) return c.proof.status === 'pass' ? null : `expected a valid signature, got ${c.proof.message}`;
  if (expect.fail) {
    if (r.verified) return `expected not verified (${expect.fail}), got verified`;
    return c[expect.fail].status === 'fail' ? null : `expected ${expect.fail} to fail, got ${c[expect.fail].status}: ${c[expect.fail].message}`;
  }
  return 'no expectation';
}

test('corpus: credpub judges each credential as its source expects, or says it cannot', {skip}, async (t) => {
  const files = readdirSync(CORPUS + 'credentials').sort();
  const unclassified = files.filter((f) => !EXPECT[f]);
  assert.deepEqual(unclassified, [], 'corpus files without an expectation in this test');
  const docs = corpusDocuments();
  const controllers = testControllers(files.filter((f) => EXPECT[f].tc));
  const strict = (url) => (docs[url] ? {document: docs[url]} : undefined);
  const withControllers = (url) => strict(url) ?? (controllers[url] ? {document: controllers[url]} : undefined);

  const tally = {judged: 0, matched: 0, skipped: [], diff: [], tc: 0, mismatches: [], checkDiffs: []};
  for (const f of files) {
    const expect = EXPECT[f];
    const input = readFileSync(CORPUS + 'credentials/' + f, 'utf8');
    if (expect.skip) {
      const r = await verifyCredential(input, {now: NOW, offline: true, documentLoader: strict});
      assert.equal(r.verified, false, `${f}: skipped as not judgeable, yet verified`);
      if (expect.checks) {
        for (const c of r.checks) {
          if (c.status !== expect.checks[c.name]) tally.checkDiffs.push(`${f} ${c.name}: table ${expect.checks[c.name]}, credpub ${c.status} (${c.message})`);
        }
      }
      tally.skipped.push(`${f}: ${expect.skip}`);
      continue;
    }
    const r = await verifyCredential(input, {now: NOW, offline: true, documentLoader: expect.tc ? withControllers : strict});
    tally.judged++;
    if (expect.tc) {
      tally.tc++;
      const plain = await verifyCredential(input, {now: NOW, offline: true, documentLoader: strict});
      assert.equal(plain.verified, false, `${f}: verified without a controller document`);
      if (!expect.fail || expect.fail === 'proof' || expect.fail === 'dates') {
        assert.match(byName(plain).issuer.message, /^issuer key cannot be resolved/, f);
      }
    }
    const problem = judge(expect, r);
    if (problem) tally.mismatches.push(`${f}: ${problem}`);
    else tally.matched++;
    // One verdict per check in both languages: the table records all five (tests/verify/test_corpus.py
    // holds the Python verifier to the same).
    assert.deepEqual(Object.keys(expect.checks ?? {}).sort(), [...CHECK_NAMES].sort(), `${f}: the table must record all five checks`);
    for (const c of r.checks) {
      if (c.status !== expect.checks[c.name]) tally.checkDiffs.push(`${f} ${c.name}: table ${expect.checks[c.name]}, credpub ${c.status} (${c.message})`);
    }
    if (expect.diff) tally.diff.push(`${f}: ${expect.diff}`);
  }
  t.diagnostic(`${files.length} corpus files: ${tally.judged} judged, ${tally.matched} as expected (${tally.tc} with a test-built controller document), ${tally.skipped.length} not judgeable`);
  for (const s of tally.skipped) t.diagnostic(`not judgeable: ${s}`);
  for (const d of tally.diff) t.diagnostic(`differs from the source on purpose: ${d}`);
  assert.deepEqual(tally.mismatches, []);
  assert.deepEqual(tally.checkDiffs, []);
});
