// Name normalisation: the share, verify and certificate pages check a name against its salted
// hash in the form Python hashed it (credentials/credential.py normalize_name): one rule, held
// to one file of tricky names both test suites read.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {nameMatches, normalizeName} from '../src/site/names.js';

const {cases} = JSON.parse(readFileSync(new URL('./fixtures/names.json', import.meta.url), 'utf8'));

test('the shared names', () => {
  assert.ok(cases.length >= 40);
  for (const [name, expected] of cases) assert.equal(normalizeName(name), expected, JSON.stringify(name));
});

test('no final-sigma context, full folding, format characters and controls refused', () => {
  assert.equal(normalizeName('ΟΔΥΣΣΕΥΣ'), 'οδυσσευσ');
  assert.equal(normalizeName('STRAẞE'), 'strasse');
  assert.ok(cases.some(([, expected]) => expected === null), 'the shared file has refused names');
  for (const name of ['Zo\u200bë', '\ufeffZoë', 'Zoë\u202e', 'Zo\u001fë']) assert.equal(normalizeName(name), null, JSON.stringify(name));
});

test('a name matches its hash however it is typed', async () => {
  const salt = 'c2FsdA';
  const identityHash = `sha256$${createHash('sha256').update('ὀδυσσεύσ' + salt).digest('hex')}`;
  for (const typed of ['Ὀδυσσεύς', '  ὈΔΥΣΣΕΎΣ ', 'Ὀδυσσεύς\n']) assert.equal(await nameMatches(typed, {salt, identityHash}), true, typed);
  assert.equal(await nameMatches('Odysseus', {salt, identityHash}), false);
  // a name that shows as this one but carries an invisible character does not match
  for (const typed of ['Ὀδυσ\u00adσεύς', '\ufeffὈδυσσεύς', 'Ὀδυσσεύς\u200b']) assert.equal(await nameMatches(typed, {salt, identityHash}), false, JSON.stringify(typed));
});
