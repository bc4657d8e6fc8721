/**
 * A reader for the gettext .po catalogues of builder/credpub/data/locale/ (the one
 * source of every page text; Python reads them with Babel, tests check that
 * both readers agree). Handles what those files use: comments, msgctxt-free
 * singular entries, "#, fuzzy", multi-line strings and C escapes.
 */

const ESCAPES = {n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\'};

/**
 * @param {string} text - a .po file
 * @returns {{locale: string, messages: Record<string, string>, sources: Record<string, string[]>}}
 *   the header's Language (as a BCP 47 tag), every translated, non-fuzzy message, and the
 *   files each message is used in (its "#:" references, written by `make catalogues`)
 */
export function parsePo(text) {
  const messages = {};
  const sources = {};
  let header = '';
  let entry = {};
  let field = null;
  const flush = () => {
    if (entry.msgid === '' && field) header = entry.msgstr ?? '';
    else if (entry.msgid && entry.msgstr && !entry.fuzzy) {
      messages[entry.msgid] = entry.msgstr;
      sources[entry.msgid] = entry.refs || [];
    }
    entry = {};
    field = null;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') {
      flush();
      continue;
    }
    if (line.startsWith('#')) {
      if (field) flush();
      if (/^#,.*\bfuzzy\b/.test(line)) entry.fuzzy = true;
      if (line.startsWith('#:')) (entry.refs ??= []).push(...line.slice(2).trim().split(/\s+/).map((r) => r.replace(/:\d+$/, '')));
      continue;
    }
    const m = /^(msgid|msgstr|msgctxt|msgid_plural|msgstr\[\d+\])\s+(".*")$/.exec(line);
    if (m) {
      if (m[1] === 'msgid' && field) flush();
      field = m[1];
      entry[field] = unquote(m[2]);
    } else if (line.startsWith('"') && field) {
      entry[field] += unquote(line);
    } else {
      throw new SyntaxError(`unexpected line in catalogue: ${raw}`);
    }
  }
  flush();
  const lang = /^Language:\s*(\S+)/m.exec(header);
  return {locale: lang ? lang[1].replace('_', '-') : '', messages, sources};
}

function unquote(s) {
  if (!/^".*"$/.test(s)) throw new SyntaxError(`not a quoted string: ${s}`);
  return s.slice(1, -1).replace(/\\(.)/g, (_, c) => ESCAPES[c] ?? c);
}
