/**
 * Turning whatever the verifier is given into a credential object:
 * an object, JSON text, bytes / Blob / File (PNG, SVG, JSON sniffed), or a URL
 * (fetched; a share page leads to its credential through
 * `<link rel="alternate" type="application/ld+json">`, or `credential.json`
 * beside it).
 */
import {InputError, MAX_BYTES, checkSize, parseText, extractFromBytes, credentialLinkInHtml} from './extract.js';
import {fetchBytes} from './env.js';
import {_, errorText} from '../text.js';
import {CREDENTIAL_FILE} from '../layout.js';

const isHtml = (contentType, bytes) =>
  contentType.includes('text/html') ||
  /^\s*(<!doctype html|<html)/i.test(new TextDecoder().decode(bytes.subarray(0, 256)));

/**
 * Loads a credential from a URL.
 * @param {string} url
 * @param {object} env
 * @param {number} hops - links followed so far
 * @returns {Promise<{credential: object, kind: string, url: string}>}
 * @throws {InputError}
 */
async function fromUrl(url, env, hops = 0) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(_('"%(url)s" is not a URL', {url}), 'not-json');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InputError(_('cannot load %(url)s: only http and https links are supported', {url}), 'unsupported');
  }
  if (env.offline || !env.fetch) throw new InputError(_('cannot load %(url)s: offline', {url}), 'offline');
  if (hops > 2) throw new InputError(_('cannot load %(url)s: too many links to follow', {url}), 'no-credential');
  let got;
  try {
    got = await fetchBytes(env.fetch, parsed.href, MAX_BYTES,
      'application/ld+json, application/json, image/png, image/svg+xml, text/html;q=0.5');
  } catch (err) {
    throw new InputError(_('cannot load %(url)s: %(problem)s', {url, problem: errorText(err)}), 'offline');
  }
  if (isHtml(got.contentType, got.bytes)) {
    const href = credentialLinkInHtml(new TextDecoder().decode(got.bytes));
    const next = new URL(href ?? CREDENTIAL_FILE, got.url).href;
    return fromUrl(next, env, hops + 1);
  }
  const found = await extractFromBytes(got.bytes);
  if (found.url) return fromUrl(found.url, env, hops + 1);
  return {credential: found.credential, kind: found.kind, url: got.url};
}

/**
 * @param {unknown} input - object, JSON string, URL string or URL,
 *   Uint8Array / ArrayBuffer / Blob / File
 * @param {object} env
 * @returns {Promise<{credential: object, kind: string, url?: string}>}
 * @throws {InputError} with a message for people
 */
export async function readInput(input, env) {
  if (input === undefined || input === null) throw new InputError(_('nothing to verify'), 'not-json');
  if (typeof input === 'string') {
    const found = parseText(input);
    return found.url ? fromUrl(found.url, env) : found;
  }
  if (input instanceof URL) return fromUrl(input.href, env);
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const found = await extractFromBytes(input);
    return found.url ? fromUrl(found.url, env) : found;
  }
  if (ArrayBuffer.isView(input)) return readInput(new Uint8Array(input.buffer, input.byteOffset, input.byteLength), env);
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    checkSize(input.size);
    return readInput(new Uint8Array(await input.arrayBuffer()), env);
  }
  if (typeof input === 'object' && !Array.isArray(input)) {
    let copy;
    try {
      copy = JSON.parse(JSON.stringify(input));
    } catch (err) {
      throw new InputError(_('not a credential: the object is not JSON (%(problem)s)', {problem: errorText(err)}), 'not-json');
    }
    return {credential: copy, kind: 'object'};
  }
  throw new InputError(_('not a credential: expected JSON, a badge image or a URL'), 'not-json');
}
