/**
 * SHA-256 for proof hashing. Uses @noble/hashes (synchronous, works on
 * http:// and file:// pages where `crypto.subtle` may be missing).
 */
import {sha256 as nobleSha256} from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();

/**
 * @param {string|Uint8Array} data - a string is hashed as UTF-8
 * @returns {Uint8Array} 32-byte digest
 */
export function sha256(data) {
  return nobleSha256(typeof data === 'string' ? encoder.encode(data) : data);
}
