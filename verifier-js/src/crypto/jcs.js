/**
 * RFC 8785 JSON Canonicalization Scheme (eddsa-jcs-2022's transformation).
 * `canonicalize` sorts keys by UTF-16 code units and serialises numbers as
 * ECMAScript does (RFC 8785 §3.2.2.3), which `JSON.stringify` with sorted keys
 * alone does not guarantee for nested objects.
 */
import canonicalize from 'canonicalize';

/**
 * @param {unknown} value - a JSON value
 * @returns {string} the canonical JSON text
 * @throws {Error} for values I-JSON forbids (NaN, Infinity, lone surrogates)
 */
export function jcs(value) {
  const out = canonicalize(value);
  if (typeof out !== 'string') throw new Error('JCS: the value is not JSON');
  return out;
}
