// The browser's languages: catalogue lookups, verifier messages said in Dutch and English, the
// bundle's catalogue (only what the browser shows), and the language-free verifier.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {verifyCredential} from '../src/verify/verify.js';
import {lang, languages} from '../src/site/i18n.js';
import {render} from '../src/text.js';
import {bundleSource} from '../build.mjs';
import {words} from '../src/verify/rules.js';
import {foreignIssuer} from '../src/pages/verify.js';
import {testIssuer, NOW} from '../test-support/helpers.js';

const issuer = await testIssuer();

test('the site languages have catalogues and CLDR formatters', () => {
  assert.deepEqual(languages(), ['en', 'nl']);
  assert.equal(lang('nl').date('2026-06-12T00:00:00Z'), '12 juni 2026');
  assert.equal(lang('en').date('2026-06-12'), '12 June 2026');
  assert.equal(lang('nl')._('Issued by %(issuer)s', {issuer: 'X'}), 'Uitgereikt door X');
  assert.equal(lang('en')._('Issued by %(issuer)s', {issuer: 'X'}), 'Issued by X');
  assert.deepEqual(lang('nl').parts('Issued by %(issuer)s', {issuer: {node: 1}}), ['Uitgereikt door ', {node: 1}]);
});

test('every check says the same thing as its message in English, and all of it in Dutch', async () => {
  const r = await verifyCredential(issuer.credential, {now: NOW, offline: true, pinned: issuer.pinned});
  assert.equal(r.verified, true);
  for (const c of r.checks) {
    assert.equal(render(c.text), c.message, c.name);
    // English pages write dates as the build does; the message keeps ISO dates for logs.
    assert.equal(lang('en').say(c.text), c.message.replace(/(\d{4})-06-(\d\d)/g, (m, y, d) => `${Number(d)} June ${y}`), c.name);
    const nl = lang('nl').say(c.text);
    assert.notEqual(nl, c.message, c.name);
    assert.doesNotMatch(nl, /%\(|\b(checked|valid|issued|signed|revoked)\b/, `${c.name}: ${nl}`);
  }
  // A pinned list: the English is verifier.json's statusSnapshot, the CLI's words.
  const status = r.checks.find((c) => c.name === 'status');
  assert.equal(status.message, words('statusSnapshot', {word: 'revoked', date: '2026-06-20', place: 'this page'}));
  assert.equal(lang('nl').say(status.text), 'niet ingetrokken op 20 juni 2026 (momentopname in deze pagina, niet actueel)');
});

test('errors from deep inside are said in the page language too', async () => {
  const r = await verifyCredential('{"@context": 1', {now: NOW, offline: true});
  const format = r.checks.find((c) => c.name === 'format');
  assert.match(format.message, /^not a credential: the JSON is malformed/);
  assert.match(lang('nl').say(format.text), /^geen certificaat: de JSON klopt niet \(/);
});

test('the bundle carries the messages the browser shows, not the emails\' or the CLI\'s', async () => {
  const src = await bundleSource();
  assert.ok(src.includes('niet ingetrokken (%(when)s)'), 'a verifier message');
  assert.ok(src.includes('Dit certificaat wordt gecontroleerd'), 'a share page text it switches');
  assert.ok(!src.includes('Beste %(name)s,'), 'an email text');
  assert.ok(!src.includes('Studielast:'), 'a credential narrative heading');
});

test('the verify page says a foreign issuer in verifier.json\'s words in English, and in Dutch', async () => {
  const r = await verifyCredential(issuer.credential, {now: NOW, offline: true, pinned: issuer.pinned});
  const site = {did: 'did:web:other.example', name: 'Other Society'};
  const said = foreignIssuer(r, site);
  assert.equal(said, words('foreignIssuer', {site: 'Other Society', issuer: 'did:web:example.org:certs'}));
});
