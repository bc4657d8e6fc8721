// Shared by the tests: paths to the vectors, a signer for test credentials
// (noble Ed25519 over the same bytes the verifier checks), loaders.
import {readFileSync, existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import * as noble from '@noble/ed25519';
import {sha512} from '@noble/hashes/sha2.js';
import {signedBytes} from '../src/crypto/dataintegrity.js';
import {contextLoader} from '../src/verify/contexts.js';
import {encodeEd25519Multikey, base58Encode} from '../src/crypto/multibase.js';

noble.hashes.sha512 = sha512;

export const VECTORS = fileURLToPath(new URL('../../tests/vectors/', import.meta.url));
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const ONE_EDTECH = VECTORS + 'ob-v3p0-1edtech-validator/';
export const DI = VECTORS + 'vc-di-eddsa/TestVectors/';

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
export const readBytes = (path) => new Uint8Array(readFileSync(path));
export const exists = existsSync;
export const clone = (x) => JSON.parse(JSON.stringify(x));
export const byName = (result) => Object.fromEntries(result.checks.map((c) => [c.name, c]));

/** A fixed test key (never used outside tests). */
export function testKey(seedByte = 7) {
  const secret = new Uint8Array(32).fill(seedByte);
  const publicKey = noble.getPublicKey(secret);
  return {secret, publicKey, multikey: encodeEd25519Multikey(publicKey)};
}

/** A did:web DID document listing `key` as `#key-1` for assertionMethod. */
export function didDocument(did, key, {assertion = true} = {}) {
  const vm = {id: `${did}#key-1`, type: 'Multikey', controller: did, publicKeyMultibase: key.multikey};
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [vm],
    ...(assertion ? {assertionMethod: [vm.id]} : {authentication: [vm.id]}),
  };
}

/**
 * Signs `doc` with a Data Integrity proof (eddsa-rdfc-2022 or eddsa-jcs-2022),
 * following vc-di-eddsa "Add Proof".
 */
export async function sign(doc, key, {cryptosuite = 'eddsa-rdfc-2022', verificationMethod, created = '2026-06-12T10:00:00Z'} = {}) {
  const proof = {type: 'DataIntegrityProof', cryptosuite, created, verificationMethod, proofPurpose: 'assertionMethod'};
  if (cryptosuite === 'eddsa-jcs-2022') proof['@context'] = doc['@context'];
  const data = await signedBytes(doc, proof, [proof], contextLoader());
  const signature = noble.sign(data, key.secret);
  return {...doc, proof: [{...proof, proofValue: 'z' + base58Encode(signature)}]};
}

/** A credpub-shaped Open Badge (ARCHITECTURE.md), unsigned. */
export function sampleCredential(did, {statusUrl, index = '1234', validUntil} = {}) {
  const site = 'https://example.org/certs';
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:3d2c3f4e-8c7a-4f55-9d0b-1f2e3d4c5b6a',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Data Analysis with Python',
    issuer: {
      id: did, type: ['Profile'], name: 'Example Training Centre', url: `${site}/`, email: 'certs@example.org',
      description: 'Short courses.', address: {type: ['Address'], addressCountry: 'Spain'},
      image: {id: `${site}/assets/logo.svg`, type: 'Image'},
    },
    validFrom: '2026-06-12T00:00:00Z',
    ...(validUntil ? {validUntil} : {}),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Ana Núñez'},
        {type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: 'sha256$0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0', salt: 'c2FsdA'},
        {type: 'IdentityObject', identityType: 'studentId', hashed: false, identityHash: 'L-0042'},
      ],
      achievement: {
        id: `${site}/achievements/data-analysis/`, type: ['Achievement'], achievementType: 'MicroCredential',
        name: 'Data Analysis with Python', description: 'Cleaning, exploring and plotting data with pandas.',
        criteria: {narrative: 'Passed the final project (40 hours).'},
        image: {id: `${site}/achievements/data-analysis/badge.png`, type: 'Image', caption: 'Badge'},
        creditsAvailable: 2.5, inLanguage: 'en',
      },
      result: [{type: ['Result'], resultDescription: `${site}/achievements/data-analysis/#grade`, value: 'A'}],
    },
    ...(statusUrl ? {credentialStatus: {
      id: `${statusUrl}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
      statusListIndex: index, statusListCredential: statusUrl,
    }} : {}),
    credentialSchema: [{id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json', type: 'JsonSchema'}],
  };
}

/** gzip + multibase base64url of a bitstring with `set` bits on. */
export async function encodeList(set, entries = 131072) {
  const {gzipSync} = await import('node:zlib');
  const bits = new Uint8Array(entries / 8);
  for (const i of set) bits[i >> 3] |= 0x80 >> (i & 7);
  return 'u' + gzipSync(bits).toString('base64url');
}

/** A signed BitstringStatusListCredential. */
export async function statusList(did, key, url, set) {
  const list = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: did,
    validFrom: '2026-06-12T00:00:00Z',
    credentialSubject: {id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: await encodeList(set)},
  };
  return sign(list, key, {verificationMethod: `${did}#key-1`});
}

/** Everything for one test issuer: key, DID document, a signed credential, its list. */
export async function testIssuer({cryptosuite = 'eddsa-rdfc-2022', revoked = false, index = '1234', ...opts} = {}) {
  const key = testKey();
  const did = 'did:web:example.org:certs';
  const statusUrl = 'https://example.org/certs/status/1.json';
  const didDoc = didDocument(did, key);
  const list = await statusList(did, key, statusUrl, revoked ? [Number(index)] : [7]);
  const credential = await sign(sampleCredential(did, {statusUrl, index, ...opts}), key, {cryptosuite, verificationMethod: `${did}#key-1`});
  const pinned = {did: {[did]: didDoc}, statusLists: {[statusUrl]: list}, snapshotDate: '2026-06-20T08:00:00Z'};
  return {key, did, didDoc, statusUrl, list, credential, pinned};
}

/** The "now" the tests use (after the sample credential's validFrom). */
export const NOW = '2026-07-01T00:00:00Z';
