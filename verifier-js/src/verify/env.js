/**
 * Everything verification reaches outside for, in one injected object:
 * the clock, the contexts, the documents pinned in the verify page, the
 * caller's document loader and the network (SPEC: inject whatever reaches
 * outside; STYLE.md "Small, auditable crypto").
 */
import {contextLoader} from './contexts.js';
import {FETCH} from './rules.js';

/** Longest wait for one network request (verifier.json "fetch", as the CLI). */
const FETCH_TIMEOUT_MS = FETCH.requestSeconds * 1000;
/** Largest JSON document fetched (DID documents, status lists). */
const MAX_DOCUMENT_BYTES = FETCH.maxBytes;

/**
 * @typedef {object} Pinned
 * @property {Record<string, object>} [did] - DID (or controller URL) → controller document
 * @property {Record<string, object>} [statusLists] - status list URL → status list credential
 * @property {string} [snapshotDate] - when the status lists were copied (ISO 8601)
 */

/**
 * @typedef {object} VerifyOptions
 * @property {(url: string) => any} [documentLoader] - asked first for unknown
 *   contexts, controller documents (by DID or URL) and status lists; returns
 *   `{document}` or undefined
 * @property {Date|string|number} [now] - the clock (default: now)
 * @property {typeof fetch} [fetch] - network access (default: globalThis.fetch)
 * @property {Pinned} [pinned] - documents shipped with the page, for offline use
 * @property {boolean} [offline] - never use the network
 * @property {WeakMap<object, Promise>} [lists] - verdicts of status list credentials, kept by the
 *   list object across verifications that share it (the verify page's batch: one list, many files)
 */

function toDate(now) {
  if (now === undefined || now === null) return new Date();
  const d = now instanceof Date ? new Date(now.getTime()) : new Date(now);
  return Number.isNaN(d.getTime()) ? new Date() : d;
}

const parse = (doc) => (typeof doc === 'string' ? JSON.parse(doc) : doc);

/**
 * Fetches bytes with a timeout and a size cap.
 * @param {typeof fetch} fetchImpl
 * @param {string} url
 * @param {number} maxBytes
 * @param {string} accept
 * @returns {Promise<{bytes: Uint8Array, contentType: string, url: string}>}
 * @throws {Error} with a short reason
 */
export async function fetchBytes(fetchImpl, url, maxBytes, accept) {
  const signal = typeof AbortSignal !== 'undefined' && AbortSignal.timeout ? AbortSignal.timeout(FETCH_TIMEOUT_MS) : undefined;
  let res;
  try {
    res = await fetchImpl(url, {headers: {accept}, signal, credentials: 'omit', redirect: 'follow'});
  } catch (err) {
    throw new Error(err?.name === 'TimeoutError' ? 'no answer in time' : 'offline or not reachable');
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const declared = Number(res.headers?.get?.('content-length') || 0);
  if (declared > maxBytes) throw new Error(`too large (${declared} bytes)`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > maxBytes) throw new Error(`too large (${bytes.length} bytes)`);
  return {bytes, contentType: (res.headers?.get?.('content-type') || '').toLowerCase(), url: res.url || url};
}

/**
 * Builds the environment of one verification.
 * @param {VerifyOptions} [options]
 */
export function makeEnv(options = {}) {
  const {documentLoader, fetch: fetchOption, pinned, offline = false} = options;
  const pinnedDid = (pinned && typeof pinned.did === 'object' && pinned.did) || {};
  const pinnedLists = (pinned && typeof pinned.statusLists === 'object' && pinned.statusLists) || {};
  const fetchImpl = fetchOption ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : null);
  const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

  async function fromLoader(url) {
    if (!documentLoader) return undefined;
    try {
      const r = await documentLoader(url);
      return r && r.document !== undefined && r.document !== null ? parse(r.document) : undefined;
    } catch {
      return undefined;
    }
  }

  const fetched = new Map(); // URL → Promise, so one verification asks once
  function fetchJson(url) {
    if (!fetched.has(url)) fetched.set(url, fetchJsonOnce(url));
    return fetched.get(url);
  }

  async function fetchJsonOnce(url) {
    if (offline || !fetchImpl) throw new Error('offline');
    if (fetched.size >= FETCH.maxRequests) throw new Error('too many documents');
    const {bytes} = await fetchBytes(fetchImpl, url, MAX_DOCUMENT_BYTES, 'application/did+json, application/ld+json, application/json');
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new Error('not JSON');
    }
  }

  const fromPage = new Map();
  return {
    now: toDate(options.now),
    offline,
    lists: options.lists,
    fetch: fetchImpl,
    contextLoader: contextLoader({extra: documentLoader}),

    /** Controllers whose document came from the copy pinned in the page (id → its date). */
    fromPage,

    /**
     * A controller document: the caller's loader (by id, then URL), fetched, else the copy
     * pinned in the page. The live document decides: a key the issuer has withdrawn since the
     * page was saved no longer verifies there; the copy is used only when the live one cannot
     * be had, and is recorded in `fromPage` so the verdict can say so.
     * @param {string} id - DID or controller URL
     * @param {string} url - where it lives on the web
     */
    async loadJson(id, url) {
      const found = (await fromLoader(id)) ?? (url !== id ? await fromLoader(url) : undefined);
      if (found !== undefined) return found;
      if (!has(pinnedDid, id)) return fetchJson(url);
      if (!offline && fetchImpl) {
        try {
          return await fetchJson(url);
        } catch {
          // not reachable: the copy in the page, as of its date
        }
      }
      fromPage.set(id, pinned.snapshotDate);
      return parse(pinnedDid[id]);
    },

    /**
     * A status list credential: the caller's loader, live, then the pinned
     * snapshot; null when none is reachable.
     * @param {string} url
     * @returns {Promise<{document: object, source: 'loader'|'live'|'pinned', snapshotDate?: string}|{document: null, reason: string}>}
     */
    async loadStatusList(url) {
      const found = await fromLoader(url);
      if (found !== undefined) return {document: found, source: 'loader'};
      let reason = 'offline';
      if (!offline && fetchImpl) {
        try {
          return {document: await fetchJson(url), source: 'live'};
        } catch (err) {
          reason = err.message; // fall through to the snapshot
        }
      }
      if (has(pinnedLists, url)) {
        return {document: parse(pinnedLists[url]), source: 'pinned', snapshotDate: pinned.snapshotDate};
      }
      return {document: null, reason};
    },
  };
}
