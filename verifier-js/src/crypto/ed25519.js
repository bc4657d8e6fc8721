/**
 * Ed25519 signature verification (RFC 8032 §5.1.7).
 *
 * Uses WebCrypto (`crypto.subtle`, name "Ed25519") where the browser has it
 * and falls back to @noble/ed25519 (audited, pure JS) where it does not:
 * older browsers and pages that are not a secure context.
 */
import * as noble from '@noble/ed25519';
import {sha512} from '@noble/hashes/sha2.js';

noble.hashes.sha512 = sha512;

/** A valid Ed25519 public key (vc-di-eddsa test vector), used to probe WebCrypto. */
const PROBE_KEY = Uint8Array.from(
  'b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f'.match(/../g),
  (h) => parseInt(h, 16));

/** @type {Promise<boolean>|null} */
let webCryptoSupported = null;
/** @type {'auto'|'webcrypto'|'noble'} */
let forced = 'auto';

/**
 * Forces a backend (tests): 'webcrypto', 'noble' or 'auto'.
 * @param {'webcrypto'|'noble'|'auto'} name
 */
export function setEd25519Backend(name) {
  forced = name;
}

function probeWebCrypto() {
  if (!webCryptoSupported) {
    webCryptoSupported = (async () => {
      try {
        if (!globalThis.crypto?.subtle) return false;
        await crypto.subtle.importKey('raw', PROBE_KEY, {name: 'Ed25519'}, false, ['verify']);
        return true;
      } catch {
        return false;
      }
    })();
  }
  return webCryptoSupported;
}

/**
 * Which implementation verifies signatures here.
 * @returns {Promise<'webcrypto'|'noble'>}
 */
export async function ed25519Backend() {
  if (forced !== 'auto') return forced;
  return (await probeWebCrypto()) ? 'webcrypto' : 'noble';
}

function checkLengths(publicKey, signature) {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new Error(`Ed25519: expected a 32-byte public key, got ${publicKey?.length ?? typeof publicKey} bytes`);
  }
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new Error(`the signature is malformed: expected 64 bytes, got ${signature?.length ?? 0}`);
  }
}

function verifyNoble(publicKey, message, signature) {
  try {
    // zip215: false = RFC 8032 / FIPS 186-5 rules, like WebCrypto.
    return noble.verify(signature, message, publicKey, {zip215: false});
  } catch {
    return false;
  }
}

/**
 * Verifies an Ed25519 signature.
 * @param {Uint8Array} publicKey - 32 bytes
 * @param {Uint8Array} message
 * @param {Uint8Array} signature - 64 bytes
 * @returns {Promise<boolean>}
 * @throws {Error} if a length is wrong (the message says what was expected)
 */
export async function verifyEd25519(publicKey, message, signature) {
  checkLengths(publicKey, signature);
  if ((await ed25519Backend()) === 'webcrypto') {
    try {
      const key = await crypto.subtle.importKey('raw', publicKey, {name: 'Ed25519'}, false, ['verify']);
      return await crypto.subtle.verify({name: 'Ed25519'}, key, signature, message);
    } catch {
      // The key was refused (not a curve point): let noble give the verdict.
    }
  }
  return verifyNoble(publicKey, message, signature);
}
