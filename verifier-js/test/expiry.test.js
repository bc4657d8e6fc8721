// The card's validUntil label (dates.js untilLabel): "Expired on" once past, "Valid until" before.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {untilLabel} from '../src/dates.js';

test('untilLabel: past → Expired on; future, missing or unparseable → Valid until', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  assert.equal(untilLabel('2026-05-01T00:00:00Z', now), 'Expired on');
  assert.equal(untilLabel('2026-05-01', now), 'Expired on');
  assert.equal(untilLabel('2029-04-17T00:00:00Z', now), 'Valid until');
  assert.equal(untilLabel(undefined, now), 'Valid until');
  assert.equal(untilLabel('not a date', now), 'Valid until');
});
