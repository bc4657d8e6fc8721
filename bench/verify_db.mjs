// Digital Bazaar's vc verifying the files bench_verify.py hands it, in one Node
// process, one after another (its API is per credential): vc.verifyCredential
// with the eddsa cryptosuite and checkStatus (Bitstring Status List, the list's
// own proof verified), an offline loader of bundled contexts, the site's DID
// document and status lists. Prints one JSON line: {n, verified, seconds}.
//
//   node bench/verify_db.mjs SITE_DIR FILE...
import {readFileSync} from 'node:fs';
import {readSite, dbVerify} from '../verifier-js/test-support/db-stack.js';

const [siteDir, ...files] = process.argv.slice(2);
const site = readSite(siteDir);
const didDocs = {[site.didDoc.id]: site.didDoc};
const docs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const t = performance.now();
let verified = 0;
for (const credential of docs) {
  const r = await dbVerify(credential, {didDocs, lists: site.lists});
  if (r.verified) verified += 1;
}
console.log(JSON.stringify({n: docs.length, verified, seconds: (performance.now() - t) / 1000}));
