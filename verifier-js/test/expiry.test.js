// dates.js isPast: the cards say "Expired on" once validUntil is past, "Valid until" before.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {isPast} from '../src/verify/dates.js';

test('isPast: past → true; future, missing or unparseable → false', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  assert.equal(isPast('2026-05-01T00:00:00Z', now), true);
  assert.equal(isPast('2026-05-01', now), true);
  assert.equal(isPast('2029-04-17T00:00:00Z', now), false);
  assert.equal(isPast(undefined, now), false);
  assert.equal(isPast('not a date', now), false);
});
