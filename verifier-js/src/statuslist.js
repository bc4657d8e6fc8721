/**
 * Revocation and suspension through W3C Bitstring Status List v1.0 (and its
 * predecessor StatusList2021, same encoding).
 *
 * The list credential is loaded (caller's loader, live fetch, then the
 * snapshot pinned in the verify page), its own proof, issuer and dates are
 * verified, then the bit at `statusListIndex` is read (§3.2: gzip, bits
 * numbered from the most significant bit of the first byte).
 * Offline or unreachable is "not checked", never "pass" (SPEC "Verification").
 */
import {base64UrlDecode} from './multibase.js';
import {inflate, NoDecompressionError} from './inflate.js';
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
  if (!kind) return {status: 'skipped', message: `not checked: the status type "${entry?.type}" is not supported`};
  const purpose = entry.statusPurpose;
  const url = entry.statusListCredential;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    return {status: 'fail', message: 'the status entry names no status list URL'};
  }
  if (entry.statusSize !== undefined && entry.statusSize !== 1 && entry.statusSize !== '1') {
    return {status: 'skipped', message: `not checked: status entries of ${entry.statusSize} bits are not supported`};
  }
  let index;
  try {
    index = parseIndex(entry.statusListIndex);
  } catch (err) {
    return {status: 'fail', message: err.message};
  }

  const loaded = await env.loadStatusList(url);
  if (!loaded.document) {
    const why = /offline/.test(loaded.reason) ? 'offline' : `the status list could not be loaded (${loaded.reason})`;
    return {status: 'skipped', message: `not checked: ${why}`};
  }
  const list = loaded.document;

  const types = asArray(list?.type);
  if (!types.includes(kind.list)) return {status: 'fail', message: `the status list is not a ${kind.list}`};
  const verdict = await verifyList(list);
  const check = (name) => verdict.checks.find((c) => c.name === name);
  for (const name of ['format', 'proof', 'dates']) {
    const c = check(name);
    if (c.status === 'fail') return {status: 'fail', message: `the status list is not valid: ${c.message}`};
  }
  if (check('proof').status !== 'pass' || check('issuer').status !== 'pass') {
    const c = check('issuer').status === 'pass' ? check('proof') : check('issuer');
    return {status: 'skipped', message: `not checked: the status list's signature could not be checked (${c.message.replace(/^not checked: /, '')})`};
  }
  const listIssuer = typeof list.issuer === 'string' ? list.issuer : list.issuer?.id;
  const credIssuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer?.id;
  // A list signed by someone else than the credential's issuer is believed
  // when it says "revoked" (fail safe), never when it says "not revoked".
  const foreign = listIssuer !== credIssuer ? listIssuer : null;
  const subjects = asArray(list.credentialSubject);
  const subject = subjects.find((s) => asArray(s?.statusPurpose).includes(purpose)) ?? subjects[0];
  if (!subject || !asArray(subject.type).includes(kind.subject)) {
    return {status: 'fail', message: `the status list's subject is not a ${kind.subject}`};
  }
  if (!asArray(subject.statusPurpose).includes(purpose)) {
    return {status: 'fail', message: `the status list is for "${asArray(subject.statusPurpose).join(', ')}", the credential's entry for "${purpose}"`};
  }

  let bits;
  try {
    bits = await decodeStatusList(subject.encodedList);
  } catch (err) {
    if (err instanceof NoDecompressionError) return {status: 'skipped', message: `not checked: ${err.message}`};
    return {status: 'fail', message: `the status list cannot be read: ${err.message}`};
  }
  let set;
  try {
    set = readBit(bits, index);
  } catch (err) {
    return {status: 'fail', message: `the status entry is invalid: ${err.message}`};
  }
  const pinned = loaded.source === 'pinned';
  const when = pinned ? `checked against the copy of the list in this page, of ${day(loaded.snapshotDate) || day(list.validFrom)}`
    : `checked against the issuer's list${list.validFrom ? ` of ${day(list.validFrom)}` : ''}`;
  if (purpose !== 'revocation' && purpose !== 'suspension') {
    return {status: 'skipped', message: `not checked: status purpose "${purpose}" is not revocation or suspension`};
  }
  const word = purpose === 'revocation' ? 'revoked' : 'suspended';
  if (foreign) {
    return set
      ? {status: 'fail', message: `${word} (according to a status list issued by ${foreign}, not by the credential's issuer)`}
      : {status: 'skipped', message: `not checked: the status list is issued by ${foreign}, not by the credential's issuer`};
  }
  if (set) return {status: 'fail', message: `${word} (${when})`};
  // A copy shipped with the page says what the list was when the page was built, not now.
  if (pinned) {
    return {status: 'pass', snapshot: true,
      message: words('statusSnapshot', {word, date: day(loaded.snapshotDate) || day(list.validFrom), place: 'this page'})};
  }
  return {status: 'pass', message: `not ${word} (${when})`};
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
  if (!entries.length) return {status: 'skipped', message: 'no status list: the issuer cannot revoke this credential'};
  const results = [];
  for (const entry of entries) results.push(await checkEntry(entry, credential, env, verifyList));
  const failed = results.find((r) => r.status === 'fail');
  if (failed) return failed;
  const skipped = results.find((r) => r.status === 'skipped');
  if (skipped) return skipped;
  const snapshot = results.some((r) => r.snapshot);
  return {status: 'pass', message: results.map((r) => r.message).join('; '), ...(snapshot ? {snapshot} : {})};
}
