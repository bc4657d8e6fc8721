/**
 * The share page /s/<token>/ (theme/templates/share.html), issue 3 point 4: the card is
 * rendered by the build (and works without JavaScript); this adds the live verification of the
 * page's own credential.json.
 */
import {readBlock, showStatus, verifyHere} from './claim.js';

const ROOT = '../../';

export async function init() {
  const box = document.getElementById('status');
  if (!box) return;
  const site = readBlock('credpub-site');
  let text;
  try {
    const res = await fetch('credential.json', {credentials: 'omit', cache: 'no-cache'});
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    text = await res.text();
  } catch (err) {
    showStatus(box, {verified: false, checks: [{name: 'format', status: 'fail', message: `the credential file could not be loaded (${err.message})`}]});
    return;
  }
  showStatus(box, await verifyHere(text, site, ROOT));
}
