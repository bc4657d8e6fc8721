// Verifies every credential of a built site with MIT DCC's verifier-core
// (@digitalcredentials/verifier-core: the engine of VerifierPlus and the
// Learner Credential Wallet), offline. verifier-core takes no document loader:
// it builds its own (@digitalcredentials/security-document-loader: bundled
// contexts, did:key, did:web over HTTP via ky → globalThis.fetch) and fetches
// status lists and the OB 3.0 JSON schema with fetch too. So the network is
// replaced here by a fetch that serves the site folder under its https
// address and refuses, and records, everything else.
import {readFileSync, existsSync, statSync} from 'node:fs';
import {join, resolve, sep} from 'node:path';
import {readSite} from './db-stack.js';

/**
 * A fetch serving `dir` at `base`; other URLs are refused (recorded in `refused`).
 * @param {string} dir
 * @param {string} base - the site's https address, ending in /
 */
export function siteFetch(dir, base) {
  const root = resolve(dir);
  const refused = [];
  const served = [];
  async function fetchShim(input) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(base)) {
      refused.push(url);
      throw new TypeError(`offline test: ${url} is not in the site folder`);
    }
    const path = resolve(root, decodeURIComponent(new URL(url).pathname.slice(new URL(base).pathname.length)));
    if (!path.startsWith(root + sep) || !existsSync(path) || !statSync(path).isFile()) {
      return new Response('not found', {status: 404});
    }
    served.push(url);
    return new Response(readFileSync(path), {status: 200, headers: {'content-type': 'application/json'}});
  }
  return {fetch: fetchShim, refused, served};
}

/**
 * Runs verifier-core over every readable credential of the site.
 * @returns {Promise<{site, rows: Array<{path, id, steps: Record<string, object>, errors?: object[]}>, refused: string[], served: string[], console: string[]}>}
 */
export async function dccCheckSite(dir) {
  const site = readSite(dir);
  const shim = siteFetch(dir, site.base);
  const realFetch = globalThis.fetch;
  const realError = console.error;
  const realLog = console.log;
  const said = [];
  globalThis.fetch = shim.fetch;
  // verifier-core prints its schema fetch failure; keep it for the report instead.
  console.error = (...args) => said.push(args.map(String).join(' ').split('\n')[0]);
  console.log = console.error;
  try {
    const {verifyCredential} = await import('@digitalcredentials/verifier-core');
    const rows = [];
    for (const {path, doc} of site.credentials) {
      // knownDIDRegistries: none. Registries are fetched over the network; an issuer in none is "unknown".
      const r = await verifyCredential({credential: doc, knownDIDRegistries: []});
      const steps = Object.fromEntries((r.log ?? []).map((s) => [s.id, s]));
      const schema = (r.additionalInformation ?? []).find((x) => x.id === 'schema_check');
      rows.push({path, id: doc.id, steps, errors: r.errors, schema: schema?.results});
    }
    return {site, rows, refused: shim.refused, served: shim.served, console: said};
  } finally {
    globalThis.fetch = realFetch;
    console.error = realError;
    console.log = realLog;
  }
}
