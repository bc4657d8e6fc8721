/**
 * The printable certificate (theme/templates/certificate.html, stored once at certificate/),
 * issue 3 point 6: opened as certificate/#s=<share_token>, it fills one A4 sheet from that
 * share credential (or, opened from the claim page, the graduate's own credential kept in
 * sessionStorage) and draws a QR code to the share page. `<body data-ready>` tells pdf.py (and
 * tests) that the sheet is complete.
 */
import qrcode from 'qrcode-generator';
import {describe, el, formatDate, readBlock, summarize, verifyHere} from './claim.js';
import {untilLabel} from '../dates.js';

const ROOT = '../';
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Draws `text` as a QR code (error correction M) into an <svg> element. */
export function drawQr(svg, text) {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c} ${r}h1v1h-1z`;
  }
  svg.setAttribute('viewBox', `-2 -2 ${n + 4} ${n + 4}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', '-2');
  bg.setAttribute('y', '-2');
  bg.setAttribute('width', String(n + 4));
  bg.setAttribute('height', String(n + 4));
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#111827');
  svg.replaceChildren(bg, path);
}

const $ = (id) => document.getElementById(id);

function fail(message) {
  $('cert-message').textContent = message;
  document.body.dataset.ready = 'error';
}

export async function init() {
  const site = readBlock('credpub-site');
  const token = /(?:^#|&)s=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
  if (!token) {
    fail('No credential was given: open this page from a credential page.');
    return;
  }
  // Opened from the claim page: the graduate's own credential (name, grade), kept for this
  // tab only; otherwise the public share credential.
  let text = null;
  try {
    text = sessionStorage.getItem(`credpub.credential.${token}`);
  } catch {
    text = null;
  }
  if (!text) {
    try {
      const res = await fetch(`${ROOT}s/${token}/credential.json`, {credentials: 'omit'});
      if (!res.ok) throw new Error(res.status === 404 ? 'no such credential' : `HTTP ${res.status}`);
      text = await res.text();
    } catch (err) {
      fail(`The credential could not be loaded: ${err.message}.`);
      return;
    }
  }
  let cred;
  try {
    cred = JSON.parse(text);
  } catch {
    fail('The credential file is damaged.');
    return;
  }
  const d = describe(cred);
  if (!d.learner) {
    fail('This credential names its holder only as a hash: open the certificate from your own credential page.');
    return;
  }
  const shareUrl = `${site.url}s/${token}/`;
  document.title = `${d.achievement} · ${d.learner} · ${d.issuer}`;
  $('cert-kind').textContent = d.kind === 'Microcredential' ? 'Microcredential certificate' : 'Certificate of achievement';
  $('cert-learner').textContent = d.learner;
  $('cert-achievement').textContent = d.achievement;
  $('cert-description').textContent = d.description;
  const facts = $('cert-facts');
  const fact = (label, value) => {
    if (!value) return;
    const div = el('div');
    div.append(el('dt', '', label), el('dd', '', value));
    facts.append(div);
  };
  fact('Credits', d.credits && `${d.credits} ECTS`);
  fact('EQF level', d.eqf);
  fact('Workload', d.workload && `${d.workload} hours`);
  fact('Grade', d.grade);
  if (d.validUntil) fact(untilLabel(d.validUntil), formatDate(d.validUntil));
  if (d.outcomes.length) {
    const list = $('cert-outcome-list');
    for (const o of d.outcomes) list.append(el('li', '', o));
    $('cert-outcomes').hidden = false;
  }
  $('cert-date').textContent = formatDate(d.validFrom);
  $('cert-issuer-line').textContent = d.country ? `${d.issuer}, ${d.country}` : d.issuer;
  const slug = d.achievementId.startsWith(site.url) ? d.achievementId.slice(site.url.length) : '';
  const badge = $('cert-badge');
  if (/^achievements\/[A-Za-z0-9_-]+\/$/.test(slug)) badge.src = `${ROOT}${slug}badge.svg`;
  else badge.hidden = true;
  drawQr($('cert-qr'), shareUrl);
  $('cert-url').textContent = shareUrl.replace(/^https:\/\//, '');
  $('cert-id').textContent = `Credential ID: ${d.id}`;
  $('sheet').hidden = false;

  const print = $('print');
  print.addEventListener('click', () => window.print());
  const verdict = summarize(await verifyHere(text, site, ROOT));
  if (verdict.state === 'revoked' || verdict.state === 'invalid') {
    $('sheet').classList.add('void');
    $('sheet').dataset.void = verdict.title;
    $('cert-message').textContent = `${verdict.title}: ${verdict.text} This certificate is not valid.`;
  } else {
    $('cert-message').textContent = 'Verified. Print it, or save it as a PDF from the print dialog.';
    print.disabled = false;
  }
  document.body.dataset.ready = verdict.state;
}
