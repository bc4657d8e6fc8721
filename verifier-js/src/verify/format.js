/**
 * The `format` check: is this a well-formed VC 2.0 (or VC 1.1) credential,
 * and, when it says it is an Open Badge, does it have what the OB 3.0 JSON
 * Schema requires (achievementcredential.json `required` lists)?
 * A structural check, not a full JSON Schema validator: it names the first
 * problems it finds in words.
 */

export const VC2 = 'https://www.w3.org/ns/credentials/v2';
export const VC1 = 'https://www.w3.org/2018/credentials/v1';

/** XML Schema dateTimeStamp: a date-time with a time zone (VC 2.0 §4.6). */
const DATE_TIME_STAMP = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
/** xsd:dateTime (VC 1.1): the time zone may be missing. */
const DATE_TIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;
const URI = /^[a-z][a-z0-9+.-]*:\S+$/i;
import {_, result} from '../text.js';

const asArray = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const hasType = (v, t) => asArray(v?.type).includes(t);

/** OB 3.0 credential types. */
export const OB_TYPES = ['OpenBadgeCredential', 'AchievementCredential'];
/** Status list credential types. */
export const LIST_TYPES = ['BitstringStatusListCredential', 'StatusList2021Credential'];

/**
 * @param {unknown} value
 * @param {boolean} vc2
 * @returns {boolean}
 */
export function isDateTime(value, vc2) {
  return typeof value === 'string' && (vc2 ? DATE_TIME_STAMP : DATE_TIME).test(value) && !Number.isNaN(Date.parse(value));
}

function checkOpenBadge(c, problems) {
  const need = (cond, msg) => cond || problems.push(msg);
  need(typeof c.id === 'string' && URI.test(c.id), 'an Open Badge needs an "id" URI');
  if (isObject(c.issuer)) need(hasType(c.issuer, 'Profile'), 'the issuer\'s type must include "Profile"');
  const subjects = asArray(c.credentialSubject);
  subjects.forEach((s, i) => {
    const at = subjects.length > 1 ? `credentialSubject[${i}]` : 'credentialSubject';
    if (!isObject(s)) return;
    need(hasType(s, 'AchievementSubject'), `${at}.type must include "AchievementSubject"`);
    const a = s.achievement;
    if (!need(isObject(a), `${at}.achievement is missing`) || !isObject(a)) return;
    need(typeof a.id === 'string' && URI.test(a.id), `${at}.achievement needs an "id" URI`);
    need(hasType(a, 'Achievement'), `${at}.achievement.type must include "Achievement"`);
    need(typeof a.name === 'string' && a.name.trim() !== '', `${at}.achievement needs a "name"`);
    need(typeof a.description === 'string', `${at}.achievement needs a "description"`);
    need(isObject(a.criteria), `${at}.achievement needs "criteria"`);
    if (a.creditsAvailable !== undefined) {
      need(typeof a.creditsAvailable === 'number' && a.creditsAvailable >= 0, `${at}.achievement.creditsAvailable must be a number`);
    }
    asArray(s.identifier).forEach((idObj, j) => {
      need(isObject(idObj) && idObj.type === 'IdentityObject' && typeof idObj.identityType === 'string' &&
        typeof idObj.identityHash === 'string' && typeof idObj.hashed === 'boolean',
      `${at}.identifier[${j}] must be an IdentityObject with identityType, identityHash and hashed`);
    });
    asArray(s.result).forEach((r, j) => need(hasType(r, 'Result'), `${at}.result[${j}].type must include "Result"`));
  });
  asArray(c.evidence).forEach((e, j) => need(hasType(e, 'Evidence'), `evidence[${j}].type must include "Evidence"`));
}

function checkStatusList(c, problems) {
  const subjects = asArray(c.credentialSubject);
  if (!subjects.some((s) => typeof s?.encodedList === 'string')) problems.push('the status list has no encodedList');
}

/**
 * Checks the shape of a credential.
 * @param {unknown} c - the parsed credential
 * @returns {{status: 'pass'|'fail', message: string, kind: string}}
 *   kind: 'Open Badge', 'status list' or 'credential'
 */
export function checkFormat(c) {
  if (!isObject(c)) return {...result('fail', _('not a credential: expected a JSON object')), kind: 'none'};
  const problems = [];
  const ctx = asArray(c['@context']);
  const vc2 = ctx[0] === VC2;
  const vc1 = ctx[0] === VC1;
  if (!ctx.length) problems.push('"@context" is missing');
  else if (!vc2 && !vc1) problems.push(`the first @context must be ${VC2} (found ${JSON.stringify(ctx[0])})`);
  const types = asArray(c.type);
  if (!types.includes('VerifiableCredential')) problems.push('"type" must include "VerifiableCredential"');
  const issuerId = typeof c.issuer === 'string' ? c.issuer : c.issuer?.id;
  if (c.issuer === undefined) problems.push('"issuer" is missing');
  else if (typeof issuerId !== 'string' || !URI.test(issuerId)) problems.push('"issuer" must be a URI or an object with an "id" URI');
  const subjects = asArray(c.credentialSubject);
  if (!subjects.length) problems.push('"credentialSubject" is missing');
  else if (!subjects.every(isObject)) problems.push('"credentialSubject" must be an object');

  const ob = OB_TYPES.some((t) => types.includes(t));
  const list = LIST_TYPES.some((t) => types.includes(t));
  const dateField = (name, required, stamp) => {
    if (c[name] === undefined) {
      if (required) problems.push(`"${name}" is missing`);
    } else if (!isDateTime(c[name], stamp)) {
      problems.push(`"${name}" ${JSON.stringify(c[name])} is not a date-time${stamp ? ' with a time zone (e.g. 2026-06-12T00:00:00Z)' : ''}`);
    }
  };
  if (vc1) {
    dateField('issuanceDate', true, false);
    dateField('expirationDate', false, false);
    dateField('validFrom', false, false);
    dateField('validUntil', false, false);
  } else {
    dateField('validFrom', ob, true);
    dateField('validUntil', false, true);
  }
  if (ob) checkOpenBadge(c, problems);
  if (list) checkStatusList(c, problems);

  const kind = ob ? 'Open Badge' : list ? 'status list' : 'credential';
  if (problems.length) {
    // The problems name JSON fields and stay English; the sentence around them is translated.
    const values = {problems: problems.slice(0, 3).join('; '), more: problems.length - 3};
    const text = {
      'Open Badge': problems.length > 3 ? _('not a well-formed Open Badge: %(problems)s (and %(more)s more)', values) : _('not a well-formed Open Badge: %(problems)s', values),
      'status list': problems.length > 3 ? _('not a well-formed status list: %(problems)s (and %(more)s more)', values) : _('not a well-formed status list: %(problems)s', values),
      credential: problems.length > 3 ? _('not a well-formed credential: %(problems)s (and %(more)s more)', values) : _('not a well-formed credential: %(problems)s', values),
    }[kind];
    return {...result('fail', text), kind};
  }
  const version = vc2 ? 'VC 2.0' : 'VC 1.1';
  const text = ob ? _('a well-formed Open Badges 3.0 credential (%(version)s)', {version})
    : list ? _('a well-formed status list (%(version)s)', {version}) : _('a well-formed credential (%(version)s)', {version});
  return {...result('pass', text), kind};
}
