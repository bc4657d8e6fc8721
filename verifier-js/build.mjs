// Builds dist/credpub.js (one classic IIFE script: pages must work from
// file://, where ES modules do not load), dist/credpub-verify.css and
// dist/meta.json, and prints the sizes (raw and gzipped).
//
//   npm run build            build and print sizes
//   npm run build -- --check also fail if a size budget is exceeded
import * as esbuild from 'esbuild';
import {readFileSync, writeFileSync, mkdirSync, readdirSync} from 'node:fs';
import {gzipSync} from 'node:zlib';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const contextsDir = resolve(here, '../builder/credpub/data/contexts');
const localeDir = resolve(here, '../builder/credpub/data/locale');
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const KB = 1024;
/** SPEC "Performance": verifier with contexts ≤ 64 KB gzipped; all site scripts ≤ 80 KB. */
export const BUDGET = {verifier: 64 * KB, bundle: 80 * KB};

/**
 * `#contexts` → a module embedding every file that
 * builder/credpub/data/contexts/index.json lists (the one list shared with Python).
 */
const contextsPlugin = {
  name: 'credpub-contexts',
  setup(build) {
    build.onResolve({filter: /^#contexts$/}, () => ({path: 'contexts', namespace: 'credpub-contexts'}));
    build.onLoad({filter: /.*/, namespace: 'credpub-contexts'}, () => {
      const indexPath = join(contextsDir, 'index.json');
      const index = JSON.parse(readFileSync(indexPath, 'utf8'));
      const entries = Object.entries(index);
      const lines = entries.map(([, file], i) => `import c${i} from ${JSON.stringify(join(contextsDir, file))};`);
      lines.push(`export default {${entries.map(([url], i) => `${JSON.stringify(url)}: c${i}`).join(', ')}};`);
      return {contents: lines.join('\n'), resolveDir: contextsDir, loader: 'js', watchFiles: [indexPath, ...entries.map(([, f]) => join(contextsDir, f))]};
    });
  },
};

/**
 * Where the browser needs messages from: its own modules, and the templates of the share page,
 * whose fixed texts it switches to another language (i18n.js translateTexts).
 */
const BROWSER_SOURCES = [/^verifier-js\//, /^theme\/templates\/(share|base)\.html$/, /^theme\/templates\/partials\/(header|footer|languages)\.html$/];

/**
 * `#catalogues` → the message catalogues of builder/credpub/data/locale/*.po (the
 * source Python reads too) as JSON: {lang: {locale, messages}}, with only the
 * messages used where the browser shows them (by the catalogue's "#:" references,
 * kept current by `make catalogues`; tests/test_i18n.py checks they are).
 */
const cataloguesPlugin = {
  name: 'credpub-catalogues',
  setup(build) {
    build.onResolve({filter: /^#catalogues$/}, () => ({path: 'catalogues', namespace: 'credpub-catalogues'}));
    build.onLoad({filter: /.*/, namespace: 'credpub-catalogues'}, async () => {
      const {parsePo} = await import('./src/site/po.js');
      const files = readdirSync(localeDir).filter((f) => f.endsWith('.po')).sort();
      const out = {};
      for (const f of files) {
        const {locale, messages, sources} = parsePo(readFileSync(join(localeDir, f), 'utf8'));
        // A message translated as itself needs no entry: every lookup falls back to the msgid.
        const used = Object.keys(messages).filter((id) => messages[id] !== id && sources[id].some((file) => BROWSER_SOURCES.some((re) => re.test(file))));
        out[f.slice(0, -3)] = {locale, messages: Object.fromEntries(used.map((id) => [id, messages[id]]))};
      }
      return {contents: JSON.stringify(out), loader: 'json', watchFiles: files.map((f) => join(localeDir, f))};
    });
  },
};

/**
 * The shared data files (builder/credpub/data/*.json) carry notes for people — "comment",
 * "_comment", claim_layers.json's "properties" — that no code reads: the bundle leaves them out
 * (Node, the tests and Python read the files whole).
 */
const DOC_KEYS = new Set(['comment', '_comment', 'properties']);
const dataDir = resolve(here, '../builder/credpub/data');
const dataPlugin = {
  name: 'credpub-data',
  setup(build) {
    build.onLoad({filter: /\.json$/}, (args) => {
      if (dirname(args.path) !== dataDir) return undefined;
      const doc = JSON.parse(readFileSync(args.path, 'utf8'));
      const kept = Object.fromEntries(Object.entries(doc).filter(([key]) => !DOC_KEYS.has(key)));
      return {contents: JSON.stringify(kept), loader: 'json'};
    });
  },
};

/** Swaps node-only or unneeded parts of jsonld.js / rdf-canonize for small shims. */
const shimsPlugin = {
  name: 'credpub-shims',
  setup(build) {
    build.onResolve({filter: /^\.\/platform(-browser)?(\.js)?$/}, (args) => {
      if (/[\\/]jsonld[\\/]lib$/.test(args.resolveDir)) return {path: join(here, 'src/shims/jsonld-platform.js')};
      return undefined;
    });
    build.onResolve({filter: /^\.\/MessageDigest(-webcrypto)?(\.js)?$/}, (args) => {
      if (/[\\/]rdf-canonize[\\/]lib$/.test(args.resolveDir)) return {path: join(here, 'src/shims/rdf-messagedigest.js')};
      return undefined;
    });
    build.onResolve({filter: /^\.\/(compact|frame|flatten|fromRdf)(\.js)?$/}, (args) => {
      if (/[\\/]jsonld[\\/]lib$/.test(args.resolveDir)) return {path: join(here, 'src/shims/unused.js')};
      return undefined;
    });
    build.onResolve({filter: /^\.\/RDFC10Sync(\.js)?$/}, (args) => {
      if (/[\\/]rdf-canonize[\\/]lib$/.test(args.resolveDir)) return {path: join(here, 'src/shims/unused.js')};
      return undefined;
    });
    build.onLoad({filter: /[\\/]jsonld[\\/]lib[\\/]context\.js$/}, (args) => ({contents: shareContexts(readFileSync(args.path, 'utf8')), loader: 'js'}));
    build.onLoad({filter: /[\\/]qrcode-generator[\\/]dist[\\/]qrcode\.mjs$/}, (args) => ({contents: trimQrcode(readFileSync(args.path, 'utf8')), loader: 'js'}));
    build.onResolve({filter: /^setimmediate$/}, () => ({path: join(here, 'src/shims/setimmediate.js')}));
    build.onResolve({filter: /^lru-cache$/}, () => ({path: join(here, 'src/shims/lru-cache.js')}));
  },
};

/**
 * Cuts `src` from the first `from` up to (not including) the next `to` and puts `put` there;
 * fails the build when a marker is gone (a new library version must be looked at, not
 * bundled whole or half).
 */
export function cut(src, from, to, put = '') {
  const start = src.indexOf(from);
  const end = start < 0 ? -1 : src.indexOf(to, start + from.length);
  if (start < 0 || end < 0) throw new Error(`build.mjs: marker ${JSON.stringify(start < 0 ? from : to)} not found`);
  return src.slice(0, start) + put + src.slice(end);
}

/**
 * qrcode-generator is one object of renderers (HTML table, SVG, GIF, data URL, ASCII, canvas)
 * around the encoder; the certificate draws its own SVG from isDark(), so the bundle keeps the
 * encoder only. Kanji mode needs the library's SJIS build: here it throws, as the plain
 * build's own self-test does.
 */
const QR_BANNER = '//---------------------------------------------------------------------\n';
export function trimQrcode(src) {
  src = cut(src, '  _this.createTableTag = function', '  return _this;\n};\n\n' + QR_BANNER + '// qrcode.stringToBytes\n');
  src = cut(src, QR_BANNER + '// qrcode.createStringToBytes\n', QR_BANNER + '// QRMode\n');
  // The rest — Kanji, then GIF and base64 streams for the data-URL renderer — up to the exports.
  return cut(src, 'const qrKanji = function(data) {', 'export default qrcode;', "const qrKanji = function() { throw 'sjis not supported.'; };\n\n");
}

/**
 * jsonld.js copies the whole active context each time expansion enters or leaves a type-scoped
 * context (Open Badges and VC 2.0 are full of them), and its cache of processed contexts is
 * keyed by the context object, so a fresh copy always misses: most of a verification's time.
 * jsonld.js writes only to a context it has just cloned itself, and the inverse context it
 * caches on one serves compaction, which the bundle leaves out: the previous context is handed
 * back as it is, and the one copy made on entering a non-propagating context is kept per
 * context (as its own cache keeps what it processes).
 */
export function shareContexts(src) {
  src = cut(src, 'return this.previousContext.clone();', '\n', 'return this.previousContext;');
  return cut(src, '    rval = rval.clone();\n    rval.previousContext = activeCtx;\n', '  }\n',
    '    rval = ENTERED.get(activeCtx);\n    if(!rval) {\n      ENTERED.set(activeCtx, rval = activeCtx.clone());\n      rval.previousContext = activeCtx;\n    }\n')
    .replace("'use strict';\n", "'use strict';\nconst ENTERED = new WeakMap();\n");
}

export const LICENCES_FILE = 'credpub-licences.txt';
const MIT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`;
/** Packages that ship no licence file: their notice, from the source's own header. */
const NOTICE_WITHOUT_FILE = {
  'qrcode-generator': `MIT License\n\nCopyright (c) 2009 Kazuhiko Arase\n\n${MIT}\nThe word 'QR Code' is registered trademark of DENSO WAVE INCORPORATED.\n`,
};

/**
 * The licence notes of everything an esbuild metafile says the bundle holds: each npm package's
 * licence file (or its notice above; an unknown package without one fails the build) and the
 * licences of the bundled @context files.
 */
export function licencesText(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules[\\/])((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(input);
    if (m) packages.set(m[1] + m[2], m[2]);
  }
  const parts = [];
  for (const [dir, name] of [...packages].sort((a, b) => a[0].localeCompare(b[0]))) {
    const abs = resolve(here, dir);
    const {version} = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8'));
    const file = readdirSync(abs).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
    const text = file ? readFileSync(join(abs, file), 'utf8') : NOTICE_WITHOUT_FILE[name];
    if (!text) throw new Error(`build.mjs: ${name} ships no licence file and has no notice here`);
    parts.push(`${name} ${version}\n\n${text.trim()}\n`);
  }
  for (const f of readdirSync(contextsDir).filter((f) => f.startsWith('LICENSE')).sort()) {
    parts.push(`@context files (builder/credpub/data/contexts, ${f})\n\n${readFileSync(join(contextsDir, f), 'utf8').trim()}\n`);
  }
  return `Licences of the code and data bundled in credpub.js\n\n${parts.join('\n' + '-'.repeat(72) + '\n\n')}`;
}

const common = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
  minify: true,
  // The licences live in dist/credpub-licences.txt (licencesText), shipped next to the script.
  legalComments: 'none',
  footer: {js: `/*! Licences of the bundled code and contexts: ${LICENCES_FILE} */`},
  loader: {'.jsonld': 'json'},
  plugins: [contextsPlugin, cataloguesPlugin, dataPlugin, shimsPlugin],
  define: {__CREDPUB_VERSION__: JSON.stringify(pkg.version)},
  logLevel: 'warning',
};

/**
 * Builds the site bundle in memory (tests run it in Node).
 * @param {string} [entry] - defaults to src/main.js
 * @param {object} [options] - more esbuild options (the verifier alone: a globalName)
 * @returns {Promise<string>} the IIFE source
 */
export async function bundleSource(entry = join(here, 'src/main.js'), options = {}) {
  const out = await esbuild.build({...common, ...options, entryPoints: [entry], write: false, outfile: 'credpub.js'});
  return out.outputFiles[0].text;
}

/** The esbuild metafile of the site bundle (what it holds; licencesText reads it). */
export async function siteMetafile() {
  const out = await esbuild.build({...common, entryPoints: [join(here, 'src/main.js')], write: false, outfile: 'credpub.js', metafile: true});
  return out.metafile;
}

/** The verifier alone (API + contexts, no page scripts), as the budget measures it. */
export const VERIFIER_ENTRY = 'src/verify/verify.js';
export const VERIFIER_GLOBAL = 'credpubVerifier';

export const gz = (bytes) => gzipSync(bytes, {level: 9}).length;
const fmt = (n) => `${(n / KB).toFixed(1)} KB`;

async function main() {
  const check = process.argv.includes('--check');
  mkdirSync(join(here, 'dist'), {recursive: true});

  const site = await esbuild.build({...common, entryPoints: [join(here, 'src/main.js')], outfile: join(here, 'dist/credpub.js'), metafile: true});
  writeFileSync(join(here, 'dist/meta.json'), JSON.stringify(site.metafile, null, 1) + '\n');
  writeFileSync(join(here, 'dist', LICENCES_FILE), licencesText(site.metafile));

  // The verifier alone (API + contexts, no page scripts), measured only.
  const verifierOnly = await esbuild.build({
    ...common, entryPoints: [join(here, VERIFIER_ENTRY)], globalName: VERIFIER_GLOBAL, write: false, metafile: true,
  });

  await esbuild.build({
    entryPoints: [join(here, 'src/verify.css')], outfile: join(here, 'dist/credpub-verify.css'),
    bundle: true, minify: true, logLevel: 'warning', target: ['chrome90', 'firefox90', 'safari15'],
  });

  const bundle = readFileSync(join(here, 'dist/credpub.js'));
  const css = readFileSync(join(here, 'dist/credpub-verify.css'));
  const verifier = verifierOnly.outputFiles[0].contents;
  const contexts = Object.entries(site.metafile.outputs[Object.keys(site.metafile.outputs)[0]].inputs)
    .filter(([p]) => p.includes('builder/credpub/data/contexts/')).reduce((n, [, v]) => n + v.bytesInOutput, 0);

  const rows = [
    ['dist/credpub.js (all page scripts)', bundle.length, gz(bundle), BUDGET.bundle],
    ['  verifier alone, with contexts', verifier.length, gz(verifier), BUDGET.verifier],
    ['  of which contexts (minified JSON)', contexts, null, null],
    ['dist/credpub-verify.css', css.length, gz(css), null],
  ];
  console.log('size                                   raw        gzip -9    budget (gzip)');
  let over = false;
  for (const [name, raw, gzip, budget] of rows) {
    const bad = budget && gzip > budget;
    over ||= bad;
    console.log(`${name.padEnd(38)} ${fmt(raw).padStart(9)}  ${gzip === null ? '        -' : fmt(gzip).padStart(9)}    ${budget ? fmt(budget) + (bad ? '  OVER' : '  ok') : ''}`);
  }
  if (check && over) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
