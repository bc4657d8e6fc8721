/**
 * The claim page /c/<token>/ (theme/templates/claim.html), issue 3 point 3.
 *
 * 1. Privacy terms first: fetched from the issuer's privacy page and shown in the consent
 *    panel; the credential appears only after "I agree", which localStorage remembers per
 *    version of the terms.
 * 2. Then the credential card drawn from ./credential.json, its live verification
 *    (window.credpub.verifyCredential), and the actions: download the JSON and the badge baked
 *    in the browser (PNG, SVG), the printable certificate, Add to LinkedIn, copy the share link.
 *
 * Every value from a credential goes into the page through textContent, never innerHTML.
 * Helpers used by share.js and certificate.js are exported from here.
 */
import {bakePng, bakeSvg} from '../bake.js';
import {fragmentSecret, isEnvelope, openEnvelope} from '../claimcrypto.js';
import {untilLabel} from '../dates.js';

const CONSENT_KEY = 'credpub.consent.';

// ---------------------------------------------------------------- shared helpers

/** Creates an element with a class and text (textContent only). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null && text !== '') node.textContent = String(text);
  return node;
}

/** The JSON data block of the page with this id, or {}. */
export function readBlock(id) {
  try {
    return JSON.parse(document.getElementById(id)?.textContent || '{}') || {};
  } catch {
    return {};
  }
}

/** An icon (theme CSS: .i-<name> masks), hidden from assistive technology. */
export function icon(name) {
  const span = el('span', `i i-${name}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

const asArray = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Dates as the build writes them on share pages: "12 June 2026" (en-GB for English). */
export function formatDate(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso ?? '');
  const lang = document.documentElement.lang || 'en';
  try {
    return new Intl.DateTimeFormat(lang.startsWith('en') ? 'en-GB' : lang, {dateStyle: 'long', timeZone: 'UTC'}).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}

/** "LT" → "Lithuania"; anything else as it is. */
export function countryName(value) {
  const v = String(value || '');
  if (!/^[A-Za-z]{2}$/.test(v) || typeof Intl.DisplayNames !== 'function') return v;
  try {
    return new Intl.DisplayNames(['en'], {type: 'region'}).of(v.toUpperCase()) || v;
  } catch {
    return v;
  }
}

/** Markdown list items that follow a bold heading in the criteria narrative (credential.py). */
function listAfter(narrative, heading) {
  const lines = String(narrative || '').split('\n');
  const start = lines.findIndex((l) => l.trim().replace(/\*\*/g, '').replace(/:$/, '') === heading);
  if (start < 0) return [];
  const items = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^\s*[-*]\s+(.*)$/.exec(line);
    if (m) items.push(m[1].trim());
    else if (line.trim() && items.length) break;
  }
  return items;
}

/**
 * What a card shows, read from a credential: plain strings, no markup.
 * @param {object} cred - an OpenBadgeCredential
 */
export function describe(cred) {
  const subject = asArray(cred?.credentialSubject)[0] || {};
  const ach = subject.achievement || {};
  const issuer = typeof cred?.issuer === 'object' && cred.issuer ? cred.issuer : {id: cred?.issuer};
  const nameId = asArray(subject.identifier).find((i) => i && i.identityType === 'name' && !i.hashed);
  const eqf = asArray(ach.alignment).find((a) => /European Qualifications Framework|EQF/i.test(`${a?.targetFramework} ${a?.targetType} ${a?.targetName}`));
  const narrative = ach.criteria?.narrative || '';
  const workload = /\*\*Notional workload:\*\*\s*([0-9.]+)\s*hours/i.exec(narrative);
  const credits = subject.creditsEarned ?? ach.creditsAvailable;
  const grade = asArray(subject.result).find((r) => r && r.value !== undefined);
  const type = asArray(ach.achievementType)[0] || 'Achievement';
  return {
    learner: nameId?.identityHash || subject.name || '',
    achievement: ach.name || cred?.name || '',
    description: ach.description || cred?.description || '',
    kind: type === 'MicroCredential' ? 'Microcredential' : String(type).replace(/([a-z])([A-Z])/g, '$1 $2'),
    issuer: issuer.name || issuer.id || '',
    country: countryName(issuer.address?.addressCountry),
    issuerId: issuer.id || '',
    validFrom: cred?.validFrom || cred?.issuanceDate || '',
    validUntil: cred?.validUntil || cred?.expirationDate || '',
    credits: typeof credits === 'number' ? String(credits) : '',
    eqf: eqf ? String(eqf.targetCode || (/\d+/.exec(eqf.targetName || '') || [''])[0]) : '',
    workload: workload ? workload[1] : '',
    grade: grade ? String(grade.value) : '',
    outcomes: listAfter(narrative, 'Learning outcomes'),
    id: cred?.id || '',
    achievementId: ach.id || '',
  };
}

/**
 * The credential card; the same markup as the share page's (theme/templates/share.html).
 * @param {ReturnType<typeof describe>} d
 * @param {string} badgeSrc
 */
export function card(d, badgeSrc, headingId = 'credential-title') {
  const article = el('article', 'credential');
  article.setAttribute('aria-labelledby', headingId);
  article.append(el('div', 'credential-band'));
  const main = el('div', 'credential-main');
  const badge = el('div', 'credential-badge');
  const img = el('img');
  img.src = badgeSrc;
  img.alt = `Badge of ${d.achievement}`;
  img.width = 192;
  img.height = 192;
  badge.append(img);
  const body = el('div');
  const title = el('h1', '', d.achievement);
  title.id = headingId;
  const learner = el('p', 'learner', d.learner);
  learner.dir = 'auto';
  const issuerLine = el('p', 'issuer-line', 'Issued by ');
  issuerLine.append(el('strong', '', d.issuer));
  if (d.country) issuerLine.append(` · ${d.country}`);
  body.append(el('span', 'kicker', d.kind), title, el('p', 'awarded', 'Awarded to'), learner, issuerLine);
  const facts = el('dl', 'credential-facts');
  const fact = (label, value) => {
    if (!value) return;
    const div = el('div');
    const dd = el('dd', '', value);
    dd.dir = 'auto';
    div.append(el('dt', '', label), dd);
    facts.append(div);
  };
  fact('Issued', formatDate(d.validFrom));
  if (d.validUntil) fact(untilLabel(d.validUntil), formatDate(d.validUntil));
  fact('Credits', d.credits && `${d.credits} ECTS`);
  fact('EQF level', d.eqf);
  fact('Workload', d.workload && `${d.workload} hours`);
  fact('Grade', d.grade);
  body.append(facts);
  if (d.outcomes.length) {
    const list = el('ul', 'outcomes');
    for (const o of d.outcomes) list.append(el('li', '', o));
    body.append(el('h2', '', 'Learning outcomes'), list);
  }
  main.append(badge, body);
  const foot = el('div', 'credential-foot');
  const signed = el('span', '', 'Open Badges 3.0 · signed by ');
  signed.append(el('code', '', d.issuerId));
  foot.append(signed);
  article.append(main, foot);
  return article;
}

/**
 * Fetches this site's own documents (DID document, status lists) by path, so the page checks
 * against the files beside it — also on localhost or a preview host. Anything else: undefined,
 * and the verifier does as it would.
 */
export function siteLoader(siteUrl, root) {
  return async (url) => {
    if (typeof url !== 'string' || !siteUrl || !url.startsWith(siteUrl)) return undefined;
    const res = await fetch(root + url.slice(siteUrl.length).split('#')[0], {credentials: 'omit'});
    if (!res.ok) return undefined;
    return {document: await res.json()};
  };
}

/** A verdict in words: {state, title, text}. state: verified | warning | revoked | invalid. */
export function summarize(result) {
  const by = Object.fromEntries((result?.checks || []).map((c) => [c.name, c]));
  if (result?.verified) {
    if (by.status?.status === 'pass') {
      return {state: 'verified', title: 'Verified', text: 'The signature is valid, the issuer is confirmed and the credential has not been revoked.'};
    }
    return {state: 'verified', title: 'Verified', text: `The signature is valid and the issuer is confirmed. Revocation: ${(by.status?.message || 'not checked').replace(/^not checked: /, 'not checked (')}${/^not checked: /.test(by.status?.message || '') ? ')' : ''}.`};
  }
  if (by.status?.status === 'fail' && /^revoked/i.test(by.status.message)) {
    return {state: 'revoked', title: 'Revoked', text: 'The issuer has revoked this credential; it no longer certifies this achievement.'};
  }
  if (by.dates?.status === 'fail') return {state: 'invalid', title: /expired/i.test(by.dates.message) ? 'Expired' : 'Not valid yet', text: by.dates.message};
  const failed = (result?.checks || []).find((c) => c.status === 'fail');
  return {state: 'invalid', title: 'Not verified', text: failed ? failed.message : 'This credential could not be verified.'};
}

const CHECK_LABELS = {format: 'Format', proof: 'Signature', issuer: 'Issuer', dates: 'Dates', status: 'Revocation'};

/** Fills a .status box with a verdict and a list of its checks. */
export function showStatus(box, result) {
  const s = summarize(result);
  box.dataset.state = s.state;
  box.replaceChildren();
  const text = el('div');
  text.append(el('strong', '', s.title), el('p', '', s.text));
  const details = el('details', 'check-details');
  details.append(el('summary', '', 'What was checked'));
  const list = el('ul', 'checks');
  for (const c of result?.checks || []) {
    const li = el('li', '', `${CHECK_LABELS[c.name] || c.name}: ${c.message}`);
    li.dataset.status = c.status;
    list.append(li);
  }
  details.append(list);
  text.append(details);
  box.append(icon(s.state === 'verified' ? 'shield' : 'alert'), text);
}

/** Verifies JSON text with this site's documents; never rejects. */
export async function verifyHere(text, site, root) {
  const api = globalThis.credpub;
  if (!api?.verifyCredential) return {verified: false, checks: [{name: 'format', status: 'fail', message: 'the verifier did not load'}]};
  return api.verifyCredential(text, {documentLoader: siteLoader(site.url, root)});
}

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
 * @param {ReturnType<typeof describe>} d
 * @param {string} shareUrl - the public share page: certUrl
 * @param {string} certId - the credential id shown as "Credential ID"
 */
export function linkedInUrl(d, shareUrl, certId) {
  const params = new URLSearchParams({startTask: 'CERTIFICATION_NAME', name: d.achievement, organizationName: d.issuer});
  const from = new Date(Date.parse(d.validFrom));
  if (!Number.isNaN(from.getTime())) {
    params.set('issueYear', String(from.getUTCFullYear()));
    params.set('issueMonth', String(from.getUTCMonth() + 1));
  }
  const until = new Date(Date.parse(d.validUntil));
  if (d.validUntil && !Number.isNaN(until.getTime())) {
    params.set('expirationYear', String(until.getUTCFullYear()));
    params.set('expirationMonth', String(until.getUTCMonth() + 1));
  }
  params.set('certUrl', shareUrl);
  if (certId) params.set('certId', certId);
  return `https://www.linkedin.com/profile/add?${params}`;
}

// ---------------------------------------------------------------- the claim page

const ROOT = '../../';

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
  const res = await fetch(`${ROOT}achievements/${encodeURIComponent(slug)}/badge.${ext}`, {credentials: 'omit'});
  if (!res.ok) throw new Error(`the badge image could not be loaded (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

function showClaim(container, bytes, data, site) {
  const text = new TextDecoder().decode(bytes);
  let cred;
  try {
    cred = JSON.parse(text);
  } catch {
    container.append(el('p', 'notice', 'The credential file on this page is damaged. Please contact the issuer.'));
    return;
  }
  const d = describe(cred);
  const slug = String(data.a || '');
  const token = String(data.s || '');
  const shareUrl = `${site.url}s/${token}/`;

  const status = el('div', 'status');
  status.id = 'status';
  status.dataset.state = 'checking';
  status.setAttribute('role', 'status');
  const checking = el('div');
  checking.append(el('strong', '', 'Checking your credential…'), el('p', '', 'The signature, the issuer and the revocation list are checked in your browser.'));
  status.append(icon('shield'), checking);

  const actions = el('section', 'panel');
  actions.setAttribute('aria-labelledby', 'actions-title');
  const h = el('h2', '', 'Keep and share your credential');
  h.id = 'actions-title';
  const toast = el('p', 'toast');
  toast.setAttribute('role', 'status');
  const say = (msg) => {
    toast.textContent = msg;
  };
  const fail = (err) => say(`Sorry, that did not work: ${err?.message || err}`);
  const base = slug || 'credential';
  const group = (items) => {
    const list = el('ul', 'actions');
    for (const item of items) {
      const li = el('li');
      li.append(item);
      list.append(li);
    }
    return list;
  };
  const json = actionButton('download', 'Credential file (JSON)', () => {
    download(bytes, `${base}-credential.json`, 'application/json');
    say('Saved the credential file.');
  });
  json.id = 'download-json';
  const png = actionButton('image', 'Badge image (PNG)', async () => {
    try {
      download(bakePng(await badgeBytes(slug, 'png'), bytes), `${base}-badge.png`, 'image/png');
      say('Saved the badge image with your credential inside (PNG).');
    } catch (err) {
      fail(err);
    }
  });
  png.id = 'download-png';
  const svg = actionButton('image', 'Badge image (SVG)', async () => {
    try {
      const svgText = new TextDecoder().decode(await badgeBytes(slug, 'svg'));
      download(bakeSvg(svgText, text), `${base}-badge.svg`, 'image/svg+xml');
      say('Saved the badge image with your credential inside (SVG).');
    } catch (err) {
      fail(err);
    }
  });
  svg.id = 'download-svg';
  const linkedin = actionLink('linkedin', 'Add to LinkedIn', linkedInUrl(d, shareUrl, d.id), {primary: true, external: true});
  linkedin.id = 'linkedin';
  const certificate = actionLink('print', 'Printable certificate', `${ROOT}certificate/#s=${encodeURIComponent(token)}`);
  certificate.id = 'certificate';

  const share = el('div', 'share-box');
  const label = el('label', '', 'Public link to share');
  label.htmlFor = 'share-url';
  const input = el('input');
  input.id = 'share-url';
  input.readOnly = true;
  input.value = shareUrl;
  const copy = actionButton('link', 'Copy link', async () => {
    try {
      await navigator.clipboard.writeText(shareUrl);
    } catch {
      input.select();
      document.execCommand?.('copy');
    }
    say('Copied the link to your public page.');
  });
  copy.id = 'copy-share';
  share.append(label, input, copy);
  const note = el('p', 'muted', 'Your public page shows your name and this achievement, without your email address. ');
  const open = el('a', '', 'Open your public page');
  open.href = `${ROOT}s/${encodeURIComponent(token)}/`;
  note.append(open, '.');

  const h3a = el('h3', '', 'Share and print');
  const h3b = el('h3', '', 'Download');
  const baked = el('p', 'muted', 'The badge images carry your credential inside them (Open Badges “baking”): the verify page and other verifiers read and check it straight from the image.');
  actions.append(h, h3a, group([linkedin, certificate]), share, note, h3b, group([json, png, svg]), baked, toast);

  container.append(status, card(d, `${ROOT}achievements/${encodeURIComponent(slug)}/badge.svg`), actions);
  verifyHere(text, site, ROOT).then((result) => showStatus(status, result));
}

// ---------------------------------------------------------------- encrypted claims (layers 2, 3)

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
function openHere(env, passphrase) {
  return openEnvelope(env, fragmentSecret(location.hash), passphrase);
}

/** Asks for the passphrase until it opens the envelope. */
function askPassphrase(container, env) {
  return new Promise((resolve) => {
    const panel = el('section', 'panel consent');
    panel.setAttribute('aria-labelledby', 'pass-title');
    const h = el('h1', '', 'Enter your passphrase');
    h.id = 'pass-title';
    const form = el('form', 'share-box');
    const label = el('label', '', 'Passphrase (sent to you separately from the link)');
    label.htmlFor = 'passphrase';
    const input = el('input');
    input.id = 'passphrase';
    input.type = 'password';
    input.autocomplete = 'off';
    input.spellcheck = false;
    const button = el('button', 'button primary', 'Open my credential');
    button.type = 'submit';
    const out = el('p', 'toast');
    out.setAttribute('role', 'status');
    form.append(label, input, button);
    panel.append(h, form, out);
    container.replaceChildren(panel);
    input.focus();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      button.disabled = true;
      out.textContent = 'Opening…';
      try {
        resolve(await openHere(env, input.value));
      } catch (err) {
        out.textContent = `Sorry: ${err.message}.`;
        button.disabled = false;
        input.select();
      }
    });
  });
}

async function reveal(consent, container, data, site) {
  container.replaceChildren(el('p', 'muted', 'Loading your credential…'));
  let bytes;
  try {
    const res = await fetch('credential.json', {credentials: 'omit', cache: 'no-cache'});
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    container.replaceChildren(el('p', 'notice', `Your credential could not be loaded (${err.message}). Please try again later or contact the issuer.`));
    return;
  }
  const env = readEnvelope(bytes);
  if (env) {
    try {
      bytes = env.kdf === 'none' ? await openHere(env) : await askPassphrase(container, env);
    } catch (err) {
      container.replaceChildren(el('p', 'notice', `Your credential could not be opened: ${err.message}.`));
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
  showClaim(container, bytes, data, site);
  container.querySelector('h1')?.setAttribute('tabindex', '-1');
  container.querySelector('h1')?.focus({preventScroll: true});
}

/** The consent panel's body (the shell holds only its heading, to stay small). */
function consentPanel(consent, site) {
  const termsUrl = consent.dataset.termsUrl;
  const kicker = el('span', 'kicker', site.issuer);
  consent.prepend(kicker);
  const intro = el('p', '', 'Before we show it, please read how your personal data is handled. Your credential appears as soon as you agree; this browser remembers your choice.');
  const terms = el('div', 'terms');
  terms.id = 'terms';
  terms.tabIndex = 0;
  terms.setAttribute('role', 'region');
  terms.setAttribute('aria-label', 'Privacy terms');
  const fallback = el('a', '', 'Read the privacy terms');
  fallback.href = termsUrl;
  const p = el('p');
  p.append(fallback);
  terms.append(p);
  const actions = el('div', 'consent-actions');
  const agree = el('button', 'button primary', 'I agree, show my credential');
  agree.type = 'button';
  agree.id = 'agree';
  const own = el('a', '', 'Privacy terms on their own page');
  own.href = termsUrl;
  actions.append(agree, own);
  consent.append(intro, terms, actions);
  loadTerms(termsUrl, terms);
  return agree;
}

export function init() {
  const consent = document.getElementById('consent');
  const container = document.getElementById('claim');
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
