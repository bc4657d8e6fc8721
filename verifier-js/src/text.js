/**
 * Messages that the verifier reports and pages translate: a message is `{id, values}`, where
 * `id` is the English text with `%(name)s` placeholders (a msgid of the catalogues,
 * builder/credpub/data/locale/*.po) and a value may itself be a message. The verifier stays
 * language-free: every check carries `message` (English, for logs, tests and the CLI's
 * parity) and `text` (the message), which i18n.js's `say` puts into the page's language.
 * No catalogue is imported here, so the verifier alone stays small.
 */

/**
 * Fills `%(name)s` placeholders; `%%` is a percent sign (as Python's % operator).
 * @param {string} text
 * @param {Record<string, unknown>} [values]
 */
export function interpolate(text, values = {}) {
  return text.replace(/%(?:\((\w+)\)s|%)/g, (m, name) => {
    if (name === undefined) return '%';
    if (!(name in values)) throw new Error(`missing value for %(${name})s in "${text}"`);
    return String(values[name]);
  });
}

/**
 * A message; the extraction (babel.cfg) finds `_` calls, so producers write `_(…)`.
 * @param {string} id
 * @param {Record<string, unknown>} [values]
 */
export const _ = (id, values = {}) => ({id, values});

export const isMessage = (m) => m !== null && typeof m === 'object' && typeof m.id === 'string';

/**
 * A calendar date as a message value: "2026-06-12" in the English message (what logs and
 * tests read), "12 juni 2026" when a page says it in a language.
 * @param {string} iso - YYYY-MM-DD
 */
export const isoDate = (iso) => ({date: iso});

/**
 * A message in some language: `lookup(id)` gives the translation (the id itself for English),
 * `formatDate` the dates (as given, for the English message).
 * @param {unknown} m - a message, or plain text (returned as it is)
 * @param {(id: string) => string} [lookup]
 * @param {(iso: string) => string} [formatDate]
 */
export function render(m, lookup = (id) => id, formatDate = (iso) => iso) {
  if (!isMessage(m)) return m === undefined || m === null ? '' : String(m);
  const values = {};
  for (const [k, v] of Object.entries(m.values || {})) {
    if (isMessage(v)) values[k] = render(v, lookup, formatDate);
    else if (v !== null && typeof v === 'object' && typeof v.date === 'string') values[k] = formatDate(v.date);
    else values[k] = v;
  }
  return interpolate(lookup(m.id), values);
}

/** A check's result: `{status, message, text}` (English message, and the message to translate). */
export function result(status, text) {
  return {status, message: render(text), text};
}

/** An Error whose message is a message (`err.text`); `err.message` is its English. */
export class TextError extends Error {
  constructor(text, name = 'Error') {
    super(render(text));
    this.name = name;
    this.text = text;
  }
}

/** What an error says, as a message when it has one. */
export const errorText = (err) => (err && isMessage(err.text) ? err.text : String(err?.message ?? err));
