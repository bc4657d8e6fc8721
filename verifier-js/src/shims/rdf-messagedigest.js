/*
 * Replaces rdf-canonize's MessageDigest in the bundle with @noble/hashes, so
 * canonicalization works where crypto.subtle does not (pages that are not a
 * secure context) and without one async round trip per hashed string.
 */
'use strict';
const {sha256, sha384, sha512} = require('@noble/hashes/sha2.js');

const ALGORITHMS = {
  sha256, SHA256: sha256, 'SHA-256': sha256,
  sha384, SHA384: sha384, 'SHA-384': sha384,
  sha512, SHA512: sha512, 'SHA-512': sha512,
};
const encoder = new TextEncoder();
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

module.exports = class MessageDigest {
  constructor(algorithm) {
    const fn = ALGORITHMS[algorithm];
    if (!fn) throw new Error(`Unsupported algorithm "${algorithm}".`);
    this.hash = fn.create();
  }
  update(msg) {
    this.hash.update(encoder.encode(msg));
  }
  async digest() {
    return hex(this.hash.digest());
  }
};
