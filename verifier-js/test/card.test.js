// The credential card: src/site/card.js gives the same view-model as
// builder/credpub/card.py and draws the same HTML as theme/templates/partials/card.html, for
// every case of tests/fixtures/card/ (written by tests/site/test_card.py).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {cardView, drawCard} from '../src/site/card.js';
import {fakeDocument, jinjaHtml} from '../test-support/fake-dom.js';

const DIR = new URL('../../tests/fixtures/card/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', DIR), 'utf8'));

test('the fixtures cover every kind of card', () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), ['foreign', 'graded-other-facts', 'hashed-name', 'hostile', 'plain-with-facts']);
});

for (const c of cases) {
  test(`view-model as card.py: ${c.name}`, () => {
    assert.deepEqual(cardView(c.credential, c.facts), c.view);
  });
  test(`HTML as partials/card.html: ${c.name}`, () => {
    const html = drawCard(cardView(c.credential, c.facts), {
      badgeSrc: c.options.badge_src, achievementHref: c.options.achievement_href, heading: c.options.heading,
      doc: fakeDocument('en'),
    }).outerHTML;
    assert.equal(html, jinjaHtml(readFileSync(new URL(`${c.name}.html`, DIR), 'utf8').trim()));
  });
}

test('workload and outcomes never come from the Markdown narrative', () => {
  const c = cases.find((x) => x.name === 'plain-with-facts');
  const cred = structuredClone(c.credential);
  cred.credentialSubject.achievement.criteria.narrative = '**Notional workload:** 999 hours\n\n**Learning outcomes**\n\n- Not an outcome';
  assert.equal(cardView(cred, c.facts).workload_hours, 50);
  assert.equal(cardView(cred, null).workload_hours, null);
  assert.deepEqual(cardView(cred, null).outcomes, []);
});

test('a credential signed on another day than its issue date shows both dates, in each language', () => {
  const c = cases.find((x) => x.name === 'plain-with-facts');
  const view = cardView(c.credential, c.facts);
  assert.equal(view.valid_from, '2026-06-12');
  assert.equal(view.signed, '2026-11-02');
  const saved = globalThis.document;
  try {
    for (const [code, issued, signed] of [['en', 'Issued', 'Signed'], ['nl', 'Uitgereikt', 'Ondertekend']]) {
      globalThis.document = fakeDocument(code);
      const html = drawCard(view, {doc: globalThis.document}).outerHTML;
      assert.ok(html.includes(`<dt>${issued}</dt><dd><time datetime="2026-06-12">`), code);
      assert.ok(html.includes(`<dt>${signed}</dt><dd><time datetime="2026-11-02">`), code);
    }
  } finally {
    globalThis.document = saved;
  }
  const once = drawCard({...view, signed: view.valid_from}, {doc: fakeDocument('en')}).outerHTML;
  assert.ok(!once.includes('<dt>Signed</dt>'));  // signed on its issue date: one date
});
