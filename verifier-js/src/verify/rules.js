/**
 * The verifier's limits and verdict wording, from builder/credpub/data/verifier.json:
 * the one copy the Python verifier (rules.py) reads too, so the page, the
 * CLI and the README say the same thing.
 */
import RULES from '../../../builder/credpub/data/verifier.json' with {type: 'json'};

/** The most bytes any inflation may produce (PNG text chunks, status lists). */
export const MAX_INFLATE = RULES.maxInflateBytes;
/** JSON nested deeper than this is refused before parsing. */
export const MAX_JSON_DEPTH = RULES.maxJsonDepth;
/** What one verification may fetch: maxBytes each, requestSeconds each, maxRequests in all. */
export const FETCH = RULES.fetch;

/**
 * A verdict sentence, its {placeholders} filled.
 * @param {'foreignIssuer'|'statusSnapshot'|'encryptedClaim'} key
 * @param {Record<string, string>} [values]
 * @returns {string}
 */
export function words(key, values = {}) {
  return RULES[key].replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
}

/**
 * The deepest [ / { nesting of JSON text, counted without recursion.
 * @param {string} text
 * @returns {number}
 */
export function jsonDepth(text) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) deepest = Math.max(deepest, ++depth);
    else if (ch === 93 || ch === 125) depth--;
  }
  return deepest;
}
