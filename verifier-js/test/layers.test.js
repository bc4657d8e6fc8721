// Claim layers: the browser reads builder/credpub/data/claim_layers.json, the
// same file as builder/credpub/layers.py (tests/test_layers.py), never a copy of it.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {LAYER_NAMES, layer} from '../src/site/layers.js';

const DOC = JSON.parse(readFileSync(new URL('../../builder/credpub/data/claim_layers.json', import.meta.url), 'utf8'));

test('the layers are the shared file\'s', () => {
  assert.deepEqual(LAYER_NAMES, DOC.order);
  for (const name of DOC.order) assert.deepEqual(layer(name), {name, ...DOC.layers[name]});
});

test('what the claim and share pages ask of a layer', () => {
  assert.equal(layer('link').share_name, 'plain');
  assert.equal(layer('encrypted').share_name, 'hashed');
  assert.equal(layer('passphrase').passphrase, true);
  assert.equal(layer('no-such-layer').name, 'link'); // an old page without the field: the first layer
});
