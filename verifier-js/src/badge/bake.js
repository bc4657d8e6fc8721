/**
 * Open Badges 3.0 baking in the browser (OB 3.0 §5.3 "Baking"): the graduate's download is the
 * achievement's badge image with the credential JSON inside, byte for byte.
 *
 * - PNG: one `iTXt` chunk, keyword `openbadgecredential`, uncompressed, empty language and
 *   translated keyword, text = the credential JSON (UTF-8); put before the first IDAT. An
 *   existing `openbadgecredential` chunk is replaced ("MUST NOT appear more than once").
 * - SVG: `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` on the root element and, right
 *   after the start tag, `<openbadges:credential><![CDATA[json]]></openbadges:credential>`.
 *
 * The same rules as builder/credpub/bake.py; tests/credentials/test_bake.py checks that each extracts what
 * the other bakes.
 */

import {credentialElement, elementText, verifyAttribute} from './svg.js';
import {chunks, textChunk} from './png.js';

export const KEYWORD = 'openbadgecredential';
export const OB_NS = 'https://purl.imsglobal.org/ob/v3p0';

let crcTable;
/**
 * CRC-32 of PNG chunks (ISO 3309, as the PNG spec §5.5 prescribes).
 * @param {Uint8Array} bytes
 * @returns {number}
 */
export function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The chunks of a PNG: [{type, start, end}] where start..end spans length, type, data and CRC.
 * @param {Uint8Array} png
 * @throws {Error} when the bytes are not a well-formed PNG
 */
export function pngChunks(png) {
  const all = [...chunks(png)];
  if (!all.length || all[all.length - 1].type !== 'IEND') throw new Error('damaged PNG: no IEND chunk');
  return all;
}

function isCredentialChunk(png, chunk) {
  if (chunk.type !== 'iTXt') return false;
  const key = new TextEncoder().encode(KEYWORD + '\0');
  const data = png.subarray(chunk.start + 8, chunk.end - 4);
  return key.every((b, i) => data[i] === b);
}

/**
 * Bakes a credential into a PNG.
 * @param {Uint8Array} png - the badge image
 * @param {string|Uint8Array} credentialJson - the credential exactly as published (text or UTF-8 bytes)
 * @returns {Uint8Array} a new PNG
 * @throws {Error} when `png` is not a PNG
 */
export function bakePng(png, credentialJson) {
  const chunks = pngChunks(png);
  const enc = new TextEncoder();
  const text = typeof credentialJson === 'string' ? enc.encode(credentialJson) : credentialJson;
  const head = enc.encode(KEYWORD);
  // keyword, NUL, compression flag 0, compression method 0, language tag "", NUL, translated keyword "", NUL
  const data = new Uint8Array(head.length + 5 + text.length);
  data.set(head, 0);
  data.set(text, head.length + 5);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(enc.encode('iTXt'), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));

  const kept = chunks.filter((c) => !isCredentialChunk(png, c));
  const at = kept.findIndex((c) => c.type === 'IDAT' || c.type === 'IEND');
  const parts = [png.subarray(0, 8)];
  kept.forEach((c, i) => {
    if (i === at) parts.push(chunk);
    parts.push(png.subarray(c.start, c.end));
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * The credential text baked in a PNG, or null.
 * @param {Uint8Array} png
 * @returns {string|null}
 */
export function extractPng(png) {
  pngChunks(png); // a damaged file is an error even where the credential comes first
  const found = textChunk(png, KEYWORD);
  if (!found) return null;
  if (found.compressed) throw new Error('compressed openbadgecredential chunk (OB 3.0 forbids compression)');
  return new TextDecoder(found.type === 'iTXt' ? 'utf-8' : 'latin1', {fatal: true}).decode(found.text);
}

/** CDATA cannot hold "]]>": split it across two sections (XML 1.0 §2.7). */
const cdata = (text) => `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;

/**
 * Bakes a credential into an SVG document.
 * @param {string} svg - the badge image's markup
 * @param {string} credentialJson
 * @returns {string}
 * @throws {Error} when `svg` has no <svg> root element
 */
export function bakeSvg(svg, credentialJson) {
  // Drop an earlier credential ("There MUST be only one <openbadges:credential> tag").
  let text = svg.replace(/<openbadges:credential\b[^>]*\/>|<openbadges:credential\b[\s\S]*?<\/openbadges:credential>/g, '');
  const open = /<svg\b[^>]*>/.exec(text.replace(/<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length)));
  if (!open) throw new Error('not an SVG image: no <svg> element');
  let tag = open[0];
  if (!/\sxmlns:openbadges\s*=/.test(tag)) {
    const close = tag.endsWith('/>') ? tag.length - 2 : tag.length - 1;
    tag = `${tag.slice(0, close)} xmlns:openbadges="${OB_NS}"${tag.slice(close)}`;
  }
  if (tag.endsWith('/>')) {
    tag = tag.slice(0, -2) + '>';
    text = text.slice(0, open.index) + tag + text.slice(open.index + open[0].length) + '</svg>';
  } else {
    text = text.slice(0, open.index) + tag + text.slice(open.index + open[0].length);
  }
  const at = open.index + tag.length;
  return `${text.slice(0, at)}<openbadges:credential>${cdata(credentialJson)}</openbadges:credential>${text.slice(at)}`;
}

/**
 * The credential text baked in an SVG (its `verify` attribute first, as bake.py reads it), or null.
 * @param {string} svg
 * @returns {string|null}
 */
export function extractSvg(svg) {
  let element;
  try {
    element = credentialElement(svg);
  } catch {
    return null;
  }
  if (!element) return null;
  return verifyAttribute(element.attributes) ?? elementText(element.content || '');
}
