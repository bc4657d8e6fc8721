// XML unescaping: one rule for the browser (src/badge/xml.js, used where baked SVGs and share
// pages are read) and Python (credentials/bake.py), held to one list of cases both suites read.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {unescapeXml} from '../src/badge/xml.js';
import {bakePng, bakeSvg, extractPng, extractSvg} from '../src/badge/bake.js';
import {extractFromImage, credentialLinkInHtml} from '../src/verify/extract.js';

const {cases} = JSON.parse(readFileSync(new URL('./fixtures/xml-unescape.json', import.meta.url), 'utf8'));

test('the shared cases', () => {
  assert.ok(cases.length >= 20);
  for (const [text, expected] of cases) assert.equal(unescapeXml(text), expected, JSON.stringify(text));
});

test('the baker\'s reader and the verifier\'s reader unescape alike', async () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential>{&quot;a&quot;: &quot;&#xE9;&amp;lt;&#0;&LT;&quot;}</openbadges:credential></svg>';
  const expected = '{"a": "é&lt;&#0;&LT;"}';
  assert.equal(extractSvg(svg), expected);
  const found = await extractFromImage(new TextEncoder().encode(svg));
  assert.deepEqual(found.credential, JSON.parse(expected));
  assert.equal(credentialLinkInHtml('<link rel="alternate" type="application/ld+json" href="c.json?a=1&amp;b=&#X32;">'), 'c.json?a=1&b=&#X32;');
});

// The badge image of the whole-site golden (read only).
test('one reader: the verifier reads what the baker bakes, a credential holding "]]>" included', async () => {
  const credential = {name: 'Ana ]]> <b> & 🎓', note: ']]>]]>'};
  const json = JSON.stringify(credential);
  const svg = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', json);
  assert.equal(extractSvg(svg), json);
  assert.deepEqual((await extractFromImage(new TextEncoder().encode(svg))).credential, credential);
  const png = bakePng(readFileSync(new URL('../../tests/golden/issuer/site/achievements/cnc-five-axis/badge.png', import.meta.url)), json);
  assert.equal(extractPng(png), json);
  assert.deepEqual((await extractFromImage(png)).credential, credential);
});
