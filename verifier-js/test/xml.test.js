// XML unescaping: one rule for the browser (src/badge/xml.js, used where baked SVGs and share
// pages are read) and Python (credentials/bake.py), held to one list of cases both suites read.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {unescapeXml} from '../src/badge/xml.js';
import {extractSvg} from '../src/badge/bake.js';
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
