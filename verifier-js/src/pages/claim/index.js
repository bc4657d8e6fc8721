/**
 * The claim page /c/<token>/ (theme/templates/claim.html).
 *
 * 1. Privacy terms first: fetched from the issuer's privacy page and shown in the consent
 *    panel; the credential appears only after "I agree", which localStorage remembers per
 *    version of the terms.
 * 2. Then the credential card drawn from ./credential.json (opened first when it is an
 *    encrypted claim: passphrase.js), its live verification (window.credpub.verifyCredential),
 *    and the actions (actions.js).
 *
 * Every value from a credential goes into the page through textContent, never innerHTML.
 */
import {cardView, drawCard, formatDate} from '../../site/card.js';
import {layer} from '../../site/layers.js';
import {CLAIM} from '../../site/strings.js';
import {lang, translate as _} from '../../site/i18n.js';
import {byId, el, icon, langPath, loadFacts, readBlock, showStatus, summarize, verifyHere} from '../../site/kit.js';
import {achievementPage, BADGE_SVG, CREDENTIAL_FILE, sharePage} from '../../layout.js';
import {contactLine, recordsPanel, ROOT, sharingPanel, toastLine} from './actions.js';
import {askPassphrase, openHere, readEnvelope} from './passphrase.js';

const CONSENT_KEY = 'credpub.consent.';

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
  const page = ROOT + langPath(achievementPage(slug)); // in the claim page's language, its badge too
  const drawn = drawCard(claim.view, {badgeSrc: page + BADGE_SVG, achievementHref: page});
  if (revoked) drawn.classList.add('revoked');
  container.append(status, drawn, actions);
  if (!revoked) showVerdict(claim, status, drawn, actions); // revoked: the build recorded date and reason
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
