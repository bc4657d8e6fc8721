// The shape of src/: folders by job, imports one way only (bottom first), and no page imports
// another page (what pages share lives in site/, the page kit among it).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
/** Bottom first: a module may import its own folder and the folders before it. */
const LAYERS = ['text.js', 'layout.js', 'shims', 'crypto', 'badge', 'verify', 'site', 'pages', 'main.js'];

function modules(dir = SRC) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return name.endsWith('.js') ? [relative(SRC, path)] : [];
  });
}

const layerOf = (module) => LAYERS.indexOf(module.split('/')[0]);
/** A page is pages/<name>.js or everything under pages/<name>/. */
const pageOf = (module) => (module.startsWith('pages/') ? module.split('/')[1].replace(/\.js$/, '') : null);

function importsOf(module) {
  const text = readFileSync(join(SRC, module), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/gm)]
    .map((m) => relative(SRC, resolve(dirname(join(SRC, module)), m[1])));
}

test('every module sits in a known folder', () => {
  for (const module of modules()) assert.ok(layerOf(module) >= 0, module);
});

test('imports run one way: no module imports a folder above its own', () => {
  const wrong = [];
  for (const module of modules()) {
    for (const target of importsOf(module)) {
      if (layerOf(target) > layerOf(module)) wrong.push(`${module} → ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no page imports another page', () => {
  const wrong = [];
  for (const module of modules().filter(pageOf)) {
    for (const target of importsOf(module)) {
      if (pageOf(target) && pageOf(target) !== pageOf(module)) wrong.push(`${module} → ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no cycles between modules', () => {
  const graph = new Map(modules().map((m) => [m, importsOf(m)]));
  const state = new Map();
  const cycle = [];
  const visit = (m, path) => {
    if (state.get(m) === 'done') return;
    if (state.get(m) === 'open') {
      cycle.push([...path.slice(path.indexOf(m)), m].join(' → '));
      return;
    }
    state.set(m, 'open');
    for (const next of graph.get(m) || []) visit(next, [...path, m]);
    state.set(m, 'done');
  };
  for (const m of graph.keys()) visit(m, []);
  assert.deepEqual(cycle, []);
});
