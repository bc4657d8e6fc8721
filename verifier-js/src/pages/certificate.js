/**
 * The printable certificate (theme/templates/certificate.html, stored once at certificate/),
 * opened as certificate/#s=<share_token>, it fills one A4 sheet from that
 * share credential (or, opened from the claim page, the graduate's own credential kept in
 * sessionStorage) and draws a QR code to the share page. `<body data-ready>` tells pdf.py (and
 * tests) that the sheet is complete. A new `#s=` in the same tab draws the new sheet.
 * The values are the card's (src/site/card.js cardView), so the certificate says what the cards say.
 */
import {cardView, countryName, formatDate, formatNumber} from '../site/card.js';
import {byId as $, achievementSlug, credentialId, el, keepInLanguageLinks, langPath, loadFacts, readBlock, siteRoot, summarize, verifyHere} from '../site/kit.js';
import {fragmentName, hashedName, nameMatches} from '../site/names.js';
import {achievementPage, BADGE_SVG, CREDENTIAL_FILE, sharePage} from '../layout.js';
import {lang, translate as _} from '../site/i18n.js';
import {CARD, CERTIFICATE} from '../site/strings.js';
import {drawQr} from '../site/qr.js';

let ROOT = '../';

function fail(message) {
  $('cert-message').textContent = message;
  document.body.dataset.ready = 'error';
}

/** Empties the sheet for a new credential. */
function reset() {
  delete document.body.dataset.ready;
  $('sheet').hidden = true;
  $('sheet').classList.remove('void');
  delete $('sheet').dataset.void;
  $('print').disabled = true;
  $('cert-facts').replaceChildren();
  $('cert-outcome-list').replaceChildren();
  $('cert-outcomes').hidden = true;
  $('cert-message').textContent = _('Preparing the certificate…');
}

let run = 0;

async function show(site) {
  const mine = ++run;
  const stale = () => mine !== run; // a newer #s= won
  reset();
  const token = /(?:^#|&)s=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
  if (!token) {
    fail(_('No credential was given: open this page from a credential page.'));
    return;
  }
  // Opened from the claim page: the graduate's own credential (name, grade), kept for this
  // tab only; otherwise the public share credential.
  let text = null;
  try {
    text = sessionStorage.getItem(`credpub.credential.${token}`);
  } catch {
    text = null;
  }
  if (!text) {
    try {
      const res = await fetch(ROOT + sharePage(token) + CREDENTIAL_FILE, {credentials: 'omit'});
      if (!res.ok) throw new Error(res.status === 404 ? _('no such credential') : `HTTP ${res.status}`);
      text = await res.text();
    } catch (err) {
      if (!stale()) fail(_('The credential could not be loaded: %(problem)s.', {problem: err.message}));
      return;
    }
  }
  if (stale()) return;
  let cred;
  try {
    cred = JSON.parse(text);
  } catch {
    fail(_('The credential file is damaged.'));
    return;
  }
  const slug = achievementSlug(cardView(cred).achievement_id, site.url);
  const facts = await loadFacts(slug, ROOT);
  if (stale()) return;
  const v = cardView(cred, facts, lang().code);
  // A name the holder put in the link (#n=, share page) counts only when it matches the hash.
  const hashed = v.learner ? undefined : hashedName(cred);
  const linked = fragmentName(location.hash);
  if (hashed && linked && (await nameMatches(linked, hashed))) v.learner = linked;
  if (stale()) return;
  if (!v.learner) {
    fail(_('This credential names its holder only as a hash: open the certificate from your own credential page.'));
    return;
  }
  const shareUrl = site.url + sharePage(token);
  document.title = `${v.achievement} · ${v.learner} · ${v.issuer.name}`;
  $('cert-kind').textContent = v.type === 'MicroCredential' ? _('Microcredential certificate') : _('Certificate of achievement');
  $('cert-learner').textContent = v.learner;
  $('cert-achievement').textContent = v.achievement;
  $('cert-description').textContent = v.description;
  const facts_ = $('cert-facts');
  const fact = (label, value) => {
    if (!value) return;
    const div = el('div');
    div.append(el('dt', '', label), el('dd', '', value));
    facts_.append(div);
  };
  fact(CARD.credits, v.credits !== null ? CARD.ects(formatNumber(v.credits)) : '');
  fact(CARD.eqf, v.eqf);
  fact(CARD.workload, v.workload_hours !== null ? CARD.hours(v.workload_hours) : '');
  fact(CARD.grade, v.grade);
  if (v.valid_until) fact(CARD.validUntil, formatDate(v.valid_until));
  fact(CARD.signed, v.signed !== v.valid_from && v.signed && formatDate(v.signed));  // signed after its issue date
  if (v.outcomes.length) {
    const list = $('cert-outcome-list');
    for (const o of v.outcomes) list.append(el('li', '', o));
    $('cert-outcomes').hidden = false;
  }
  $('cert-date').textContent = formatDate(v.valid_from);
  const country = countryName(v.issuer.country);
  $('cert-issuer-line').textContent = country ? `${v.issuer.name}, ${country}` : v.issuer.name;
  const badge = $('cert-badge');
  badge.hidden = !slug;
  if (slug) badge.src = ROOT + langPath(achievementPage(slug)) + BADGE_SVG; // in the page's language
  drawQr($('cert-qr'), shareUrl);
  $('cert-url').textContent = shareUrl.replace(/^https:\/\//, '');
  // The same ID as the LinkedIn entry's certId (claim.js).
  $('cert-id').textContent = CERTIFICATE.credentialId(credentialId(shareUrl));
  $('sheet').hidden = false;

  const verdict = summarize(await verifyHere(text, site, ROOT));
  if (stale()) return;
  if (verdict.state === 'revoked' || verdict.state === 'invalid') {
    $('sheet').classList.add('void');
    $('sheet').dataset.void = verdict.title;
    $('cert-message').textContent = _('%(verdict)s: %(reason)s This certificate is not valid.', {verdict: verdict.title, reason: verdict.text});
  } else {
    $('cert-message').textContent = _('Verified. Print it, or save it as a PDF from the print dialog.');
    $('print').disabled = false;
  }
  document.body.dataset.ready = verdict.state;
}

export function init() {
  ROOT = siteRoot();
  const site = readBlock('credpub-site');
  $('print').addEventListener('click', () => window.print());
  window.addEventListener('hashchange', () => {
    keepInLanguageLinks();
    show(site);
  });
  keepInLanguageLinks();
  show(site);
}
