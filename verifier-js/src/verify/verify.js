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
import {SUPPORTED, listProofs, proofSuite, proofKind, verifyProofSignature} from '../crypto/dataintegrity.js';
import {resolveVerificationMethod} from './did.js';
import {canonizeRdfc} from '../crypto/rdfc.js';
import {contextLoader} from './contexts.js';
import {_, errorText, isoDate, result} from '../text.js';

/** The checks, in the order they are reported. */
export const CHECK_NAMES = ['format', 'proof', 'issuer', 'dates', 'status'];

/**
 * @typedef {{name: string, status: 'pass'|'fail'|'skipped', message: string, text: object|string}} Check
 *   message: English; text: the same as a message (text.js) for pages to translate
 * @typedef {{verified: boolean, checks: Check[], credential: object|null, source?: {kind: string, url?: string}}} Verdict
 */

const skipped = (text) => result('skipped', text);
const issuerIdOf = (doc) => (typeof doc.issuer === 'string' ? doc.issuer : doc.issuer?.id);

/** What went wrong while checking a signature, in words. */
function signatureProblem(err) {
  if (err?.name === 'UnsafeDocumentError') return _('the signature does not cover the whole credential: %(problem)s', {problem: errorText(err)});
  return _('the signature cannot be checked: %(problem)s', {problem: errorText(err)});
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
    return {proof: result('fail', _('not signed: the credential has no proof')), issuer: skipped(_('not checked: the credential has no proof'))};
  }
  const supported = proofs.filter((p) => proofSuite(p));
  const others = proofs.filter((p) => !proofSuite(p)).map(proofKind);
  if (!supported.length) {
    return {
      proof: skipped(_('not checked: %(kinds)s proofs are not supported (credpub checks %(supported)s)', {kinds: others.join(', '), supported: SUPPORTED})),
      issuer: skipped(_('not checked: no proof credpub can check')),
    };
  }
  const issuerId = issuerIdOf(doc);
  const results = [];
  for (const proof of supported) {
    const r = {proof, suite: proofSuite(proof)};
    try {
      r.key = await resolveVerificationMethod(proof.verificationMethod, 'assertionMethod', env);
    } catch (err) {
      r.keyError = errorText(err);
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
  if (others.length) notes.push(_('also carries %(kinds)s, not checked', {kinds: others.join(', ')}));
  const unresolved = results.filter((r) => r.keyError);

  let proof;
  const bad = results.find((r) => r.sigError || r.valid === false);
  const good = results.find((r) => r.valid === true);
  if (bad && bad.unknownContext && !results.some((r) => r.valid === false)) {
    // Not a verdict on the signature: credpub lacks a context to compute it.
    proof = skipped(_('not checked: %(problem)s', {problem: bad.sigError.values.problem}));
  } else if (bad) {
    proof = result('fail', bad.sigError ?? _('the signature does not match: the document was changed after signing'));
  } else if (good) {
    if (unresolved.length && results.length > 1) notes.push(_('%(count)s other proof(s) not checked: key not resolved', {count: unresolved.length}));
    const valid = typeof good.proof.created === 'string'
      ? _('the signature is valid (%(suite)s, signed %(date)s)', {suite: good.suite, date: isoDate(good.proof.created.slice(0, 10))})
      : _('the signature is valid (%(suite)s)', {suite: good.suite});
    proof = result('pass', notes.reduce((text, note) => _('%(text)s; %(note)s', {text, note}), valid));
  } else {
    proof = skipped(_('not checked: the issuer key cannot be resolved'));
  }

  const bound = (r) => r.key && r.key.controller === issuerId && r.key.authorized && r.proof.proofPurpose === 'assertionMethod';
  let issuer;
  const boundGood = results.find((r) => r.valid === true && bound(r));
  const resolved = results.find((r) => r.key && (r.valid === true || !boundGood)) ?? results.find((r) => r.key);
  if (boundGood) {
    issuer = result('pass', _('signed with %(key)s, a key the issuer %(issuer)s lists for issuing credentials', {key: boundGood.key.id, issuer: issuerId}));
  } else if (resolved) {
    const {key, proof: p} = resolved;
    if (key.controller !== issuerId) {
      issuer = result('fail', _('the key is not the issuer\'s: %(key)s belongs to %(controller)s, but the issuer is %(issuer)s', {key: key.id, controller: key.controller, issuer: issuerId}));
    } else if (!key.authorized) {
      issuer = result('fail', _('the key is not the issuer\'s for issuing: %(controller)s does not list %(key)s under assertionMethod', {key: key.id, controller: key.controller}));
    } else if (p.proofPurpose !== 'assertionMethod') {
      issuer = result('fail', _('the proof\'s purpose is "%(purpose)s", not "assertionMethod"', {purpose: p.proofPurpose}));
    } else {
      issuer = result('pass', _('%(key)s is a key the issuer %(issuer)s lists for issuing credentials', {key: key.id, issuer: issuerId}));
    }
  } else {
    issuer = result('fail', _('issuer key cannot be resolved: %(problem)s', {problem: unresolved[0].keyError}));
  }
  if (issuer.status === 'pass' && env.fromPage?.has(issuerId)) {
    // The issuer's live DID document could not be had: a key withdrawn since the page was
    // built would still pass here, so this is a snapshot, never "passed".
    const date = env.fromPage.get(issuerId);
    const note = typeof date === 'string'
      ? _('checked against the copy of the issuer\'s DID document in this page, of %(date)s (not live)', {date: isoDate(date.slice(0, 10))})
      : _('checked against the copy of the issuer\'s DID document in this page (not live)');
    issuer = {...result('pass', _('%(text)s; %(note)s', {text: issuer.text, note})), snapshot: true};
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
    return result('fail', _('could not be checked: %(problem)s', {problem: errorText(err)}));
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
    for (const name of CHECK_NAMES.slice(1)) out[name] = skipped(_('not checked: not a credential'));
  } else {
    const proofs = await guarded(() => checkProofs(doc, env));
    out.proof = proofs.proof ?? proofs;
    out.issuer = proofs.issuer ?? {status: 'fail', message: proofs.message, text: proofs.text};
    out.dates = await guarded(() => checkDates(doc, env.now));
    out.status = withStatus
      ? await guarded(() => checkStatus(doc, env, (list) => verifyList(list, env)))
      : skipped(_('not checked: a status list has no status of its own'));
  }
  const checks = CHECK_NAMES.map((name) => ({name, status: out[name].status, message: out[name].message, text: out[name].text ?? out[name].message,
    ...(out[name].snapshot ? {snapshot: true} : {})}));
  const passed = (name) => out[name].status === 'pass';
  const verified = passed('format') && passed('proof') && passed('issuer') && passed('dates') && out.status.status !== 'fail';
  return {verified, checks, credential: doc};
}

/** A status list credential's verdict; once per list object when the caller keeps them (env.lists). */
function verifyList(list, env) {
  const kept = env.lists?.get(list);
  if (kept) return kept;
  const verdict = verifyDocument(list, env, {withStatus: false});
  env.lists?.set(list, verdict);
  return verdict;
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
    const text = err?.name === 'InputError' ? errorText(err) : _('could not be read: %(problem)s', {problem: errorText(err)});
    return {
      verified: false,
      credential: null,
      checks: CHECK_NAMES.map((name) => (name === 'format'
        ? {name, ...result('fail', text)}
        : {name, ...skipped(_('not checked: no credential was read'))})),
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
      checks: CHECK_NAMES.map((name) => ({name, ...result('fail', _('could not be checked: %(problem)s', {problem: errorText(err)}))})),
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
