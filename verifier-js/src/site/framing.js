/**
 * Claim and verify pages refuse to work inside a frame. Another site could load a graduate's
 * claim page in an invisible iframe and trick them into clicking "I agree" (clickjacking), or
 * frame the verify page to dress up its verdict as the other site's own. The real
 * defence is the `frame-ancestors 'none'` header (`credpub serve`, the site's `_headers`), but
 * GitHub Pages sends no custom headers and a <meta> CSP cannot say frame-ancestors; so this runs
 * before any page code: when framed, the page shows why and a link to open it on its own,
 * and the page's own code (the consent gate, the verifier) never starts.
 */
import {lang} from './i18n.js';

/** Pages whose code must not run framed (main.js asks before calling their init()). */
export const FRAME_REFUSING_PAGES = new Set(['claim', 'verify']);

export function isFramed(win = globalThis) {
  try {
    return win.self !== win.top;
  } catch {
    return true; // a browser that will not even say: assume the worst
  }
}

/** When framed: replace the page's content with a notice; returns true (the caller stops). */
export function refuseIfFramed(doc = globalThis.document, win = globalThis) {
  if (!isFramed(win)) return false;
  const main = doc.getElementById('main') || doc.body;
  const notice = doc.createElement('section');
  notice.className = 'panel notice framed';
  notice.id = 'framed';
  const p = doc.createElement('p');
  const L = lang();
  p.textContent = L._('For your safety this page does not work inside another website.');
  const a = doc.createElement('a');
  a.href = win.location.href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = L._('Open it in its own tab');
  notice.append(p, a);
  main.replaceChildren(notice);
  doc.body.dataset.framed = 'refused';
  return true;
}
