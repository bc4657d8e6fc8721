/**
 * Finding the public key behind a proof's `verificationMethod`, through the
 * controller document that lists it (VC Data Integrity §4 "Retrieve
 * Verification Method"; Controlled Identifiers 1.0).
 *
 * - did:key (Ed25519) is decoded offline.
 * - did:web is turned into its https URL (did:web spec §3.2 Read) and the DID
 *   document is taken from `pinned`, the caller's loader, or fetched.
 * - an https controller URL is loaded the same way.
 *
 * A key is never taken from a URL fragment (`https://x.edu/issuers/1#z6Mk…`)
 * without the controller document that lists it: that would let anyone sign
 * as any issuer (SPEC "Pitfalls").
 */
import {decodeEd25519Multikey, base58Decode, base64UrlDecode} from '../crypto/multibase.js';
import {_, errorText, TextError} from '../text.js';
import {DID_HOST_ROOT, DID_SUB_PATH} from '../layout.js';

/** The key cannot be found or tied to a controller; `message` says why. */
export class KeyResolutionError extends TextError {
  /** @param {{id: string, values: object}} text - a message (text.js) */
  constructor(text) {
    super(text, 'KeyResolutionError');
  }
}

const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/i;

/**
 * Maps a did:web DID to the URL of its DID document (did:web §3.2 Read):
 * `did:web:a.b` → `https://a.b/.well-known/did.json`,
 * `did:web:a.b:c:d` → `https://a.b/c/d/did.json`, `%3A` in the host is a port.
 * @param {string} did - without fragment
 * @returns {string}
 * @throws {KeyResolutionError} if the DID is not a valid did:web
 */
export function didWebToUrl(did) {
  if (typeof did !== 'string' || !did.startsWith('did:web:')) {
    throw new KeyResolutionError(_('"%(did)s" is not a did:web DID', {did}));
  }
  const parts = did.slice('did:web:'.length).split(':');
  const host = decodeURIComponent(parts[0]).toLowerCase();
  if (!HOST_RE.test(host)) throw new KeyResolutionError(_('"%(did)s" has no valid host name', {did}));
  const path = parts.slice(1).map((p) => decodeURIComponent(p));
  for (const seg of path) {
    if (!seg || seg === '.' || seg === '..' || /[/?#\\]/.test(seg)) {
      throw new KeyResolutionError(_('"%(did)s" has an invalid path segment "%(seg)s"', {did, seg}));
    }
  }
  const tail = path.length ? `/${path.map(encodeURIComponent).join('/')}/${DID_SUB_PATH}` : `/${DID_HOST_ROOT}`;
  return `https://${host}${tail}`;
}

/**
 * Builds the DID document of an Ed25519 did:key (did:key spec §3.1.1).
 * @param {string} did - `did:key:z6Mk…`
 * @returns {object}
 * @throws {KeyResolutionError} for other key types
 */
export function didKeyDocument(did) {
  const mb = did.slice('did:key:'.length);
  try {
    decodeEd25519Multikey(mb);
  } catch (err) {
    throw new KeyResolutionError(_('"%(did)s" is not an Ed25519 did:key (%(problem)s)', {did, problem: errorText(err)}));
  }
  const vmId = `${did}#${mb}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: mb}],
    authentication: [vmId],
    assertionMethod: [vmId],
  };
}

/**
 * Resolves a relative reference (`#key-1`) against the controller id.
 * @param {string} ref
 * @param {string} base
 */
function absolute(ref, base) {
  return typeof ref === 'string' && ref.startsWith('#') ? base + ref : ref;
}

/**
 * Reads the 32-byte Ed25519 public key of a verification method.
 * Multikey / Ed25519VerificationKey2020 (`publicKeyMultibase`),
 * Ed25519VerificationKey2018 (`publicKeyBase58`), JsonWebKey (OKP Ed25519).
 * @param {object} vm
 * @returns {Uint8Array}
 * @throws {KeyResolutionError}
 */
export function publicKeyOf(vm) {
  try {
    if (typeof vm.publicKeyMultibase === 'string') return decodeEd25519Multikey(vm.publicKeyMultibase);
    if (typeof vm.publicKeyBase58 === 'string' && vm.type === 'Ed25519VerificationKey2018') {
      const key = base58Decode(vm.publicKeyBase58);
      if (key.length === 32) return key;
      throw new Error(`expected 32 bytes, got ${key.length}`);
    }
    const jwk = vm.publicKeyJwk;
    if (jwk && jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string') {
      const key = base64UrlDecode(jwk.x);
      if (key.length === 32) return key;
      throw new Error(`expected 32 bytes, got ${key.length}`);
    }
  } catch (err) {
    throw new KeyResolutionError(_('the key %(key)s is unreadable: %(problem)s', {key: vm.id, problem: errorText(err)}));
  }
  throw new KeyResolutionError(_('the key %(key)s is not an Ed25519 key credpub can read (type %(type)s)', {key: vm.id, type: vm.type}));
}

/**
 * Loads the controller document named by a verification method id.
 * @param {string} controllerId - the id without fragment
 * @param {object} env - see verify.js `makeEnv`
 * @returns {Promise<object>}
 * @throws {KeyResolutionError}
 */
async function loadController(controllerId, env) {
  if (controllerId.startsWith('did:key:')) return didKeyDocument(controllerId);
  let url;
  if (controllerId.startsWith('did:web:')) {
    url = didWebToUrl(controllerId);
  } else if (/^https:\/\/[^/]/.test(controllerId)) {
    url = controllerId;
  } else if (controllerId.startsWith('did:')) {
    const method = controllerId.split(':')[1];
    throw new KeyResolutionError(_('did:%(method)s is not a DID method credpub can resolve', {method}));
  } else {
    throw new KeyResolutionError(_('"%(controller)s" is neither a DID nor an https URL', {controller: controllerId}));
  }
  let doc;
  try {
    doc = await env.loadJson(controllerId, url, 'controller');
  } catch (err) {
    throw new KeyResolutionError(_('%(controller)s could not be loaded (%(problem)s)', {controller: controllerId, problem: errorText(err)}));
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new KeyResolutionError(_('%(url)s is not a controller document', {url}));
  }
  if (doc.id !== controllerId) {
    throw new KeyResolutionError(_('the document at %(url)s is for "%(listed)s", not %(controller)s', {url, listed: doc.id, controller: controllerId}));
  }
  return doc;
}

/**
 * Resolves a proof's verification method to its key, via its controller
 * document, and says whether the controller lists it for `purpose`.
 * A bare `did:key:z…` (no fragment) stands for that DID's only key.
 * @param {string|object} verificationMethod - the proof's value
 * @param {string} purpose - e.g. 'assertionMethod'
 * @param {object} env
 * @returns {Promise<{id: string, controller: string, publicKey: Uint8Array, type: string, authorized: boolean}>}
 * @throws {KeyResolutionError}
 */
export async function resolveVerificationMethod(verificationMethod, purpose, env) {
  let vmId = typeof verificationMethod === 'object' && verificationMethod ? verificationMethod.id : verificationMethod;
  if (typeof vmId !== 'string' || !vmId) throw new KeyResolutionError(_('the proof names no verification method'));
  const hash = vmId.indexOf('#');
  const controllerId = hash < 0 ? vmId : vmId.slice(0, hash);
  if (!/^(did:[a-z0-9]+:|https:\/\/)/.test(controllerId)) {
    throw new KeyResolutionError(_('"%(controller)s" is neither a DID nor an https URL', {controller: controllerId}));
  }
  if (hash < 0 && vmId.startsWith('did:key:')) vmId = `${vmId}#${vmId.slice(8)}`;
  else if (hash < 0) throw new KeyResolutionError(_('"%(vmid)s" does not name a key (no #fragment)', {vmid: vmId}));

  const doc = await loadController(controllerId, env);
  const listed = [].concat(doc.verificationMethod ?? [], doc.assertionMethod ?? [], doc.authentication ?? []);
  const vm = listed.find((m) => m && typeof m === 'object' && absolute(m.id, doc.id) === vmId);
  if (!vm) throw new KeyResolutionError(_('%(controller)s does not list the key %(vmid)s', {controller: controllerId, vmid: vmId}));
  const controller = absolute(vm.controller, doc.id);
  if (controller !== doc.id) {
    throw new KeyResolutionError(_('the key %(vmid)s is controlled by "%(controller)s", not by %(listed)s which lists it', {vmid: vmId, controller, listed: doc.id}));
  }
  const authorized = [].concat(doc[purpose] ?? []).some(
    (m) => absolute(typeof m === 'string' ? m : m?.id, doc.id) === vmId);
  return {id: vmId, controller, publicKey: publicKeyOf(vm), type: vm.type, authorized};
}
