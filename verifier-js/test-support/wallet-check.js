// What the DCC Learner Credential Wallet does with what it fetched from a URL or read from a
// file: take the body as a verifiable presentation (its verifiableCredential) or as one
// credential, and verify each with verifier-core (the wallet's engine), offline — the built
// site is the only network (dcc-check.js siteFetch), plus, when given, one DCC-format issuer
// registry (a "dcc-legacy" registry.json, as the community registry is) at REGISTRY_URL.
//
//   node test-support/wallet-check.js SITE_DIR BODY_FILE [REGISTRY_FILE]
//
// Prints one JSON object: {credentials: [{id, steps, errors, schema}], refused, served}.
import {readFileSync} from 'node:fs';
import {readSite} from './db-stack.js';
import {siteFetch} from './dcc-check.js';

export const REGISTRY_URL = 'https://registry.invalid/registry.json';

/** The credentials a wallet takes from a fetched or opened body (a VP or one VC). */
export function walletCredentials(body) {
  const types = [].concat(body?.type ?? []);
  if (types.includes('VerifiablePresentation')) return [].concat(body.verifiableCredential ?? []);
  if (types.includes('VerifiableCredential')) return [body];
  throw new Error('neither a verifiable credential nor a presentation');
}

export async function walletCheck(siteDir, body, registry) {
  const site = readSite(siteDir);
  const shim = siteFetch(siteDir, site.base);
  const realFetch = globalThis.fetch;
  const realError = console.error;
  const realLog = console.log;
  const said = [];
  globalThis.fetch = async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (registry && url === REGISTRY_URL) return new Response(registry, {status: 200, headers: {'content-type': 'application/json'}});
    return shim.fetch(input);
  };
  console.error = (...args) => said.push(args.map(String).join(' ').split('\n')[0]);
  console.log = console.error;
  try {
    const {verifyCredential} = await import('@digitalcredentials/verifier-core');
    const knownDIDRegistries = registry ? [{type: 'dcc-legacy', name: 'Test registry', url: REGISTRY_URL}] : [];
    const credentials = [];
    for (const credential of walletCredentials(body)) {
      const r = await verifyCredential({credential, knownDIDRegistries});
      const steps = Object.fromEntries((r.log ?? []).map((s) => [s.id, s]));
      const schema = (r.additionalInformation ?? []).find((x) => x.id === 'schema_check');
      credentials.push({id: credential.id, steps, errors: r.errors, schema: schema?.results});
    }
    return {credentials, refused: shim.refused, served: shim.served, console: said};
  } finally {
    globalThis.fetch = realFetch;
    console.error = realError;
    console.log = realLog;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [siteDir, bodyFile, registryFile] = process.argv.slice(2);
  const body = JSON.parse(readFileSync(bodyFile, 'utf8'));
  const registry = registryFile ? readFileSync(registryFile, 'utf8') : undefined;
  const out = await walletCheck(siteDir, body, registry);
  process.stdout.write(JSON.stringify(out) + '\n');
}
