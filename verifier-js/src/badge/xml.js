/**
 * XML text to characters, by the one rule Python's credentials/bake.py follows too: the five
 * predefined entities (case as written) and numeric character references to an XML Char;
 * anything else stays as written, in one pass. verifier-js/test/fixtures/xml-unescape.json holds
 * both sides to the same cases.
 */
const NAMED = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'"};

/** XML 1.0 §2.2 Char: what a character reference may name. */
const isXmlChar = (c) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

/**
 * @param {string} text
 * @returns {string}
 */
export function unescapeXml(text) {
  return text.replace(/&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/g, (ref, name) => {
    if (name[0] !== '#') return NAMED[name];
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return isXmlChar(code) ? String.fromCodePoint(code) : ref;
  });
}
