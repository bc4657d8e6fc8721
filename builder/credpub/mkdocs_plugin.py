"""mkdocs integration (issue 3, point 1): the issuer's own pages (`content/pages/*.md`) rendered
by mkdocs' build API with the credpub theme, and credpub as a mkdocs plugin.

Two ways in, one code path:

* `credpub build` → `render.render_site` → `build_issuer_pages(renderer)`: a programmatic
  mkdocs config (no mkdocs.yml needed), built into a temporary folder and read back as bytes.
* `mkdocs build` / `mkdocs gh-deploy` with `plugins: [credpub]` in mkdocs.yml: the plugin sets
  the credpub theme, runs the credpub pipeline once (`on_config`), gives the templates the
  site (`on_env`) and writes the rest of the site into `site_dir` (`on_post_build`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.theme import Theme

from .errors import ContentError
from .sanitize import PAGE_MARKDOWN_EXTENSIONS

if TYPE_CHECKING:
    from .model import SiteConfig
    from .render import SiteRenderer

log = logging.getLogger("mkdocs.plugins.credpub")

#: mkdocs writes these from its own templates; credpub writes its own sitemap (no build dates:
#: builds are deterministic) and the search index is not wanted (no plugin by default).
_DROP = {"sitemap.xml", "sitemap.xml.gz"}

_VALIDATION = {
    # Issuer pages link to credpub's own pages (verify/, achievements/…), which mkdocs cannot see.
    "links": {"not_found": "info", "unrecognized_links": "info", "absolute_links": "info"},
    "nav": {"omitted_files": "info", "not_found": "info", "absolute_links": "info"},
}


def credpub_theme(theme_dir: Path) -> Theme:
    return Theme(name=None, custom_dir=str(theme_dir / "templates"), static_templates=["404.html"],
                 locale="en")


class CredpubPluginConfig(Config):
    content = c.Type(str, default="content")  # the content/ folder, relative to mkdocs.yml
    keys_dir = c.Optional(c.Type(str))  # key folder, default .credpub (environment variables first)
    assets_js = c.Optional(c.Type(str))  # the esbuild bundle folder (verifier-js/dist)


class CredpubPlugin(BasePlugin[CredpubPluginConfig]):
    """`credpub = credpub.mkdocs_plugin:CredpubPlugin` under the `mkdocs.plugins` entry points."""

    def __init__(self, renderer: SiteRenderer | None = None) -> None:
        super().__init__()
        self.renderer = renderer
        self.standalone = renderer is None

    # -- mkdocs events

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from . import paths
        from .render import SiteRenderer

        if self.standalone:
            base = Path(config.config_file_path or ".").resolve().parent
            content = (base / self.config.content).resolve()
            keys = (base / (self.config.keys_dir or ".credpub")).resolve()
            self.renderer = SiteRenderer(_signed_for_mkdocs(content, keys))
            config.docs_dir = str(content / "pages")
            config.site_url = self.renderer.site.url
            if not config.site_name:
                config.site_name = self.renderer.cp.title
            if config.theme.name in (None, "mkdocs"):  # the default: use credpub's
                config.theme = credpub_theme(paths.theme_dir())
        config.use_directory_urls = True
        return config

    def on_env(self, env, config: MkDocsConfig, files):  # noqa: ANN001 (mkdocs' own types)
        from .render import install_filters

        assert self.renderer is not None
        # mkdocs' environment does not autoescape; the theme relies on it (issue 3, point 8).
        env.autoescape = True
        install_filters(env)
        env.globals["cp"] = self.renderer.cp
        return env

    def on_page_content(self, html: str, page, config: MkDocsConfig, files) -> str:  # noqa: ANN001
        """Every issuer page's HTML through the one sanitiser (refuses scripts, handlers,
        meta refresh …, naming the file; strips the rest of what is not document markup)."""
        from .sanitize import page_html

        return page_html(html, Path(page.file.abs_src_path))

    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.standalone:
            return
        assert self.renderer is not None
        assets = Path(self.config.assets_js or _default_assets_js())
        site_dir = Path(config.site_dir)
        for name in _DROP:  # mkdocs' sitemap carries build dates; credpub writes its own
            (site_dir / name).unlink(missing_ok=True)
        for rel, data in self.renderer.render(assets, issuer_pages=False).items():
            dest = site_dir / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        _write_signed_files(self.renderer, site_dir)
        from .pipeline import save_status_lock  # new awards' status indexes, as `credpub build`

        save_status_lock(self.renderer.plan.content, self.renderer.plan)


def _default_assets_js() -> Path:
    from .paths import js_bundle_dir

    return js_bundle_dir()


def _signed_for_mkdocs(content: Path, keys: Path):  # noqa: ANN202
    """Load → validate → plan → sign, as `credpub build` does."""
    from .keys import load_keys
    from .pipeline import sign_content

    return sign_content(content, load_keys(keys), keys)


def _write_signed_files(renderer: SiteRenderer, site_dir: Path) -> None:
    from .datafiles import data_files

    for rel, data in data_files(renderer.signed).items():
        dest = site_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


# ---------------------------------------------------------------- used by render_site

def mkdocs_config(renderer: SiteRenderer, site_dir: Path) -> MkDocsConfig:
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
    cfg.plugins["credpub"] = CredpubPlugin(renderer=renderer)
    return cfg


def build_issuer_pages(renderer: SiteRenderer) -> dict[str, bytes]:
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
                    if rel not in _DROP:
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
