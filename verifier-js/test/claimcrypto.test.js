// Opening claim envelopes made by the Python build (fixture: python -m tests.make_claim_fixture).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {openEnvelope, fragmentSecret, isEnvelope} from '../src/crypto/claimcrypto.js';

const F = JSON.parse(readFileSync(new URL('./fixtures/claim-envelopes.json', import.meta.url), 'utf8'));
const text = (bytes) => new TextDecoder().decode(bytes);

test('encrypted: the fragment opens it; no fragment or a wrong one fails cleanly', async () => {
  assert.ok(isEnvelope(F.encrypted));
  const secret = fragmentSecret(F.fragment);
  assert.equal(text(await openEnvelope(F.encrypted, secret)), F.plaintext);
  await assert.rejects(openEnvelope(F.encrypted, undefined), {reason: 'no-key'});
  await assert.rejects(openEnvelope(F.encrypted, new Uint8Array(32)), {reason: 'wrong-key'});
  assert.equal(fragmentSecret('#k=short'), undefined);
});

test('passphrase: fragment and passphrase open it; a wrong passphrase fails cleanly', async () => {
  const secret = fragmentSecret(F.fragment);
  assert.equal(text(await openEnvelope(F.passphraseProtected, secret, F.passphrase)), F.plaintext);
  assert.equal(text(await openEnvelope(F.passphraseProtected, secret, `  ${F.passphrase} `)), F.plaintext);
  await assert.rejects(openEnvelope(F.passphraseProtected, secret), {reason: 'needs-passphrase'});
  await assert.rejects(openEnvelope(F.passphraseProtected, secret, 'wrong'), {reason: 'wrong-passphrase'});
  await assert.rejects(openEnvelope({...F.passphraseProtected, iterations: 1000}, secret, F.passphrase), {reason: 'bad-envelope'});
});
