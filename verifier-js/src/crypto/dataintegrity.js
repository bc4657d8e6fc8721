/**
 * Verifying one Data Integrity proof's signature, given the signer's key.
 *
 * - eddsa-rdfc-2022 (and its old name eddsa-2022): vc-di-eddsa §3.2.2,
 *   RDFC-1.0 of the document and of the proof configuration;
 * - eddsa-jcs-2022: vc-di-eddsa §3.3.2, RFC 8785 of both;
 * - Ed25519Signature2020 (legacy Linked Data Signature, RDFC-1.0).
 *
 * In all of them the signed bytes are SHA-256(proof configuration) ‖
 * SHA-256(document without proof). Proof chains (`previousProof`, VC Data
 * Integrity §4.4) put the referenced proofs back into the document.
 */
import {canonizeRdfc} from './rdfc.js';
import {jcs} from './jcs.js';
import {sha256} from './hash.js';
import {verifyEd25519} from './ed25519.js';
import {multibaseDecode, concatBytes} from './multibase.js';
import RULES from '../../../builder/credpub/data/verifier.json' with {type: 'json'};

const DI = 'DataIntegrityProof';
/**
 * The suites credpub checks, name → canonicalization (verifier.json's table, shared with
 * Python: credentials/dataintegrity.py). An ldsig suite (Ed25519Signature2020) predates Data
 * Integrity and is named by its proof type, and only by it. A Map: only a string that names a
 * suite finds one (not a list holding a name, not "constructor"), as in Python.
 */
const SUITES = new Map(Object.entries(RULES.cryptosuites));
const names = Object.keys(RULES.cryptosuites).filter((name) => !RULES.cryptosuiteAliases[name]);
/** For messages: "a, b and c", older names left out (as Python's supported_names). */
export const SUPPORTED = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/**
 * Names the suite of a proof, or null when credpub cannot check it.
 * @param {object} proof
 * @returns {string|null} e.g. eddsa-rdfc-2022
 */
export function proofSuite(proof) {
  if (!proof || typeof proof !== 'object') return null;
  const name = proof.type === DI ? proof.cryptosuite : proof.type;
  const canon = SUITES.get(name);
  return canon && (canon === 'ldsig') !== (proof.type === DI) ? name : null;
}

/**
 * Describes a proof's kind for messages ("ecdsa-rdfc-2019", "MerkleProof2019").
 * @param {object} proof
 * @returns {string}
 */
export function proofKind(proof) {
  if (!proof || typeof proof !== 'object') return 'an empty proof';
  if (proof.type === DI) return String(proof.cryptosuite ?? 'DataIntegrityProof without cryptosuite');
  return String(proof.type ?? 'a proof without type');
}

/**
 * The proofs of a document, as an array.
 * @param {object} document
 * @returns {object[]}
 */
export function listProofs(document) {
  const p = document?.proof;
  if (p === undefined || p === null) return [];
  return Array.isArray(p) ? p : [p];
}

const asArray = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The document as signed: without `proof`, or with the proofs a chained
 * proof refers to (`previousProof`).
 */
function unsecured(document, proof, allProofs) {
  const {proof: _ignored, ...rest} = document;
  const previous = asArray(proof.previousProof);
  if (previous.length) {
    const found = previous.map((id) => allProofs.find((p) => p && p.id === id));
    if (found.some((p) => !p)) throw new Error(`the proof refers to a previous proof that is missing (${previous.join(', ')})`);
    rest.proof = found.length === 1 ? found[0] : found;
  }
  return rest;
}

/** vc-di-eddsa §3.2.2 / §3.3.2 step 4: the proof's @context must prefix the document's. */
function applyProofContext(doc, options) {
  if (options['@context'] === undefined) return;
  const proofCtx = asArray(options['@context']);
  const docCtx = asArray(doc['@context']);
  proofCtx.forEach((c, i) => {
    if (JSON.stringify(c) !== JSON.stringify(docCtx[i])) {
      throw new Error("the proof's @context does not match the credential's @context");
    }
  });
  doc['@context'] = options['@context'];
}

/**
 * Builds the bytes the issuer signed (hash of proof config ‖ hash of document).
 * @param {object} document - the secured document
 * @param {object} proof - one of its proofs
 * @param {object[]} allProofs - all of its proofs (for previousProof)
 * @param {Function} documentLoader - offline context loader
 * @returns {Promise<Uint8Array>} 64 bytes
 */
export async function signedBytes(document, proof, allProofs, documentLoader) {
  const suite = SUITES.get(proofSuite(proof));
  if (!suite) throw new Error(`${proofKind(proof)} proofs are not supported`);
  const doc = unsecured(document, proof, allProofs);
  const {proofValue: _pv, ...options} = proof;
  if (suite === 'jcs') {
    applyProofContext(doc, options);
    return concatBytes(sha256(jcs(options)), sha256(jcs(doc)));
  }
  let config;
  if (suite === 'rdfc') {
    applyProofContext(doc, options);
    config = {...options, '@context': doc['@context']};
  } else {
    // ldsig, Ed25519Signature2020 (jsonld-signatures LinkedDataSignature#canonizeProof:
    // the document's @context unless the proof has its own)
    config = {'@context': doc['@context'], ...options};
    delete config.jws;
    delete config.signatureValue;
  }
  const [c14nConfig, c14nDoc] = await Promise.all([
    canonizeRdfc(config, {documentLoader}),
    canonizeRdfc(doc, {documentLoader}),
  ]);
  return concatBytes(sha256(c14nConfig), sha256(c14nDoc));
}

/**
 * Verifies the signature of one proof with a known public key.
 * @param {object} document - the secured document
 * @param {object} proof - one of its proofs
 * @param {Uint8Array} publicKey - 32 bytes, from the controller document
 * @param {object} options
 * @param {Function} options.documentLoader
 * @param {object[]} [options.allProofs]
 * @returns {Promise<boolean>} whether the signature matches
 * @throws {Error} when the document cannot be canonicalized or the proof
 *   value is malformed (the message says why)
 */
export async function verifyProofSignature(document, proof, publicKey, {documentLoader, allProofs = listProofs(document)}) {
  if (typeof proof.proofValue !== 'string') throw new Error('the proof has no proofValue');
  if (proof.proofValue[0] !== 'z') throw new Error('the proofValue is not base58btc multibase ("z…")');
  let signature;
  try {
    signature = multibaseDecode(proof.proofValue);
  } catch (err) {
    throw new Error(`the proofValue is malformed (${err.message})`);
  }
  const data = await signedBytes(document, proof, allProofs, documentLoader);
  return verifyEd25519(publicKey, data, signature);
}
