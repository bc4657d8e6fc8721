// "Add to LinkedIn": organizationId from site.yml, certId = the
// certificate's Credential ID (the share page's token), dates from the card's view-model.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {linkedInUrl} from '../src/pages/claim/actions.js';
import {credentialId} from '../src/site/kit.js';

const view = {achievement: 'CMM & GD&T', issuer: {name: 'BPES', id: 'did:web:x'}, valid_from: '2026-04-17', valid_until: '2029-04-17'};
const share = 'https://x.example/credentials/s/9IovtbMulJKhafxOPJ0mUbnJDds/';

test('the entry names the organisation page, the dates and the credential ID', () => {
  const q = new URL(linkedInUrl(view, share, {certId: credentialId(share), organizationId: '12345678'})).searchParams;
  assert.equal(q.get('organizationId'), '12345678');
  assert.equal(q.get('organizationName'), 'BPES');
  assert.equal(q.get('name'), 'CMM & GD&T');
  assert.deepEqual([q.get('issueYear'), q.get('issueMonth'), q.get('expirationYear'), q.get('expirationMonth')], ['2026', '4', '2029', '4']);
  assert.equal(q.get('certUrl'), share);
  assert.equal(q.get('certId'), '9IovtbMulJKhafxOPJ0mUbnJDds');
});

test('no organizationId unless site.yml gives a number', () => {
  assert.equal(new URL(linkedInUrl(view, share)).searchParams.has('organizationId'), false);
  assert.equal(new URL(linkedInUrl(view, share, {organizationId: 'bpes'})).searchParams.has('organizationId'), false);
});

test('the credential ID is the same with the name in the link', () => {
  assert.equal(credentialId(`${share}#n=Ana%20N%C3%BA%C3%B1ez`), '9IovtbMulJKhafxOPJ0mUbnJDds');
});
