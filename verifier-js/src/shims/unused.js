/*
 * Stands in, in the bundle, for parts of jsonld.js and rdf-canonize that
 * credpub never calls (compaction, framing, flattening, fromRDF, synchronous
 * canonicalization): each export throws if it ever is.
 */
'use strict';
const unused = (name) => function() {
  throw new Error(`${name} is not included in credpub's bundle`);
};
module.exports = new Proxy({}, {get: (_t, name) => (name === '__esModule' ? false : unused(String(name)))});
