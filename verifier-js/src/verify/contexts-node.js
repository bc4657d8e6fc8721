/**
 * The bundled JSON-LD contexts, read from `builder/credpub/data/contexts/` (the
 * single source of truth shared with the Python signer) for Node.
 * In the browser bundle, build.mjs replaces this module (`#contexts`) with one
 * that embeds the same files, listed by the same `index.json`.
 */
import {readFileSync} from 'node:fs';

const dir = new URL('../../../builder/credpub/data/contexts/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8'));

/** @type {Record<string, object>} URL → context document */
const contexts = {};
for (const [url, file] of Object.entries(index)) {
  contexts[url] = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
}
export default contexts;
