// Reading inputs: baked PNG / SVG, JSON text, bytes, Blob, URLs and share
// pages; bad inputs give a reason, never a throw, and fast.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {deflateSync} from 'node:zlib';
import {verifyCredential} from '../src/verify/verify.js';
import {extractFromImage, extractFromBytes, parseText, credentialLinkInHtml, MAX_BYTES} from '../src/verify/extract.js';
import {decodeStatusList, readBit, parseIndex} from '../src/verify/statuslist.js';
import {testIssuer, byName, readJson, readBytes, ONE_EDTECH, VECTORS, NOW} from '../test-support/helpers.js';

const issuer = await testIssuer();
const opts = {now: NOW, offline: true, pinned: issuer.pinned};
const enc = new TextEncoder();

/** CRC-32 (PNG chunks). */
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(enc.encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}
const cat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const PNG_SIG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const IHDR = chunk('IHDR', Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0));
const IEND = chunk('IEND', new Uint8Array(0));
/** A 1×1 PNG carrying `text` in the given chunk kind. */
function png(kind, text, keyword = 'openbadgecredential') {
  const kw = enc.encode(keyword);
  let data;
  if (kind === 'iTXt') data = cat(kw, Uint8Array.of(0, 0, 0, 0, 0), enc.encode(text));
  else if (kind === 'iTXt-z') data = cat(kw, Uint8Array.of(0, 1, 0, 0, 0), deflateSync(enc.encode(text)));
  else if (kind === 'zTXt') data = cat(kw, Uint8Array.of(0, 0), deflateSync(Buffer.from(text, 'latin1')));
  else data = cat(kw, Uint8Array.of(0), Buffer.from(text, 'latin1'));
  return cat(PNG_SIG, IHDR, chunk(kind === 'iTXt-z' ? 'iTXt' : kind, data), IEND);
}

test('baked PNG: iTXt (plain and compressed), tEXt and zTXt all give the credential', async () => {
  const json = JSON.stringify(issuer.credential);
  for (const kind of ['iTXt', 'iTXt-z']) {
    const r = await verifyCredential(png(kind, json), opts);
    assert.equal(r.verified, true, `${kind}: ${JSON.stringify(r.checks)}`);
    assert.equal(r.source.kind, 'png');
  }
  // tEXt / zTXt are Latin-1: an ASCII-escaped credential verifies the same.
  const ascii = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  for (const kind of ['tEXt', 'zTXt']) {
    const r = await verifyCredential(png(kind, ascii), opts);
    assert.equal(r.verified, true, kind);
  }
});

test('baked SVG: CDATA, escaped text, and the 1EdTech sample', async () => {
  const json = JSON.stringify(issuer.credential);
  const cdata = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[${json}]]></openbadges:credential><rect/></svg>`;
  const escaped = cdata.replace(`<![CDATA[${json}]]>`, json.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'));
  for (const svg of [cdata, escaped]) {
    const r = await verifyCredential(enc.encode(svg), opts);
    assert.equal(r.verified, true, JSON.stringify(r.checks));
    assert.equal(r.source.kind, 'svg');
  }
  const sample = await extractFromImage(readBytes(ONE_EDTECH + 'simple-json.svg'));
  assert.equal(sample.credential.name, 'Teamwork Badge');
  const samplePng = await extractFromImage(readBytes(ONE_EDTECH + 'simple-json.png'));
  assert.deepEqual(samplePng.credential, sample.credential);
});

test('inputs: object, JSON text, bytes, ArrayBuffer, Blob/File all verify alike', async () => {
  const json = JSON.stringify(issuer.credential);
  for (const input of [issuer.credential, json, `\uFEFF  ${json}\n`, enc.encode(json), enc.encode(json).buffer,
    new Blob([json], {type: 'application/json'}), new File([png('iTXt', json)], 'badge.png')]) {
    const r = await verifyCredential(input, opts);
    assert.equal(r.verified, true, `${Object.prototype.toString.call(input)}: ${JSON.stringify(r.checks)}`);
  }
  // the caller's object is not modified
  const before = JSON.stringify(issuer.credential);
  await verifyCredential(issuer.credential, opts);
  assert.equal(JSON.stringify(issuer.credential), before);
});

test('a URL: JSON directly, or a share page through <link rel="alternate"> or credential.json beside it', async () => {
  const json = JSON.stringify(issuer.credential);
  const html = (link) => `<!doctype html><html><head><title>x</title>${link}</head><body>card</body></html>`;
  const files = {
    'https://example.org/certs/s/abc/credential.json': [json, 'application/json'],
    'https://example.org/certs/s/abc/': [html('<link href="credential.json" type="application/ld+json" rel="alternate">'), 'text/html'],
    'https://example.org/certs/s/def/': [html(''), 'text/html'],
    'https://example.org/certs/s/def/credential.json': [json, 'application/json'],
    'https://example.org/certs/badge.png': [png('iTXt', json), 'image/png'],
  };
  const fetch = async (url) => (files[url]
    ? new Response(files[url][0], {headers: {'content-type': files[url][1]}})
    : new Response('no', {status: 404}));
  for (const url of Object.keys(files)) {
    const r = await verifyCredential(url, {...opts, offline: false, fetch});
    assert.equal(r.verified, true, `${url}: ${JSON.stringify(r.checks)}`);
  }
  const r = await verifyCredential(new URL('https://example.org/certs/s/zzz/'), {...opts, offline: false, fetch});
  assert.equal(byName(r).format.message, 'cannot load https://example.org/certs/s/zzz/: HTTP 404');
  assert.equal(credentialLinkInHtml(`<link rel='alternate stylesheet' href='a.css'><LINK REL="alternate" TYPE="application/ld+json" HREF="x.json?a=1&amp;b=2">`), 'x.json?a=1&b=2');
});

const BAD = [
  ['not JSON', 'hello world', /^not a credential: the text is not JSON/],
  ['malformed JSON', '{"@context": [', /^not a credential: the JSON is malformed/],
  ['a JSON array', '[1,2]', /^not a credential: expected a JSON object/],
  ['empty', '   ', /^nothing to verify/],
  ['null', null, /^nothing to verify/],
  ['a number', 42, /^not a credential/],
  ['HTML pasted', '<html><body>hi</body></html>', /^not a credential: this is HTML or XML/],
  ['binary junk', Uint8Array.of(0, 1, 2, 3, 250, 251), /^not a credential: this is a binary file/],
  ['a PNG without credential', cat(PNG_SIG, IHDR, IEND), /^this PNG image has no baked credential/],
  ['a truncated PNG', cat(PNG_SIG, IHDR).subarray(0, 20), /no baked credential|truncated/],
  ['an Open Badges 2.0 PNG', png('iTXt', '{"type":"Assertion"}', 'openbadges'), /Open Badges 2\.0/],
  ['an SVG without credential', enc.encode('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'), /^this SVG image has no baked credential/],
  ['a PNG holding garbage', png('iTXt', 'not json at all'), /^the PNG badge holds no readable credential/],
  ['a VC-JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJ2YyI6e319.c2ln', /^VC-JWT not supported/],
  ['a URL while offline', 'https://example.org/certs/s/abc/', /^cannot load https:\/\/example\.org\/certs\/s\/abc\/: offline/],
];
for (const [name, input, reason] of BAD) {
  test(`bad input, ${name}: not verified, with the reason`, async () => {
    const r = await verifyCredential(input, {offline: true});
    assert.equal(r.verified, false);
    assert.equal(byName(r).format.status, 'fail');
    assert.match(byName(r).format.message, reason);
    assert.equal(r.credential, null);
  });
}

test('a 20 MB buffer (and a 20 MB Blob, string) is refused at once', async () => {
  const big = new Uint8Array(20 * 1024 * 1024).fill(0x7b);
  for (const input of [big, new Blob([big]), '{'.repeat(20 * 1024 * 1024)]) {
    const r = await verifyCredential(input);
    assert.match(byName(r).format.message, /^the file is too large \(20\.0 MB\); a credential or baked badge is at most 10\.0 MB/);
  }
  // 10 MB of PNG chunks / SVG text without a credential: linear, no hang
  const svg = enc.encode('<svg xmlns="http://www.w3.org/2000/svg">' + '<g a="<x:credential"/>'.repeat(400000) + '</svg>');
  assert.ok(svg.length < MAX_BYTES);
  const r = await verifyCredential(svg);
  assert.equal(r.verified, false);
});

const withDoc = (change) => {
  const doc = JSON.parse(JSON.stringify(issuer.credential));
  change(doc);
  return doc;
};
const WRONG = [
  ['non-credential JSON', {hello: 'world'}, 'format', /^not a well-formed credential: "@context" is missing/],
  ['an unknown context', withDoc((d) => d['@context'].push('https://example.com/my-context.jsonld')), 'proof',
    /^not checked: unknown @context "https:\/\/example\.com\/my-context\.jsonld": credpub has no copy of it/],
  ['an unknown cryptosuite', withDoc((d) => (d.proof[0].cryptosuite = 'ecdsa-rdfc-2019')), 'proof',
    /^not checked: ecdsa-rdfc-2019 proofs are not supported/],
  // a suite with a proof type of its own is not a Data Integrity cryptosuite; nor is an object's property
  ['a DataIntegrityProof naming Ed25519Signature2020', withDoc((d) => (d.proof[0].cryptosuite = 'Ed25519Signature2020')), 'proof',
    /^not checked: Ed25519Signature2020 proofs are not supported \(credpub checks eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020\)/],
  ['a cryptosuite named constructor', withDoc((d) => (d.proof[0].cryptosuite = 'constructor')), 'proof',
    /^not checked: constructor proofs are not supported/],
  ['a cryptosuite that is a list, not a name', withDoc((d) => (d.proof[0].cryptosuite = ['eddsa-rdfc-2022'])), 'proof',
    /^not checked: eddsa-rdfc-2022 proofs are not supported/],
  ['an unresolvable DID (did:web, offline, not pinned)', withDoc((d) => {
    d.proof[0].verificationMethod = 'did:web:nowhere.example#key-1';
  }), 'issuer', /^issuer key cannot be resolved: did:web:nowhere\.example could not be loaded \(offline\)/],
  ['an unknown DID method', withDoc((d) => (d.proof[0].verificationMethod = 'did:example:123#k')), 'issuer',
    /^issuer key cannot be resolved: did:example is not a DID method credpub can resolve/],
  ['a verification method that is no URI', withDoc((d) => (d.proof[0].verificationMethod = 'z6MkrvfzkMnv')), 'issuer',
    /^issuer key cannot be resolved: "z6MkrvfzkMnv" is neither a DID nor an https URL/],
  ['a proofValue that is not base58', withDoc((d) => (d.proof[0].proofValue = 'z0OIl')), 'proof', /proofValue is malformed/],
  ['a short signature', withDoc((d) => (d.proof[0].proofValue = 'z3yMR7vQ')), 'proof', /expected 64 bytes/],
  ['a date-only validFrom', withDoc((d) => (d.validFrom = '2026-06-12')), 'format', /"validFrom" "2026-06-12" is not a date-time with a time zone/],
  ['a missing achievement', withDoc((d) => delete d.credentialSubject.achievement), 'format', /credentialSubject\.achievement is missing/],
  ['a malformed statusListIndex', withDoc((d) => (d.credentialStatus.statusListIndex = '-1')), 'status', /statusListIndex "-1" is not a non-negative base-10 integer/],
];
for (const [name, input, check, reason] of WRONG) {
  test(`wrong credential, ${name}: ${check} fails with the reason`, async () => {
    const r = await verifyCredential(input, opts);
    assert.equal(r.verified, false);
    assert.notEqual(byName(r)[check].status, 'pass');
    assert.match(byName(r)[check].message, reason);
  });
}

test('status list decoding follows the bitstring vectors (MSB first; "u" multibase)', async () => {
  const {vectors} = readJson(VECTORS + 'bitstring-status-list/bitstring-vectors.json');
  for (const v of vectors) {
    const bits = await decodeStatusList(v.encodedList);
    assert.equal(bits.length, v.decodedBytes, v.name);
    const set = [];
    for (let i = 0; i < bits.length * 8; i++) if (readBit(bits, i)) set.push(i);
    assert.deepEqual(set, v.setIndexes, v.name);
  }
  assert.equal(parseIndex('23'), 23);
  assert.equal(parseIndex(23), 23);
  assert.throws(() => parseIndex('0x17'));
  assert.throws(() => parseIndex('023'));
  assert.throws(() => readBit(new Uint8Array(2), 16), /past the end/);
});

test('parseText: a bare URL is a link; JSON text is a credential', () => {
  assert.deepEqual(parseText(' https://a.example/x '), {url: 'https://a.example/x', kind: 'url'});
  assert.equal(parseText('{"a":1}').credential.a, 1);
});

test('extractFromBytes sniffs JSON from bytes', async () => {
  const got = await extractFromBytes(enc.encode(JSON.stringify({a: 1})));
  assert.equal(got.credential.a, 1);
});

test('the inflation cap and JSON depth limit come from verifier.json, the copy Python reads', async () => {
  const {MAX_INFLATE, MAX_JSON_DEPTH} = await import('../src/verify/rules.js');
  const {readFileSync} = await import('node:fs');
  const shared = JSON.parse(readFileSync(new URL('../../builder/credpub/data/verifier.json', import.meta.url), 'utf8'));
  assert.equal(MAX_INFLATE, shared.maxInflateBytes);
  assert.equal(MAX_INFLATE, 4 * 1024 * 1024);
  const data = cat(enc.encode('openbadgecredential\0'), Uint8Array.of(1, 0, 0, 0), new Uint8Array(deflateSync(Buffer.alloc(MAX_INFLATE + 1, 32))));
  const bomb = cat(PNG_SIG, IHDR, chunk('iTXt', data), IEND);
  const r = await verifyCredential(bomb, opts);
  assert.equal(r.verified, false);
  assert.match(byName(r).format.message, /expands to more than 4194304 bytes/);
  assert.throws(() => parseText('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)), /nested more than 200 levels/);
  const list = Buffer.from((await import('node:zlib')).gzipSync(Buffer.alloc(MAX_INFLATE + 1))).toString('base64url');
  await assert.rejects(decodeStatusList('u' + list), /expands to more than/);
});
