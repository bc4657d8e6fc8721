"""The issuer's own pages (`content/pages/*.md`) through mkdocs' build API with the credpub theme,
and their list (navigation, footer, the privacy page whose version claim pages ask consent for).
A page may have a variant per other site language beside it (`privacy.en.md`), built with that
language's catalogue and published one folder deeper (`privacy/en/`, `index.en.md` at `en/`).

Used by the renderer (`render.SiteRenderer.render` → `build_issuer_pages`) and by the mkdocs
plugin (`mkdocs_plugin.py`, which gives mkdocs the same theme). This module imports neither:
the renderer comes in as an argument (it knows how to set up a Jinja environment for the
theme), so the import graph stays one-way.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import tempfile
from pathlib import Path
from typing import Any, Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.theme import Theme

from credpub import layout
from credpub.errors import BuildError
from credpub.model import IssuerPage, Plan, SiteConfig
from credpub.content.sanitize import PAGE_MARKDOWN_EXTENSIONS, page_html


class ThemeRenderer(Protocol):
    """What these pages need of the renderer (render.SiteRenderer)."""

    plan: Plan
    site: SiteConfig
    theme: Path
    site_view: Any  # views.SiteView, `cp` in templates
    pages: list[IssuerPage]
    languages: tuple[str, ...]  # the site's, the default first

    def configure_env(self, env: Any, lang: str | None = None) -> None: ...

    def site_wide_paths(self) -> list[str]: ...

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
    the filters, autoescape (mkdocs' environment does not autoescape; the theme relies on it).
    With `lang` (a non-default language), the build is of that language's variants
    (`privacy.en.md`), each moved to its page's `<lang>/` folder (`privacy/en/`, `en/`)."""

    def __init__(self, renderer: ThemeRenderer, lang: str | None = None) -> None:
        super().__init__()
        self.renderer = renderer
        self.lang = lang
        self.pages = {p.name: p for p in renderer.pages}

    def _variant(self, page) -> tuple[IssuerPage, IssuerPage] | None:  # noqa: ANN001
        """(base page, variant) when `page` (a Page or a File) is a variant of this build's language."""
        name = Path(getattr(page, "file", page).src_uri).name
        for base in self.pages.values():
            v = base.variants.get(self.lang or "")
            if v is not None and v.name == name:
                return base, v
        return None

    def on_files(self, files, config: MkDocsConfig):  # noqa: ANN001
        if self.lang:
            for f in files.documentation_pages():
                found = self._variant(f)
                if found:
                    f.dest_uri = found[1].url + "index.html"
                    f.url = found[1].url
                    f.__dict__.pop("abs_dest_path", None)  # derived from dest_uri, if already read
        return files

    def on_env(self, env, config: MkDocsConfig, files):  # noqa: ANN001 (mkdocs' own types)
        self.renderer.configure_env(env, self.lang)
        return env

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files) -> str:  # noqa: ANN001
        if self.lang and self._variant(page):  # x.md links: as directory links, relinked below
            return _MD_LINK.sub(lambda m: self._md_link(m, page), markdown)
        return markdown

    def _md_link(self, m: re.Match, page) -> str:  # noqa: ANN001
        base = self.pages.get(m.group(2))
        if base is None:
            return m.group(0)
        here = self._variant(page)[0].url  # type: ignore[index]
        return f"{m.group(1)}{_relative(here, base.url)}{m.group(3) or ''})"

    def on_page_content(self, html: str, page, config: MkDocsConfig, files) -> str:  # noqa: ANN001
        html = sanitized_page(html, page)
        found = self._variant(page) if self.lang else None
        if found:
            html = relink(html, found[0].url, found[1].url, self.lang or "", self.pages.values(),
                          self.renderer.site_wide_paths())
        return html

    def on_page_context(self, context, page, config: MkDocsConfig, nav):  # noqa: ANN001
        found = self._variant(page) if self.lang else None
        base = found[0] if found else self.pages.get(Path(page.file.src_uri).name)
        if base is not None:
            context["is_home"] = base.name == "index.md"
            if set(base.variants) >= set(self.renderer.languages[1:]):  # in every language: a switch
                context["lang_path"] = base.url
        return context


_MD_LINK = re.compile(r"(\]\()([^)\s#/]+\.md)(#[^)\s]*)?\)")
_HREF = re.compile(r'\b(href|src)="([^"]*)"')


def _relative(from_url: str, to_url: str) -> str:
    """`to_url` (site-relative) as seen from the page at `from_url` (site-relative, a folder)."""
    depth = from_url.count("/")
    return "../" * depth + to_url if (depth or to_url) else "./"


def relink(html: str, base_url: str, url: str, lang: str, pages, site_wide: list[str]) -> str:  # noqa: ANN001
    """A variant's relative links, written as in its base page (at `base_url`), made to work at
    `url` (one folder deeper), and pointing to the `lang` version of each page that has one."""
    localised = {p.url: p.variants[lang].url for p in pages if lang in p.variants}

    def fix(m: re.Match) -> str:
        target = m.group(2)
        if not target or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|[/#?]", target):
            return m.group(0)
        path, sep, frag = target.partition("#")
        site_path = posixpath.normpath(posixpath.join(base_url or ".", path))
        site_path = "" if site_path == "." else site_path + ("/" if path.endswith("/") else "")
        if site_path in localised:
            site_path = localised[site_path]
        elif site_path in site_wide:
            site_path = layout.language_variant(site_path, lang)
        return f'{m.group(1)}="{_relative(url, site_path)}{sep}{frag}"'

    return _HREF.sub(fix, html)


def sanitized_page(html: str, page) -> str:  # noqa: ANN001 (mkdocs' Page)
    """Every issuer page's HTML through the one sanitiser (refuses scripts, handlers, meta
    refresh …, naming the file; strips the rest of what is not document markup)."""
    return page_html(html, Path(page.file.abs_src_path))


def mkdocs_config(renderer: ThemeRenderer, site_dir: Path, lang: str | None = None) -> MkDocsConfig:
    docs = renderer.plan.content.root / "pages"
    cfg = MkDocsConfig(config_file_path=str(docs.parent / "mkdocs.yml"))
    cfg.load_dict({
        "site_name": renderer.site_view.title,
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
        # The default build leaves out every variant; a language's build keeps only its own.
        "exclude_docs": "\n".join(_excluded(renderer, lang)),
    })
    errors, warnings = cfg.validate()
    if errors:
        raise BuildError("the issuer pages' mkdocs settings: " + "; ".join(f"{k}: {e}" for k, e in errors))
    cfg.plugins["credpub"] = ThemeGlobals(renderer, lang)
    return cfg


def _excluded(renderer: ThemeRenderer, lang: str | None) -> list[str]:
    variants = [v.name for p in renderer.pages for code, v in p.variants.items() if code != lang]
    if lang:
        variants += [p.name for p in renderer.pages]
    return ["/" + n for n in variants]


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
        out.update(build_variant_pages(renderer))
    finally:
        logger.setLevel(level)
    return out


def build_variant_pages(renderer: ThemeRenderer) -> dict[str, bytes]:
    """The pages' language variants (`privacy.en.md` → `privacy/en/index.html`): one mkdocs build
    per language, with that language's catalogue and site view."""
    from mkdocs.commands.build import build

    out: dict[str, bytes] = {}
    for lang in sorted({code for p in renderer.pages for code in p.variants}):
        with tempfile.TemporaryDirectory(prefix="credpub-mkdocs-") as tmp:
            build(mkdocs_config(renderer, Path(tmp), lang))
            for p in renderer.pages:  # only the variants: the rest is the default build's
                if lang in p.variants:
                    rel = p.variants[lang].url + "index.html"
                    out[rel] = Path(tmp, rel).read_bytes()
    return out


def drop_variants(files, renderer: ThemeRenderer):  # noqa: ANN001, ANN201 (mkdocs' Files)
    """mkdocs' own build (the plugin) without the variants: `build_variant_pages` writes them."""
    names = {v.name for p in renderer.pages for v in p.variants.values()}
    for f in list(files.documentation_pages()):
        if Path(f.src_uri).name in names and "/" not in f.src_uri:
            files.remove(f)
    return files
