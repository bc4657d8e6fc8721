/**
 * Languages in the browser: the catalogues (builder/credpub/data/locale/*.po,
 * embedded by build.mjs as `#catalogues`) and one CLDR formatter per language
 * through `Intl`, the twin of builder/credpub/i18n.py: the same message ids
 * (the English texts), the same `%(name)s` placeholders, the same locale
 * (the catalogue's Language header: en is en-GB), so a credential reads
 * "12 juni 2026" on every Dutch page, drawn in Python or here.
 */
import CATALOGUES from '#catalogues';
import {interpolate, render} from '../text.js';

export const SOURCE = 'en';
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;
const UNITS = ['year', 'month', 'week', 'day'];

/** @returns {string[]} the languages there are catalogues for */
export const languages = () => Object.keys(CATALOGUES).sort();

export {interpolate};

/** The language of this page: <html lang>, else the source language. */
export function pageLanguage(doc = globalThis.document) {
  const lang = doc?.documentElement?.lang?.toLowerCase().split('-')[0];
  return lang && CATALOGUES[lang] ? lang : SOURCE;
}

const cache = new Map();

/**
 * @param {string} [code] - a language with a catalogue (default: the page's)
 * @returns {{code: string, locale: string, _: Function, date: Function,
 *   number: Function, hours: Function, country: Function, duration: Function}}
 */
export function lang(code = pageLanguage()) {
  if (!CATALOGUES[code]) code = SOURCE;
  if (cache.has(code)) return cache.get(code);
  const {locale: tag, messages} = CATALOGUES[code];
  const locale = tag || code;
  const dates = new Intl.DateTimeFormat(locale, {dateStyle: 'long', timeZone: 'UTC'});
  const numbers = new Intl.NumberFormat(locale, {maximumFractionDigits: 3});
  let regions = null;
  const L = {
    code,
    locale,
    /** The translation of `msgid` with its placeholders filled. */
    _: (msgid, values) => interpolate(Object.hasOwn(messages, msgid) ? messages[msgid] : msgid, values),
    /** A verifier message (text.js: {id, values}, nested) or plain text, in this language. */
    say: (m) => render(m, (id) => (Object.hasOwn(messages, id) ? messages[id] : id), (iso) => L.date(iso)),
    /**
     * The translation as pieces for Node.append(): placeholders whose values are DOM nodes
     * stay nodes ("Issued by %(issuer)s" with a <strong>), text stays text.
     */
    parts(msgid, values = {}) {
      const text = Object.hasOwn(messages, msgid) ? messages[msgid] : msgid;
      return text.split(/(%\(\w+\)s|%%)/).filter((p) => p !== '').map((p) => {
        if (p === '%%') return '%';
        const m = /^%\((\w+)\)s$/.exec(p);
        if (!m) return p;
        if (!(m[1] in values)) throw new Error(`missing value for ${p} in "${msgid}"`);
        const v = values[m[1]];
        return typeof v === 'object' && v !== null ? v : String(v);
      });
    },
    /** A date or date-time (its UTC date): "12 June 2026". */
    date(value) {
      if (!value) return '';
      const ms = value instanceof Date ? value.getTime() : Date.parse(String(value).slice(0, 10) + 'T00:00:00Z');
      return Number.isNaN(ms) ? String(value) : dates.format(ms);
    },
    number: (n) => (typeof n === 'number' && Number.isFinite(n) ? numbers.format(n) : ''),
    hours: (n) => (typeof n === 'number' && Number.isFinite(n)
      ? new Intl.NumberFormat(locale, {style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 3}).format(n) : ''),
    country(code2) {
      const text = String(code2 ?? '').trim();
      if (!/^[A-Za-z]{2}$/.test(text)) return text;
      regions ??= new Intl.DisplayNames([locale], {type: 'region', fallback: 'code'});
      try {
        return regions.of(text.toUpperCase()) ?? text;
      } catch {
        return text;
      }
    },
    duration(iso) {
      const m = DURATION.exec(iso ?? '');
      if (!m || !m.slice(1).some(Boolean)) return iso ?? '';
      const parts = m.slice(1).map((n, i) => (n ? new Intl.NumberFormat(locale, {style: 'unit', unit: UNITS[i], unitDisplay: 'long'}).format(Number(n)) : null)).filter(Boolean);
      return new Intl.ListFormat(locale, {type: 'conjunction', style: 'long'}).format(parts);
    },
  };
  cache.set(code, L);
  return L;
}

/** The translation of `msgid` in this page's language (<html lang>): what page scripts call `_`. */
export const translate = (msgid, values) => lang()._(msgid, values);

/**
 * Puts the page's fixed texts into another language: every text node under `root` that is,
 * whole, a catalogue message in language `from` becomes that message in `to`. For pages whose
 * HTML the build wrote once per award (the share page): they carry no per-message markers, so
 * switching costs them no bytes. Texts with values in them are redrawn by their page script.
 * @param {Node} root
 * @param {string} from
 * @param {string} to
 * @param {(node: Node) => boolean} [skip] - subtrees to leave alone
 */
export function translateTexts(root, from, to, skip = () => false) {
  const source = lang(from);
  const target = lang(to);
  const ids = new Set(Object.values(CATALOGUES).flatMap((c) => Object.keys(c.messages)));
  const back = new Map();
  for (const id of ids) if (!/%\(\w+\)s/.test(id)) back.set(source._(id), id);
  const doc = root.ownerDocument || root;
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  for (const n of nodes) {
    let up = n.parentNode;
    while (up && up !== root && !skip(up)) up = up.parentNode;
    if (up && up !== root) continue;
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(n.nodeValue);
    const id = back.get(m[2]);
    if (id !== undefined) n.nodeValue = m[1] + target._(id) + m[3];
  }
}
