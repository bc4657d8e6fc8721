/**
 * The `dates` check: validFrom ≤ now ≤ validUntil (VC 2.0 §4.6), or
 * issuanceDate / expirationDate for VC 1.1 credentials.
 */

const day = (ms) => new Date(ms).toISOString().slice(0, 10);

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
  if (fromRaw !== undefined && from === null) return {status: 'fail', message: `${fromField} is not a date: ${JSON.stringify(fromRaw)}`};
  if (untilRaw !== undefined && until === null) return {status: 'fail', message: `${untilField} is not a date: ${JSON.stringify(untilRaw)}`};
  if (from !== null && until !== null && until < from) {
    return {status: 'fail', message: `${untilField} (${day(until)}) is before ${fromField} (${day(from)})`};
  }
  if (from !== null && t < from) return {status: 'fail', message: `not valid yet: valid from ${day(from)}`};
  if (until !== null && t > until) return {status: 'fail', message: `expired on ${day(until)}`};
  if (from === null && until === null) return {status: 'pass', message: 'no validity period'};
  const parts = [];
  if (from !== null) parts.push(`issued ${day(from)}`);
  parts.push(until !== null ? `valid until ${day(until)}` : 'no expiry date');
  return {status: 'pass', message: parts.join(', ')};
}
