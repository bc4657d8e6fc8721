/**
 * The share page /s/<token>/ (theme/templates/share.html): the card is
 * rendered by the build (and works without JavaScript); this adds the live verification of the
 * page's own credential.json and, when the credential carries the holder's name only as a
 * salted hash (encrypted claims), a form to check a name against it — and the name itself
 * when the holder's link carries it (`#n=<name>`, claim.js) and it matches the hash.
 */
import {achievementSlug, byId, el, icon, langPath, loadFacts, readBlock, showStatus, verifyHere} from '../site/kit.js';
import {fragmentName, hashedName, nameCheck, nameMatches} from '../site/names.js';
import {achievementPage, BADGE_SVG, CERTIFICATE_PAGE, CREDENTIAL_FILE, rootOf, shareTokenOf, siteWideLink} from '../layout.js';
import {SHARE, CARD} from '../site/strings.js';
import {isPast} from '../verify/dates.js';
import {cardView, drawCard} from '../site/card.js';
import {lang, translateTexts, translate as _} from '../site/i18n.js';

const ROOT = rootOf('share_page');

/** Shows the name from the link when it matches the credential's hash; never an unchecked one. */
async function nameFromLink(identity, withheld) {
  const learner = byId('learner');
  const note = byId('name-note');
  if (!learner || !note || !crypto?.subtle) return;
  const name = fragmentName(location.hash);
  const ok = !!name && (await nameMatches(name, identity));
  if (name !== fragmentName(location.hash)) return; // the link changed meanwhile
  learner.textContent = ok ? name : withheld.learner;
  note.textContent = ok ? SHARE.nameFromLink : withheld.note;
  if (ok) learner.dataset.checked = 'yes';
  else delete learner.dataset.checked;
  // With a checked name the printable certificate can name the holder too.
  byId('certificate')?.parentElement.remove();
  const token = shareTokenOf(location.pathname);
  const actions = document.querySelector('.actions');
  if (ok && token && actions) {
    const a = el('a', 'button');
    a.id = 'certificate';
    a.href = `${ROOT}${langPath(CERTIFICATE_PAGE)}#s=${token}&n=${encodeURIComponent(name)}`;
    a.append(icon('print'), SHARE.certificate);
    const li = el('li');
    li.append(a);
    actions.firstElementChild?.after(li);
  }
}

export async function init() {
  // The server-rendered card says "Valid until"; once that date is past it says "Expired on".
  for (const dt of document.querySelectorAll('.credential-facts dt')) {
    if (dt.textContent === CARD.validUntil && isPast(dt.nextElementSibling?.querySelector('time')?.getAttribute('datetime'))) {
      dt.textContent = CARD.expiredOn;
    }
  }
  const box = byId('status');
  if (!box) return;
  const site = readBlock('credpub-site');
  let text;
  try {
    const res = await fetch(CREDENTIAL_FILE, {credentials: 'omit', cache: 'no-cache'});
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    text = await res.text();
  } catch (err) {
    showStatus(box, {verified: false, checks: [{name: 'format', status: 'fail', message: _('the credential file could not be loaded (%(problem)s)', {problem: err.message})}]});
    return;
  }
  let cred = null;
  let hashed = null;
  const withheld = {};
  const nameTools = () => {
    if (!hashed) return;
    withheld.learner = CARD.nameWithheld;
    withheld.note = CARD.nameNote;
    nameCheck(hashed);
    nameFromLink(hashed, withheld);
  };
  try {
    cred = JSON.parse(text);
    hashed = hashedName(cred) || null;
    if (hashed) {
      nameTools();
      addEventListener('hashchange', () => nameFromLink(hashed, withheld));
    }
  } catch {
    /* the verdict below says what is wrong with the file */
  }
  const state = {result: null};
  languageSwitch(box, cred, site, state, nameTools);
  state.result = await verifyHere(text, site, ROOT);
  showStatus(box, state.result);
}

/**
 * The share page's language switch (partials/languages.html): the build writes the page once,
 * in the site's default language; this redraws it in another from the bundled catalogue and the
 * achievement's texts in facts.json (so no award needs a second page per language).
 */
function languageSwitch(box, cred, site, state, nameTools) {
  const buttons = [...document.querySelectorAll('.lang-switch button[data-lang]')];
  if (!buttons.length || !cred) return;
  const slug = achievementSlug(cred.credentialSubject?.achievement?.id, site.url);
  let facts = null;
  const switchTo = async (code) => {
    const from = lang().code;
    if (code === from) return;
    facts ??= await loadFacts(slug, ROOT);
    const card = document.querySelector('article.credential');
    translateTexts(document.body, from, code, (n) => n === card || n.id === 'status');
    document.documentElement.lang = code;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.lang === code));
    if (card) {
      const view = cardView(cred, facts, code);
      const learner = byId('learner');
      if (learner?.dataset.checked) view.learner = learner.textContent; // a name the link proved
      const page = ROOT + langPath(achievementPage(slug), code); // its badge is drawn in `code` too
      const next = drawCard(view, {badgeSrc: page + BADGE_SVG, achievementHref: slug ? page : ''});
      card.replaceWith(next);
      if (!view.learner) nameTools();
    }
    for (const a of document.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href');
      const m = siteWideLink(href);
      if (m) a.setAttribute('href', `${m[1]}${langPath(`${m[2]}/`, code)}${m[3] || ''}`);
    }
    if (state.result) showStatus(box, state.result);
  };
  for (const b of buttons) {
    b.hidden = false;
    b.addEventListener('click', () => switchTo(b.dataset.lang));
  }
}
