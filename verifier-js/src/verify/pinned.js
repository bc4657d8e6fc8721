/**
 * The issuer's documents pinned in a page by the Python build, for offline
 * verification: `<script type="application/json" id="credpub-pinned">`
 * holding `{"did": {"<did>": <DID document>}, "statusLists": {"<url>":
 * <status list credential>}, "snapshotDate": "<ISO 8601>"}`.
 */

/**
 * Reads the pinned block of the page; an absent or malformed block is none.
 * @param {Document} [doc]
 * @returns {import('./env.js').Pinned|undefined}
 */
export function readPinned(doc = globalThis.document) {
  const el = doc?.getElementById('credpub-pinned');
  if (!el) return undefined;
  try {
    const value = JSON.parse(el.textContent || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
