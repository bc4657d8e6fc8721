/**
 * The claim page /c/<token>/ (theme/templates/claim.html), issue 3 point 3.
 *
 * 1. Privacy terms first: fetched from the issuer's privacy page and shown in the consent
 *    panel; the credential appears only after "I agree", which localStorage remembers per
 *    version of the terms.
 * 2. Then the credential card drawn from ./credential.json, its live verification
 *    (window.credpub.verifyCredential), and the actions: download the JSON and the badge baked
 *    in the browser (PNG, SVG), the printable certificate, Add to LinkedIn, copy the share link.
 *
 * Every value from a credential goes into the page through textContent, never innerHTML.
 * Helpers used by share.js and certificate.js are exported from here.
 */
import {bakePng, bakeSvg} from '../badge/bake.js';
import {fragmentSecret, isEnvelope, openEnvelope} from '../crypto/claimcrypto.js';
import {cardView, drawCard, formatDate} from '../site/card.js';
import {layer} from '../site/layers.js';
import {CLAIM} from '../site/strings.js';
import {lang} from '../site/i18n.js';

/** The translation of `msgid` in this page's language (<html lang>). */
const _ = (msgid, values) => lang()._(msgid, values);

const CONSENT_KEY = 'credpub.consent.';

// ---------------------------------------------------------------- shared helpers

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
    return JSON.parse(document.getElementById(id)?.textContent || '{}') || {};
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
    const res = await fetch(`${root}achievements/${slug}/facts.json`, {credentials: 'omit'});
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/** The slug of this site's achievement `id` (https://…/achievements/<slug>/), or ''. */
export function achievementSlug(achievementId, siteUrl) {
  const id = String(achievementId || '');
  if (!siteUrl || !id.startsWith(siteUrl)) return '';
  return (/^achievements\/([A-Za-z0-9_-]+)\/$/.exec(id.slice(siteUrl.length)) || ['', ''])[1];
}

/**
 * The credential ID a graduate shows: the share page's token (the last part of its public
 * link). The certificate prints it and the LinkedIn entry carries it as certId, so both match.
 */
export function credentialId(shareUrl) {
  return (/\/s\/([A-Za-z0-9_-]+)\/?(?:#.*)?$/.exec(String(shareUrl || '')) || ['', ''])[1];
}

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

/** Saves bytes as a file download. */
export function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], {type}));
  const a = el('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * LinkedIn's "Add license or certification" URL.
 * @param {ReturnType<typeof cardView>} v - the card's view-model
 * @param {string} shareUrl - the public share page: certUrl
 * @param {{certId?: string, organizationId?: string}} [more] - certId as the certificate's
 *   "Credential ID"; organizationId (site.yml issuer.linkedin_organization_id) links the entry
 *   to the issuer's LinkedIn page
 */
export function linkedInUrl(v, shareUrl, {certId = '', organizationId = ''} = {}) {
  const params = new URLSearchParams({startTask: 'CERTIFICATION_NAME', name: v.achievement, organizationName: v.issuer.name || v.issuer.id});
  if (/^\d+$/.test(String(organizationId))) params.set('organizationId', String(organizationId));
  if (v.valid_from) {
    params.set('issueYear', v.valid_from.slice(0, 4));
    params.set('issueMonth', String(Number(v.valid_from.slice(5, 7))));
  }
  if (v.valid_until) {
    params.set('expirationYear', v.valid_until.slice(0, 4));
    params.set('expirationMonth', String(Number(v.valid_until.slice(5, 7))));
  }
  params.set('certUrl', shareUrl);
  if (certId) params.set('certId', certId);
  return `https://www.linkedin.com/profile/add?${params}`;
}

/**
 * A site-wide page (certificate/, verify/) in this page's language: the default language's at
 * its path, the others one folder deeper (render.SiteRenderer.in_languages).
 */
export function langPath(path, code = lang().code) {
  const langs = languagesOfSite();
  return !langs.length || code === langs[0] || !langs.includes(code) ? path : `${path}${code}/`;
}

/**
 * The relative path from this page to the site root, read from the bundle's own <script src>
 * ("../" on verify/, "../../" on verify/en/): site-wide pages exist once per language.
 */
export function siteRoot(doc = document) {
  const src = doc.querySelector('script[src$="assets/credpub.js"]')?.getAttribute('src') || '';
  return src.endsWith('assets/credpub.js') ? src.slice(0, -'assets/credpub.js'.length) : '../';
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

// ---------------------------------------------------------------- the claim page

const ROOT = '../../';

function consentKey(version) {
  return CONSENT_KEY + (version || 'v');
}

function hasConsent(version) {
  try {
    return localStorage.getItem(consentKey(version)) === 'yes';
  } catch {
    return false;
  }
}

function remember(version) {
  try {
    localStorage.setItem(consentKey(version), 'yes');
  } catch {
    /* private mode: ask again next time */
  }
}

/** The privacy page's article, its links made absolute (it moves from privacy/ to c/<token>/). */
async function loadTerms(url, into) {
  try {
    const res = await fetch(url, {credentials: 'omit'});
    if (!res.ok) return false;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const article = doc.querySelector('article.prose') || doc.querySelector('main');
    if (!article) return false;
    article.querySelectorAll('script, iframe, object, embed, form').forEach((n) => n.remove());
    const base = new URL(url, location.href);
    article.querySelectorAll('[href]').forEach((n) => n.setAttribute('href', new URL(n.getAttribute('href'), base).href));
    article.querySelectorAll('[src]').forEach((n) => n.setAttribute('src', new URL(n.getAttribute('src'), base).href));
    // Headings inside the terms sit below the page's own h1.
    article.querySelectorAll('h1, h2, h3').forEach((h) => {
      const level = Math.min(6, Number(h.tagName[1]) + 1);
      const n = el(`h${level}`);
      n.append(...h.childNodes);
      h.replaceWith(n);
    });
    into.replaceChildren(...Array.from(article.childNodes, (n) => document.importNode(n, true)));
    return true;
  } catch {
    return false;
  }
}

function actionButton(iconName, label, onClick) {
  const b = el('button', 'button');
  b.type = 'button';
  b.append(icon(iconName), label);
  b.addEventListener('click', onClick);
  return b;
}

function actionLink(iconName, label, href, {primary = false, external = false} = {}) {
  const a = el('a', primary ? 'button primary' : 'button');
  a.href = href;
  a.append(icon(iconName), label);
  if (external) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  return a;
}

async function badgeBytes(slug, ext) {
  const res = await fetch(`${ROOT}achievements/${encodeURIComponent(slug)}/badge.${ext}`, {credentials: 'omit'});
  if (!res.ok) throw new Error(_('the badge image could not be loaded (HTTP %(status)s)', {status: res.status}));
  return new Uint8Array(await res.arrayBuffer());
}

function group(items) {
  const list = el('ul', 'actions');
  for (const item of items) {
    const li = el('li');
    li.append(item);
    list.append(li);
  }
  return list;
}

/** "Questions? Write to <a mailto>." with the issuer's address (site.yml issuer.email). */
function contactLine(text, site) {
  const p = el('p', 'contact', text);
  if (site.email) {
    const a = el('a', '', site.email);
    a.href = `mailto:${site.email}`;
    p.append(a, '.');
  } else {
    p.append(site.issuer || '');
  }
  return p;
}

/** The revoked view's status box: date, reason (where the layer allows it), whom to ask. */
function revokedBox(revoked, site) {
  const box = el('div', 'status');
  box.id = 'status';
  box.dataset.state = 'revoked';
  box.setAttribute('role', 'alert');
  const text = el('div');
  text.append(el('strong', '', revoked.date ? CLAIM.revokedTitle(formatDate(revoked.date)) : CLAIM.revokedTitleUndated));
  text.append(el('p', '', CLAIM.revokedAsk(site.issuer || '')));
  if (revoked.reason) text.append(el('p', 'revoked-reason', CLAIM.revokedReason(revoked.reason)));
  text.append(contactLine(revoked.reason ? CLAIM.revokedContact : CLAIM.revokedReasonAsk, site));
  box.append(icon('alert'), text);
  return box;
}

function showClaim(container, bytes, data, site, facts) {
  const text = new TextDecoder().decode(bytes);
  let cred;
  try {
    cred = JSON.parse(text);
  } catch {
    container.append(el('p', 'notice', _('The credential file on this page is damaged. Please contact the issuer.')));
    return;
  }
  const view = cardView(cred, facts, lang().code);
  const how = layer(data.layer);
  const slug = String(data.a || '');
  const token = String(data.s || '');
  const shareUrl = `${site.url}s/${token}/`;

  const checking = el('div', 'status');
  checking.id = 'status';
  checking.dataset.state = 'checking';
  checking.setAttribute('role', 'status');
  const msg = el('div');
  msg.append(el('strong', '', _('Checking your credential…')), el('p', '', _('The signature, the issuer and the revocation list are checked in your browser.')));
  checking.append(icon('shield'), msg);

  const toast = el('p', 'toast');
  toast.setAttribute('role', 'status');
  const say = (m) => {
    toast.textContent = m;
  };
  const fail = (err) => say(_('Sorry, that did not work: %(problem)s', {problem: err?.message || err}));
  const base = slug || 'credential';
  const downloads = () => {
    const json = actionButton('download', _('Credential file (JSON)'), () => {
      download(bytes, `${base}-credential.json`, 'application/json');
      say(_('Saved the credential file.'));
    });
    json.id = 'download-json';
    const png = actionButton('image', _('Badge image (PNG)'), async () => {
      try {
        download(bakePng(await badgeBytes(slug, 'png'), bytes), `${base}-badge.png`, 'image/png');
        say(_('Saved the badge image with your credential inside (PNG).'));
      } catch (err) {
        fail(err);
      }
    });
    png.id = 'download-png';
    const svg = actionButton('image', _('Badge image (SVG)'), async () => {
      try {
        const svgText = new TextDecoder().decode(await badgeBytes(slug, 'svg'));
        download(bakeSvg(svgText, text), `${base}-badge.svg`, 'image/svg+xml');
        say(_('Saved the badge image with your credential inside (SVG).'));
      } catch (err) {
        fail(err);
      }
    });
    svg.id = 'download-svg';
    return group([json, png, svg]);
  };

  /** Share, print, LinkedIn and downloads: for a credential in good standing. */
  const sharing = () => {
    const actions = el('section', 'panel');
    actions.id = 'actions';
    actions.setAttribute('aria-labelledby', 'actions-title');
    const h = el('h2', '', _('Keep and share your credential'));
    h.id = 'actions-title';
    const linkedin = actionLink('linkedin', _('Add to LinkedIn'), '', {primary: true, external: true});
    linkedin.id = 'linkedin';
    const certificate = actionLink('print', _('Printable certificate'), `${ROOT}${langPath('certificate/')}#s=${encodeURIComponent(token)}`);
    certificate.id = 'certificate';

    const share = el('div', 'share-box');
    const label = el('label', '', _('Public link to share'));
    label.htmlFor = 'share-url';
    const input = el('input');
    input.id = 'share-url';
    input.readOnly = true;
    const open = el('a', '', CLAIM.openPublic);
    // The public link, with the name in its fragment when the graduate asks for it (layers
    // whose share credential holds the name only as a salted hash; share.js checks it).
    const setLink = (withName) => {
      const url = withName && view.learner ? `${shareUrl}#n=${encodeURIComponent(view.learner)}` : shareUrl;
      input.value = url;
      open.href = `${ROOT}s/${encodeURIComponent(token)}/${url.slice(shareUrl.length)}`;
      linkedin.href = linkedInUrl(view, url, {certId: credentialId(shareUrl), organizationId: site.linkedin_organization_id});
    };
    const copy = actionButton('link', _('Copy link'), async () => {
      try {
        await navigator.clipboard.writeText(input.value);
      } catch {
        input.select();
        document.execCommand?.('copy');
      }
      say(_('Copied the link to your public page.'));
    });
    copy.id = 'copy-share';
    share.append(label, input, copy);
    const note = el('p', 'muted');
    note.id = 'public-note';
    const parts = [share, note];
    if (how.share_name === 'hashed') {
      note.textContent = `${CLAIM.publicHashedName} `;
      const choice = el('label', 'choice');
      const box = el('input');
      box.type = 'checkbox';
      box.id = 'share-with-name';
      box.addEventListener('change', () => setLink(box.checked));
      choice.append(box, ` ${CLAIM.withName}`);
      parts.push(choice);
    } else {
      note.textContent = `${CLAIM.publicShowsName} `;
    }
    note.append(open, '.');
    setLink(false);
    const baked = el('p', 'muted', _('The badge images carry your credential inside them (Open Badges “baking”): the verify page and other verifiers read and check it straight from the image.'));
    actions.append(h, el('h3', '', _('Share and print')), group([linkedin, certificate]), ...parts,
      el('h3', '', _('Download')), downloads(), baked, toast);
    return actions;
  };

  /** Revoked: nothing to share; the files only for the graduate's records. */
  const records = () => {
    const actions = el('section', 'panel');
    actions.id = 'actions';
    actions.setAttribute('aria-labelledby', 'actions-title');
    const h = el('h2', '', CLAIM.forYourRecords);
    h.id = 'actions-title';
    actions.append(h, el('p', 'muted', CLAIM.forYourRecordsNote), downloads(), toast);
    return actions;
  };

  const revoked = data.revoked && typeof data.revoked === 'object' ? data.revoked : null;
  const status = revoked ? revokedBox(revoked, site) : checking;
  let actions = revoked ? records() : sharing();
  const badge = `${ROOT}achievements/${encodeURIComponent(slug)}/badge.svg`;
  const drawn = drawCard(view, {badgeSrc: badge, achievementHref: `${ROOT}achievements/${encodeURIComponent(slug)}/`});
  if (revoked) drawn.classList.add('revoked');
  container.append(status, drawn, actions);
  if (revoked) return; // the build recorded it: date and reason already shown
  verifyHere(text, site, ROOT).then((result) => {
    showStatus(status, result);
    if (summarize(result).state === 'revoked') { // revoked after this page was built
      drawn.classList.add('revoked');
      const replacement = records();
      actions.replaceWith(replacement);
      actions = replacement;
      status.lastElementChild?.append(contactLine(CLAIM.revokedReasonAsk, site));
    }
  });
}

// ---------------------------------------------------------------- encrypted claims (layers 2, 3)

/** The envelope of builder/credpub/claimcrypto.py, or null when `bytes` is a plain credential. */
export function readEnvelope(bytes) {
  try {
    const env = JSON.parse(new TextDecoder().decode(bytes));
    return isEnvelope(env) ? env : null;
  } catch {
    return null;
  }
}

/** Opens an envelope with the key in this page's URL fragment (and a passphrase). */
function openHere(env, passphrase) {
  return openEnvelope(env, fragmentSecret(location.hash), passphrase);
}

/**
 * Asks for the passphrase until it opens the envelope. Names the credential (from the
 * achievement's facts, public anyway) and whom to ask; a wrong passphrase is an error.
 */
function askPassphrase(container, env, site, facts) {
  return new Promise((resolve) => {
    const panel = el('section', 'panel consent');
    panel.setAttribute('aria-labelledby', 'pass-title');
    const h = el('h1', '', CLAIM.passTitle);
    h.id = 'pass-title';
    const intro = el('p', '', CLAIM.passFor(facts?.name || '', site.issuer || ''));
    intro.id = 'pass-for';
    const form = el('form', 'share-box');
    const label = el('label', '', CLAIM.passLabel);
    label.htmlFor = 'passphrase';
    const input = el('input');
    input.id = 'passphrase';
    input.type = 'password';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.setAttribute('aria-describedby', 'pass-error');
    const button = el('button', 'button primary', CLAIM.passOpen);
    button.type = 'submit';
    const busy = el('p', 'toast');
    busy.setAttribute('role', 'status');
    const error = el('p', 'error');
    error.id = 'pass-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    form.append(label, input, button);
    panel.append(h, intro, form, busy, error, contactLine(CLAIM.passHelp, site));
    container.replaceChildren(panel);
    input.focus();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      button.disabled = true;
      error.hidden = true;
      input.removeAttribute('aria-invalid');
      busy.textContent = CLAIM.passOpening;
      try {
        resolve(await openHere(env, input.value));
      } catch (err) {
        busy.textContent = '';
        error.textContent = CLAIM.passWrong(lang().say(err.text ?? err.message));
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        button.disabled = false;
        input.select();
      }
    });
  });
}

async function reveal(consent, container, data, site) {
  container.replaceChildren(el('p', 'muted', _('Loading your credential…')));
  let bytes;
  const facts = loadFacts(data.a, ROOT);
  try {
    const res = await fetch('credential.json', {credentials: 'omit', cache: 'no-cache'});
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    container.replaceChildren(el('p', 'notice', _('Your credential could not be loaded (%(problem)s). Please try again later or contact the issuer.', {problem: err.message})));
    return;
  }
  const env = readEnvelope(bytes);
  if (env) {
    try {
      bytes = env.kdf === 'none' ? await openHere(env) : await askPassphrase(container, env, site, await facts);
    } catch (err) {
      container.replaceChildren(el('p', 'notice', _('Your credential could not be opened: %(problem)s.', {problem: lang().say(err.text ?? err.message)})));
      return;
    }
  }
  try {
    // The certificate (same tab) shows this credential — the private one, grade and name
    // included — rather than the public share credential.
    sessionStorage.setItem(`credpub.credential.${data.s}`, new TextDecoder().decode(bytes));
  } catch {
    /* storage disabled: the certificate falls back to the share credential */
  }
  container.replaceChildren();
  showClaim(container, bytes, data, site, await facts);
  container.querySelector('h1')?.setAttribute('tabindex', '-1');
  container.querySelector('h1')?.focus({preventScroll: true});
}

/** The consent panel's body (the shell holds only its heading, to stay small). */
function consentPanel(consent, site) {
  const termsUrl = consent.dataset.termsUrl;
  const kicker = el('span', 'kicker', site.issuer);
  consent.prepend(kicker);
  const intro = el('p', '', _('Before we show it, please read how your personal data is handled. Your credential appears as soon as you agree; this browser remembers your choice.'));
  const terms = el('div', 'terms');
  terms.id = 'terms';
  terms.tabIndex = 0;
  terms.setAttribute('role', 'region');
  terms.setAttribute('aria-label', _('Privacy terms'));
  const fallback = el('a', '', _('Read the privacy terms'));
  fallback.href = termsUrl;
  const p = el('p');
  p.append(fallback);
  terms.append(p);
  const actions = el('div', 'consent-actions');
  const agree = el('button', 'button primary', _('I agree, show my credential'));
  agree.type = 'button';
  agree.id = 'agree';
  const own = el('a', '', _('Privacy terms on their own page'));
  own.href = termsUrl;
  actions.append(agree, own);
  consent.append(intro, terms, actions);
  loadTerms(termsUrl, terms);
  return agree;
}

export function init() {
  const consent = document.getElementById('consent');
  const container = document.getElementById('claim');
  if (!consent || !container) return;
  const data = readBlock('credpub-claim');
  const site = readBlock('credpub-site');
  const version = consent.dataset.termsVersion || '';
  if (hasConsent(version)) {
    reveal(consent, container, data, site);
    return;
  }
  const agree = consentPanel(consent, site);
  agree.addEventListener('click', () => {
    remember(version);
    reveal(consent, container, data, site);
  });
}
