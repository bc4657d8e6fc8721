// The shared conformance vectors: RFC 8785 (JCS), RDFC-1.0 (rdf-canon tests),
// W3C vc-di-eddsa (every intermediate value), did:key / did:web mappings.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import rdfCanonize from 'rdf-canonize';
import {jcs} from '../src/crypto/jcs.js';
import {canonizeRdfc} from '../src/crypto/rdfc.js';
import {contextLoader} from '../src/verify/contexts.js';
import {signedBytes, verifyProofSignature, listProofs} from '../src/crypto/dataintegrity.js';
import {decodeEd25519Multikey, base58Decode, toHex} from '../src/crypto/multibase.js';
import {sha256} from '../src/crypto/hash.js';
import {didWebToUrl, didKeyDocument} from '../src/verify/did.js';
import {VECTORS, DI, readJson} from '../test-support/helpers.js';

const text = (p) => readFileSync(p, 'utf8');
const loader = contextLoader();

test('RFC 8785: every cyberphone test file canonicalizes byte for byte', () => {
  const dir = VECTORS + 'rfc8785-jcs/testdata/';
  const files = readdirSync(dir + 'input');
  assert.ok(files.length >= 6);
  for (const f of files) {
    const out = jcs(JSON.parse(text(dir + 'input/' + f)));
    assert.equal(out, text(dir + 'output/' + f), f);
  }
});

test('RDFC-1.0: rdf-canonize passes the W3C rdf-canon evaluation tests (incl. test060 escaping)', async () => {
  const dir = VECTORS + 'rdf-canon-tests/tests/rdfc10/';
  const inputs = readdirSync(dir).filter((f) => f.endsWith('-in.nq')).sort();
  let checked = 0;
  for (const f of inputs) {
    const name = f.replace('-in.nq', '');
    const expected = dir + name + '-rdfc10.nq';
    let want;
    try {
      want = text(expected);
    } catch {
      // test074 (poison graph) is a negative test: it must refuse.
      await assert.rejects(rdfCanonize.canonize(text(dir + f), {algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', maxWorkFactor: 1}), name);
      continue;
    }
    const messageDigestAlgorithm = name === 'test075' ? 'SHA-384' : 'SHA-256';
    const got = await rdfCanonize.canonize(text(dir + f), {algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', messageDigestAlgorithm, maxWorkFactor: 3});
    assert.equal(got, want, name);
    checked++;
  }
  assert.ok(checked >= 60, `checked ${checked}`);
});

for (const [suite, dir, tag] of [['eddsa-rdfc-2022', 'eddsa-rdfc-2022/', 'DataInt'], ['eddsa-jcs-2022', 'eddsa-jcs-2022/', 'JCS'], ['Ed25519Signature2020', 'Ed25519Signature2020/', 'EdSig']]) {
  test(`vc-di-eddsa ${suite}: canonical forms, hashes and signature match the vector`, async () => {
    const signed = readJson(DI + dir + `signed${tag}.json`);
    const [proof] = listProofs(signed);
    const data = await signedBytes(signed, proof, [proof], loader);
    assert.equal(toHex(data), text(DI + dir + `combinedHash${tag}.txt`).trim());
    assert.equal(toHex(base58Decode(proof.proofValue.slice(1))), text(DI + dir + `sigHex${tag}.txt`).trim());
    if (suite === 'eddsa-jcs-2022') {
      const {proof: _p, ...doc} = signed;
      assert.equal(jcs(doc), text(DI + dir + 'canonDocJCS.txt'));
    } else {
      const {proof: _p, ...doc} = signed;
      assert.equal(await canonizeRdfc(doc, {documentLoader: loader}), text(DI + dir + `canonDoc${tag}.txt`));
      assert.equal(toHex(sha256(await canonizeRdfc(doc, {documentLoader: loader}))), text(DI + dir + `docHash${tag}.txt`).trim());
    }
    const pub = decodeEd25519Multikey(readJson(DI + 'keyPair.json').publicKeyMultibase);
    assert.equal(await verifyProofSignature(signed, proof, pub, {documentLoader: loader}), true);
  });
}

test('vc-di-eddsa proof set and proof chain: every proof verifies (previousProof handled)', async () => {
  for (const f of ['signedProofSet2.json', 'signedProofChain2.json']) {
    const doc = readJson(DI + 'proof-set-chain/' + f);
    for (const p of listProofs(doc)) {
      const vm = p.verificationMethod;
      const pub = decodeEd25519Multikey(vm.slice(vm.indexOf('#') + 1));
      assert.equal(await verifyProofSignature(doc, p, pub, {documentLoader: loader}), true, `${f} ${p.id}`);
    }
  }
});

test('did:web → URL and did:key → key follow the did-vectors file', () => {
  const v = readJson(VECTORS + 'did/did-vectors.json');
  for (const {did, url} of v.didWeb) assert.equal(didWebToUrl(did), url, did);
  for (const {did, verificationMethod, publicKeyHex} of v.didKey) {
    const doc = didKeyDocument(did);
    assert.equal(doc.verificationMethod[0].id, verificationMethod);
    assert.equal(toHex(decodeEd25519Multikey(doc.verificationMethod[0].publicKeyMultibase)), publicKeyHex);
  }
  assert.throws(() => didWebToUrl('did:web:evil.com:..:x'));
  assert.throws(() => didWebToUrl('did:web:'));
  assert.throws(() => didWebToUrl('did:web:a b.com'));
});
