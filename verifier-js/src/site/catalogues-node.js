// Node (tests) reads the catalogues at run time; build.mjs embeds the same
// result in the bundle (`#catalogues`).
import {readFileSync, readdirSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parsePo} from './po.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../builder/credpub/data/locale');
const catalogues = {};
for (const f of readdirSync(dir).filter((n) => n.endsWith('.po')).sort()) {
  catalogues[f.slice(0, -3)] = parsePo(readFileSync(join(dir, f), 'utf8'));
}
export default catalogues;
