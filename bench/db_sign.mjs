// Digital Bazaar's sign-only rate, for bench_build.py --db: signs the unsigned credentials in
// a JSON file (an array) with @digitalbazaar/vc + eddsa-rdfc-2022, one after the other in one
// process (as DB's vc.issue is used), offline; prints {"signed": n, "seconds": s} on stdout.
//   node bench/db_sign.mjs credentials.json
import {readFileSync} from 'node:fs';
import {vc, offlineLoader, signSuite, Ed25519Multikey} from '../verifier-js/test-support/db-stack.js';

const docs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const did = docs[0].issuer.id || docs[0].issuer;
const key = await Ed25519Multikey.generate({seed: new Uint8Array(32).fill(7), id: `${did}#key-1`, controller: did});
const documentLoader = offlineLoader();
const suite = signSuite('eddsa-rdfc-2022', key.signer());
suite.date = '2026-06-12T10:00:00Z';
// one warm-up document (contexts parsed, JIT warm), not timed
await vc.issue({credential: structuredClone(docs[0]), suite, documentLoader});
const start = performance.now();
for (const credential of docs) await vc.issue({credential, suite, documentLoader});
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({signed: docs.length, seconds}));
