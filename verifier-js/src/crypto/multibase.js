/**
 * Byte encodings used by Data Integrity proofs and Multikey documents:
 * base58btc (multibase `z`), base64url (multibase `u`), hex, and the
 * Ed25519 Multikey header. Small and dependency-free on purpose.
 *
 * Multibase: https://www.w3.org/TR/controller-document/#multibase-0
 * Multikey:  https://www.w3.org/TR/controller-document/#multikey
 */

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_MAP = new Map([...B58].map((c, i) => [c, i]));

/** Multicodec `ed25519-pub` (0xed) as a varint: 0xed 0x01. */
export const ED25519_PUB_HEADER = Uint8Array.of(0xed, 0x01);

/**
 * Decodes base58btc (Bitcoin alphabet).
 * @param {string} text
 * @returns {Uint8Array}
 * @throws {Error} on a character outside the alphabet
 */
export function base58Decode(text) {
  if (typeof text !== 'string') throw new Error('base58: expected a string');
  if (text.length > 4096) throw new Error('base58: input too long');
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const bytes = []; // little-endian accumulator
  for (let i = zeros; i < text.length; i++) {
    let carry = B58_MAP.get(text[i]);
    if (carry === undefined) throw new Error(`base58: invalid character "${text[i]}"`);
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let i = 0; i < bytes.length; i++) out[out.length - 1 - i] = bytes[i];
  return out;
}

/**
 * Encodes bytes as base58btc.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function base58Encode(bytes) {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j] << 8;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = '1'.repeat(zeros);
  for (let i = digits.length - 1; i >= 0; i--) out += B58[digits[i]];
  return out;
}

/**
 * Decodes base64url (RFC 4648 §5), padding optional. Also accepts the
 * standard alphabet, which some status lists use.
 * @param {string} text
 * @returns {Uint8Array}
 * @throws {Error} on invalid characters or length
 */
export function base64UrlDecode(text) {
  const clean = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) {
    throw new Error('base64url: invalid input');
  }
  const bin = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Encodes bytes as base64url without padding.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function base64UrlEncode(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes a multibase string: `z` (base58btc) or `u` (base64url).
 * @param {string} text
 * @returns {Uint8Array}
 * @throws {Error} for other bases
 */
export function multibaseDecode(text) {
  if (typeof text !== 'string' || text.length < 2) throw new Error('multibase: empty value');
  if (text[0] === 'z') return base58Decode(text.slice(1));
  if (text[0] === 'u') return base64UrlDecode(text.slice(1));
  throw new Error(`multibase: unsupported base "${text[0]}" (expected "z" or "u")`);
}

/**
 * Decodes an Ed25519 public key in Multikey form (`z6Mk…`:
 * `z` + base58btc(0xed01 ‖ 32-byte key)).
 * @param {string} multibase
 * @returns {Uint8Array} 32-byte public key
 * @throws {Error} if the header or the length is wrong
 */
export function decodeEd25519Multikey(multibase) {
  const bytes = multibaseDecode(multibase);
  if (bytes.length < 2 || bytes[0] !== 0xed || bytes[1] !== 0x01) {
    throw new Error('not an Ed25519 Multikey (expected the 0xed01 header, z6Mk…)');
  }
  if (bytes.length !== 34) {
    throw new Error(`Ed25519 Multikey: expected 32 key bytes, got ${bytes.length - 2}`);
  }
  return bytes.slice(2);
}

/**
 * Encodes a 32-byte Ed25519 public key as a Multikey string (`z6Mk…`).
 * @param {Uint8Array} publicKey
 * @returns {string}
 */
export function encodeEd25519Multikey(publicKey) {
  if (publicKey.length !== 32) throw new Error(`expected 32 bytes, got ${publicKey.length}`);
  const bytes = new Uint8Array(34);
  bytes.set(ED25519_PUB_HEADER);
  bytes.set(publicKey, 2);
  return 'z' + base58Encode(bytes);
}

/**
 * @param {Uint8Array} bytes
 * @returns {string} lower-case hex
 */
export function toHex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * @param {string} hex
 * @returns {Uint8Array}
 */
export function fromHex(hex) {
  if (hex.length % 2 || /[^0-9a-f]/i.test(hex)) throw new Error('hex: invalid input');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Concatenates byte arrays.
 * @param {...Uint8Array} parts
 * @returns {Uint8Array}
 */
export function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
