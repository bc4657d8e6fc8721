/**
 * Entry point of the site's one script bundle (dist/credpub.js, an IIFE so
 * that pages work when opened from file://). Each page says which it is with
 * `<body data-page="…">`; this calls that page's `init()`.
 * `window.credpub` exposes the verifier for tests and other page scripts.
 */
import {verifyCredential, warmUp, CHECK_NAMES} from './verify/verify.js';
import {extractFromImage, extractFromBytes, parseText} from './verify/extract.js';
import {readPinned} from './verify/pinned.js';
import {FRAME_REFUSING_PAGES, refuseIfFramed} from './site/framing.js';
import * as verifyPage from './pages/verify.js';
import * as claimPage from './pages/claim/index.js';
import * as sharePage from './pages/share.js';
import * as certificatePage from './pages/certificate.js';

const PAGES = {verify: verifyPage, claim: claimPage, share: sharePage, certificate: certificatePage};

globalThis.credpub = Object.freeze({
  verifyCredential,
  warmUp,
  extractFromImage,
  extractFromBytes,
  parseText,
  readPinned,
  CHECK_NAMES,
  version: typeof __CREDPUB_VERSION__ === 'string' ? __CREDPUB_VERSION__ : 'dev',
});

function start() {
  const name = document.body?.dataset.page;
  if (FRAME_REFUSING_PAGES.has(name) && refuseIfFramed()) return; // before the consent gate
  const page = PAGES[name];
  if (page && typeof page.init === 'function') page.init();
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, {once: true});
  else start();
}
