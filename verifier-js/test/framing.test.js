// framing.js: claim pages refuse to start inside a frame. The browser test
// (tests/browser/test_site_browser.py) frames a real claim page; this checks the decision alone.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {FRAME_REFUSING_PAGES, isFramed} from '../src/site/framing.js';

test('a top-level window is not framed', () => {
  const win = {};
  win.self = win;
  win.top = win;
  assert.equal(isFramed(win), false);
});

test('a window whose top is another window is framed', () => {
  const win = {top: {}};
  win.self = win;
  assert.equal(isFramed(win), true);
});

test('a browser that throws when asked counts as framed', () => {
  const win = {get self() { throw new Error('blocked'); }, top: {}};
  assert.equal(isFramed(win), true);
});

test('claim and verify pages refuse to be framed', () => {
  assert.ok(FRAME_REFUSING_PAGES.has('claim'));
  assert.ok(FRAME_REFUSING_PAGES.has('verify'), 'a framed verdict could be dressed up by the framing site');
});
