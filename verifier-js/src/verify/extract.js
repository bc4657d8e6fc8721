/**
 * Getting the credential out of what a person gives the verifier: JSON text,
 * a baked badge image (OB 3.0 §5.3 "Baking": PNG iTXt chunk with keyword
 * `openbadgecredential`; SVG `<openbadges:credential>` element), or bytes of
 * unknown kind. Everything here is linear in the input and bounded by
 * MAX_BYTES, so a huge or hostile file cannot hang the page.
 */
import {inflate, NoDecompressionError} from '../crypto/inflate.js';
import {_, errorText, TextError} from '../text.js';
import {MAX_INFLATE, MAX_JSON_DEPTH, jsonDepth} from './rules.js';
import {unescapeXml} from '../badge/xml.js';
import {isPng, textChunk} from '../badge/png.js';
import {credentialElement, elementText, verifyAttribute} from '../badge/svg.js';

/** Files above this are refused (a baked badge is a few hundred KB). */
export const MAX_BYTES = 10 * 1024 * 1024;
/** The most text a compressed PNG chunk may expand to (shared with Python: verifier.json). */
const MAX_CHUNK_TEXT = MAX_INFLATE;

/** The input is not something the verifier can read; `message` says why. */
export class InputError extends TextError {
  /**
   * @param {{id: string, values: object}} text - for people: a message (text.js)
   * @param {string} [code] - for programs: 'too-large', 'jwt', 'no-credential', 'not-json', 'ob2', 'unsupported'
   */
  constructor(text, code = 'unsupported') {
    super(text, 'InputError');
    this.code = code;
  }
}

const JWT_RE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

const mb = (n) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Refuses inputs over MAX_BYTES.
 * @param {number} size
 * @throws {InputError}
 */
export function checkSize(size) {
  if (size > MAX_BYTES) {
    throw new InputError(_('the file is too large (%(size)s); a credential or baked badge is at most %(limit)s', {size: mb(size), limit: mb(MAX_BYTES)}), 'too-large');
  }
}

/**
 * Reads a credential from text: JSON, or says clearly what else it is.
 * @param {string} text
 * @returns {{credential: object, kind: 'json'} | {url: string, kind: 'url'}}
 * @throws {InputError}
 */
export function parseText(text) {
  checkSize(text.length);
  const t = text.replace(/^\uFEFF/, '').trim();
  if (!t) throw new InputError(_('nothing to verify: the input is empty'), 'not-json');
  if (JWT_RE.test(t)) {
    throw new InputError(_('VC-JWT not supported: this credential is a JSON Web Token; credpub verifies Data Integrity proofs (eddsa-rdfc-2022, eddsa-jcs-2022)'), 'jwt');
  }
  if (/^https?:\/\/\S+$/i.test(t)) return {url: t, kind: 'url'};
  if (t[0] !== '{' && t[0] !== '[') {
    if (t[0] === '<') throw new InputError(_('not a credential: this is HTML or XML, not a credential (drop a JSON file or a baked badge image)'), 'not-json');
    throw new InputError(_('not a credential: the text is not JSON'), 'not-json');
  }
  if (jsonDepth(t) > MAX_JSON_DEPTH) {
    throw new InputError(_('not a credential: the JSON is nested more than %(depth)s levels deep', {depth: MAX_JSON_DEPTH}), 'not-json');
  }
  let value;
  try {
    value = JSON.parse(t);
  } catch (err) {
    throw new InputError(_('not a credential: the JSON is malformed (%(problem)s)', {problem: errorText(err)}), 'not-json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(_('not a credential: expected a JSON object'), 'not-json');
  }
  return {credential: value, kind: 'json'};
}

/** Text found in a baked image → credential (or a clear error). */
function fromBakedText(text, where) {
  const t = text.trim();
  if (JWT_RE.test(t)) {
    throw new InputError(_('VC-JWT not supported: the %(where)s holds a JSON Web Token; credpub verifies Data Integrity proofs (eddsa-rdfc-2022, eddsa-jcs-2022)', {where}), 'jwt');
  }
  if (/^https?:\/\/\S+$/i.test(t)) return {url: t};
  try {
    return {credential: parseText(t).credential};
  } catch (err) {
    throw new InputError(_('the %(where)s holds no readable credential (%(problem)s)', {where, problem: errorText(err)}), 'no-credential');
  }
}

/**
 * Finds the credential text in a PNG: iTXt (compressed or not), tEXt or zTXt
 * with keyword `openbadgecredential`.
 * @param {Uint8Array} bytes
 * @returns {Promise<string>}
 * @throws {InputError}
 */
async function pngCredentialText(bytes) {
  const seen = new Set();
  let found;
  try {
    found = textChunk(bytes, 'openbadgecredential', seen);
  } catch {
    throw new InputError(_('the PNG file is truncated or corrupt'), 'no-credential');
  }
  if (found) {
    try {
      const text = found.compressed ? await inflate(found.text, 'deflate', MAX_CHUNK_TEXT) : found.text;
      return (found.type === 'iTXt' ? utf8 : latin1).decode(text);
    } catch (err) {
      if (err instanceof NoDecompressionError) throw new InputError(_('the badge\'s credential is compressed and %(problem)s', {problem: errorText(err)}));
      throw new InputError(_('the PNG\'s credential chunk is corrupt (%(problem)s)', {problem: errorText(err)}), 'no-credential');
    }
  }
  if (seen.has('openbadges')) throw new InputError(_('this is an Open Badges 2.0 badge; credpub verifies Open Badges 3.0 credentials'), 'ob2');
  throw new InputError(_('this PNG image has no baked credential (no "openbadgecredential" chunk)'), 'no-credential');
}

/**
 * Finds the credential in an SVG: the text (or CDATA) of
 * `<openbadges:credential>`, or its `verify` attribute (a URL).
 * @param {string} svg
 * @returns {{credential?: object, url?: string}}
 * @throws {InputError}
 */
function svgCredential(svg) {
  let element;
  try {
    element = credentialElement(svg);
  } catch (err) {
    throw new InputError(err.message === 'truncated' ? _('the SVG is truncated') : _('the SVG\'s credential element is not closed'), 'no-credential');
  }
  if (!element) {
    if (/<[A-Za-z_][\w.-]*:assertion[\s/>]/.test(svg)) {
      throw new InputError(_('this is an Open Badges 2.0 badge; credpub verifies Open Badges 3.0 credentials'), 'ob2');
    }
    throw new InputError(_('this SVG image has no baked credential (no <openbadges:credential> element)'), 'no-credential');
  }
  const content = (element.content || '').trim();
  if (content) return fromBakedText(elementText(content), 'SVG badge');
  const verify = verifyAttribute(element.attributes);
  // OB 3.0 §5.3.2: the attribute holds a VC-JWT or (OB 2.0 style) a URL.
  if (verify !== null) return fromBakedText(verify, 'SVG badge\'s "verify" attribute');
  throw new InputError(_('the SVG\'s credential element is empty'), 'no-credential');
}

/**
 * Says what kind of file the bytes are.
 * @param {Uint8Array} bytes
 * @returns {'png'|'svg'|'text'}
 */
export function sniff(bytes) {
  if (isPng(bytes)) return 'png';
  const head = utf8.decode(bytes.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<') && /<svg[\s>]/i.test(utf8.decode(bytes.subarray(0, 65536)))) return 'svg';
  return 'text';
}

/**
 * Extracts the credential from a baked badge image (PNG or SVG).
 * @param {Uint8Array|ArrayBuffer} input
 * @returns {Promise<{credential?: object, url?: string, kind: 'png'|'svg'}>}
 *   a credential, or the URL the badge points to
 * @throws {InputError} with a message for people
 */
export async function extractFromImage(input) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  checkSize(bytes.length);
  const kind = sniff(bytes);
  if (kind === 'png') return {...fromBakedText(await pngCredentialText(bytes), 'PNG badge'), kind};
  if (kind === 'svg') return {...svgCredential(utf8.decode(bytes)), kind};
  throw new InputError(_('not a PNG or SVG image'), 'unsupported');
}

/**
 * Reads a credential from bytes of any supported kind (PNG, SVG, JSON, JWT).
 * @param {Uint8Array|ArrayBuffer} input
 * @returns {Promise<{credential?: object, url?: string, kind: string}>}
 * @throws {InputError}
 */
export async function extractFromBytes(input) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  checkSize(bytes.length);
  const kind = sniff(bytes);
  if (kind !== 'text') return extractFromImage(bytes);
  if (bytes.indexOf(0) >= 0 && bytes.indexOf(0) < 1024) throw new InputError(_('not a credential: this is a binary file, not JSON or a badge image'), 'not-json');
  return parseText(utf8.decode(bytes));
}

/**
 * Finds the credential link in a share page: `<link rel="alternate"
 * type="application/ld+json" href=…>`.
 * @param {string} html
 * @returns {string|null} the href as written (may be relative)
 */
export function credentialLinkInHtml(html) {
  const re = /<link\b[^>]*>/gi;
  const head = html.slice(0, 1024 * 1024);
  let m;
  while ((m = re.exec(head))) {
    const tag = m[0];
    const attr = (name) => {
      const a = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
      return a ? (a[2] ?? a[3] ?? a[4]) : null;
    };
    const rel = (attr('rel') || '').toLowerCase().split(/\s+/);
    if (rel.includes('alternate') && (attr('type') || '').toLowerCase() === 'application/ld+json' && attr('href')) {
      return unescapeXml(attr('href'));
    }
  }
  return null;
}
