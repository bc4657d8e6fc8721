// A document loader for the 1EdTech samples: it serves controller documents
// BUILT FOR THE TESTS (no such documents exist on the web; the 1EdTech
// validator reads the key from the URL fragment instead, which credpub never
// does), listing exactly the keys the samples name, and the sample status list.
import {ONE_EDTECH, readJson} from './helpers.js';

const KEY_J = 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi';
const KEY_R = 'z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x';
/** Controller documents built for the test: controller URL → keys it lists. */
const TEST_CONTROLLERS = {
  'https://example.com/issuers/876543': [KEY_J, KEY_R],
  'https://example.edu/issuers/565049': [KEY_J],
  'https://1edtech.edu/issuers/565049': [KEY_J, 'z6Mknyb2Gb4NxzW3xSr9ChTtdQZ1zs77piQ3r9SaJ9vMzmrs'],
  'https://state.gov/issuers/565049': ['z6MkoMGF38Ck9xkdqrbZt4h9eHb1qc3GhAAkoSWa4Vy3SHRN'],
};
export const LIST_URL = 'https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist';

/** @param {string} url */
export function TEST_LOADER(url) {
  const keys = TEST_CONTROLLERS[url];
  if (keys) {
    const vms = keys.map((k) => ({id: `${url}#${k}`, type: 'Multikey', controller: url, publicKeyMultibase: k}));
    return {document: {'@context': ['https://www.w3.org/ns/cid/v1'], id: url, verificationMethod: vms, assertionMethod: vms.map((v) => v.id)}};
  }
  if (url === LIST_URL) return {document: readJson(ONE_EDTECH + 'bsl-testlist.json')};
  return undefined;
}

