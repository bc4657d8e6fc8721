// A minimal document for drawing DOM in node tests: elements with attributes, children and
// textContent, serialised with & < > " escaped (Jinja's autoescape also writes ' as &#39;:
// `sameMarkup` treats the two spellings as one), so that a card drawn by src/site/card.js compares
// with theme/templates/partials/card.html's output.
const VOID = new Set(['img', 'input', 'br', 'hr', 'meta', 'link']);

export function escapeHtml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;');
}

/** Jinja's HTML with its &#39; written as the character (the same text). */
export function jinjaHtml(html) {
  return html.replace(/&#39;/g, "'");
}

class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = [];
    this.childNodes = [];
  }
  setAttribute(name, value) {
    const found = this.attributes.find((a) => a[0] === name);
    if (found) found[1] = String(value);
    else this.attributes.push([name, String(value)]);
  }
  getAttribute(name) {
    return this.attributes.find((a) => a[0] === name)?.[1] ?? null;
  }
  append(...nodes) {
    for (const n of nodes) this.childNodes.push(typeof n === 'string' ? {text: n} : n);
  }
  set textContent(value) {
    this.childNodes = value === '' ? [] : [{text: String(value)}];
  }
  get textContent() {
    return this.childNodes.map((c) => ('text' in c ? c.text : c.textContent)).join('');
  }
  get outerHTML() {
    const tag = this.tagName.toLowerCase();
    const attrs = this.attributes.map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('');
    if (VOID.has(tag)) return `<${tag}${attrs}>`;
    const inner = this.childNodes.map((c) => ('text' in c ? escapeHtml(c.text) : c.outerHTML)).join('');
    return `<${tag}${attrs}>${inner}</${tag}>`;
  }
}

export function fakeDocument(lang = 'en') {
  return {documentElement: {lang}, createElement: (tag) => new FakeElement(tag)};
}
