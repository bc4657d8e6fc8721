/**
 * credpub's verifier: runs the five checks of SPEC "Verification" on a
 * credential and reports each one (pass, fail, or skipped = not checked,
 * with why). It never throws: bad input and anything thrown inside become a
 * failed check.
 */
import {makeEnv} from './env.js';
import {readInput} from './input.js';
import {checkFormat} from './format.js';
import {checkDates} from './dates.js';
import {checkStatus} from './statuslist.js';
import {listProofs, proofSuite, proofKind, verifyProofSignature} from './dataintegrity.js';
import {resolveVerificationMethod} from './did.js';
import {canonizeRdfc} from './rdfc.js';
import {contextLoader} from './contexts.js';

/** The checks, in the order they are reported. */
export const CHECK_NAMES = ['format', 'proof', 'issuer', 'dates', 'status'];
const SUPPORTED = 'eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020';

/**
 * @typedef {{name: string, status: 'pass'|'fail'|'skipped', message: string}} Check
 * @typedef {{verified: boolean, checks: Check[], credential: object|null, source?: {kind: string, url?: string}}} Verdict
 */

const skipped = (message) => ({status: 'skipped', message});
const issuerIdOf = (doc) => (typeof doc.issuer === 'string' ? doc.issuer : doc.issuer?.id);

/** What went wrong while checking a signature, in words. */
function signatureProblem(err) {
  if (err?.name === 'UnknownContextError') return `the signature cannot be checked: ${err.message}`;
  if (err?.name === 'UnsafeDocumentError') return `the signature does not cover the whole credential: ${err.message}`;
  return `the signature cannot be checked: ${err?.message ?? err}`;
}

/**
 * The `proof` and `issuer` checks.
 * @param {object} doc
 * @param {object} env
 * @returns {Promise<{proof: object, issuer: object}>}
 */
async function checkProofs(doc, env) {
  const proofs = listProofs(doc);
  if (!proofs.length) {
    return {proof: {status: 'fail', message: 'not signed: the credential has no proof'}, issuer: skipped('not checked: the credential has no proof')};
  }
  const supported = proofs.filter((p) => proofSuite(p));
  const others = proofs.filter((p) => !proofSuite(p)).map(proofKind);
  if (!supported.length) {
    return {
      proof: skipped(`not checked: ${others.join(', ')} proofs are not supported (credpub checks ${SUPPORTED})`),
      issuer: skipped('not checked: no proof credpub can check'),
    };
  }
  const issuerId = issuerIdOf(doc);
  const results = [];
  for (const proof of supported) {
    const r = {proof, suite: proofSuite(proof)};
    try {
      r.key = await resolveVerificationMethod(proof.verificationMethod, 'assertionMethod', env);
    } catch (err) {
      r.keyError = err.message;
    }
    if (r.key) {
      try {
        r.valid = await verifyProofSignature(doc, proof, r.key.publicKey, {documentLoader: env.contextLoader, allProofs: proofs});
      } catch (err) {
        r.sigError = signatureProblem(err);
        r.unknownContext = err?.name === 'UnknownContextError';
      }
    }
    results.push(r);
  }

  const notes = [];
  if (others.length) notes.push(`also carries ${others.join(', ')}, not checked`);
  const unresolved = results.filter((r) => r.keyError);

  let proof;
  const bad = results.find((r) => r.sigError || r.valid === false);
  const good = results.find((r) => r.valid === true);
  if (bad && bad.unknownContext && !results.some((r) => r.valid === false)) {
    // Not a verdict on the signature: credpub lacks a context to compute it.
    proof = skipped(`not checked: ${bad.sigError.replace(/^the signature cannot be checked: /, '')}`);
  } else if (bad) {
    proof = {status: 'fail', message: bad.sigError ?? 'the signature does not match: the document was changed after signing'};
  } else if (good) {
    if (unresolved.length && results.length > 1) notes.push(`${unresolved.length} other proof(s) not checked: key not resolved`);
    const created = typeof good.proof.created === 'string' ? `, signed ${good.proof.created.slice(0, 10)}` : '';
    proof = {status: 'pass', message: `the signature is valid (${good.suite}${created})${notes.length ? '; ' + notes.join('; ') : ''}`};
  } else {
    proof = skipped('not checked: the issuer key cannot be resolved');
  }

  const bound = (r) => r.key && r.key.controller === issuerId && r.key.authorized && r.proof.proofPurpose === 'assertionMethod';
  let issuer;
  const boundGood = results.find((r) => r.valid === true && bound(r));
  const resolved = results.find((r) => r.key && (r.valid === true || !boundGood)) ?? results.find((r) => r.key);
  if (boundGood) {
    issuer = {status: 'pass', message: `signed with ${boundGood.key.id}, a key the issuer ${issuerId} lists for issuing credentials`};
  } else if (resolved) {
    const {key, proof: p} = resolved;
    if (key.controller !== issuerId) {
      issuer = {status: 'fail', message: `the key is not the issuer's: ${key.id} belongs to ${key.controller}, but the issuer is ${issuerId}`};
    } else if (!key.authorized) {
      issuer = {status: 'fail', message: `the key is not the issuer's for issuing: ${key.controller} does not list ${key.id} under assertionMethod`};
    } else if (p.proofPurpose !== 'assertionMethod') {
      issuer = {status: 'fail', message: `the proof's purpose is "${p.proofPurpose}", not "assertionMethod"`};
    } else {
      issuer = {status: 'pass', message: `${key.id} is a key the issuer ${issuerId} lists for issuing credentials`};
    }
  } else {
    issuer = {status: 'fail', message: `issuer key cannot be resolved: ${unresolved[0].keyError}`};
  }
  return {proof, issuer};
}

/**
 * Runs one check; anything thrown becomes a failed check.
 * @param {() => any} fn
 */
async function guarded(fn) {
  try {
    return await fn();
  } catch (err) {
    return {status: 'fail', message: `could not be checked: ${err?.message ?? err}`};
  }
}

/**
 * Verifies a parsed credential (also used for status list credentials,
 * without their own status).
 * @param {object} doc
 * @param {object} env
 * @param {{withStatus: boolean}} options
 * @returns {Promise<Verdict>}
 */
export async function verifyDocument(doc, env, {withStatus}) {
  const out = {};
  out.format = await guarded(() => checkFormat(doc));
  if (out.format.kind === 'none') {
    for (const name of CHECK_NAMES.slice(1)) out[name] = skipped('not checked: not a credential');
  } else {
    const proofs = await guarded(() => checkProofs(doc, env));
    out.proof = proofs.proof ?? proofs;
    out.issuer = proofs.issuer ?? {status: 'fail', message: proofs.message};
    out.dates = await guarded(() => checkDates(doc, env.now));
    out.status = withStatus
      ? await guarded(() => checkStatus(doc, env, (list) => verifyDocument(list, env, {withStatus: false})))
      : skipped('not checked: a status list has no status of its own');
  }
  const checks = CHECK_NAMES.map((name) => ({name, status: out[name].status, message: out[name].message,
    ...(out[name].snapshot ? {snapshot: true} : {})}));
  const passed = (name) => out[name].status === 'pass';
  const verified = passed('format') && passed('proof') && passed('issuer') && passed('dates') && out.status.status !== 'fail';
  return {verified, checks, credential: doc};
}

/**
 * Verifies a credential.
 *
 * `verified` is true when format, proof, issuer and dates pass and status did
 * not fail; a `skipped` status (no status list, or offline) is reported in
 * `checks` for the page to show.
 *
 * @param {unknown} input - a credential object, JSON text, a URL (string or
 *   URL), or bytes / Blob / File of a JSON file or baked PNG / SVG badge
 * @param {import('./env.js').VerifyOptions} [options]
 * @returns {Promise<Verdict>} never rejects
 */
export async function verifyCredential(input, options = {}) {
  let env;
  let read;
  try {
    env = makeEnv(options);
    read = await readInput(input, env);
  } catch (err) {
    const message = err?.name === 'InputError' ? err.message : `could not be read: ${err?.message ?? err}`;
    return {
      verified: false,
      credential: null,
      checks: CHECK_NAMES.map((name) => (name === 'format'
        ? {name, status: 'fail', message}
        : {name, status: 'skipped', message: 'not checked: no credential was read'})),
      source: {kind: 'none', error: err?.code ?? 'error'},
    };
  }
  try {
    const verdict = await verifyDocument(read.credential, env, {withStatus: true});
    return {...verdict, source: {kind: read.kind, ...(read.url ? {url: read.url} : {})}};
  } catch (err) {
    return {
      verified: false,
      credential: read.credential,
      checks: CHECK_NAMES.map((name) => ({name, status: 'fail', message: `could not be checked: ${err?.message ?? err}`})),
      source: {kind: read.kind},
    };
  }
}

/**
 * Processes the usual contexts ahead of time (jsonld.js caches them), so the
 * first verification on a page is as fast as the next ones. Never rejects.
 * @returns {Promise<void>}
 */
export async function warmUp() {
  try {
    await canonizeRdfc({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: {type: ['AchievementSubject'], achievement: {type: ['Achievement'], name: 'x'}},
    }, {documentLoader: contextLoader()});
  } catch {
    // only an optimisation
  }
}
