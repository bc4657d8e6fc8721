// Checks a built site with both Digital Bazaar's stack and credpub's verifier
// (test/independent.test.js, test/interop.test.js).
import {readSite, dbVerify, statusBit} from './db-stack.js';
import {verifyCredential} from '../src/verify/verify.js';

/**
 * Verifies a whole site with DB's stack, and with credpub's verifier from the
 * pinned documents; returns one row per credential.
 */
export async function checkSite(dir, {now} = {}) {
  const site = readSite(dir);
  const didDocs = {[site.didDoc.id]: site.didDoc};
  const pinned = {did: didDocs, statusLists: site.lists, snapshotDate: now};
  const rows = [];
  for (const {path, doc} of site.credentials) {
    const db = await dbVerify(doc, {didDocs, lists: site.lists, now});
    const ours = await verifyCredential(doc, {offline: true, pinned, now});
    rows.push({path, id: doc.id, db, bit: statusBit(doc, site.lists), ours});
  }
  return {site, rows};
}

