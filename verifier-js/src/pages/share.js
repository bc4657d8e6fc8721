/**
 * The share page /s/<token>/ (theme/templates/share.html), issue 3 point 4: the card is
 * rendered by the build (and works without JavaScript); this adds the live verification of the
 * page's own credential.json and, when the credential carries the holder's name only as a
 * salted hash (encrypted claims), a form to check a name against it — and the name itself
 * when the holder's link carries it (`#n=<name>`, claim.js) and it matches the hash.
 */
import {achievementSlug, el, langPath, loadFacts, readBlock, showStatus, verifyHere} from './claim.js';
import {SHARE, CARD} from '../site/strings.js';
import {isPast} from '../verify/dates.js';
import {cardView, drawCard} from '../site/card.js';
import {lang, translateTexts} from '../site/i18n.js';

const _ = (msgid, values) => lang()._(msgid, values);

const ROOT = '../../';

/** As credential.py's normalize_name: NFC, trimmed, single spaces, case-folded. */
export function normalizeName(name) {
  // JS has no full case folding; lower case plus the folds that differ in practice (ß, ς).
  return String(name).normalize('NFC').trim().split(/\s+/).join(' ').toLowerCase()
    .replace(/ß/g, 'ss').replace(/ς/g, 'σ');
}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The credential's name IdentityObject when it is hashed, else undefined. */
export function hashedName(cred) {
  const subject = Array.isArray(cred?.credentialSubject) ? cred.credentialSubject[0] : cred?.credentialSubject;
  const ids = subject?.identifier;
  return (Array.isArray(ids) ? ids : [ids]).find((i) => i?.identityType === 'name' && i.hashed === true);
}

/** True when `name` is the name hashed in this IdentityObject. */
export async function nameMatches(name, identity) {
  const hash = `sha256$${await sha256Hex(normalizeName(name) + (identity.salt || ''))}`;
  return hash === identity.identityHash;
}

/** The name a holder's link carries after #n=, or ''. */
export function fragmentName(hash) {
  const m = /(?:^#|&)n=([^&]*)/.exec(hash || '');
  if (!m) return '';
  try {
    return decodeURIComponent(m[1]).trim().slice(0, 200);
  } catch {
    return '';
  }
}

/** The form that checks a typed name against the hash (after the card's #name-note). */
export function nameCheck(identity) {
  const note = document.getElementById('name-note');
  if (!note || !crypto?.subtle) return;
  const form = el('form', 'share-box');
  form.id = 'name-check';
  const label = el('label', '', _('Check the holder\'s name'));
  label.htmlFor = 'name-input';
  const input = el('input');
  input.id = 'name-input';
  input.autocomplete = 'off';
  const button = el('button', 'button', _('Check'));
  button.type = 'submit';
  const out = el('p', 'toast');
  out.setAttribute('role', 'status');
  form.append(label, input, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await nameMatches(input.value, identity);
    out.textContent = ok ? _('“%(name)s” is the name in this credential.', {name: input.value.trim()}) : _('That is not the name in this credential.');
    out.dataset.match = ok ? 'yes' : 'no';
  });
  note.after(form, out);
}

/** Shows the name from the link when it matches the credential's hash; never an unchecked one. */
async function nameFromLink(identity, withheld) {
  const learner = document.getElementById('learner');
  const note = document.getElementById('name-note');
  if (!learner || !note || !crypto?.subtle) return;
  const name = fragmentName(location.hash);
  const ok = !!name && (await nameMatches(name, identity));
  if (name !== fragmentName(location.hash)) return; // the link changed meanwhile
  learner.textContent = ok ? name : withheld.learner;
  note.textContent = ok ? SHARE.nameFromLink : withheld.note;
  if (ok) learner.dataset.checked = 'yes';
  else delete learner.dataset.checked;
  // With a checked name the printable certificate can name the holder too.
  document.getElementById('certificate')?.parentElement.remove();
  const token = /\/s\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname)?.[1];
  const actions = document.querySelector('.actions');
  if (ok && token && actions) {
    const a = el('a', 'button');
    a.id = 'certificate';
    a.href = `${ROOT}${langPath('certificate/')}#s=${token}&n=${encodeURIComponent(name)}`;
    a.append(el('span', 'i i-print'), SHARE.certificate);
    a.firstChild.setAttribute('aria-hidden', 'true');
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
  const box = document.getElementById('status');
  if (!box) return;
  const site = readBlock('credpub-site');
  let text;
  try {
    const res = await fetch('credential.json', {credentials: 'omit', cache: 'no-cache'});
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
 * achievement's texts in facts.json (no second page per award: issue 9, point 3).
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
      const learner = document.getElementById('learner');
      if (learner?.dataset.checked) view.learner = learner.textContent; // a name the link proved
      const img = card.querySelector('.credential-badge img');
      const next = drawCard(view, {badgeSrc: img?.getAttribute('src'), achievementHref: slug ? `${ROOT}${langPath(`achievements/${slug}/`, code)}` : ''});
      card.replaceWith(next);
      if (!view.learner) nameTools();
    }
    for (const a of document.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href');
      const m = /^(\.\.\/\.\.\/)(verify|certificate)\/(?:[a-z]{2,3}\/)?([?#].*)?$/.exec(href);
      if (m) a.setAttribute('href', `${m[1]}${langPath(`${m[2]}/`, code)}${m[3] || ''}`);
    }
    if (state.result) showStatus(box, state.result);
  };
  for (const b of buttons) {
    b.hidden = false;
    b.addEventListener('click', () => switchTo(b.dataset.lang));
  }
}
