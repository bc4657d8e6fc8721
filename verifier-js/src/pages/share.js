/**
 * The share page /s/<token>/ (theme/templates/share.html), issue 3 point 4: the card is
 * rendered by the build (and works without JavaScript); this adds the live verification of the
 * page's own credential.json and, when the credential carries the holder's name only as a
 * salted hash (encrypted claims), a form to check a name against it — and the name itself
 * when the holder's link carries it (`#n=<name>`, claim.js) and it matches the hash.
 */
import {el, readBlock, showStatus, verifyHere} from './claim.js';
import {isPast} from '../dates.js';
import {CARD, SHARE} from './strings.js';

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
  const label = el('label', '', 'Check the holder\'s name');
  label.htmlFor = 'name-input';
  const input = el('input');
  input.id = 'name-input';
  input.autocomplete = 'off';
  const button = el('button', 'button', 'Check');
  button.type = 'submit';
  const out = el('p', 'toast');
  out.setAttribute('role', 'status');
  form.append(label, input, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await nameMatches(input.value, identity);
    out.textContent = ok ? `“${input.value.trim()}” is the name in this credential.` : 'That is not the name in this credential.';
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
    a.href = `${ROOT}certificate/#s=${token}&n=${encodeURIComponent(name)}`;
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
    showStatus(box, {verified: false, checks: [{name: 'format', status: 'fail', message: `the credential file could not be loaded (${err.message})`}]});
    return;
  }
  try {
    const hashed = hashedName(JSON.parse(text));
    if (hashed) {
      nameCheck(hashed);
      const withheld = {learner: document.getElementById('learner')?.textContent, note: document.getElementById('name-note')?.textContent};
      nameFromLink(hashed, withheld);
      addEventListener('hashchange', () => nameFromLink(hashed, withheld));
    }
  } catch {
    /* the verdict below says what is wrong with the file */
  }
  showStatus(box, await verifyHere(text, site, ROOT));
}
