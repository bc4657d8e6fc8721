// Digital Bazaar's stack (@digitalbazaar/vc + data-integrity + the eddsa
// cryptosuites + vc-bitstring-status-list), used only as an INDEPENDENT
// implementation: to sign a test site (make-site.js) and to verify a site
// built by credpub's Python signer (test/independent.test.js).
// Nothing here imports credpub's own src/ modules.
import {readFileSync, readdirSync, existsSync} from 'node:fs';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfcSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createSignCryptosuite, createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

const CONTEXTS_DIR = new URL('../../builder/credpub/data/contexts/', import.meta.url);

/** The bundled contexts (builder/credpub/data/contexts), read directly from disk. */
export function bundledContexts() {
  const index = JSON.parse(readFileSync(new URL('index.json', CONTEXTS_DIR), 'utf8'));
  return Object.fromEntries(Object.entries(index).map(([url, file]) => [url, JSON.parse(readFileSync(new URL(file, CONTEXTS_DIR), 'utf8'))]));
}

/** did:web → the site's base URL (did:web spec §3.2). */
export function didWebBase(did) {
  const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  return `https://${host}/${path.map((p) => p + '/').join('')}`;
}

/**
 * An offline documentLoader for DB: bundled contexts, the site's DID document
 * (and its verification methods by id), status lists by their https URL.
 * Anything else throws.
 */
export function offlineLoader({contexts = bundledContexts(), didDocs = {}, documents = {}} = {}) {
  return async (url) => {
    const done = (document) => ({contextUrl: null, documentUrl: url, document});
    if (contexts[url]) return done(contexts[url]);
    if (documents[url]) return done(documents[url]);
    const [base, fragment] = url.split('#');
    const doc = didDocs[base];
    if (doc) {
      if (!fragment) return done(doc);
      const vm = (doc.verificationMethod || []).find((m) => m.id === url || m.id === `#${fragment}`);
      if (vm) return done({'@context': doc['@context'], ...vm, id: url, controller: vm.controller || doc.id});
    }
    throw new Error(`offline loader refused ${url}`);
  };
}

/** The DB suite for a proof's cryptosuite (verification). */
export function verifySuite(cryptosuite) {
  if (cryptosuite === 'eddsa-rdfc-2022') return new DataIntegrityProof({cryptosuite: rdfcSuite});
  if (cryptosuite === 'eddsa-jcs-2022') return new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  throw new Error(`no DB suite for ${cryptosuite}`);
}

/** The DB suite to sign with. */
export function signSuite(cryptosuite, signer) {
  const suite = cryptosuite === 'eddsa-jcs-2022' ? createSignCryptosuite() : rdfcSuite;
  return new DataIntegrityProof({signer, cryptosuite: suite});
}

const proofsOf = (doc) => (Array.isArray(doc.proof) ? doc.proof : doc.proof ? [doc.proof] : []);

/**
 * Reads the status bit of a credential directly (gunzip with zlib, MSB first):
 * DB's verifyCredential reports a revoked credential as verified.
 */
export function statusBit(credential, lists) {
  const entry = credential.credentialStatus;
  if (!entry) return null;
  const list = lists[entry.statusListCredential];
  if (!list) throw new Error(`status list ${entry.statusListCredential} is not in the site`);
  const encoded = list.credentialSubject.encodedList;
  const bits = gunzipSync(Buffer.from(encoded.startsWith('u') ? encoded.slice(1) : encoded, 'base64url'));
  const i = Number(entry.statusListIndex);
  return ((bits[i >> 3] >> (7 - (i & 7))) & 1) === 1;
}

/**
 * Loads a built site: DID document, status lists (by https URL), credentials.
 * A claim credential stored encrypted (JSON with a `ciphertext` field,
 * claim security layers 2–3) is listed under `encrypted`.
 */
export function readSite(dir) {
  const didPath = [join(dir, 'did.json'), join(dir, '.well-known/did.json')].find(existsSync);
  if (!didPath) throw new Error(`${dir}: no did.json or .well-known/did.json`);
  const didDoc = JSON.parse(readFileSync(didPath, 'utf8'));
  const base = didWebBase(didDoc.id);
  const lists = {};
  if (existsSync(join(dir, 'status'))) {
    for (const f of readdirSync(join(dir, 'status')).filter((f) => f.endsWith('.json'))) {
      lists[new URL(`status/${f}`, base).href] = JSON.parse(readFileSync(join(dir, 'status', f), 'utf8'));
    }
  }
  const credentials = [];
  const encrypted = [];
  for (const kind of ['c', 's']) {
    if (!existsSync(join(dir, kind))) continue;
    for (const token of readdirSync(join(dir, kind))) {
      const path = join(dir, kind, token, 'credential.json');
      if (!existsSync(path)) continue;
      const doc = JSON.parse(readFileSync(path, 'utf8'));
      if (typeof doc.ciphertext === 'string') encrypted.push(`${kind}/${token}`);
      else credentials.push({path: `${kind}/${token}/credential.json`, doc});
    }
  }
  return {didDoc, base, lists, credentials, encrypted};
}

/**
 * Verifies one credential with DB's vc.verifyCredential, offline, checking
 * its Bitstring Status List entry (DB verifies the list's proof too).
 * @returns {Promise<{verified: boolean, error?: string, statusVerified?: boolean}>}
 */
export async function dbVerify(credential, {didDocs, lists, now}) {
  const documentLoader = offlineLoader({didDocs, documents: lists});
  const suites = [...new Set([...proofsOf(credential), ...Object.values(lists).flatMap(proofsOf)].map((p) => p.cryptosuite))];
  const suite = suites.map(verifySuite);
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, now: now ? new Date(now) : undefined,
    checkStatus: credential.credentialStatus ? checkStatus : undefined,
  });
  const errors = [result.error, ...(result.results || []).map((r) => r.error)].filter(Boolean)
    .map((e) => e.message + (e.errors ? ': ' + e.errors.map((x) => x.message).join('; ') : ''));
  return {verified: result.verified === true, error: errors.join(' | ') || undefined, statusVerified: result.statusResult?.verified};
}

export {vc};
export * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
