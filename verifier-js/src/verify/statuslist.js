/**
 * Revocation and suspension through W3C Bitstring Status List v1.0 (and its
 * predecessor StatusList2021, same encoding).
 *
 * The list credential is loaded (caller's loader, live fetch, then the
 * snapshot pinned in the verify page), its own proof, issuer and dates are
 * verified, then the bit at `statusListIndex` is read (§3.2: gzip, bits
 * numbered from the most significant bit of the first byte).
 * Offline or unreachable is "not checked", never "pass" (SPEC "Verification").
 * A 1EdTechRevocationList entry (the OB 3.0 displayer test's) names an
 * unsigned JSON list of revoked credential ids (as status.py reads it).
 */
import {base64UrlDecode} from '../crypto/multibase.js';
import {inflate, NoDecompressionError} from '../crypto/inflate.js';
import {_, errorText, isoDate, result} from '../text.js';
import {MAX_INFLATE, words} from './rules.js';

const ENTRY_TYPES = {
  BitstringStatusListEntry: {list: 'BitstringStatusListCredential', subject: 'BitstringStatusList'},
  StatusList2021Entry: {list: 'StatusList2021Credential', subject: 'StatusList2021'},
};
/** 4 MB of bits = 33 million entries, far above any real list; the cap Python uses too. */
const MAX_LIST_BYTES = MAX_INFLATE;

const asArray = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const day = (iso) => (typeof iso === 'string' ? iso.slice(0, 10) : '');

/**
 * Decodes `encodedList`: multibase base64url (`u…`, BSL v1.0) or plain
 * base64url (StatusList2021), then gunzip.
 * @param {string} encodedList
 * @returns {Promise<Uint8Array>} the bitstring bytes
 * @throws {Error}
 */
export async function decodeStatusList(encodedList) {
  if (typeof encodedList !== 'string' || !encodedList) throw new Error('the status list has no encodedList');
  // A gzip stream starts 1f 8b 08, "H4sI" in base64: the multibase prefix is
  // the `u` before it, if any.
  const text = encodedList.startsWith('uH4sI') ? encodedList.slice(1) : encodedList;
  let gz;
  try {
    gz = base64UrlDecode(text);
  } catch {
    throw new Error('the status list is not base64url-encoded');
  }
  return inflate(gz, 'gzip', MAX_LIST_BYTES);
}

/**
 * Reads one bit (index 0 = most significant bit of the first byte).
 * @param {Uint8Array} bits
 * @param {number} index
 * @returns {boolean}
 * @throws {RangeError} if the index is past the end
 */
export function readBit(bits, index) {
  const byte = Math.floor(index / 8);
  if (byte >= bits.length) throw new RangeError(`index ${index} is past the end of the list (${bits.length * 8} entries)`);
  return ((bits[byte] >> (7 - (index % 8))) & 1) === 1;
}

/**
 * Parses `statusListIndex` (a base-10 string; a JSON number is accepted).
 * @param {unknown} value
 * @returns {number}
 * @throws {Error}
 */
export function parseIndex(value) {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(value)) return Number(value);
  throw new Error(`statusListIndex ${JSON.stringify(value)} is not a non-negative base-10 integer`);
}

/**
 * Checks one status entry.
 * @returns {Promise<{status: 'pass'|'fail'|'skipped', message: string}>}
 */
async function checkEntry(entry, credential, env, verifyList) {
  const kind = ENTRY_TYPES[entry?.type];
  if (!kind) return result('skipped', _('not checked: the status type "%(type)s" is not supported', {type: entry?.type}));
  const purpose = entry.statusPurpose;
  const url = entry.statusListCredential;
  if (typeof url !== 'string' || !/^https?:\/\/[\x21-\x7e]+$/.test(url)) { // no space or control character: not a URL
    return result('fail', _('the status entry names no status list URL'));
  }
  if (entry.statusSize !== undefined && entry.statusSize !== 1 && entry.statusSize !== '1') {
    return result('skipped', _('not checked: status entries of %(size)s bits are not supported', {size: entry.statusSize}));
  }
  let index;
  try {
    index = parseIndex(entry.statusListIndex);
  } catch (err) {
    return result('fail', errorText(err));
  }

  const loaded = await env.loadStatusList(url);
  if (!loaded.document) {
    return result('skipped', /offline/.test(loaded.reason) ? _('not checked: offline')
      : _('not checked: the status list could not be loaded (%(reason)s)', {reason: loaded.reason}));
  }
  const list = loaded.document;

  const types = asArray(list?.type);
  if (!types.includes(kind.list)) return result('fail', _('the status list is not a %(type)s', {type: kind.list}));
  const verdict = await verifyList(list);
  const check = (name) => verdict.checks.find((c) => c.name === name);
  for (const name of ['format', 'proof', 'dates']) {
    const c = check(name);
    if (c.status === 'fail') return result('fail', _('the status list is not valid: %(problem)s', {problem: c.text ?? c.message}));
  }
  if (check('proof').status !== 'pass' || check('issuer').status !== 'pass') {
    const c = check('issuer').status === 'pass' ? check('proof') : check('issuer');
    const problem = c.text?.id === 'not checked: %(problem)s' ? c.text.values.problem
      : c.text?.id?.startsWith('not checked: ') ? {id: c.text.id.slice('not checked: '.length), values: c.text.values}
        : c.text ?? c.message.replace(/^not checked: /, '');
    return result('skipped', _('not checked: the status list\'s signature could not be checked (%(problem)s)', {problem}));
  }
  const listIssuer = typeof list.issuer === 'string' ? list.issuer : list.issuer?.id;
  const credIssuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer?.id;
  // A list signed by someone else than the credential's issuer is believed
  // when it says "revoked" (fail safe), never when it says "not revoked".
  const foreign = listIssuer !== credIssuer ? listIssuer : null;
  const subjects = asArray(list.credentialSubject);
  const subject = subjects.find((s) => asArray(s?.statusPurpose).includes(purpose)) ?? subjects[0];
  if (!subject || !asArray(subject.type).includes(kind.subject)) {
    return result('fail', _('the status list\'s subject is not a %(type)s', {type: kind.subject}));
  }
  if (!asArray(subject.statusPurpose).includes(purpose)) {
    return result('fail', _('the status list is for "%(list)s", the credential\'s entry for "%(purpose)s"', {list: asArray(subject.statusPurpose).join(', '), purpose}));
  }

  let bits;
  try {
    bits = await decodeStatusList(subject.encodedList);
  } catch (err) {
    if (err instanceof NoDecompressionError) return result('skipped', _('not checked: %(problem)s', {problem: errorText(err)}));
    return result('fail', _('the status list cannot be read: %(problem)s', {problem: errorText(err)}));
  }
  let set;
  try {
    set = readBit(bits, index);
  } catch (err) {
    return result('fail', _('the status entry is invalid: %(problem)s', {problem: errorText(err)}));
  }
  const pinned = loaded.source === 'pinned';
  let when;
  if (pinned) {
    when = _('checked against the copy of the list in this page, of %(date)s', {date: isoDate(day(loaded.snapshotDate) || day(list.validFrom))});
  } else {
    when = list.validFrom ? _('checked against the issuer\'s list of %(date)s', {date: isoDate(day(list.validFrom))}) : _('checked against the issuer\'s list');
  }
  if (purpose !== 'revocation' && purpose !== 'suspension') {
    return result('skipped', _('not checked: status purpose "%(purpose)s" is not revocation or suspension', {purpose}));
  }
  const revocation = purpose === 'revocation';
  if (foreign) {
    return set
      ? result('fail', revocation ? _('revoked (according to a status list issued by %(issuer)s, not by the credential\'s issuer)', {issuer: foreign})
        : _('suspended (according to a status list issued by %(issuer)s, not by the credential\'s issuer)', {issuer: foreign}))
      : result('skipped', _('not checked: the status list is issued by %(issuer)s, not by the credential\'s issuer', {issuer: foreign}));
  }
  const word = revocation ? 'revoked' : 'suspended';
  if (set) return result('fail', revocation ? _('revoked (%(when)s)', {when}) : _('suspended (%(when)s)', {when}));
  // A copy shipped with the page says what the list was when the page was built, not now.
  if (pinned) {
    const date = day(loaded.snapshotDate) || day(list.validFrom);
    // The English is verifier.json's statusSnapshot (shared with the CLI); test/i18n.test.js
    // holds these messages to it.
    const text = revocation ? _('not revoked as of %(date)s (snapshot in this page, not live)', {date: isoDate(date)})
      : _('not suspended as of %(date)s (snapshot in this page, not live)', {date: isoDate(date)});
    return {status: 'pass', snapshot: true, message: words('statusSnapshot', {word, date, place: 'this page'}), text};
  }
  return result('pass', revocation ? _('not revoked (%(when)s)', {when}) : _('not suspended (%(when)s)', {when}));
}

/** The 1EdTech Revocation List Status Method: listed by id, and `revoked` not false (its words reused: bundle budget). */
async function checkRevocationList(entry, credential, env) {
  const url = entry.id;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return result('fail', _('the status entry names no status list URL'));
  if (typeof credential.id !== 'string') return result('skipped', _('not checked: the credential has no id for its revocation list to name'));
  const loaded = await env.loadStatusList(url);
  if (loaded.document == null) {
    return result('skipped', /offline/.test(loaded.reason) ? _('not checked: offline')
      : _('not checked: the status list could not be loaded (%(reason)s)', {reason: loaded.reason}));
  }
  const listed = loaded.document?.revokedCredentials;
  if (!Array.isArray(listed)) return result('fail', _('the status list is not a %(type)s', {type: '1EdTechRevocationList'}));
  const hit = listed.find((r) => r?.id === credential.id && r.revoked !== false);
  const when = _('checked against the issuer\'s list');
  if (!hit) return result('pass', _('not revoked (%(when)s)', {when}));
  const text = _('revoked (%(when)s)', {when});
  const note = typeof hit.revocationReason === 'string' ? hit.revocationReason.trim().slice(0, 200) : '';
  return result('fail', note ? _('%(text)s; %(note)s', {text, note}) : text);
}

/**
 * The `status` check of a credential.
 * @param {object} credential
 * @param {object} env - see verify.js
 * @param {(list: object) => Promise<{checks: Array<{name: string, status: string, message: string}>}>} verifyList
 *   verifies the list credential (format, proof, issuer, dates)
 * @returns {Promise<{status: 'pass'|'fail'|'skipped', message: string}>}
 */
export async function checkStatus(credential, env, verifyList) {
  const entries = asArray(credential.credentialStatus);
  if (!entries.length) return result('skipped', _('no status list: the issuer cannot revoke this credential'));
  const results = [];
  for (const entry of entries) {
    results.push(await (entry?.type === '1EdTechRevocationList' ? checkRevocationList(entry, credential, env)
      : checkEntry(entry, credential, env, verifyList)));
  }
  const failed = results.find((r) => r.status === 'fail');
  if (failed) return failed;
  const skipped = results.find((r) => r.status === 'skipped');
  if (skipped) return skipped;
  const snapshot = results.some((r) => r.snapshot);
  return {...result('pass', results.slice(1).reduce((text, r) => _('%(text)s; %(note)s', {text, note: r.text}), results[0].text)),
    ...(snapshot ? {snapshot} : {})};
}
