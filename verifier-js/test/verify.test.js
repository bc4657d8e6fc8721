// verifyCredential on credpub-shaped credentials signed here with a fixed
// test key: pinned DID and status list, live fetch, dates, status, issuer
// binding, and the tamper matrix (every leaf changed → not verified).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {verifyCredential, CHECK_NAMES} from '../src/verify/verify.js';
import {testIssuer, testKey, didDocument, sign, sampleCredential, statusList, byName, clone, NOW} from '../test-support/helpers.js';

const rdfc = await testIssuer();
const jcsIssuer = await testIssuer({cryptosuite: 'eddsa-jcs-2022'});

/** A fetch that serves `files` (URL → JSON) and records what was asked. */
function fakeFetch(files) {
  const asked = [];
  const fn = async (url) => {
    asked.push(url);
    if (!(url in files)) return new Response('not found', {status: 404});
    const body = typeof files[url] === 'string' ? files[url] : JSON.stringify(files[url]);
    return new Response(body, {status: 200, headers: {'content-type': files[url].contentType ?? 'application/json'}});
  };
  fn.asked = asked;
  return fn;
}

for (const [suite, issuer] of [['eddsa-rdfc-2022', rdfc], ['eddsa-jcs-2022', jcsIssuer]]) {
  test(`${suite}: verifies offline from the pinned DID document and status list`, async () => {
    const r = await verifyCredential(issuer.credential, {now: NOW, offline: true, pinned: issuer.pinned});
    assert.deepEqual(r.checks.map((c) => c.name), CHECK_NAMES);
    assert.equal(r.verified, true, JSON.stringify(r.checks, null, 1));
    const c = byName(r);
    assert.match(c.proof.message, new RegExp(`^the signature is valid \\(${suite}`));
    assert.match(c.issuer.message, /did:web:example\.org:certs#key-1, a key the issuer/);
    // the copy pinned in the page is a snapshot: never said as if it were live (verifier.json)
    assert.equal(c.status.message, 'not revoked as of 2026-06-20 (snapshot in this page, not live)');
    assert.equal(c.status.snapshot, true);
    assert.equal(c.dates.message, 'issued 2026-06-12, no expiry date');
  });
}

test('the DID document and status list are fetched from their https URLs when not pinned', async () => {
  const fetch = fakeFetch({'https://example.org/certs/did.json': rdfc.didDoc, [rdfc.statusUrl]: rdfc.list});
  const r = await verifyCredential(rdfc.credential, {now: NOW, fetch});
  assert.equal(r.verified, true, JSON.stringify(r.checks));
  assert.deepEqual([...new Set(fetch.asked)].sort(), ['https://example.org/certs/did.json', rdfc.statusUrl].sort());
  assert.equal(fetch.asked.length, 2, 'each document is fetched once per verification');
  assert.equal(byName(r).status.message, "not revoked (checked against the issuer's list of 2026-06-12)");
});

test('a root-domain did:web is read from /.well-known/did.json', async () => {
  const key = testKey(9);
  const did = 'did:web:example.net';
  const cred = await sign(sampleCredential(did), key, {verificationMethod: `${did}#key-1`});
  const fetch = fakeFetch({'https://example.net/.well-known/did.json': didDocument(did, key)});
  const r = await verifyCredential(cred, {now: NOW, fetch});
  assert.equal(r.verified, true, JSON.stringify(r.checks));
});

test('live status list unreachable: the pinned snapshot is used; neither: "not checked: offline"', async () => {
  const fetch = fakeFetch({});
  const pinnedOnlyDid = {did: rdfc.pinned.did};
  let r = await verifyCredential(rdfc.credential, {now: NOW, fetch, pinned: rdfc.pinned});
  assert.equal(byName(r).status.status, 'pass');
  assert.equal(byName(r).status.message, 'not revoked as of 2026-06-20 (snapshot in this page, not live)');
  r = await verifyCredential(rdfc.credential, {now: NOW, offline: true, pinned: pinnedOnlyDid});
  assert.equal(byName(r).status.status, 'skipped');
  assert.equal(byName(r).status.message, 'not checked: offline');
  assert.equal(r.verified, true, 'offline status is reported, it does not invalidate');
  r = await verifyCredential(rdfc.credential, {now: NOW, fetch, pinned: pinnedOnlyDid});
  assert.equal(byName(r).status.message, 'not checked: the status list could not be loaded (HTTP 404)');
});

test('the live DID document decides over the copy pinned in the page: a key withdrawn since does not verify', async () => {
  // The page was saved while key-1 was listed; the issuer has since retired it as compromised
  // (live did.json: another key only), and a forger signs with the leaked key-1.
  const live = didDocument(rdfc.did, testKey(11));
  live.verificationMethod[0].id = `${rdfc.did}#key-2`;
  live.assertionMethod = [`${rdfc.did}#key-2`];
  const fetch = fakeFetch({'https://example.org/certs/did.json': live, [rdfc.statusUrl]: rdfc.list});
  const r = await verifyCredential(rdfc.credential, {now: NOW, fetch, pinned: rdfc.pinned});
  assert.equal(r.verified, false, JSON.stringify(r.checks));
  assert.equal(byName(r).issuer.status, 'fail');
  assert.match(byName(r).issuer.message, /does not list the key did:web:example\.org:certs#key-1/);
  assert.ok(fetch.asked.includes('https://example.org/certs/did.json'), 'the live document is asked for');
});

test('live DID document unreachable: the pinned copy is used and the issuer check says so, as of its date', async () => {
  const expected = "signed with did:web:example.org:certs#key-1, a key the issuer did:web:example.org:certs lists for issuing credentials; "
    + "checked against the copy of the issuer's DID document in this page, of 2026-06-20 (not live)";
  for (const options of [{fetch: fakeFetch({})}, {offline: true}]) {
    const r = await verifyCredential(rdfc.credential, {now: NOW, pinned: rdfc.pinned, ...options});
    assert.equal(r.verified, true, JSON.stringify(r.checks));
    const issuer = byName(r).issuer;
    assert.equal(issuer.status, 'pass');
    assert.equal(issuer.snapshot, true, 'a copy in the page is a snapshot, never "passed"');
    assert.equal(issuer.message, expected);
    const {headline} = await import('../src/pages/verify.js');
    assert.equal(headline(r).note, 'Issuer key: checked against the copy in this page (not live). '
      + 'Revocation: not revoked as of 20 June 2026 (snapshot in this page, not live)', 'the verdict says it too');
  }
  // Reachable: the live copy, no snapshot.
  const fetch = fakeFetch({'https://example.org/certs/did.json': rdfc.didDoc, [rdfc.statusUrl]: rdfc.list});
  const r = await verifyCredential(rdfc.credential, {now: NOW, fetch, pinned: rdfc.pinned});
  assert.equal(byName(r).issuer.snapshot, undefined);
  assert.doesNotMatch(byName(r).issuer.message, /copy/);
});

test('revoked: the bit at statusListIndex is set → status fails, not verified', async () => {
  const revoked = await testIssuer({revoked: true, index: '70001'});
  const r = await verifyCredential(revoked.credential, {now: NOW, offline: true, pinned: revoked.pinned});
  assert.equal(r.verified, false);
  assert.equal(byName(r).status.status, 'fail');
  assert.equal(byName(r).status.message, 'revoked (checked against the copy of the list in this page, of 2026-06-20)');
  assert.equal(byName(r).proof.status, 'pass');
});

test('a status list with a bad signature, or issued by someone else, is not trusted', async () => {
  const tampered = clone(rdfc.pinned);
  const list = tampered.statusLists[rdfc.statusUrl];
  list.credentialSubject.encodedList = (await statusList(rdfc.did, rdfc.key, rdfc.statusUrl, [1234])).credentialSubject.encodedList;
  let r = await verifyCredential(rdfc.credential, {now: NOW, offline: true, pinned: tampered});
  assert.equal(byName(r).status.status, 'fail');
  assert.match(byName(r).status.message, /^the status list is not valid: the signature does not match/);

  const other = testKey(3);
  const otherDid = 'did:web:other.example';
  const foreign = clone(rdfc.pinned);
  foreign.did[otherDid] = didDocument(otherDid, other);
  foreign.statusLists[rdfc.statusUrl] = await statusList(otherDid, other, rdfc.statusUrl, []);
  r = await verifyCredential(rdfc.credential, {now: NOW, offline: true, pinned: foreign});
  assert.equal(byName(r).status.status, 'skipped');
  assert.match(byName(r).status.message, /^not checked: the status list is issued by did:web:other\.example/);
  // ...but when such a list says "revoked", that is believed (fail safe).
  foreign.statusLists[rdfc.statusUrl] = await statusList(otherDid, other, rdfc.statusUrl, [1234]);
  r = await verifyCredential(rdfc.credential, {now: NOW, offline: true, pinned: foreign});
  assert.equal(byName(r).status.status, 'fail');
  assert.match(byName(r).status.message, /^revoked \(according to a status list issued by did:web:other\.example/);
  assert.equal(r.verified, false);
});

test('dates: expired and not yet valid', async () => {
  const expiring = await testIssuer({validUntil: '2026-06-30T00:00:00Z'});
  let r = await verifyCredential(expiring.credential, {now: NOW, offline: true, pinned: expiring.pinned});
  assert.equal(byName(r).dates.message, 'expired on 2026-06-30');
  assert.equal(r.verified, false);
  r = await verifyCredential(rdfc.credential, {now: '2026-01-01T00:00:00Z', offline: true, pinned: rdfc.pinned});
  assert.equal(byName(r).dates.message, 'not valid yet: valid from 2026-06-12');
  assert.equal(r.verified, false);
});

test('issuer binding: a key not under assertionMethod, or another controller, is not the issuer\'s', async () => {
  const pinned = clone(rdfc.pinned);
  pinned.did[rdfc.did] = didDocument(rdfc.did, rdfc.key, {assertion: false});
  let r = await verifyCredential(rdfc.credential, {now: NOW, offline: true, pinned});
  assert.equal(byName(r).issuer.status, 'fail');
  assert.match(byName(r).issuer.message, /^the key is not the issuer's for issuing/);

  // Someone signs with their own did:key and names our issuer.
  const mallory = testKey(66);
  const didKey = `did:key:${mallory.multikey}`;
  const forged = await sign(sampleCredential(rdfc.did), mallory, {verificationMethod: `${didKey}#${mallory.multikey}`});
  r = await verifyCredential(forged, {now: NOW, offline: true, pinned: rdfc.pinned});
  assert.equal(byName(r).proof.status, 'pass');
  assert.equal(byName(r).issuer.status, 'fail');
  assert.match(byName(r).issuer.message, /^the key is not the issuer's: did:key:.* belongs to did:key:.*, but the issuer is did:web:example\.org:certs/);
  assert.equal(r.verified, false);

  // A DID document served for the wrong DID is refused.
  const wrong = clone(rdfc.pinned);
  wrong.did[rdfc.did] = {...didDocument(rdfc.did, rdfc.key), id: 'did:web:elsewhere.example'};
  r = await verifyCredential(rdfc.credential, {now: NOW, offline: true, pinned: wrong});
  assert.match(byName(r).issuer.message, /^issuer key cannot be resolved: the document at .* is for "did:web:elsewhere\.example"/);
});

test('a key in a URL fragment is never used without its controller document', async () => {
  const key = testKey(11);
  const issuer = 'https://issuer.example/profile';
  const cred = await sign(sampleCredential(issuer), key, {verificationMethod: `${issuer}#${key.multikey}`});
  const r = await verifyCredential(cred, {now: NOW, fetch: fakeFetch({})});
  assert.equal(r.verified, false);
  assert.match(byName(r).issuer.message, /^issuer key cannot be resolved: https:\/\/issuer\.example\/profile could not be loaded \(HTTP 404\)/);
});

// Every leaf of the signed credential (proof included), changed one at a time.
function leaves(value, path = []) {
  if (value === null || typeof value !== 'object') return [path];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, Array.isArray(value) ? Number(k) : k]));
}
function mutate(v) {
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + 1;
  // change the last letter or digit, keeping the shape of the value
  const m = /[A-Za-z0-9](?=[^A-Za-z0-9]*$)/.exec(v);
  if (!m) return v + 'x';
  const c = v[m.index];
  const next = c === 'z' ? 'y' : c === 'Z' ? 'Y' : c === '9' ? '8' : String.fromCharCode(c.charCodeAt(0) + 1);
  return v.slice(0, m.index) + next + v.slice(m.index + 1);
}

for (const [suite, issuer] of [['eddsa-rdfc-2022', rdfc], ['eddsa-jcs-2022', jcsIssuer]]) {
  test(`tamper matrix (${suite}): every single leaf changed → not verified, never a throw`, async () => {
    const paths = leaves(issuer.credential);
    assert.ok(paths.length > 50, `${paths.length} leaves`);
    for (const path of paths) {
      const doc = clone(issuer.credential);
      let parent = doc;
      for (const k of path.slice(0, -1)) parent = parent[k];
      const last = path[path.length - 1];
      parent[last] = mutate(parent[last]);
      const r = await verifyCredential(doc, {now: NOW, offline: true, pinned: issuer.pinned});
      const where = path.join('.');
      assert.equal(r.verified, false, `${where} changed but still verified`);
      // A changed proof type or cryptosuite makes the proof "not supported",
      // a changed @context URL makes it "unknown context" (both: not checked);
      // anything else makes a check fail.
      const notPassed = r.checks.filter((c) => c.name !== 'status' && c.status !== 'pass').map((c) => c.name);
      assert.ok(notPassed.length > 0, `${where}: every check passed`);
      if (!/^(proof\.0\.(type|cryptosuite)|@context\.\d|proof\.0\.@context\.\d)$/.test(where)) {
        assert.ok(r.checks.some((c) => c.status === 'fail'), `${where}: no check failed`);
      }
    }
  });
}

test('a leaf changed in the credential body is reported as a signature mismatch', async () => {
  const doc = clone(rdfc.credential);
  doc.credentialSubject.identifier[0].identityHash = 'Eve Mallory';
  const r = await verifyCredential(doc, {now: NOW, offline: true, pinned: rdfc.pinned});
  assert.equal(byName(r).proof.message, 'the signature does not match: the document was changed after signing');
});

test('an added field no context defines is refused (JSON-LD safe mode), for rdfc', async () => {
  const doc = clone(rdfc.credential);
  doc.credentialSubject.grade = 'A+';
  const r = await verifyCredential(doc, {now: NOW, offline: true, pinned: rdfc.pinned});
  assert.equal(byName(r).proof.status, 'fail');
  assert.match(byName(r).proof.message, /"grade" is not defined by the credential's @context/);
});

test('structural fuzz: any field replaced by null, {} or [] → not verified, never a throw', async () => {
  const paths = leaves(rdfc.credential);
  const parents = [...new Set(paths.flatMap((p) => p.map((_, i) => JSON.stringify(p.slice(0, i + 1)))))].map((s) => JSON.parse(s));
  for (const path of parents) {
    for (const replacement of [null, {}, []]) {
      const doc = clone(rdfc.credential);
      let parent = doc;
      for (const k of path.slice(0, -1)) parent = parent[k];
      const last = path[path.length - 1];
      if (JSON.stringify(parent[last]) === JSON.stringify(replacement)) continue;
      parent[last] = replacement;
      const r = await verifyCredential(doc, {now: NOW, offline: true, pinned: rdfc.pinned});
      assert.equal(r.verified, false, `${path.join('.')} = ${JSON.stringify(replacement)}`);
      assert.equal(r.checks.length, 5);
    }
  }
});

test('verify page: a did:web:evil.example credential naming this issuer is said NOT to be this site\'s, first', async () => {
  const {headline, siteIssuerOf} = await import('../src/pages/verify.js');
  const key = testKey(11);
  const evil = 'did:web:evil.example';
  const forged = sampleCredential(evil);
  forged.issuer = {id: evil, type: ['Profile'], name: 'Example University'};
  const cred = await sign(forged, key, {verificationMethod: `${evil}#key-1`});
  const fetch = fakeFetch({'https://evil.example/.well-known/did.json': didDocument(evil, key)});
  const r = await verifyCredential(cred, {now: NOW, fetch});
  assert.equal(r.verified, true, 'the signature and its own issuer binding hold');
  const site = siteIssuerOf(rdfc.pinned, {issuer: 'Example University'});
  assert.equal(site.did, rdfc.did);
  const h = headline(r, site);
  assert.equal(h.tone, 'neutral');
  assert.equal(h.text, 'Signature valid — but NOT issued by Example University: issuer is did:web:evil.example; its name is self-declared');
  // this site's own credential stays "Verified", and a page with no site issuer judges as before
  assert.deepEqual(headline(await verifyCredential(rdfc.credential, {now: NOW, offline: true, pinned: rdfc.pinned}), site).text, 'Verified');
  assert.equal(headline(r, null).text, 'Verified');
});

test('a status list verified once is kept for the next credential that names it, when the caller keeps verdicts', async () => {
  const lists = new WeakMap();
  const opts = {now: NOW, offline: true, pinned: rdfc.pinned, lists};
  const list = rdfc.pinned.statusLists[rdfc.statusUrl];
  const first = await verifyCredential(rdfc.credential, opts);
  assert.ok(lists.has(list), 'the list verdict is kept');
  const kept = lists.get(list);
  // another credential on the same list, at the index the list has set: revoked, from the kept verdict
  const revoked = await sign(sampleCredential(rdfc.did, {statusUrl: rdfc.statusUrl, index: '7'}), rdfc.key, {verificationMethod: `${rdfc.did}#key-1`});
  const second = await verifyCredential(revoked, opts);
  assert.equal(lists.get(list), kept, 'the list was not verified again');
  assert.equal(second.verified, false);
  assert.match(byName(second).status.message, /^revoked/);
  const plain = {now: NOW, offline: true, pinned: rdfc.pinned};
  assert.deepEqual(first.checks, (await verifyCredential(rdfc.credential, plain)).checks, 'the same verdict as without kept verdicts');
  assert.deepEqual(second.checks, (await verifyCredential(revoked, plain)).checks);
});
