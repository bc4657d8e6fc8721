"""The HTML of the issuer's own pages (`content/pages/*.md`): what it may contain.

Markdown passes raw HTML through, and the privacy page is also shown inside every claim page,
next to the graduate's credential and the "I agree" button. So the rendered HTML of each page
goes through two steps, here and nowhere else:

1. `refusals()`: what can only be an attack or a mistake fails the build, with the file named —
   scripts, event handlers (`onerror=`), `javascript:` URLs, `<meta http-equiv>` (a refresh
   redirects the claim page to another site), frames, objects and embeds.
2. `nh3.clean()` with an allow-list of tags, attributes and URL schemes: everything else that
   is not plain document markup (style, forms, unknown tags, data: URLs …) is stripped.

nh3 (PyPI) binds Ammonia, the Rust sanitizer built on html5ever — the browsers' own parsing
algorithm — and is well maintained; a hand-written sanitizer over Python's lenient HTMLParser
would disagree with browsers on malformed markup, which is where sanitizers fail. Step 1 uses
HTMLParser only to *find* things worth a clear message; step 2 is the barrier.

The load stage (content/assets.py) renders each page with the same Markdown extensions as the build
(`PAGE_MARKDOWN_EXTENSIONS`) and reports the refusals; the build refuses in
`mkdocs_plugin.CredpubPlugin.on_page_content` and cleans there.
"""

from __future__ import annotations

from html import unescape
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import nh3

from credpub.content import reader
from credpub.errors import ContentError

#: The Markdown dialect of content/pages (mkdocs renders them with these).
PAGE_MARKDOWN_EXTENSIONS = ["toc", "tables", "admonition", "attr_list", "def_list"]

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul", "var",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed", "type"},
    "col": {"span"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}  # and relative URLs

REFUSED_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "cite",
                  "srcset", "longdesc", "ping"}
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these before reading the scheme
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in REFUSED_TAGS:
            self.found.append(f"<{tag}> (scripts, frames and embedded objects are not allowed in pages)")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.found.append("<meta http-equiv> (a refresh would send readers, and claim pages, to another address)")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"the event handler {name}= on <{tag}> (no scripts in pages)")
            elif name in URL_ATTRIBUTES and value:
                url = _IGNORED_IN_URLS.sub("", value).lower()
                if url.startswith(_SCRIPT_SCHEMES) or ", javascript:" in url:
                    self.found.append(f"a {url.split(':', 1)[0]}: URL in {name}= on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def refusals(html: str) -> list[str]:
    """What in `html` fails the build: each as a short description."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return list(dict.fromkeys(finder.found))


def clean(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)


def page_html(html: str, source: Path) -> str:
    """The HTML of one issuer page, cleaned; ContentError (naming `source`) if it holds
    anything refused."""
    found = refusals(html)
    if found:
        raise _error(source, found)
    return clean(html)


#: Files mkdocs would publish from pages/ as they are (or, for .html/.xml, run as templates),
#: which a browser would run on the site's origin: not pages, and not allowed there.
ACTIVE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".js", ".mjs", ".xml", ".xsl",
                   ".xslt", ".swf"}


def check_pages(pages_dir: Path) -> list[ContentError]:
    """`credpub check` and the build (through validate): every page's refusals, and no file in
    pages/ that could run scripts (images and other documents may sit there)."""
    errors: list[ContentError] = []
    files = sorted(f for f in pages_dir.rglob("*") if f.is_file() and not f.name.startswith(".")) if pages_dir.is_dir() else []
    for f in files:
        if f.suffix.lower() == ".md":
            problem = check_page(f)
            if problem:
                errors.append(problem)
        elif f.suffix.lower() in ACTIVE_SUFFIXES:
            errors.append(ContentError(f, 0, "", f"a {f.suffix} file in pages/ would be published as it is and could run "
                                                 "scripts on the site; write pages in Markdown, use PNG/JPEG images"))
    return errors


def check_page(path: Path) -> ContentError | None:
    """`credpub check`: the page rendered as the build renders it, and its refusals."""
    try:
        text = reader.read_text(path, path.parent.parent)
    except ContentError as e:
        return e
    except (OSError, UnicodeDecodeError) as e:
        return ContentError(path, 0, "", f"cannot read the page ({e})")
    body = _FRONT_MATTER.sub("", text, count=1)
    try:
        rendered = markdown.markdown(body, extensions=PAGE_MARKDOWN_EXTENSIONS)
    except RecursionError:
        return ContentError(path, 0, "", "the Markdown is nested too deeply to render (lists or quotes within each other)")
    found = refusals(rendered)
    return _error(path, found, text) if found else None


_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)


def _error(path: Path, found: list[str], source: str | None = None) -> ContentError:
    if source is None:
        try:
            source = reader.read_text(path)
        except (ContentError, OSError, UnicodeDecodeError):
            source = ""
    return ContentError(path, _line_of(source, found[0]), "html",
                        "not allowed in a page: " + "; ".join(found)
                        + ". Pages are documents: remove it (claim pages show the privacy page too)")


def _line_of(source: str, finding: str) -> int:
    """The first line of the Markdown source that mentions what was found (0 if none does)."""
    m = re.search(r"(<\w+)|(\bon\w+=)|(\w+:) URL", finding)
    needle = next((g for g in m.groups() if g), "") if m else ""
    if not needle:
        return 0
    needle = _IGNORED_IN_URLS.sub("", needle).lower()
    for i, line in enumerate(source.splitlines(), 1):  # as the browser reads it: entities decoded, no blanks
        if needle in _IGNORED_IN_URLS.sub("", unescape(line)).lower():
            return i
    return 0
