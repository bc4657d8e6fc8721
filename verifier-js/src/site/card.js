/**
 * The credential card, drawn in the browser: the same view-model as builder/credpub/card.py
 * and the same markup as theme/templates/partials/card.html (the share page's, rendered by the
 * build). tests/fixtures/card/ holds all three to one expected view-model and one HTML.
 *
 * Every value goes into the page through textContent or setAttribute, never innerHTML.
 */
import {isPast} from '../verify/dates.js';
import {CARD} from './strings.js';
import {lang, pageLanguage} from './i18n.js';
import {achievementPage} from '../layout.js';

const asArray = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v) => (v === undefined || v === null ? '' : String(v));

/** EU elements the card lists, in order (as card.py's ELEMENTS). */
export const ELEMENTS = ['assessment', 'participation', 'quality_assurance', 'prerequisites', 'supervision', 'integration', 'further_information'];

function date(value) {
  const text = str(value);
  return /^\d{4}-\d\d-\d\d/.test(text) ? text.slice(0, 10) : '';
}

/**
 * What a card shows, read from a credential (plain data, no labels): as card.py's card_view.
 * @param {object} cred - an OpenBadgeCredential
 * @param {object} [facts] - achievements/<slug>/facts.json of this issuer: workload, outcomes,
 *   EU elements (used only when it is this credential's achievement)
 * @param {string} [code] - the page's language: when it is not the credential's and the facts
 *   give the achievement's texts in it (facts.languages), the card shows those
 */
export function cardView(cred, facts, code) {
  const subject = asArray(cred?.credentialSubject)[0] || {};
  const ach = isObject(subject.achievement) ? subject.achievement : {};
  const issuer = isObject(cred?.issuer) ? cred.issuer : {id: cred?.issuer || ''};
  const ids = asArray(subject.identifier).filter((i) => isObject(i) && i.identityType === 'name');
  const plain = ids.find((i) => i.hashed === false && typeof i.identityHash === 'string');
  const eqf = asArray(ach.alignment).find((a) => isObject(a) &&
    /European Qualifications Framework|EQF/i.test(`${a.targetFramework ?? ''} ${a.targetType ?? ''} ${a.targetName ?? ''}`));
  let eqfCode = '';
  if (eqf) eqfCode = str(eqf.targetCode) || (/\d+/.exec(str(eqf.targetName)) || [''])[0];
  const credits = subject.creditsEarned !== undefined ? subject.creditsEarned : ach.creditsAvailable;
  const grade = asArray(subject.result).find((r) => isObject(r) && r.value !== undefined && r.value !== null);
  const skills = asArray(ach.alignment).filter((a) => isObject(a) && str(a.targetType).includes('Competency'))
    .map((a) => ({label: str(a.targetName || a.targetUrl), uri: str(a.targetUrl)}));
  const types = asArray(ach.achievementType);
  const achId = str(ach.id);
  const mine = !!facts && `${achId.replace(/\/+$/, '')}/`.endsWith(achievementPage(facts.slug));
  const f = mine ? facts : {};
  const t = mine && code && code !== str(ach.inLanguage) && isObject(f.languages?.[code]) ? f.languages[code] : null;
  const view = {
    id: str(cred?.id),
    type: types.length ? str(types[0]) : 'Achievement',
    achievement: str(ach.name || cred?.name),
    achievement_id: achId,
    lang: str(ach.inLanguage),
    description: str(ach.description || cred?.description),
    image: str(isObject(ach.image) ? ach.image.id : ach.image),
    learner: plain ? plain.identityHash : (typeof subject.name === 'string' ? subject.name : ''),
    learner_hashed: !plain && ids.some((i) => i.hashed === true),
    issuer: {
      id: str(issuer.id),
      name: str(issuer.name),
      country: str(issuer.address?.addressCountry),
      email: str(issuer.email),
      url: str(issuer.url),
    },
    valid_from: date(cred?.validFrom || cred?.issuanceDate),
    signed: date(asArray(cred?.proof)[0]?.created),  // the first proof's day: shown when not valid_from's

    valid_until: date(cred?.validUntil || cred?.expirationDate),
    credits: typeof credits === 'number' ? credits : null,
    eqf: eqfCode,
    grade: grade ? str(grade.value) : '',
    skills,
    workload_hours: typeof f.workload_hours === 'number' ? f.workload_hours : null,
    outcomes: asArray(f.outcomes).map(str),
    valid_for: str(f.valid_for),
    elements: isObject(f.elements) ? {...f.elements} : {},
  };
  if (t) {
    // The issuer's own texts in this language (published beside the credential's language).
    Object.assign(view, {achievement: str(t.name) || view.achievement, description: str(t.description) || view.description,
      outcomes: asArray(t.outcomes).map(str), elements: isObject(t.elements) ? {...t.elements} : view.elements, lang: code});
  }
  return view;
}

/** "2026-06-12" → "12 juni 2026" / "12 June 2026": the CLDR formatter of i18n.js, as the build's. */
export function formatDate(iso, code) {
  return lang(code).date(iso);
}

/** "LT" → "Litouwen" / "Lithuania"; anything else as it is. */
export function countryName(value, code) {
  return lang(code).country(value);
}

/** A number as the build writes it in the page's language: 2 → "2", 1.5 → "1,5" / "1.5". */
export function formatNumber(n, code) {
  return lang(code).number(n);
}

export function kindLabel(type) {
  return CARD.kinds[type] || str(type || 'Achievement').replace(/([a-z])([A-Z])/g, '$1 $2');
}

/**
 * The card's DOM, the same markup as partials/card.html.
 * @param {ReturnType<typeof cardView>} v
 * @param {{badgeSrc?: string, achievementHref?: string, heading?: number, lang?: string, doc?: Document}} [opts]
 */
export function drawCard(v, opts = {}) {
  const doc = opts.doc || globalThis.document;
  const code = opts.lang || pageLanguage(doc);
  const level = opts.heading || 1;
  const node = (tag, attrs, ...children) => {
    const n = doc.createElement(tag);
    for (const [k, val] of Object.entries(attrs || {})) if (val !== undefined && val !== null) n.setAttribute(k, String(val));
    for (const c of children) if (c !== null && c !== undefined && c !== false) n.append(c);
    return n;
  };
  const fact = (label, value, attrs) => (value ? node('div', null, node('dt', null, label), node('dd', attrs, value)) : null);
  const time = (iso) => node('time', {datetime: iso}, formatDate(iso, code));

  const facts = node('dl', {class: 'credential-facts'},
    node('div', null, node('dt', null, CARD.issued), node('dd', null, time(v.valid_from))),
    fact(CARD.signed, v.signed !== v.valid_from && v.signed && time(v.signed)),
    v.valid_until ? node('div', null, node('dt', null, isPast(v.valid_until) ? CARD.expiredOn : CARD.validUntil),
      node('dd', null, time(v.valid_until))) : null,
    fact(CARD.credits, v.credits !== null ? CARD.ects(formatNumber(v.credits, code)) : ''),
    fact(CARD.eqf, v.eqf),
    fact(CARD.workload, v.workload_hours !== null ? CARD.hours(v.workload_hours) : ''),
    fact(CARD.grade, v.grade, {dir: 'auto'}));
  const issuerLine = node('p', {class: 'issuer-line'}, ...CARD.issuedBy(node('strong', null, v.issuer.name || v.issuer.id)));
  if (v.issuer.country) issuerLine.append(` · ${countryName(v.issuer.country, code)}`);
  const withheld = !v.learner && v.learner_hashed;
  // The badge is decorative: the title beside it names the achievement.
  const body = node('div', {class: 'credential-body'},
    node('span', {class: 'kicker'}, kindLabel(v.type)),
    node(`h${level}`, {id: 'credential-title'}, v.achievement),
    node('p', {class: 'awarded'}, CARD.awardedTo),
    node('p', {class: 'learner', id: withheld ? 'learner' : null, dir: 'auto'}, withheld ? CARD.nameWithheld : v.learner),
    withheld ? node('p', {class: 'muted', id: 'name-note'}, CARD.nameNote) : null,
    issuerLine, facts);
  const main = node('div', {class: 'credential-main'},
    node('div', {class: 'credential-badge'}, node('img', {src: opts.badgeSrc || 'data:,', alt: '', width: 192, height: 192})),
    body);

  const sub = `h${Math.min(6, level + 1)}`;
  const elements = ELEMENTS.filter((k) => v.elements[k]);
  const details = [];
  if (v.description) details.push(node(sub, null, CARD.certifies), node('p', {class: 'credential-description'}, v.description));
  if (v.outcomes.length) details.push(node(sub, null, CARD.outcomes), node('ul', {class: 'outcomes'}, ...v.outcomes.map((o) => node('li', null, o))));
  if (v.skills.length) {
    details.push(node(sub, null, CARD.skills), node('ul', {class: 'skills'}, ...v.skills.map((s) =>
      node('li', null, /^https?:\/\//.test(s.uri) ? node('a', {href: s.uri, rel: 'noopener'}, s.label) : s.label))));
  }
  if (elements.length) {
    details.push(node(sub, null, CARD.elements), node('dl', {class: 'elements'}, ...elements.map((k) =>
      fact(CARD.elementLabels[k], k === 'participation' ? CARD.participation[v.elements[k]] || v.elements[k] : v.elements[k]))));
  }
  const foot = node('div', {class: 'credential-foot'},
    node('span', null, ...CARD.signedBy(node('code', null, v.issuer.id))),
    opts.achievementHref ? node('a', {href: opts.achievementHref}, CARD.achievementLink) : null);
  return node('article', {class: 'credential', 'aria-labelledby': 'credential-title', lang: v.lang && v.lang !== code ? v.lang : null},
    main,
    details.length ? node('div', {class: 'credential-details'}, ...details) : null,
    foot);
}
