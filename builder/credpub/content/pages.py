"""The issuer's own pages (content/pages/*.md): their list as navigation and footer show it
(front matter, titles, language variants `privacy.en.md`), and the version of the privacy text
that claim pages ask consent for. Read once, by the load stage."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from credpub.content import reader
from credpub.errors import ContentError
from credpub.model import IssuerPage, SiteConfig


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def issuer_page_list(pages_dir: Path, site: SiteConfig) -> list[IssuerPage]:
    """content/pages/*.md in navigation order; the privacy page must exist (claim pages show it)."""
    import yaml

    pages = []
    files = sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []
    variants = [(f, m.group(1), m.group(2)) for f in files if (m := _VARIANT.fullmatch(f.name))]
    files = [f for f in files if not _VARIANT.fullmatch(f.name)]
    names = {f.name for f in files}
    if site.privacy_page not in names:
        src = site.source
        raise ContentError(pages_dir / site.privacy_page, 0, "privacy_page",
                           "the privacy terms page is missing; claim pages show it before the credential"
                           + (f" (set in {src.path})" if src else ""))
    default_order = {"index.md": 0, "about.md": 10, "how-to-verify.md": 20}
    for f in files:
        text = reader.read_text(f, pages_dir.parent)
        meta: dict[str, Any] = {}
        m = _FRONT.match(text)
        if m:
            try:
                meta = yaml.safe_load(m.group(1)) or {}
            except yaml.YAMLError as e:
                raise ContentError(f, getattr(getattr(e, "problem_mark", None), "line", -1) + 2,
                                   "front matter", str(e)) from None
        if not isinstance(meta, dict) or not isinstance(meta.get("nav_order", 0), int):
            raise ContentError(f, 2, "front matter", "must be fields such as title: …, with nav_order a whole number")
        h1 = re.search(r"^#\s+(.+?)\s*#*\s*$", text[m.end() if m else 0:], re.M)
        stem = f.stem
        title = str(meta.get("nav_title") or meta.get("title") or (h1.group(1) if h1 else stem.replace("-", " ").title()))
        if f.name == "index.md":
            title, url = str(meta.get("nav_title") or "Home"), ""
        else:
            url = f"{stem}/"
        privacy = f.name == site.privacy_page
        pages.append(IssuerPage(
            name=f.name, title=title, url=url,
            order=int(meta.get("nav_order", default_order.get(f.name, 50 if not privacy else 90))),
            in_nav=bool(meta.get("nav", not privacy)),
            in_footer=bool(meta.get("footer", privacy or f.name == "how-to-verify.md")),
        ))
    by_name = {p.name: p for p in pages}
    languages = site.languages or ()
    for f, stem, code in variants:
        base = by_name.get(stem + ".md")
        if code not in languages[1:]:
            why = ("is the default language: write it in " + stem + ".md itself" if languages and code == languages[0]
                   else f"is not one of the site's languages ({', '.join(languages) or 'none set'}) in site.yml")
            raise ContentError(f, 1, "language", f"'{code}' {why}; a page's variants are named <page>.<language>.md")
        if base is None:
            raise ContentError(f, 1, "file name", f"a variant of {stem}.md, which is missing; add {stem}.md "
                               "(the default language's page) or rename this file")
        title = _title(f, stem)
        url = f"{base.url}{code}/"
        base.variants[code] = IssuerPage(name=f.name, title=title if base.name != "index.md" else
                                         _title(f, stem, home=True), url=url, order=base.order,
                                         in_nav=base.in_nav, in_footer=base.in_footer)
    pages.sort(key=lambda p: (p.order, p.name))
    return pages


#: `privacy.en.md`: the page `privacy.md` in English.
_VARIANT = re.compile(r"(.+)\.([a-z]{2,3})\.md")


def _title(f: Path, stem: str, home: bool = False) -> str:
    """A variant's navigation title, from its own front matter or heading (as its base page's)."""
    import yaml

    text = reader.read_text(f, f.parent.parent)
    m = _FRONT.match(text)
    try:
        meta = (yaml.safe_load(m.group(1)) or {}) if m else {}
    except yaml.YAMLError as e:
        raise ContentError(f, getattr(getattr(e, "problem_mark", None), "line", -1) + 2, "front matter", str(e)) from None
    if not isinstance(meta, dict):
        raise ContentError(f, 2, "front matter", "must be fields such as title: …")
    if home:
        return str(meta.get("nav_title") or "Home")
    h1 = re.search(r"^#\s+(.+?)\s*#*\s*$", text[m.end() if m else 0:], re.M)
    return str(meta.get("nav_title") or meta.get("title") or (h1.group(1) if h1 else stem.replace("-", " ").title()))


def terms_versions(pages_dir: Path, site: SiteConfig) -> dict[str, str]:
    """language → a version that changes whenever the privacy text shown in it changes (its
    variant, else the default page), so that consent is asked again for the text the graduate
    actually read."""
    path = pages_dir / site.privacy_page
    out = {}
    for lang in site.languages or ("en",):
        variant = path.with_name(f"{path.stem}.{lang}.md")
        chosen = variant if variant.is_file() else path
        out[lang] = hashlib.sha256(reader.read_bytes(chosen, pages_dir.parent)).hexdigest()[:16]
    return out
