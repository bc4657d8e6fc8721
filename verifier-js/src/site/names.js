/**
 * Names held as a salted hash (share credentials of encrypted claims): the one rule that puts a
 * name in the form that is hashed, the check of a typed or linked name against the hash, and the
 * form that asks for one (share and verify pages; the certificate checks a linked name).
 */
import {el} from './kit.js';
import {lang} from './i18n.js';

const _ = (msgid, values) => lang()._(msgid, values);

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
