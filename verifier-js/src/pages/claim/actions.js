/**
 * The claim page's actions: download the credential and the badge baked with it in the browser
 * (PNG, SVG), the printable certificate, Add to LinkedIn, the public link to share and the way
 * into a wallet; for a revoked credential, the files for the graduate's records only.
 */
import {bakePng, bakeSvg} from '../../badge/bake.js';
import {translate as _} from '../../site/i18n.js';
import {credentialId, el, icon, langPath} from '../../site/kit.js';
import {achievementFile, CERTIFICATE_PAGE, CREDENTIAL_FILE, rootOf, sharePage} from '../../layout.js';
import {drawQr} from '../../site/qr.js';
import {CLAIM} from '../../site/strings.js';

/** The way up from c/<token>/ to the site root. */
export const ROOT = rootOf('claim_page');

/**
 * What the actions work on (index.js showClaim makes it).
 * @typedef {object} Claim
 * @property {Uint8Array} bytes - the credential file as published
 * @property {string} text - the same, as text
 * @property {object} site - the #credpub-site block
 * @property {string} token - the share page's token
 * @property {string} slug - the achievement's slug
 * @property {string} shareUrl - the public share page
 * @property {object} view - the card's view-model (card.js cardView)
 * @property {object} how - the claim layer (layers.js)
 * @property {HTMLElement} toast - the line that says what an action did ({@link toastLine})
 * @property {(message: string) => void} say
 * @property {(error: unknown) => void} fail
 */

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
export function contactLine(text, site) {
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

/** The line that says what an action did: {toast, say(message), fail(error)}. */
export function toastLine() {
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

/** A "Copy link" button for a read-only input. */
function copyButton(input, id, done, say) {
  const copy = actionButton('link', _('Copy link'), async () => {
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      input.select();
      document.execCommand?.('copy');
    }
    say(done);
  });
  copy.id = id;
  return copy;
}

/**
 * Add to a wallet. The DCC Learner Credential Wallet fetches a credential from a URL (typed or
 * scanned) with a plain GET, or reads a file or a baked PNG; its other routes need a server.
 * A plain claim: the URL of the very file this page read (no fragment), as QR code and link.
 * An encrypted claim: the host holds only ciphertext, so the files are the way.
 */
function walletBox(claim) {
  const box = el('div', 'wallet');
  box.id = 'wallet';
  if (claim.how.claim_at_rest !== 'plain') {
    box.append(el('p', '', _('This site holds your credential only encrypted: a wallet cannot fetch it. Save the file or the PNG below, then in the Learner Credential Wallet: Add Credential → Add from File.')));
    return box;
  }
  const url = new URL(CREDENTIAL_FILE, location.href).href;
  const qr = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  qr.id = 'wallet-qr';
  qr.setAttribute('role', 'img');
  const label = el('label', '', _('Link to your credential file, for a wallet'));
  qr.setAttribute('aria-label', label.textContent);
  drawQr(qr, url);
  label.htmlFor = 'wallet-url';
  const input = el('input');
  input.id = 'wallet-url';
  input.readOnly = true;
  input.value = url;
  const link = el('div', 'share-box');
  link.append(label, input, copyButton(input, 'copy-wallet', _('Link copied.'), claim.say));
  box.append(el('p', '', _('In the Learner Credential Wallet: Add Credential → Scan QR Code, or paste the link; or save the file below and Add from File.')), qr, link);
  return box;
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
  const copy = copyButton(input, 'copy-share', _('Copied the link to your public page.'), say);
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
export function sharingPanel(claim) {
  const actions = actionsPanel(_('Keep and share your credential'));
  const linkedin = actionLink('linkedin', _('Add to LinkedIn'), '', {primary: true, external: true});
  linkedin.id = 'linkedin';
  const certificate = actionLink('print', _('Printable certificate'), `${ROOT}${langPath(CERTIFICATE_PAGE)}#s=${encodeURIComponent(claim.token)}`);
  certificate.id = 'certificate';
  const parts = shareBox(claim, linkedin);
  const baked = el('p', 'muted', _('The badge images carry your credential inside them (Open Badges “baking”): the verify page and other verifiers read and check it straight from the image.'));
  actions.append(el('h3', '', _('Share and print')), group([linkedin, certificate]), ...parts,
    el('h3', '', _('Add to a wallet')), walletBox(claim), el('h3', '', _('Download')), downloadActions(claim), baked, claim.toast);
  return actions;
}

/** Revoked: nothing to share; the files only for the graduate's records. */
export function recordsPanel(claim) {
  const actions = actionsPanel(CLAIM.forYourRecords);
  actions.append(el('p', 'muted', CLAIM.forYourRecordsNote), downloadActions(claim), claim.toast);
  return actions;
}
