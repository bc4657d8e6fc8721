// The browser bundle (built in memory with build.mjs, shims included) runs
// the same verifications as the modules: window.credpub in a page.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {BUDGET, LICENCES_FILE, VERIFIER_ENTRY, VERIFIER_GLOBAL, bundleSource, gz, licencesText, siteMetafile, shareContexts, trimQrcode} from '../build.mjs';
import {createRequire} from 'node:module';
import {contextLoader, CONTEXTS} from '../src/verify/contexts.js';
import {setEd25519Backend, verifyEd25519, ed25519Backend} from '../src/crypto/ed25519.js';
import {testIssuer, testKey, byName, readJson, DI, ONE_EDTECH, readBytes, NOW} from '../test-support/helpers.js';
import {TEST_LOADER} from '../test-support/onedtech-loader.js';
import {verifyCredential} from '../src/verify/verify.js';
import {canonizeRdfc} from '../src/crypto/rdfc.js';

const source = await bundleSource();
const page = {};
new Function('globalThis', 'window', 'self', source)(page, page, page);
const credpub = page.credpub;

test('the size budget: all site scripts ≤ 80 KB gzipped, the verifier alone ≤ 64 KB', async () => {
  const verifier = await bundleSource(new URL(`../${VERIFIER_ENTRY}`, import.meta.url).pathname, {globalName: VERIFIER_GLOBAL});
  assert.ok(gz(source) <= BUDGET.bundle, `site scripts: ${gz(source)} bytes gzipped, budget ${BUDGET.bundle}`);
  assert.ok(gz(verifier) <= BUDGET.verifier, `verifier: ${gz(verifier)} bytes gzipped, budget ${BUDGET.verifier}`);
});

test('the bundle exposes window.credpub and keeps node-only code out', () => {
  assert.equal(typeof credpub.verifyCredential, 'function');
  assert.equal(typeof credpub.extractFromImage, 'function');
  assert.deepEqual(credpub.CHECK_NAMES, ['format', 'proof', 'issuer', 'dates', 'status']);
  for (const banned of ['node:fs', 'require("https")', 'XMLHttpRequest', 'undici']) {
    assert.ok(!source.includes(banned), `bundle mentions ${banned}`);
  }
  assert.ok(!/^import\s|^export\s/m.test(source), 'a classic script, not an ES module');
});

test('bundle: W3C vectors (rdfc, jcs, Ed25519Signature2020) verify their signatures', async () => {
  for (const f of ['eddsa-rdfc-2022/signedDataInt.json', 'eddsa-jcs-2022/signedJCS.json', 'Ed25519Signature2020/signedEdSig.json']) {
    const r = await credpub.verifyCredential(readFileSync(DI + f, 'utf8'));
    assert.equal(byName(r).proof.status, 'pass', f);
  }
});

test('bundle: own credentials verify from the pinned block; 1EdTech samples as in the module tests', async () => {
  for (const cryptosuite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022']) {
    const i = await testIssuer({cryptosuite});
    const r = await credpub.verifyCredential(JSON.stringify(i.credential), {now: NOW, offline: true, pinned: i.pinned});
    assert.equal(r.verified, true, JSON.stringify(r.checks));
  }
  for (const f of ['simple.json', 'simple-json.png', 'simple-json.svg', 'complete.json']) {
    const r = await credpub.verifyCredential(readBytes(ONE_EDTECH + f), {now: NOW, offline: true, documentLoader: TEST_LOADER});
    assert.equal(r.verified, true, f);
  }
  const r = await credpub.verifyCredential(readBytes(ONE_EDTECH + 'bsl-credential-status-revoked.json'), {now: NOW, offline: true, documentLoader: TEST_LOADER});
  assert.match(byName(r).status.message, /^revoked/);
});

test('contexts: every file index.json lists is bundled, and nothing else is', () => {
  const dir = new URL('../../builder/credpub/data/contexts/', import.meta.url);
  const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8'));
  assert.deepEqual(Object.keys(CONTEXTS).sort(), Object.keys(index).sort());
  const files = readdirSync(dir).filter((f) => /\.(jsonld|json)$/.test(f) && f !== 'index.json');
  assert.deepEqual([...new Set(Object.values(index))].sort(), files.sort(), 'a context file is not in index.json');
  for (const url of Object.keys(index)) assert.ok(source.includes(JSON.stringify(url)), `bundle lacks ${url}`);
});

test('the context loader serves bundled contexts only', async () => {
  const load = contextLoader();
  assert.ok((await load('https://www.w3.org/ns/credentials/v2')).document['@context']);
  await assert.rejects(load('https://example.com/ctx'), /unknown @context/);
  const extra = contextLoader({extra: (u) => (u === 'https://example.com/ctx' ? {document: '{"@context": {}}'} : undefined)});
  assert.deepEqual((await extra('https://example.com/ctx')).document, {'@context': {}});
});

test('Ed25519: WebCrypto and the noble fallback agree (valid, bad signature, bad key)', async () => {
  const noble = await import('@noble/ed25519');
  const key = testKey(5);
  const msg = new TextEncoder().encode('credpub');
  const sig = noble.sign(msg, key.secret);
  const bad = sig.slice();
  bad[10] ^= 1;
  const notAPoint = new Uint8Array(32).fill(0xff);
  const results = {};
  for (const b of ['webcrypto', 'noble']) {
    setEd25519Backend(b);
    results[b] = [await verifyEd25519(key.publicKey, msg, sig), await verifyEd25519(key.publicKey, msg, bad), await verifyEd25519(notAPoint, msg, sig)];
  }
  setEd25519Backend('auto');
  assert.deepEqual(results.webcrypto, [true, false, false]);
  assert.deepEqual(results.noble, [true, false, false]);
  assert.equal(await ed25519Backend(), 'webcrypto', 'Node 20 has WebCrypto Ed25519');
  await assert.rejects(verifyEd25519(key.publicKey, msg, sig.slice(0, 63)), /expected 64 bytes, got 63/);
  // The W3C vector through the fallback too.
  setEd25519Backend('noble');
  const r = await verifyCredential(readFileSync(DI + 'eddsa-rdfc-2022/signedDataInt.json', 'utf8'));
  setEd25519Backend('auto');
  assert.equal(byName(r).proof.status, 'pass');
  assert.ok(readJson(DI + 'keyPair.json'));
});

test('the bundled qrcode-generator, without its renderers, encodes as the whole library does', async () => {
  const file = createRequire(import.meta.url).resolve('qrcode-generator').replace(/qrcode\.js$/, 'qrcode.mjs');
  const whole = readFileSync(file, 'utf8');
  const trimmed = trimQrcode(whole);
  assert.ok(!/createSvgTag|gifImage|base64/.test(trimmed), "the renderers are cut");
  const load = (src) => import(`data:text/javascript;base64,${Buffer.from(src).toString('base64')}`).then((m) => m.default);
  const [a, b] = [await load(whole), await load(trimmed)];
  const modules = (qrcode, text, level) => {
    const qr = qrcode(0, level);
    qr.addData(text, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    return Array.from({length: n}, (_, r) => Array.from({length: n}, (_, c) => (qr.isDark(r, c) ? 1 : 0)).join('')).join('\n');
  };
  for (const text of ['https://example.org/s/#s=abc', 'x'.repeat(300), 'https://uni.example/s/#s=' + 'k'.repeat(43) + '&n=zo%C3%AB']) {
    for (const level of ['L', 'M', 'H']) assert.equal(modules(b, text, level), modules(a, text, level), `${level} ${text.length}`);
  }
  assert.throws(() => b(0, 'M').addData('漢', 'Kanji'), /sjis not supported/);
  assert.throws(() => a(0, 'M').addData('漢', 'Kanji'), /sjis not supported/);
});

test('the licences of every bundled package and context are in the licence file the bundle names', async () => {
  assert.ok(source.trimEnd().endsWith(`/*! Licences of the bundled code and contexts: ${LICENCES_FILE} */`));
  assert.ok(!source.includes('Bundled license information'), 'licence texts are in the file, not the bundle');
  const text = licencesText(await siteMetafile());
  for (const name of ['jsonld', 'rdf-canonize', 'canonicalize', '@noble/ed25519', '@noble/hashes', 'qrcode-generator']) {
    assert.match(text, new RegExp(`^${name} \\d+\\.\\d+\\.\\d+$`, 'm'), name);
  }
  assert.doesNotMatch(text, /^setimmediate /m, 'the polyfill is replaced by src/shims/setimmediate.js');
  for (const notice of ['Copyright (c) 2009 Kazuhiko Arase', 'Copyright (c) 2022 Paul Miller', 'Digital Bazaar', 'Apache License',
    'W3C\nSoftware and Document License', 'Digital Credentials Consortium']) assert.ok(text.includes(notice), notice);
});

test('the setImmediate shim yields a task and passes its arguments', async () => {
  const scope = {};
  const src = readFileSync(new URL('../src/shims/setimmediate.js', import.meta.url), 'utf8');
  new Function('globalThis', src)(scope);
  const order = [];
  const done = new Promise((resolve) => scope.setImmediate((a, b) => { order.push(`task ${a}${b}`); resolve(); }, 1, 2));
  Promise.resolve().then(() => order.push('microtask'));
  await done;
  assert.deepEqual(order, ['microtask', 'task 12']);
  const native = {setImmediate: () => 'native'};
  new Function('globalThis', src)(native);
  assert.equal(native.setImmediate(), 'native', 'a native setImmediate is kept');
});

test('the bundled jsonld.js reuses active contexts instead of copying them, and canonicalises as the whole library does', async () => {
  const file = createRequire(import.meta.url).resolve('jsonld/lib/context.js');
  const whole = readFileSync(file, 'utf8');
  const patched = shareContexts(whole);
  assert.ok(whole.includes('return this.previousContext.clone();'));
  assert.ok(!patched.includes('return this.previousContext.clone();') && patched.includes('return this.previousContext;'));
  assert.ok(!patched.includes('rval = rval.clone();\n    rval.previousContext = activeCtx;') && patched.includes('ENTERED.set(activeCtx'));
  assert.equal(patched.split('.clone()').length, whole.split('.clone()').length - 1, 'one copy less in the source, the rest as it was');
  const scope = {};
  const src = await bundleSource(new URL('../test-support/rdfc-entry.js', import.meta.url).pathname, {globalName: 'rdfc'});
  new Function('globalThis', 'window', 'self', `${src}; globalThis.rdfc = rdfc;`)(scope, scope, scope);
  const i = await testIssuer();
  const golden = new URL('../../tests/golden/issuer/site/c/', import.meta.url);
  const docs = [i.credential, i.list, readJson(DI + 'eddsa-rdfc-2022/signedDataInt.json'),
    ...['simple.json', 'complete.json'].map((f) => readJson(ONE_EDTECH + f)),
    ...readdirSync(golden).map((d) => JSON.parse(readFileSync(new URL(`${d}/credential.json`, golden), 'utf8'))).filter((c) => c['@context'])];
  assert.ok(docs.length > 6, 'the golden site\'s readable claim credentials are among them');
  for (const doc of docs) {
    const expected = await canonizeRdfc(doc, {documentLoader: contextLoader({extra: TEST_LOADER})});
    assert.equal(await scope.rdfc.canonizeRdfc(doc, {documentLoader: scope.rdfc.contextLoader({extra: TEST_LOADER})}), expected, doc.id);
  }
});
