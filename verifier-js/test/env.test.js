// The network limits of one verification: those of verifier.json "fetch", shared with the CLI.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';

import {makeEnv} from '../src/verify/env.js';
import {FETCH} from '../src/verify/rules.js';

const SHARED = JSON.parse(readFileSync(new URL('../../builder/credpub/data/verifier.json', import.meta.url))).fetch;

test('the fetch limits are the ones in verifier.json', () => {
  assert.deepEqual(FETCH, SHARED);
});

test('a verification fetches at most maxRequests documents, however many it is pointed at', async () => {
  let calls = 0;
  const fetch = async () => {
    calls++;
    return new Response('{}', {status: 200});
  };
  const env = makeEnv({fetch});
  const results = await Promise.all(Array.from({length: FETCH.maxRequests + 20}, (_, n) => env.loadStatusList(`https://x.example/status/${n}.json`)));
  assert.equal(calls, FETCH.maxRequests);
  assert.equal(results.filter((r) => r.document === null).length, 20);
  assert.match(results.at(-1).reason, /too many documents/);
});

test('a document larger than maxBytes is refused', async () => {
  const fetch = async () => new Response('x'.repeat(FETCH.maxBytes + 1), {status: 200});
  const r = await makeEnv({fetch}).loadStatusList('https://x.example/status/1.json');
  assert.equal(r.document, null);
  assert.match(r.reason, /too large/);
});
