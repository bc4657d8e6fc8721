/**
 * Reading the credential baked in an SVG (OB 3.0 §5.3.2), for the baker (bake.js) and the
 * verifier's input (verify/extract.js): one finder of the `<prefix:credential>` element (any
 * namespace prefix, as other tools write it) and one reader of its text.
 */
import {unescapeXml} from './xml.js';

/**
 * The credential element of an SVG, or null when there is none.
 * @param {string} svg
 * @returns {{attributes: string, content: string|null}|null} content: between the tags, null
 *   when the element is self-closing
 * @throws {Error} 'truncated' (the start tag does not end) or 'unclosed'
 */
export function credentialElement(svg) {
  const open = /<([A-Za-z_][\w.-]*):credential(?=[\s/>])/.exec(svg);
  if (!open) return null;
  const tagEnd = svg.indexOf('>', open.index);
  if (tagEnd < 0) throw new Error('truncated');
  const attributes = svg.slice(open.index + open[0].length, tagEnd);
  if (attributes.trimEnd().endsWith('/')) return {attributes, content: null};
  const close = svg.indexOf(`</${open[1]}:credential`, tagEnd);
  if (close < 0) throw new Error('unclosed');
  return {attributes, content: svg.slice(tagEnd + 1, close)};
}

/**
 * The element's text: its CDATA sections as they are (bake.js splits a credential holding "]]>"
 * across two) and the text between them unescaped; without CDATA, the unescaped text, trimmed.
 * @param {string} content
 */
export function elementText(content) {
  // text, section, text, section, …, text after the last section (left out, as bake.py does)
  const parts = content.split(/<!\[CDATA\[([\s\S]*?)\]\]>/);
  if (parts.length < 2) return unescapeXml(content).trim();
  return parts.slice(0, -1).map((part, i) => (i % 2 ? part : part.trim() ? unescapeXml(part) : '')).join('');
}

/** The element's `verify` attribute (a VC-JWT, or a URL in OB 2.0 style), unescaped, or null. */
export function verifyAttribute(attributes) {
  const m = /\bverify\s*=\s*("([^"]*)"|'([^']*)')/.exec(attributes);
  return m ? unescapeXml(m[2] ?? m[3]) : null;
}
