/**
 * The `dates` check: validFrom ≤ now ≤ validUntil (VC 2.0 §4.6), or
 * issuanceDate / expirationDate for VC 1.1 credentials.
 */
import {_, isoDate, result} from '../text.js';

const day = (ms) => isoDate(new Date(ms).toISOString().slice(0, 10));

/**
 * Parses a date-time; one without a time zone is read as UTC.
 * @param {unknown} value
 * @returns {number|null} epoch milliseconds
 */
export function parseDate(value) {
  if (typeof value !== 'string') return null;
  const withZone = /T\d\d:\d\d:\d\d(\.\d+)?$/.test(value) ? value + 'Z' : value;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Whether validUntil is past: the cards then say "Expired on" instead of "Valid until" (pages
 * are static, so this is decided when the page is viewed).
 * @param {unknown} validUntil
 * @param {Date} [now]
 */
export function isPast(validUntil, now = new Date()) {
  const until = parseDate(validUntil);
  return until !== null && now.getTime() > until;
}

/**
 * @param {object} credential
 * @param {Date} now
 * @returns {{status: 'pass'|'fail', message: string}}
 */
export function checkDates(credential, now) {
  const t = now.getTime();
  const fromField = credential.validFrom !== undefined ? 'validFrom' : 'issuanceDate';
  const untilField = credential.validUntil !== undefined ? 'validUntil' : 'expirationDate';
  const fromRaw = credential[fromField];
  const untilRaw = credential[untilField];
  const from = fromRaw === undefined ? null : parseDate(fromRaw);
  const until = untilRaw === undefined ? null : parseDate(untilRaw);
  if (fromRaw !== undefined && from === null) return result('fail', _('%(field)s is not a date: %(value)s', {field: fromField, value: JSON.stringify(fromRaw)}));
  if (untilRaw !== undefined && until === null) return result('fail', _('%(field)s is not a date: %(value)s', {field: untilField, value: JSON.stringify(untilRaw)}));
  if (from !== null && until !== null && until < from) {
    return result('fail', _('%(until_field)s (%(until)s) is before %(from_field)s (%(from)s)', {until_field: untilField, until: day(until), from_field: fromField, from: day(from)}));
  }
  if (from !== null && t < from) return result('fail', _('not valid yet: valid from %(date)s', {date: day(from)}));
  if (until !== null && t > until) return result('fail', _('expired on %(date)s', {date: day(until)}));
  if (from === null && until === null) return result('pass', _('no validity period'));
  if (from === null) return result('pass', _('valid until %(date)s', {date: day(until)}));
  return result('pass', until !== null
    ? _('issued %(from)s, valid until %(until)s', {from: day(from), until: day(until)})
    : _('issued %(date)s, no expiry date', {date: day(from)}));
}
