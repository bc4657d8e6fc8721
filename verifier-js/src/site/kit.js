/**
 * The page kit: what every page script (claim, share, certificate, verify) uses — elements,
 * the page's data blocks, achievement facts, the verdict box and verifying against this site's
 * own documents, the way to the site root and to pages in another language. Pages import this,
 * never each other.
 *
 * Every value from a credential goes into the page through textContent, never innerHTML.
 */
import {lang, translate as _} from './i18n.js';
import {achievementFile, BUNDLE, languageVariant, shareTokenOf, slugOf} from '../layout.js';

/** The page's element with this id, or null. */
export const byId = (id) => document.getElementById(id);

/** Creates an element with a class and text (textContent only). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null && text !== '') node.textContent = String(text);
  return node;
}

/** The JSON data block of the page with this id, or {}. */
export function readBlock(id) {
  try {
    return JSON.parse(byId(id)?.textContent || '{}') || {};
  } catch {
    return {};
  }
}

/** An icon (theme CSS: .i-<name> masks), hidden from assistive technology. */
export function icon(name) {
  const span = el('span', `i i-${name}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

/**
 * An achievement's structured facts (achievements/<slug>/facts.json: workload, outcomes, EU
 * elements), or null. `root` leads from this page to the site root.
 */
export async function loadFacts(slug, root) {
  if (!/^[A-Za-z0-9_-]+$/.test(String(slug || ''))) return null;
  try {
    const res = await fetch(root + achievementFile(slug, 'facts_file'), {credentials: 'omit'});
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/** The slug of this site's achievement `id` (https://…/achievements/<slug>/), or ''. */
export function achievementSlug(achievementId, siteUrl) {
  const id = String(achievementId || '');
  if (!siteUrl || !id.startsWith(siteUrl)) return '';
  return slugOf(id.slice(siteUrl.length));
}

/**
 * The credential ID a graduate shows: the share page's token (the last part of its public
 * link). The certificate prints it and the LinkedIn entry carries it as certId, so both match.
 */
export const credentialId = shareTokenOf;

/**
 * Fetches this site's own documents (DID document, status lists) by path, so the page checks
 * against the files beside it — also on localhost or a preview host. Anything else: undefined,
 * and the verifier does as it would.
 */
export function siteLoader(siteUrl, root) {
  return async (url) => {
    if (typeof url !== 'string' || !siteUrl || !url.startsWith(siteUrl)) return undefined;
    const res = await fetch(root + url.slice(siteUrl.length).split('#')[0], {credentials: 'omit'});
    if (!res.ok) return undefined;
    return {document: await res.json()};
  };
}

/** A verdict in words: {state, title, text}. state: verified | warning | revoked | invalid. */
export function summarize(result) {
  const by = Object.fromEntries((result?.checks || []).map((c) => [c.name, c]));
  if (result?.verified) {
    if (by.status?.status === 'pass') {
      return {state: 'verified', title: _('Verified'), text: _('The signature is valid, the issuer is confirmed and the credential has not been revoked.')};
    }
    return {state: 'verified', title: _('Verified'), text: _('The signature is valid and the issuer is confirmed. Revocation: %(status)s.', {status: by.status ? lang().say(by.status.text ?? by.status.message) : _('not checked')})};
  }
  if (by.status?.status === 'fail' && /^revoked/i.test(by.status.message)) {
    return {state: 'revoked', title: _('Revoked'), text: _('The issuer has revoked this credential; it no longer certifies this achievement.')};
  }
  if (by.dates?.status === 'fail') return {state: 'invalid', title: /expired/i.test(by.dates.message) ? _('Expired') : _('Not valid yet'), text: lang().say(by.dates.text ?? by.dates.message)};
  const failed = (result?.checks || []).find((c) => c.status === 'fail');
  return {state: 'invalid', title: _('Not verified'), text: failed ? lang().say(failed.text ?? failed.message) : _('This credential could not be verified.')};
}

/** The checks' names in this page's language. */
export function checkLabel(name) {
  return {format: _('Format'), proof: _('Signature'), issuer: _('Issuer'), dates: _('Dates'), status: _('Revocation')}[name] || name;
}

/** Fills a .status box with a verdict and a list of its checks. */
export function showStatus(box, result) {
  const s = summarize(result);
  box.dataset.state = s.state;
  box.replaceChildren();
  const text = el('div');
  text.append(el('strong', '', s.title), el('p', '', s.text));
  const details = el('details', 'check-details');
  details.append(el('summary', '', _('What was checked')));
  const list = el('ul', 'checks');
  for (const c of result?.checks || []) {
    const li = el('li', '', _('%(check)s: %(result)s', {check: checkLabel(c.name), result: lang().say(c.text ?? c.message)}));
    li.dataset.status = c.status;
    list.append(li);
  }
  details.append(list);
  text.append(details);
  box.append(icon(s.state === 'verified' ? 'shield' : 'alert'), text);
}

/** Verifies JSON text with this site's documents; never rejects. */
export async function verifyHere(text, site, root) {
  const api = globalThis.credpub;
  if (!api?.verifyCredential) return {verified: false, checks: [{name: 'format', status: 'fail', message: _('the verifier did not load')}]};
  return api.verifyCredential(text, {documentLoader: siteLoader(site.url, root)});
}

/**
 * A site-wide page (certificate/, verify/) in this page's language: the default language's at
 * its path, the others one folder deeper (render.SiteRenderer.in_languages).
 */
export function langPath(path, code = lang().code) {
  const langs = languagesOfSite();
  return !langs.length || code === langs[0] || !langs.includes(code) ? path : languageVariant(path, code);
}

/**
 * The relative path from this page to the site root, read from the bundle's own <script src>
 * ("../" on verify/, "../../" on verify/en/): site-wide pages exist once per language.
 */
export function siteRoot(doc = document) {
  const src = doc.querySelector(`script[src$="${BUNDLE}"]`)?.getAttribute('src') || '';
  return src.endsWith(BUNDLE) ? src.slice(0, -BUNDLE.length) : '../';
}

/**
 * The language switch's links (partials/languages.html) keep what this page was opened with
 * (verify/?url=…, certificate/#s=…), so switching language keeps the credential on screen.
 */
export function keepInLanguageLinks(doc = document) {
  for (const a of doc.querySelectorAll('.lang-switch a[href]')) {
    const href = a.getAttribute('href').replace(/[?#].*$/, '');
    a.setAttribute('href', href + location.search + location.hash);
  }
}

/** The site's languages, default first (the #credpub-site block). */
export function languagesOfSite() {
  const site = readBlock('credpub-site');
  return Array.isArray(site.languages) ? site.languages.map(String) : [];
}
