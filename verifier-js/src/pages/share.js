/**
 * The share page /s/<token>/ (theme/templates/share.html), issue 3 point 4: the card is
 * rendered by the build (and works without JavaScript); this adds the live verification of the
 * page's own credential.json and, when the credential carries the holder's name only as a
 * salted hash (encrypted claims), a form to check a name against it.
 */
import {el, readBlock, showStatus, verifyHere} from './claim.js';
import {untilLabel} from '../dates.js';

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

function nameCheck(identity) {
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
    const hash = `sha256$${await sha256Hex(normalizeName(input.value) + (identity.salt || ''))}`;
    const ok = hash === identity.identityHash;
    out.textContent = ok ? `“${input.value.trim()}” is the name in this credential.` : 'That is not the name in this credential.';
    out.dataset.match = ok ? 'yes' : 'no';
  });
  note.after(form, out);
}

export async function init() {
  const until = document.getElementById('valid-until');  // server-rendered "Valid until"; past → "Expired on"
  if (until) until.querySelector('dt').textContent = untilLabel(until.querySelector('time')?.getAttribute('datetime'));
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
    const ids = JSON.parse(text)?.credentialSubject?.identifier;
    const hashed = (Array.isArray(ids) ? ids : [ids]).find((i) => i?.identityType === 'name' && i.hashed);
    if (hashed) nameCheck(hashed);
  } catch {
    /* the verdict below says what is wrong with the file */
  }
  showStatus(box, await verifyHere(text, site, ROOT));
}
