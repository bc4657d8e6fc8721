"""The issuer's own pages (`content/pages/*.md`) through mkdocs' build API with the credpub theme,
and their list (navigation, footer, the privacy page whose version claim pages ask consent for).

Used by the renderer (`render.SiteRenderer.render` → `build_issuer_pages`) and by the mkdocs
plugin (`mkdocs_plugin.py`, which gives mkdocs the same theme). This module imports neither:
the renderer comes in as an argument (it knows how to set up a Jinja environment for the
theme), so the import graph stays one-way.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.theme import Theme

from .errors import ContentError
from .model import Plan, SiteConfig
from .sanitize import PAGE_MARKDOWN_EXTENSIONS, page_html


class ThemeRenderer(Protocol):
    """What these pages need of the renderer (render.SiteRenderer)."""

    plan: Plan
    site: SiteConfig
    theme: Path
    cp: Any  # render.SiteView

    def configure_env(self, env: Any) -> None: ...

#: mkdocs writes these from its own templates; credpub writes its own sitemap (no build dates:
#: builds are deterministic) and the search index is not wanted (no plugin by default).
DROP = {"sitemap.xml", "sitemap.xml.gz"}

_VALIDATION = {
    # Issuer pages link to credpub's own pages (verify/, achievements/…), which mkdocs cannot see.
    "links": {"not_found": "info", "unrecognized_links": "info", "absolute_links": "info"},
    "nav": {"omitted_files": "info", "not_found": "info", "absolute_links": "info"},
}


def credpub_theme(theme_dir: Path) -> Theme:
    return Theme(name=None, custom_dir=str(theme_dir / "templates"), static_templates=["404.html"],
                 locale="en")


class ThemeGlobals(BasePlugin):
    """Gives the theme's templates, rendered by mkdocs, what credpub's own pages have: `cp`,
    the filters, autoescape (mkdocs' environment does not autoescape; the theme relies on it)."""

    def __init__(self, renderer: ThemeRenderer) -> None:
        super().__init__()
        self.renderer = renderer

    def on_env(self, env, config: MkDocsConfig, files):  # noqa: ANN001 (mkdocs' own types)
        self.renderer.configure_env(env)
        return env

    def on_page_content(self, html: str, page, config: MkDocsConfig, files) -> str:  # noqa: ANN001
        return sanitized_page(html, page)


def sanitized_page(html: str, page) -> str:  # noqa: ANN001 (mkdocs' Page)
    """Every issuer page's HTML through the one sanitiser (refuses scripts, handlers, meta
    refresh …, naming the file; strips the rest of what is not document markup)."""
    return page_html(html, Path(page.file.abs_src_path))


def mkdocs_config(renderer: ThemeRenderer, site_dir: Path) -> MkDocsConfig:
    docs = renderer.plan.content.root / "pages"
    cfg = MkDocsConfig(config_file_path=str(docs.parent / "mkdocs.yml"))
    cfg.load_dict({
        "site_name": renderer.cp.title,
        "site_url": renderer.site.url,
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "theme": {"name": None, "custom_dir": str(renderer.theme / "templates"),
                  "static_templates": ["404.html"], "locale": "en"},
        "plugins": [],
        "markdown_extensions": PAGE_MARKDOWN_EXTENSIONS,
        "validation": _VALIDATION,
        "strict": False,
    })
    errors, warnings = cfg.validate()
    if errors:
        raise RuntimeError("; ".join(f"{k}: {e}" for k, e in errors))
    cfg.plugins["credpub"] = ThemeGlobals(renderer)
    return cfg


def build_issuer_pages(renderer: ThemeRenderer) -> dict[str, bytes]:
    """content/pages/*.md through mkdocs' own build, read back as {path: bytes}."""
    from mkdocs.commands.build import build

    out: dict[str, bytes] = {}
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)  # "Cleaning site directory", "Documentation built in …"
    try:
        with tempfile.TemporaryDirectory(prefix="credpub-mkdocs-") as tmp:
            build(mkdocs_config(renderer, Path(tmp)))
            for dirpath, _dirs, names in os.walk(tmp):
                for name in names:
                    path = Path(dirpath, name)
                    rel = path.relative_to(tmp).as_posix()
                    if rel not in DROP:
                        out[rel] = path.read_bytes()
    finally:
        logger.setLevel(level)
    return out


# ---------------------------------------------------------------- the pages and their navigation

@dataclass
class IssuerPage:
    name: str  # file name under content/pages
    title: str
    url: str  # "" for index.md, "about/" for about.md
    order: int
    in_nav: bool
    in_footer: bool


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def issuer_page_list(pages_dir: Path, site: SiteConfig) -> list[IssuerPage]:
    """content/pages/*.md in navigation order; the privacy page must exist (claim pages show it)."""
    import yaml

    pages = []
    files = sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []
    names = {f.name for f in files}
    if site.privacy_page not in names:
        src = site.source
        raise ContentError(pages_dir / site.privacy_page, 0, "privacy_page",
                           "the privacy terms page is missing; claim pages show it before the credential"
                           + (f" (set in {src.path})" if src else ""))
    default_order = {"index.md": 0, "about.md": 10, "how-to-verify.md": 20}
    for f in files:
        text = f.read_text(encoding="utf-8")
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
    pages.sort(key=lambda p: (p.order, p.name))
    return pages


def terms_version(pages_dir: Path, site: SiteConfig) -> str:
    """Changes whenever the privacy text changes, so that consent is asked again."""
    return hashlib.sha256((pages_dir / site.privacy_page).read_bytes()).hexdigest()[:16]
