/**
 * Encrypted claims (the encrypted and passphrase layers): the envelope of
 * builder/credpub/credentials/claimcrypto.py, opened with the key in this page's URL fragment
 * and, where the layer asks for one, a passphrase.
 */
import {fragmentSecret, isEnvelope, openEnvelope} from '../../crypto/claimcrypto.js';
import {lang} from '../../site/i18n.js';
import {el} from '../../site/kit.js';
import {CLAIM} from '../../site/strings.js';
import {contactLine} from './actions.js';

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
export function openHere(env, passphrase) {
  return openEnvelope(env, fragmentSecret(location.hash), passphrase);
}

/**
 * Asks for the passphrase until it opens the envelope. Names the credential (from the
 * achievement's facts, public anyway) and whom to ask; a wrong passphrase is an error.
 */
export function askPassphrase(container, env, site, facts) {
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
