/**
 * The /verify/ page (theme/templates/verify.html): drop zone, file picker,
 * paste box, URL field and `?url=` deep link; a result panel with one line
 * per check, and a credential card drawn from verified data only.
 * All text goes in through textContent, never innerHTML.
 */
import {byId as $, achievementSlug, el, keepInLanguageLinks, langPath, loadFacts, readBlock, siteLoader, siteRoot} from '../site/kit.js';
import {achievementPage, BADGE_SVG, VERIFY_PAGE} from '../layout.js';
import {lang, translate as _} from '../site/i18n.js';
import {cardView, drawCard as drawCredentialCard, formatDate} from '../site/card.js';
import {CARD} from '../site/strings.js';
import {hashedName, nameCheck} from '../site/names.js';
import {verifyCredential, warmUp, CHECK_NAMES} from '../verify/verify.js';
import {readPinned} from '../verify/pinned.js';
import {didWebToUrl} from '../verify/did.js';

const say = (c) => lang().say(c.text ?? c.message);
const label = (name) => ({
  format: _('Credential format'),
  proof: _('Signature'),
  issuer: _('Issuer'),
  dates: _('Validity dates'),
  status: _('Revocation'),
})[name];
const statusWord = (status) => ({pass: _('passed'), fail: _('failed'), skipped: _('not checked')})[status];
/** The path from this page to the site root: "../", or "../../" for verify/<lang>/. */
let ROOT = '../';
const ICONS = {pass: '\u2713', fail: '\u2717', skipped: '\u2013'};
const TONES = {ok: 'cpv-ok', bad: 'cpv-bad', neutral: 'cpv-neutral'};
const TONE_ICONS = {ok: ICONS.pass, bad: ICONS.fail, neutral: '!'};


const issuerIdOf = (credential) => (typeof credential?.issuer === 'string' ? credential.issuer : credential?.issuer?.id);

/**
 * This site's issuer, as the build states it: the DID pinned in the page and
 * the name in #credpub-site. None on a page without them.
 * @returns {{did: string, name?: string}|null}
 */
export function siteIssuerOf(pinned, site) {
  const dids = Object.keys(pinned?.did ?? {});
  if (dids.length !== 1) return null;
  return {did: dids[0], name: typeof site?.issuer === 'string' && site.issuer ? site.issuer : undefined};
}

/**
 * A validly signed credential whose issuer is not this site's: whatever name
 * it gives itself, it is someone else's (verifier.json "foreignIssuer").
 * @returns {string|null} the sentence to say first, or null
 */
export function foreignIssuer(result, siteIssuer) {
  if (!siteIssuer || !result.credential) return null;
  const proof = result.checks.find((c) => c.name === 'proof');
  const issuer = issuerIdOf(result.credential);
  if (proof?.status !== 'pass' || issuer === siteIssuer.did) return null;
  // verifier.json's foreignIssuer (the CLI's words), in the page's language: test/i18n.test.js
  // holds the English to it.
  return _('Signature valid — but NOT issued by %(site)s: issuer is %(issuer)s; its name is self-declared',
    {site: siteIssuer.name ?? siteIssuer.did, issuer: String(issuer)});
}

/** The headline and its tone from a verdict; said from this site's point of view when given. */
export function headline(result, siteIssuer = null) {
  const foreign = foreignIssuer(result, siteIssuer);
  if (foreign) {
    // Said first and plainly, in a neutral tone: the signature holds, but not for this issuer.
    const own = headline(result);
    return {tone: 'neutral', text: foreign, note: own.tone === 'bad' ? _('Also: %(verdict)s', {verdict: own.text}) : undefined, foreign: true};
  }
  const by = Object.fromEntries(result.checks.map((c) => [c.name, c]));
  if (result.verified) {
    // What the page could not check live is said with the verdict, not only in the list.
    const notes = [];
    if (by.issuer.snapshot) notes.push(_('Issuer key: checked against the copy in this page (not live).'));
    if (by.status.status !== 'pass') notes.push(_('Revocation %(status)s', {status: say(by.status)}));
    else if (by.status.snapshot) notes.push(_('Revocation: %(status)s', {status: say(by.status)}));
    return {tone: 'ok', text: _('Verified'), note: notes.length ? notes.join(' ') : undefined};
  }
  if (!result.credential) return {tone: 'bad', text: _('Could not read a credential')};
  // A forged document's revocation status means nothing: signature first.
  if (by.proof.status === 'fail') return {tone: 'bad', text: _('Not valid: the signature does not match')};
  if (by.issuer.status === 'fail') return {tone: 'bad', text: _('Not verified: the issuer cannot be confirmed')};
  if (by.status.status === 'fail' && /^(revoked|suspended)/.test(by.status.message)) {
    return {tone: 'bad', text: by.status.message.startsWith('revoked') ? _('Revoked') : _('Suspended')};
  }
  if (by.dates.status === 'fail') return {tone: 'bad', text: /^expired/.test(by.dates.message) ? _('Expired') : _('Not valid yet')};
  return {tone: 'bad', text: _('Not verified')};
}

/**
 * An image URL the page may load: data:, from this site, or (for this
 * issuer's own credentials) the same file in this copy of the site, so the
 * card has its badge on localhost and from file:// too. The verify page is
 * one level below the site root. CSP: img-src 'self' data:.
 */
function safeImage(image, credential, pinned) {
  const src = typeof image === 'string' ? image : image?.id;
  if (typeof src !== 'string') return null;
  if (/^data:image\/(png|svg\+xml|jpeg|gif|webp);/i.test(src)) return src;
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer?.id;
  if (pinned?.did && Object.prototype.hasOwnProperty.call(pinned.did, issuer) && issuer.startsWith('did:web:')) {
    try {
      const base = didWebToUrl(issuer).replace(/(\.well-known\/)?did\.json$/, '');
      if (src.startsWith(base) && !src.slice(base.length).includes('..')) {
        return new URL(src.slice(base.length), new URL(ROOT, location.href)).href;
      }
    } catch {
      // not a did:web we can map
    }
  }
  try {
    const url = new URL(src, location.href);
    return url.origin === location.origin && url.protocol.startsWith('http') ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The credential card (src/site/card.js, the same as on the claim and share pages), drawn from
 * verified data only; for this site's own achievements with their facts (workload, outcomes).
 */
async function drawCard(card, credential, result, pinned, site, foreign = false) {
  const by = Object.fromEntries(result.checks.map((c) => [c.name, c]));
  const plainView = cardView(credential);
  // Another issuer's credential gets nothing from this site: no facts, no image.
  const slug = !foreign && /^https?:$/.test(location.protocol) ? achievementSlug(plainView.achievement_id, site?.url) : '';
  const facts = slug ? await loadFacts(slug, ROOT) : null;
  const view = cardView(credential, facts, lang().code);
  if (foreign) view.issuer.name = _('%(issuer)s (self-declared)', {issuer: view.issuer.name || view.issuer.id});
  const page = slug ? ROOT + langPath(achievementPage(slug)) : '';
  // This site's own achievement: its badge in the page's language, as the card's texts.
  const img = slug ? page + BADGE_SVG : !foreign && safeImage(view.image, credential, pinned); // slug: never foreign
  const drawn = drawCredentialCard(view, {badgeSrc: img, heading: 3, achievementHref: page});
  if (!img) drawn.querySelector('.credential-badge')?.remove();
  card.replaceChildren(drawn);
  const hashed = view.learner ? undefined : hashedName(credential);
  if (hashed) nameCheck(hashed); // "the holder can tell you the name, and you can check it here"
  if (by.status.status === 'fail' || by.dates.status === 'fail') {
    const stamp = by.status.status === 'fail'
      ? (by.status.message.startsWith('suspended') ? _('Suspended') : _('Revoked')) : _('Not currently valid');
    card.append(el('p', 'cpv-card-stamp', stamp.toLocaleUpperCase(lang().locale)));
  }
  card.hidden = false;
}

/** The check list of a verdict, one line per check: the single view's and each batch row's. */
function checkItems(result) {
  return CHECK_NAMES.map((name) => {
    const c = result.checks.find((x) => x.name === name);
    const li = el('li', `cpv-check cpv-${c.snapshot ? 'snapshot' : c.status}`);
    const icon = el('span', 'cpv-check-icon', ICONS[c.status]);
    icon.setAttribute('aria-hidden', 'true');
    // A snapshot copied into the page is not a live answer: never "passed".
    li.append(icon, el('span', 'cpv-check-label', label(name)), el('span', 'cpv-check-state', c.snapshot ? _('snapshot') : statusWord(c.status)),
      el('span', 'cpv-check-message', say(c)));
    return li;
  });
}

/** Signature and issuer confirmed (checks come in CHECK_NAMES order): only then does the page show what the credential says. */
const shown = (result) => result.credential && result.checks[1].status === 'pass' && result.checks[2].status === 'pass';

function showResult(ui, result) {
  const h = headline(result, ui.siteIssuer);
  ui.result.classList.remove('cpv-busy', ...Object.values(TONES));
  ui.result.classList.add(TONES[h.tone]);
  ui.result.setAttribute('aria-busy', 'false');
  ui.verdictIcon.textContent = TONE_ICONS[h.tone];
  ui.verdictText.textContent = h.text;
  ui.note.textContent = h.note ?? '';
  ui.note.hidden = !h.note;
  ui.checks.replaceChildren(...checkItems(result));
  // Draw the card only from data whose signature and issuer were confirmed.
  if (shown(result)) {
    drawCard(ui.card, result.credential, result, ui.pinned, ui.site, Boolean(h.foreign));
  } else {
    ui.card.replaceChildren();
    ui.card.hidden = true;
  }
}

/**
 * Many files at once: one row per file in the table of #cpv-batch (its head is the template's),
 * filled as each is verified, one after another; the file's name opens the row to its checks.
 */
async function verifyMany(ui, files, options, isCurrent) {
  ui.result.hidden = true;
  const labels = [...ui.batch.querySelectorAll('th')].map((th) => th.textContent);
  const rows = files.map((f, i) => {
    const cells = labels.map((text) => {
      const td = el('td');
      td.dataset.label = text; // a cell's heading on a phone, where each row is a block
      return td;
    });
    const open = el('button', 'cpv-open', f.name);
    open.type = 'button';
    open.setAttribute('aria-expanded', 'false');
    open.setAttribute('aria-controls', `cpv-row-${i}`);
    cells[0].append(open);
    cells[1].textContent = '…';
    const row = el('tr', 'cpv-busy');
    row.append(...cells);
    const more = el('tr', 'cpv-more');
    more.id = `cpv-row-${i}`;
    more.hidden = true;
    const td = el('td');
    td.colSpan = labels.length;
    more.append(td);
    open.addEventListener('click', () => {
      more.hidden = !more.hidden;
      open.setAttribute('aria-expanded', String(!more.hidden));
    });
    return {row, more, cells, td};
  });
  ui.rows.replaceChildren(...rows.flatMap((r) => [r.row, r.more]));
  ui.summary.textContent = '';
  ui.batch.hidden = false;
  let ok = 0;
  const fill = ([i, result]) => {
    const h = headline(result, ui.siteIssuer);
    const {row, cells, td} = rows[i];
    row.className = TONES[h.tone];
    const icon = el('span', 'cpv-verdict-icon', TONE_ICONS[h.tone]);
    icon.setAttribute('aria-hidden', 'true');
    cells[1].replaceChildren(icon, el('span', null, h.text));
    if (shown(result)) {
      const v = cardView(result.credential);
      const issuer = v.issuer.name || v.issuer.id;
      cells[2].textContent = h.foreign ? _('%(issuer)s (self-declared)', {issuer}) : issuer;
      cells[3].textContent = v.learner || (v.learner_hashed ? CARD.nameWithheld : '');
      cells[4].textContent = v.achievement;
      cells[5].textContent = v.valid_from && formatDate(v.valid_from, lang().code);
    }
    const list = el('ul', 'cpv-checks');
    list.append(...checkItems(result));
    td.replaceChildren(...(h.note ? [el('p', 'cpv-note', h.note)] : []), list);
    ok += result.verified && !h.foreign;
  };
  // Rows are filled a few times a second, not after each file: laying out the table again
  // after every verification would cost as much as the verifying.
  let done = [];
  let shownAt = performance.now();
  for (const [i, f] of files.entries()) {
    done.push([i, await verifyCredential(f, options)]);
    if (!isCurrent()) return;
    if (performance.now() - shownAt > 250 || i === files.length - 1) {
      done.forEach(fill);
      done = [];
      shownAt = performance.now();
    }
  }
  // Only this issuer's verified credentials count: a foreign one is not "verified" here.
  ui.summary.textContent = _('%(ok)s of %(total)s verified', {ok, total: files.length});
  ui.batch.setAttribute('aria-busy', 'false');
}

/** A link as typed, made absolute against this page when it is http(s). */
function absoluteLink(value, base = location.href) {
  try {
    const u = new URL(value, base);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch {
    // not a URL: the verifier says so
  }
  return value;
}

function showBusy(ui, what) {
  ui.result.hidden = false;
  ui.result.classList.remove(...Object.values(TONES));
  ui.result.classList.add('cpv-busy');
  ui.result.setAttribute('aria-busy', 'true');
  ui.verdictIcon.textContent = '';
  ui.verdictText.textContent = _('Verifying %(what)s…', {what});
  ui.note.hidden = true;
  ui.checks.replaceChildren();
  ui.card.hidden = true;
}

/**
 * Wires the page. Safe to call on a page without the verifier markup.
 */
export function init() {
  const ui = {
    drop: $('cpv-drop'),
    file: $('cpv-file'),
    pasteForm: $('cpv-paste-form'),
    paste: $('cpv-paste'),
    urlForm: $('cpv-url-form'),
    url: $('cpv-url'),
    result: $('cpv-result'),
    verdictIcon: $('cpv-verdict-icon'),
    verdictText: $('cpv-verdict-text'),
    note: $('cpv-note'),
    checks: $('cpv-checks'),
    card: $('cpv-card'),
  };
  if (Object.values(ui).some((x) => !x)) return;
  // The table for many files; a page built before it had none, and verifies the first file.
  Object.assign(ui, {batch: $('cpv-batch'), rows: $('cpv-rows'), summary: $('cpv-batch-summary')});
  ROOT = siteRoot();
  keepInLanguageLinks();
  const pinned = readPinned(document);
  ui.pinned = pinned;
  // Served from the site itself (the published host, or `credpub serve`): this issuer's DID
  // document and status lists come from this copy of the site, fresh and without leaving it.
  // Opened from file://, they come from the network if it is there, else from `pinned`.
  const site = readBlock('credpub-site');
  ui.site = site;
  ui.siteIssuer = siteIssuerOf(pinned, site);
  const documentLoader = /^https?:$/.test(location.protocol) && site?.url ? siteLoader(site.url, ROOT) : undefined;
  let run = 0;

  /** Files picked or dropped: one is shown as ever, more in the table. */
  function verifyFiles(list) {
    const files = [...(list ?? [])];
    if (files.length < 2 || !(ui.batch && ui.rows && ui.summary)) return files[0] && verify(files[0], files[0].name);
    const mine = ++run;
    ui.batch.setAttribute('aria-busy', 'true');
    // A status list or DID document is asked for, and a list verified, once per batch, not once per file.
    const asked = new Map();
    const loader = documentLoader && ((url) => {
      if (!asked.has(url)) asked.set(url, documentLoader(url));
      return asked.get(url);
    });
    return verifyMany(ui, files, {pinned, documentLoader: loader, lists: new WeakMap()}, () => mine === run);
  }

  async function verify(input, what) {
    const mine = ++run;
    if (ui.batch) ui.batch.hidden = true;
    showBusy(ui, what);
    const result = await verifyCredential(input, {pinned, documentLoader});
    if (mine !== run) return; // a newer request won
    showResult(ui, result);
    // The panel is an aria-live region: the result is announced without
    // moving focus; bring it into view for sighted users.
    ui.result.scrollIntoView?.({block: 'nearest', behavior: 'smooth'});
  }

  ui.file.addEventListener('change', () => {
    verifyFiles(ui.file.files);
    ui.file.value = '';
  });
  const stop = (e) => {
    e.preventDefault();
    e.stopPropagation();
  };
  for (const type of ['dragenter', 'dragover']) {
    ui.drop.addEventListener(type, (e) => {
      stop(e);
      ui.drop.classList.add('cpv-drag');
    });
  }
  for (const type of ['dragleave', 'dragend']) ui.drop.addEventListener(type, () => ui.drop.classList.remove('cpv-drag'));
  ui.drop.addEventListener('drop', (e) => {
    stop(e);
    ui.drop.classList.remove('cpv-drag');
    if (e.dataTransfer?.files?.length) verifyFiles(e.dataTransfer.files);
    else {
      const text = e.dataTransfer?.getData('text/plain');
      if (text) verify(text, _('the dropped text'));
    }
  });
  // A file dropped beside the zone must not make the browser leave the page.
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    verifyFiles(e.dataTransfer?.files);
  });
  ui.pasteForm.addEventListener('submit', (e) => {
    e.preventDefault();
    verify(ui.paste.value, _('the pasted credential'));
  });
  ui.urlForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = ui.url.value.trim();
    if (value) verify(absoluteLink(value), value);
  });

  const deepLink = new URLSearchParams(location.search).get('url');
  if (deepLink) {
    ui.url.value = deepLink;
    // Relative to verify/ in every language (share pages link "verify/?url=../s/<token>/…").
    verify(absoluteLink(deepLink, new URL(ROOT + VERIFY_PAGE, location.href)), deepLink);
  } else {
    // Process the JSON-LD contexts while the visitor picks a file.
    (globalThis.requestIdleCallback ?? ((f) => setTimeout(f, 200)))(() => warmUp());
  }
}
