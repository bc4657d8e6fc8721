"""credpub as a mkdocs plugin: `mkdocs build` / `mkdocs gh-deploy` with `plugins: [credpub]` in
mkdocs.yml make the same site as `credpub build`, for issuers whose pages are a mkdocs site.

A thin shell: the plugin makes the build context, sets the credpub theme, runs the pipeline
once (`on_config`: pipeline.sign_content), gives the templates the site (`on_env`) and writes
the rest of the site into `site_dir` through write.py (`on_post_build`: pipeline.mkdocs_files).
The issuer pages themselves are `issuer_pages.py`'s, as for `credpub build`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

from credpub import clock, paths
from credpub.build.pipeline import mkdocs_files, save_status_lock, sign_content
from credpub.build.write import write_into
from credpub.context import DEFAULT_KEYS, BuildContext
from credpub.content.seal import load_identity
from credpub.credentials.keys import load_keys
from credpub.site.issuer_pages import DROP, ThemeGlobals, credpub_theme, drop_variants, sanitized_page
from credpub.site.render import SiteRenderer

log = logging.getLogger("mkdocs.plugins.credpub")


class CredpubPluginConfig(Config):
    content = c.Type(str, default="content")  # the content/ folder, relative to mkdocs.yml
    keys_dir = c.Optional(c.Type(str))  # key folder, default context.DEFAULT_KEYS (environment variables first)
    assets_js = c.Optional(c.Type(str))  # the esbuild bundle folder (verifier-js/dist)


class CredpubPlugin(BasePlugin[CredpubPluginConfig]):
    """`credpub = credpub.mkdocs_plugin:CredpubPlugin` under the `mkdocs.plugins` entry points."""

    renderer: SiteRenderer | None = None
    context: BuildContext | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        assets = self.config.assets_js
        self.context = BuildContext(
            today=clock.today(),  # once: validate and plan must agree on the day
            content_dir=(base / self.config.content).resolve(),
            keys_dir=(base / (self.config.keys_dir or DEFAULT_KEYS)).resolve(),
            load_keys=load_keys, load_age_key=load_identity,
            bundle_dir=Path(assets) if assets else None)
        # Load → validate → plan → sign, as `credpub build` does.
        self.renderer = SiteRenderer(sign_content(self.context))
        content = self.context.content_dir
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
        assert self.renderer is not None and self.context is not None
        site_dir = Path(config.site_dir)
        for name in DROP:  # mkdocs' sitemap carries build dates; credpub writes its own
            (site_dir / name).unlink(missing_ok=True)
        write_into(mkdocs_files(self.renderer, self.context.bundle()), site_dir)
        save_status_lock(self.renderer.plan.content, self.renderer.signed.status_lock)  # as `credpub build`
