/**
 * Offline JSON-LD document loader. Contexts come only from the bundle
 * (`builder/credpub/data/contexts/`); nothing is fetched to verify a credential
 * (SPEC "Standards": contexts are bundled and loaded offline). A caller may
 * add documents with `extra` (tests, or an application that vets its own).
 */
import bundled from '#contexts';

/** URL → context document for every bundled context. */
export const CONTEXTS = Object.freeze({...bundled});

/** Raised when a context is neither bundled nor supplied. */
export class UnknownContextError extends Error {
  /** @param {string} url */
  constructor(url) {
    super(`unknown @context "${url}": credpub has no copy of it and does not fetch contexts`);
    this.name = 'UnknownContextError';
    this.url = url;
  }
}

/**
 * Makes a jsonld.js document loader.
 * @param {object} [options]
 * @param {(url: string) => Promise<{document: unknown}|undefined>|{document: unknown}|undefined} [options.extra]
 *   asked for URLs that are not bundled; may return undefined or throw
 * @param {(url: string) => void} [options.onUnknown] - told about a refused URL
 * @returns {(url: string) => Promise<{contextUrl: null, documentUrl: string, document: unknown}>}
 */
export function contextLoader({extra, onUnknown} = {}) {
  return async function loadContext(url) {
    if (Object.prototype.hasOwnProperty.call(CONTEXTS, url)) {
      return {contextUrl: null, documentUrl: url, document: CONTEXTS[url]};
    }
    if (extra) {
      let found;
      try {
        found = await extra(url);
      } catch {
        found = undefined;
      }
      if (found && found.document) {
        const document = typeof found.document === 'string' ? JSON.parse(found.document) : found.document;
        return {contextUrl: null, documentUrl: url, document};
      }
    }
    onUnknown?.(url);
    throw new UnknownContextError(url);
  };
}
