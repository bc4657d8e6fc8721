/**
 * Reading PNG files, for the baker (bake.js) and the verifier's input (verify/extract.js): one
 * walk over the chunks and one reader of the text chunks a credential is baked in
 * (tEXt, zTXt, iTXt; PNG spec §11.3.4).
 */
export const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const latin1 = new TextDecoder('latin1');

/** Whether the bytes start as a PNG file does. */
export const isPng = (bytes) => bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b);

/** The position of the next NUL byte from `from`, or the end. */
const nul = (bytes, from) => {
  const i = bytes.indexOf(0, from);
  return i < 0 ? bytes.length : i;
};

/**
 * The chunks of a PNG one at a time, up to IEND: {type, start, end}, where start..end spans
 * length, type, data and CRC. Lazy, so a reader that finds what it wants stops early.
 * @param {Uint8Array} png
 * @throws {Error} when the bytes are not a PNG, or when a chunk runs past the end
 */
export function* chunks(png) {
  if (!isPng(png)) throw new Error('not a PNG image');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let pos = 8; pos + 12 <= png.length;) {
    const end = pos + 12 + view.getUint32(pos);
    if (end > png.length) throw new Error('damaged PNG: a chunk runs past the end of the file');
    const type = latin1.decode(png.subarray(pos + 4, pos + 8));
    yield {type, start: pos, end};
    if (type === 'IEND') return;
    pos = end;
  }
}

/**
 * The first text chunk (tEXt, zTXt or iTXt) with this keyword, or null. iTXt: its text and
 * whether it is compressed; tEXt: latin-1 text; zTXt: compressed text.
 * @param {Uint8Array} png
 * @param {string} keyword
 * @param {Set<string>} [seen] - collects the keywords of the other text chunks passed
 * @returns {{type: string, text: Uint8Array, compressed: boolean}|null}
 */
export function textChunk(png, keyword, seen = new Set()) {
  for (const {type, start, end} of chunks(png)) {
    if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt') continue;
    const data = png.subarray(start + 8, end - 4);
    const keyEnd = nul(data, 0);
    const key = latin1.decode(data.subarray(0, keyEnd));
    if (key !== keyword) {
      seen.add(key);
      continue;
    }
    const rest = data.subarray(keyEnd + 1);
    if (type === 'tEXt') return {type, text: rest, compressed: false};
    if (type === 'zTXt') return {type, text: rest.subarray(1), compressed: true};
    // compression flag, compression method, language tag NUL, translated keyword NUL, text
    const translatedEnd = nul(rest, nul(rest, 2) + 1);
    return {type, text: rest.subarray(translatedEnd + 1), compressed: rest[0] === 1};
  }
  return null;
}
