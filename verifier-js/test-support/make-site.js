// Builds a small credpub-like site signed with Digital Bazaar's stack (not
// with credpub's code): a did:web DID document, claim and share credentials,
// one status list with one credential revoked, one encrypted claim.
// Used by test/interop.test.js; also a stand-in for the Python build:
//   node test-support/make-site.js /tmp/site [eddsa-jcs-2022]
//   CREDPUB_SITE=/tmp/site npm test
import {mkdirSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {createList, createCredential, VC_BSL_VC_V2_CONTEXT} from '@digitalbazaar/vc-bitstring-status-list';
import {vc, offlineLoader, signSuite} from './db-stack.js';

export const SITE_DID = 'did:web:example.org:certs';
export const SITE_BASE = 'https://example.org/certs/';
export const REVOKED_INDEX = 9;

function credential({id, index, share}) {
  const subject = {
    type: ['AchievementSubject'],
    identifier: [{type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Zoë Ångström'}],
    achievement: {
      id: `${SITE_BASE}achievements/web-a11y/`, type: ['Achievement'], achievementType: 'MicroCredential',
      name: 'Web Accessibility', description: 'WCAG 2.2 in practice.', criteria: {narrative: 'Audit of a real site.'},
      creditsAvailable: 1.0,
    },
  };
  if (!share) subject.identifier.push({type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: 'sha256$00ff', salt: 'abc'});
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id, type: ['VerifiableCredential', 'OpenBadgeCredential'], name: 'Web Accessibility',
    issuer: {id: SITE_DID, type: ['Profile'], name: 'Example Training Centre', url: SITE_BASE},
    validFrom: '2026-06-12T00:00:00Z',
    credentialSubject: subject,
    credentialStatus: {
      id: `${SITE_BASE}status/1.json#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
      statusListIndex: String(index), statusListCredential: `${SITE_BASE}status/1.json`,
    },
    credentialSchema: [{id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json', type: 'JsonSchema'}],
  };
}

/**
 * @param {string} dir - output folder
 * @param {{cryptosuite?: string}} [options]
 * @returns {Promise<{revoked: string[]}>} ids of the revoked credentials
 */
export async function makeSite(dir, {cryptosuite = 'eddsa-rdfc-2022'} = {}) {
  const key = await Ed25519Multikey.generate({seed: new Uint8Array(32).fill(42), id: `${SITE_DID}#key-1`, controller: SITE_DID});
  const vm = await key.export({publicKey: true, includeContext: false});
  const didDoc = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: SITE_DID, verificationMethod: [vm], assertionMethod: [vm.id],
  };
  const documentLoader = offlineLoader({didDocs: {[SITE_DID]: didDoc}});
  const suite = () => {
    const s = signSuite(cryptosuite, key.signer());
    s.date = '2026-06-12T10:00:00Z';
    return s;
  };
  const write = (path, doc) => {
    mkdirSync(join(dir, path, '..'), {recursive: true});
    writeFileSync(join(dir, path), JSON.stringify(doc, null, 2) + '\n');
  };
  write('did.json', didDoc);

  const list = await createList({length: 131072});
  list.setStatus(REVOKED_INDEX, true);
  const listCred = await createCredential({id: `${SITE_BASE}status/1.json`, list, statusPurpose: 'revocation', context: VC_BSL_VC_V2_CONTEXT});
  listCred.issuer = SITE_DID;
  listCred.validFrom = '2026-06-12T00:00:00Z';
  write('status/1.json', await vc.issue({credential: listCred, suite: suite(), documentLoader}));

  const revoked = [];
  for (const [token, index] of [['tok-ok', 5], ['tok-revoked', REVOKED_INDEX]]) {
    const claim = await vc.issue({credential: credential({id: `urn:uuid:00000000-0000-4000-8000-00000000000${index}`, index}), suite: suite(), documentLoader});
    const share = await vc.issue({credential: credential({id: `${SITE_BASE}s/${token}-s/credential.json`, index, share: true}), suite: suite(), documentLoader});
    write(`c/${token}/credential.json`, claim);
    write(`s/${token}-s/credential.json`, share);
    if (index === REVOKED_INDEX) revoked.push(claim.id, share.id);
  }
  write('c/tok-encrypted/credential.json', {ciphertext: 'AAAA', iv: 'AAAA', alg: 'A256GCM'});
  return {revoked};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node test-support/make-site.js DIR [eddsa-rdfc-2022|eddsa-jcs-2022]');
    process.exit(2);
  }
  const {revoked} = await makeSite(dir, {cryptosuite: process.argv[3]});
  console.log(`site written to ${dir}; revoked: ${revoked.join(', ')}`);
}
