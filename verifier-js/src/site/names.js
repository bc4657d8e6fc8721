/**
 * Names held as a salted hash (share credentials of encrypted claims): the one rule that puts a
 * name in the form that is hashed, the check of a typed or linked name against the hash, and the
 * form that asks for one (share and verify pages; the certificate checks a linked name).
 */
import {byId, el} from './kit.js';
import {translate as _} from './i18n.js';
import {sha256} from '../crypto/hash.js';
import {toHex} from '../crypto/multibase.js';
import FOLD from '../../../builder/credpub/data/casefold.json' with {type: 'json'};

/** Full case folding where it is not lower case (data/casefold.json, generated from Python). */
const foldOf = (c) => {
  const cp = c.codePointAt(0);
  const run = FOLD.runs.find(([first, count]) => cp >= first && cp < first + count);
  return run ? String.fromCodePoint(cp + run[2]) + run[3] : c.toLowerCase();
};

/** Format characters and controls that are not white space: such a name is refused. */
const REFUSED = /[\p{Cf}\0-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]/u;

/**
 * The form a name is hashed in, by the rule of credential.py's normalize_name, or null for a
 * name it refuses (a format character (Cf: U+FEFF, U+202E, U+200B …) or a control: invisible,
 * they let a name pass that shows as another). Else NFKC, full case folding (lower case per
 * character, so no final-sigma context), NFKC again, white space collapsed (NFKC has made the
 * other spaces U+0020), trimmed. Folding the NFD form needs the table only for characters
 * without a decomposition (tests/credentials/test_names.py checks the result for every code point).
 */
export function normalizeName(name) {
  const s = String(name);
  if (REFUSED.test(s)) return null;
  const text = Array.from(s.normalize('NFKC').normalize('NFD'), foldOf).join('').normalize('NFKC');
  return text.replace(/[\t-\r \x85\u1680\u2028\u2029]+/g, ' ').replace(/^ | $/g, '');
}

/** The credential's name IdentityObject when it is hashed, else undefined. */
export function hashedName(cred) {
  const subject = Array.isArray(cred?.credentialSubject) ? cred.credentialSubject[0] : cred?.credentialSubject;
  const ids = subject?.identifier;
  return (Array.isArray(ids) ? ids : [ids]).find((i) => i?.identityType === 'name' && i.hashed === true);
}

/** True when `name` is the name hashed in this IdentityObject. */
export async function nameMatches(name, identity) {
  const form = normalizeName(name);
  if (form === null) return false;
  const hash = `sha256$${toHex(sha256(form + (identity.salt || '')))}`;
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
  const note = byId('name-note');
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
