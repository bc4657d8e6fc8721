/**
 * Opening encrypted claims (claim security layers 2 and 3) with WebCrypto. The Python side,
 * builder/credpub/claimcrypto.py, writes the envelope:
 *   {type: "credpub-encrypted-claim", version: 1, cipher: "AES-256-GCM",
 *    kdf: "none" | "PBKDF2-SHA256", iterations?, salt?, iv, ciphertext}   (base64url)
 * The 256-bit secret travels in the URL fragment (#k=…), never sent to the host. With a
 * passphrase the AES key is HMAC-SHA256(key = PBKDF2-SHA256(passphrase, salt, iterations),
 * message = fragment secret).
 */
import {_, TextError} from '../text.js';

export const ENVELOPE_TYPE = 'credpub-encrypted-claim';
const MIN_ITERATIONS = 600000;

/** @param {string} text base64url @returns {Uint8Array} */
export function unb64u(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** True when a parsed credential.json is an encrypted claim envelope. */
export function isEnvelope(value) {
  return !!value && typeof value === 'object' && value.type === ENVELOPE_TYPE && typeof value.ciphertext === 'string';
}

/** The fragment secret from a location hash such as "#k=abc…"; undefined when absent. */
export function fragmentSecret(hash) {
  const m = /(?:^#|&)k=([A-Za-z0-9_-]{43})(?:&|$)/.exec(hash || '');
  return m ? unb64u(m[1]) : undefined;
}

/** Thrown with a `reason` a page can show: 'no-key', 'wrong-key', 'needs-passphrase', 'bad-envelope'. */
export class ClaimError extends TextError {
  /** @param {string} reason - for programs; @param {{id: string, values: object}} text - a message (text.js) */
  constructor(reason, text) {
    super(text, 'ClaimError');
    this.reason = reason;
  }
}

/**
 * Decrypts an envelope.
 * @param {object} envelope the parsed credential.json
 * @param {Uint8Array|undefined} secret the 32-byte fragment secret
 * @param {string} [passphrase] for kdf PBKDF2-SHA256
 * @param {SubtleCrypto} [subtle]
 * @returns {Promise<Uint8Array>} the credential JSON bytes
 * @throws {ClaimError}
 */
export async function openEnvelope(envelope, secret, passphrase, subtle = globalThis.crypto?.subtle) {
  if (!isEnvelope(envelope) || envelope.version !== 1 || envelope.cipher !== 'AES-256-GCM') {
    throw new ClaimError('bad-envelope', _('this claim file is not one credpub can open'));
  }
  if (!subtle) throw new ClaimError('bad-envelope', _('this browser has no WebCrypto (a secure context is needed)'));
  if (!secret || secret.length !== 32) {
    throw new ClaimError('no-key', _('the link is incomplete: the key after # is missing. Open the full link from your email'));
  }
  let keyBytes = secret;
  if (envelope.kdf === 'PBKDF2-SHA256') {
    if (!passphrase) throw new ClaimError('needs-passphrase', _('this credential is protected by a passphrase'));
    const iterations = envelope.iterations;
    if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > 10_000_000) {
      throw new ClaimError('bad-envelope', _('the claim file asks for an unsafe key derivation'));
    }
    const material = await subtle.importKey('raw', new TextEncoder().encode(passphrase.trim()), 'PBKDF2', false, ['deriveBits']);
    const passKey = new Uint8Array(await subtle.deriveBits(
      {name: 'PBKDF2', hash: 'SHA-256', salt: unb64u(envelope.salt), iterations}, material, 256));
    const hmacKey = await subtle.importKey('raw', passKey, {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
    keyBytes = new Uint8Array(await subtle.sign('HMAC', hmacKey, secret));
  } else if (envelope.kdf !== 'none') {
    throw new ClaimError('bad-envelope', _('unknown key derivation %(kdf)s', {kdf: envelope.kdf}));
  }
  const aes = await subtle.importKey('raw', keyBytes, 'AES-GCM', false, ['decrypt']);
  try {
    const plain = await subtle.decrypt(
      {name: 'AES-GCM', iv: unb64u(envelope.iv), additionalData: new TextEncoder().encode(ENVELOPE_TYPE)},
      aes, unb64u(envelope.ciphertext));
    return new Uint8Array(plain);
  } catch {
    throw new ClaimError(envelope.kdf === 'none' ? 'wrong-key' : 'wrong-passphrase',
      envelope.kdf === 'none' ? _('the key in the link does not open this credential: check that the whole link was copied')
        : _('that passphrase does not open this credential'));
  }
}
