/**
 * RDFC-1.0 canonical N-Quads of a JSON-LD document (eddsa-rdfc-2022's
 * transformation), through jsonld.js + rdf-canonize.
 *
 * `safe: true` makes jsonld.js refuse a document with a term no context
 * defines (it would otherwise drop it silently, and the signature would not
 * cover it: SPEC "Pitfalls"). `base: null` as the Python signer does.
 */
import jsonld from 'jsonld';

/** Work limit for the blank-node algorithm (guards against poison graphs). */
const MAX_WORK_FACTOR = 1;
/** Upper bound for one canonicalization; a credential takes milliseconds. */
const TIMEOUT_MS = 10000;

/** The document uses something safe mode refuses. */
export class UnsafeDocumentError extends Error {
  constructor(message, detail) {
    super(message);
    this.name = 'UnsafeDocumentError';
    this.detail = detail;
  }
}

/**
 * Describes a jsonld.js safe-mode error in words.
 * @param {any} err
 * @returns {string|null}
 */
function describeSafeModeError(err) {
  const event = err?.details?.event;
  if (!event) return null;
  const d = event.details || {};
  const what = d.property ?? d.type ?? d.term ?? d.iri ?? d.value;
  const name = what !== undefined ? ` "${typeof what === 'string' ? what : JSON.stringify(what)}"` : '';
  switch (event.code) {
    case 'invalid property':
    case 'invalid property expansion':
      return `the field${name} is not defined by the credential's @context, so the signature would not cover it`;
    case 'relative @type reference':
      return `the type${name} is not defined by the credential's @context`;
    case 'relative @id reference':
    case 'relative @vocab reference':
      return `the identifier${name} is not an absolute URL`;
    default:
      return `${event.message || event.code}${name}`;
  }
}

/**
 * Canonicalizes a JSON-LD document to RDFC-1.0 N-Quads.
 * @param {object} document
 * @param {object} options
 * @param {Function} options.documentLoader - offline context loader
 * @returns {Promise<string>}
 * @throws {UnsafeDocumentError} when safe mode refuses the document;
 *   the loader's error (e.g. an unknown context) as it is
 */
export async function canonizeRdfc(document, {documentLoader}) {
  const signal = typeof AbortSignal !== 'undefined' && AbortSignal.timeout ? AbortSignal.timeout(TIMEOUT_MS) : undefined;
  try {
    return await jsonld.canonize(document, {
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
      safe: true,
      base: null,
      documentLoader,
      maxWorkFactor: MAX_WORK_FACTOR,
      signal,
    });
  } catch (err) {
    let cause = err;
    // jsonld.js wraps loader failures; surface the loader's own error.
    for (let i = 0; i < 5 && cause; i++) {
      if (cause.name === 'UnknownContextError') throw cause;
      cause = cause.details?.cause ?? cause.cause;
    }
    const safe = describeSafeModeError(err);
    if (safe) throw new UnsafeDocumentError(safe, err);
    throw err;
  }
}
