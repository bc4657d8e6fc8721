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
 */
import {bakePng, bakeSvg} from '../badge/bake.js';
import {fragmentSecret, isEnvelope, openEnvelope} from '../crypto/claimcrypto.js';
import {cardView, drawCard, formatDate} from '../site/card.js';
import {layer} from '../site/layers.js';
import {CLAIM} from '../site/strings.js';
import {lang, translate as _} from '../site/i18n.js';
import {byId, credentialId, el, icon, langPath, loadFacts, readBlock, showStatus, summarize, verifyHere} from '../site/kit.js';
import {achievementFile, achievementPage, CERTIFICATE_PAGE, CREDENTIAL_FILE, rootOf, sharePage} from '../site/layout.js';

const CONSENT_KEY = 'credpub.consent.';

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

// ---------------------------------------------------------------- the claim page

const ROOT = rootOf('claim_page');

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
  const res = await fetch(ROOT + achievementFile(encodeURIComponent(slug), `badge_${ext}`), {credentials: 'omit'});
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

/** The status box while the credential is checked in the browser. */
function checkingBox() {
  const box = el('div', 'status');
  box.id = 'status';
  box.dataset.state = 'checking';
  box.setAttribute('role', 'status');
  const msg = el('div');
  msg.append(el('strong', '', _('Checking your credential…')), el('p', '', _('The signature, the issuer and the revocation list are checked in your browser.')));
  box.append(icon('shield'), msg);
  return box;
}

/** The line that says what an action did: {toast, say(message), fail(error)}. */
function toastLine() {
  const toast = el('p', 'toast');
  toast.setAttribute('role', 'status');
  const say = (m) => {
    toast.textContent = m;
  };
  const fail = (err) => say(_('Sorry, that did not work: %(problem)s', {problem: err?.message || err}));
  return {toast, say, fail};
}

/** The downloads: the credential file and the badge baked with it (PNG, SVG). */
function downloadActions(claim) {
  const {bytes, text, slug, say, fail} = claim;
  const base = slug || 'credential';
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
}

/** An actions panel with its heading. */
function actionsPanel(title) {
  const actions = el('section', 'panel');
  actions.id = 'actions';
  actions.setAttribute('aria-labelledby', 'actions-title');
  const h = el('h2', '', title);
  h.id = 'actions-title';
  actions.append(h);
  return actions;
}

/**
 * The public link box: the link (with the name in its fragment when the graduate asks for it,
 * on layers whose share credential holds the name only as a salted hash; share.js checks it),
 * a copy button and the note on what the public page shows. Keeps `linkedin` on the same link.
 */
function shareBox(claim, linkedin) {
  const {view, how, token, shareUrl, site, say} = claim;
  const share = el('div', 'share-box');
  const label = el('label', '', _('Public link to share'));
  label.htmlFor = 'share-url';
  const input = el('input');
  input.id = 'share-url';
  input.readOnly = true;
  const open = el('a', '', CLAIM.openPublic);
  const setLink = (withName) => {
    const url = withName && view.learner ? `${shareUrl}#n=${encodeURIComponent(view.learner)}` : shareUrl;
    input.value = url;
    open.href = `${ROOT}${sharePage(encodeURIComponent(token))}${url.slice(shareUrl.length)}`;
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
  return parts;
}

/** Share, print, LinkedIn and downloads: for a credential in good standing. */
function sharingPanel(claim) {
  const actions = actionsPanel(_('Keep and share your credential'));
  const linkedin = actionLink('linkedin', _('Add to LinkedIn'), '', {primary: true, external: true});
  linkedin.id = 'linkedin';
  const certificate = actionLink('print', _('Printable certificate'), `${ROOT}${langPath(CERTIFICATE_PAGE)}#s=${encodeURIComponent(claim.token)}`);
  certificate.id = 'certificate';
  const parts = shareBox(claim, linkedin);
  const baked = el('p', 'muted', _('The badge images carry your credential inside them (Open Badges “baking”): the verify page and other verifiers read and check it straight from the image.'));
  actions.append(el('h3', '', _('Share and print')), group([linkedin, certificate]), ...parts,
    el('h3', '', _('Download')), downloadActions(claim), baked, claim.toast);
  return actions;
}

/** Revoked: nothing to share; the files only for the graduate's records. */
function recordsPanel(claim) {
  const actions = actionsPanel(CLAIM.forYourRecords);
  actions.append(el('p', 'muted', CLAIM.forYourRecordsNote), downloadActions(claim), claim.toast);
  return actions;
}

/** Checks the credential here and shows the verdict; one revoked since the build turns to records. */
async function showVerdict(claim, status, drawn, actions) {
  const result = await verifyHere(claim.text, claim.site, ROOT);
  showStatus(status, result);
  if (summarize(result).state !== 'revoked') return;
  drawn.classList.add('revoked');
  actions.replaceWith(recordsPanel(claim));
  status.lastElementChild?.append(contactLine(CLAIM.revokedReasonAsk, claim.site));
}

/** The credential, its card, its status and what the graduate can do with it. */
function showClaim(container, bytes, data, site, facts) {
  const text = new TextDecoder().decode(bytes);
  let cred;
  try {
    cred = JSON.parse(text);
  } catch {
    container.append(el('p', 'notice', _('The credential file on this page is damaged. Please contact the issuer.')));
    return;
  }
  const token = String(data.s || '');
  const claim = {
    bytes, text, site, token,
    view: cardView(cred, facts, lang().code),
    how: layer(data.layer),
    slug: String(data.a || ''),
    shareUrl: site.url + sharePage(token),
    ...toastLine(),
  };
  const revoked = data.revoked && typeof data.revoked === 'object' ? data.revoked : null;
  const status = revoked ? revokedBox(revoked, site) : checkingBox();
  const actions = revoked ? recordsPanel(claim) : sharingPanel(claim);
  const slug = encodeURIComponent(claim.slug);
  const drawn = drawCard(claim.view, {badgeSrc: ROOT + achievementFile(slug, 'badge_svg'), achievementHref: ROOT + achievementPage(slug)});
  if (revoked) drawn.classList.add('revoked');
  container.append(status, drawn, actions);
  if (!revoked) showVerdict(claim, status, drawn, actions); // revoked: the build recorded date and reason
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
    const res = await fetch(CREDENTIAL_FILE, {credentials: 'omit', cache: 'no-cache'});
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
  const consent = byId('consent');
  const container = byId('claim');
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
