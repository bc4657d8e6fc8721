// RDFC-1.0 canonicalisation and the bundled contexts alone, for bundle.test.js to build with
// build.mjs's plugins (jsonld.js as the site bundle carries it) and compare with the modules.
export {canonizeRdfc} from '../src/crypto/rdfc.js';
export {contextLoader} from '../src/verify/contexts.js';
