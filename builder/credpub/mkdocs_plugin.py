"""credpub as a mkdocs plugin (issue 3, point 1): `mkdocs build` / `mkdocs gh-deploy` with
`plugins: [credpub]` in mkdocs.yml make the same site as `credpub build`.

A thin shell: the plugin sets the credpub theme, runs the credpub pipeline once (`on_config`),
gives the templates the site (`on_env`) and writes the rest of the site into `site_dir`
(`on_post_build`). The issuer pages themselves are `issuer_pages.py`'s, as for `credpub build`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

from credpub import paths
from credpub.build.datafiles import data_files
from credpub.site.issuer_pages import DROP, ThemeGlobals, build_variant_pages, credpub_theme, drop_variants, sanitized_page
from credpub.credentials.keys import load_keys
from credpub.build.pipeline import save_status_lock, sign_content
from credpub.site.render import SiteRenderer

log = logging.getLogger("mkdocs.plugins.credpub")


class CredpubPluginConfig(Config):
    content = c.Type(str, default="content")  # the content/ folder, relative to mkdocs.yml
    keys_dir = c.Optional(c.Type(str))  # key folder, default .credpub (environment variables first)
    assets_js = c.Optional(c.Type(str))  # the esbuild bundle folder (verifier-js/dist)


class CredpubPlugin(BasePlugin[CredpubPluginConfig]):
    """`credpub = credpub.mkdocs_plugin:CredpubPlugin` under the `mkdocs.plugins` entry points."""

    renderer: SiteRenderer | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        content = (base / self.config.content).resolve()
        keys = (base / (self.config.keys_dir or ".credpub")).resolve()
        # Load → validate → plan → sign, as `credpub build` does.
        self.renderer = SiteRenderer(sign_content(content, load_keys(keys), keys))
        config.docs_dir = str(content / "pages")
        config.site_url = self.renderer.site.url
        if not config.site_name:
            config.site_name = self.renderer.site_view.title
        if config.theme.name in (None, "mkdocs"):  # the default: use credpub's
            config.theme = credpub_theme(paths.theme_dir())
        config.use_directory_urls = True
        return config

    def on_env(self, env, config: MkDocsConfig, files):  # noqa: ANN001 (mkdocs' own types)
        assert self.renderer is not None
        self.renderer.configure_env(env)
        return env

    def on_files(self, files, config: MkDocsConfig):  # noqa: ANN001
        assert self.renderer is not None
        return drop_variants(files, self.renderer)

    def on_page_content(self, html: str, page, config: MkDocsConfig, files) -> str:  # noqa: ANN001
        return sanitized_page(html, page)

    def on_page_context(self, context, page, config: MkDocsConfig, nav):  # noqa: ANN001
        assert self.renderer is not None  # the language switch and home layout, as `credpub build`
        return ThemeGlobals(self.renderer).on_page_context(context, page, config, nav)

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.renderer is not None
        assets = Path(self.config.assets_js or paths.js_bundle_dir())
        site_dir = Path(config.site_dir)
        for name in DROP:  # mkdocs' sitemap carries build dates; credpub writes its own
            (site_dir / name).unlink(missing_ok=True)
        files = self.renderer.render(assets, issuer_pages=False)
        files.update(build_variant_pages(self.renderer))
        files.update(data_files(self.renderer.signed))
        for rel, data in files.items():
            dest = site_dir / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        save_status_lock(self.renderer.plan.content, self.renderer.plan)  # new awards' indexes, as `credpub build`
