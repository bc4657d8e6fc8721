"""Signed → {site-relative path: bytes}: every page, badge image, stylesheet and script of the site.

The theme (`theme/templates`, Jinja2 with autoescape on) renders the few public pages directly;
per-award pages (thousands) go through `templates.FastTemplate`, rendered once per achievement
and filled per award. Issuer pages (`content/pages/*.md`) are rendered by mkdocs with the same
theme (`issuer_pages.build_issuer_pages`). Every link is relative, so the site works under any
sub-path and the verify page works from file://; only OG/LinkedIn/QR targets are absolute.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from credpub import dates, i18n, layout
from credpub import paths
from credpub.layers import layer
from credpub.model import Achievement, Plan, PlannedAward, Signed, SiteConfig
from credpub.site import badge
from credpub.site import hostfiles
from credpub.site.card import achievement_facts, card_view
from credpub.site.colours import theme_css
from credpub.site.csp import page_csp
from credpub.site.issuer_pages import build_issuer_pages
from credpub.site.templates import FastTemplate, Slot, install_filters, json_script, make_env
from credpub.site.views import CARD_SLOTS, LanguageItem, NavItem, SiteView, achievement_view, card_display, link_pathways


class SiteRenderer:
    """Pages in the site's languages: the first is the default (pages at their usual paths);
    site-wide pages (achievements, verify, certificate) also exist per other language at
    `<page>/<lang>/`; per-award pages stay one per award (claim: the graduate's language;
    share: the default, switched in the browser from the bundled catalogue)."""

    def __init__(self, signed: Signed, theme: Path | None = None) -> None:
        self.signed = signed
        self.plan: Plan = signed.plan
        self.site: SiteConfig = signed.plan.content.site
        self.theme = theme or paths.theme_dir()
        self.languages: tuple[str, ...] = self.site.languages or (i18n.SOURCE,)
        self.default_lang = i18n.get(self.languages[0])
        self.content = signed.plan.content
        self.logo_name, self.logo_bytes = badge.logo(self.content)
        self.pages = list(self.content.assets.pages)
        self._envs: dict[str, jinja2.Environment] = {}
        self.env = self.env_for(self.default_lang.code)
        self.site_view = self.env.globals["cp"]
        self._fast: dict[tuple, FastTemplate] = {}
        self.facts = {slug: self._facts(a) for slug, a in self.plan.content.achievements.items()}

    # -- setup

    def env_for(self, code: str) -> jinja2.Environment:
        """The Jinja environment of one language: its catalogue, formatter and site view."""
        if code not in self._envs:
            env = make_env(self.theme, i18n.get(code))
            env.globals["cp"] = self._site_view(i18n.get(code))
            self._envs[code] = env
        return self._envs[code]

    def _facts(self, a: Achievement) -> dict[str, Any]:
        """achievements/<slug>/facts.json: the card's structured values, and the achievement's
        texts in the site's other languages (the browser draws cards in those from them)."""
        facts = achievement_facts(a)
        other = {}
        for code in self.languages[1:]:
            t = a.in_language(code)
            if t is not a:
                translated = achievement_facts(t)
                other[code] = {"name": t.name, "description": t.description, "outcomes": translated["outcomes"],
                               "elements": translated["elements"]}
        if other:
            facts["languages"] = other
        return facts

    def _site_view(self, lang: i18n.Lang) -> SiteView:
        site, issuer = self.site, self.site.issuer
        # Issuer pages in `lang` where they have a variant (privacy.en.md → privacy/en/), else the default.
        pages = [p.in_language(lang.code) for p in self.pages]
        nav = [NavItem(p.title, p.url) for p in pages if p.in_nav]
        verify = layout.in_language(layout.VERIFY_PAGE, lang.code, self.languages[0])
        nav.append(NavItem(lang._("Verify a credential"), verify))
        privacy = next((p.in_language(lang.code) for p in self.pages if p.name == self.site.privacy_page), None)
        footer = [NavItem(p.title, p.url) for p in pages if p.in_footer]
        achievements = [achievement_view(a, site, lang) for a in self.plan.content.achievements.values()]
        return SiteView(
            title=site.title or issuer.name,
            url=site.url,
            lang=lang.code,
            issuer=issuer,
            country=lang.country(issuer.country or ""),
            logo=self.logo_name,
            nav=nav,
            footer=footer,
            achievements=link_pathways(sorted(achievements, key=lambda v: v["a"].name.casefold())),
            privacy_url=privacy.url if privacy else "",
            did=self.plan.did,
            terms_version=self.content.assets.terms_versions[lang.code],
            languages=[LanguageItem(code, i18n.get(code).native_name, code == lang.code) for code in self.languages],
        )

    def configure_env(self, env: jinja2.Environment, lang: str | None = None) -> None:
        """Sets up another Jinja environment (mkdocs') for the theme: autoescape, the filters,
        the catalogue and `cp` of `lang` (default: the site's first language), as this renderer's own."""
        env.autoescape = True
        install_filters(env, i18n.get(lang or self.default_lang.code))
        env.globals["cp"] = self.env_for(lang or self.default_lang.code).globals["cp"]

    def site_wide_paths(self) -> list[str]:
        """Site-relative paths of the pages that exist per language at `<path><lang>/`."""
        return [layout.VERIFY_PAGE, layout.CERTIFICATE_PAGE] + [v["url"] for v in self.site_view.achievements]

    def page(self, template: str, lang: str | None = None, **context: Any) -> str:
        return self.env_for(lang or self.default_lang.code).get_template(template).render(**context)

    def in_languages(self, path: str, template: str, root: str, **context: Any) -> dict[str, bytes]:
        """A site-wide page at `path` (e.g. "verify/") in every language: the default at `path`,
        the others at `path<lang>/`, each one folder deeper."""
        out = {}
        for code in self.languages:
            page = layout.in_language(path, code, self.default_lang.code)
            out[f"{page}index.html"] = self.page(
                template, lang=code, root=root + ("../" if page != path else ""), lang_path=path, **context).encode()
        return out

    # -- the whole site

    def render(self, assets_js: Path, *, issuer_pages: bool = True) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        out.update(self.assets(assets_js))
        out.update(self.achievement_files())
        out.update(self.award_pages())
        out.update(self.verify_pages())
        out.update(self.in_languages(layout.CERTIFICATE_PAGE, "certificate.html", "../", page_id="certificate", noindex=True))
        out["robots.txt"] = self.robots().encode()
        out["_headers"] = hostfiles.headers_file(self.site.url).encode()
        out["sitemap.xml"] = self.sitemap().encode()
        if issuer_pages:
            out.update(build_issuer_pages(self))
        return out

    def assets(self, assets_js: Path) -> dict[str, bytes]:
        css = (self.theme / "static" / "credpub.css").read_text(encoding="utf-8")
        out = {
            f"{layout.ASSETS}credpub.css": (theme_css(self.site) + css).encode(),
            f"{layout.ASSETS}{self.logo_name}": self.logo_bytes,
        }
        bundle = paths.checked_js_bundle(assets_js)
        for file in sorted(bundle.iterdir()):
            # .txt: the licences of the bundled libraries (credpub-licences.txt), named in credpub.js
            if file.suffix in (".js", ".css", ".txt") and file.is_file():
                out[f"{layout.ASSETS}{file.name}"] = file.read_bytes()
        return out

    def achievement_files(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for view in self.site_view.achievements:
            a: Achievement = self.plan.content.achievements[view["slug"]]
            base = layout.achievement_page(a.slug)
            out.update(badge.badge_files(a, self.content))  # one per language (badge.py says why)
            # Structured values the credential only states in its narrative (claim.js,
            # certificate.js and the verify page read them for the card).
            out[layout.facts_file(a.slug)] = json.dumps(self.facts[a.slug], ensure_ascii=False,
                                                  separators=(",", ":"), sort_keys=True).encode()
            for code in self.languages:
                page = layout.in_language(base, code, self.default_lang.code)
                out[f"{page}index.html"] = self.page(
                    "achievement.html", lang=code, root="../../" + ("../" if page != base else ""), page_id="achievement",
                    view=self._view(a.slug, code), current=None, lang_path=base).encode()
        return out

    # -- per award

    def claim_language(self, p: PlannedAward) -> str:
        """The graduate's language (the award's `language` column), else the site's default."""
        return p.award.language or self.default_lang.code

    def _claim_template(self, a: Achievement, lang: str) -> FastTemplate:
        key = ("claim", a.slug, lang)
        if key not in self._fast:
            self._fast[key] = FastTemplate(self.page("claim.html", lang=lang, **self._claim_context(a, lang),
                                                     data_raw=Slot("data_raw")))
        return self._fast[key]

    def _claim_context(self, a: Achievement, lang: str) -> dict[str, Any]:
        # Encrypted layers: the shell names nothing (the achievement is in the ciphertext).
        named = layer(a).claim_page_names_achievement
        return dict(root="../../", page_id="claim", noindex=True, view=self._view(a.slug, lang) if named else None)

    @staticmethod
    def claim_data(p: PlannedAward) -> dict[str, Any]:
        """The claim page's #credpub-claim block: which award, its layer, and a revocation
        (its reason only where the layer stores the credential in plain anyway)."""
        how = layer(p.achievement)
        data: dict[str, Any] = {"a": p.achievement.slug, "s": p.share_token, "layer": how.name}
        if p.revocation is not None:
            data["revoked"] = {"date": dates.display_day(p.revocation.date)}
            if how.revocation_reason_on_claim_page:
                data["revoked"]["reason"] = p.revocation.reason
        return data

    def _share_template(self, a: Achievement, view: dict[str, Any], display: dict[str, Any], revoked: bool) -> FastTemplate:
        key = ("share", a.slug, display["has_grade"], display["has_until"], display["has_signed"], display["learner_withheld"],
               revoked)
        if key not in self._fast:
            slots = {n: Slot(n) for n in ("name", "token", "revoked_on", "share_url")}
            card = {**display, **{n: Slot(n) for n in CARD_SLOTS}}
            text = self.page("share.html", **self._share_context(a, view, card, revoked), **slots)
            self._fast[key] = FastTemplate(text)
        return self._fast[key]

    def _share_context(self, a: Achievement, view: dict[str, Any], display: dict[str, Any], revoked: bool) -> dict[str, Any]:
        # Layers that keep the learner's name off the host: the share credential carries it
        # hashed (credential.py), so the page cannot print it either (share.js can check it).
        return dict(root="../../", page_id="share", noindex=True, view=self._view(a.slug), card=view, f=display,
                    revoked=revoked, protected=layer(a).share_name_hashed)

    def _view(self, slug: str, lang: str | None = None) -> dict[str, Any]:
        site_view = self.env_for(lang or self.default_lang.code).globals["cp"]
        return next(v for v in site_view.achievements if v["slug"] == slug)

    def share_card(self, sa) -> dict[str, Any]:
        """The card of an award's share credential, with its achievement's facts."""
        view = card_view(sa.share_credential, self.facts[sa.planned.achievement.slug])
        if layer(sa.planned.achievement).share_name_hashed:  # never print it, whatever the file says
            view.update(learner="", learner_hashed=True)
        return view

    def _share_values(self, p: PlannedAward, display: dict[str, Any]) -> dict[str, str]:
        return {
            "name": p.award.name if not layer(p.achievement).share_name_hashed else "",
            "token": p.share_token,
            "revoked_on": self.default_lang.date(p.revocation.date) if p.revocation else "",
            "share_url": f"{self.site.url}{p.share_path}",
            **{n: display[n] for n in CARD_SLOTS},
        }

    def award_pages(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for sa in self.signed.awards:
            p: PlannedAward = sa.planned
            a = p.achievement
            claim = self._claim_template(a, self.claim_language(p)).fill({"data_raw": json_script(self.claim_data(p))})
            view = self.share_card(sa)
            display = card_display(view, self.default_lang)
            share = self._share_template(a, view, display, p.revocation is not None).fill(self._share_values(p, display))
            out[p.claim_path + "index.html"] = claim.encode()
            out[p.share_path + "index.html"] = share.encode()
        return out

    def render_award_slow(self, sa) -> tuple[str, str]:
        """The same two pages through plain Jinja, for tests that check FastTemplate."""
        p: PlannedAward = sa.planned
        a = p.achievement
        lang = self.claim_language(p)
        claim = self.page("claim.html", lang=lang, **self._claim_context(a, lang), data_raw=json_script(self.claim_data(p)))
        view = self.share_card(sa)
        display = card_display(view, self.default_lang)
        values = self._share_values(p, display)
        share = self.page("share.html", **self._share_context(a, view, display, p.revocation is not None),
                          **{k: values[k] for k in ("name", "token", "revoked_on", "share_url")})
        return claim, share

    # -- site-wide pages

    def pinned(self) -> dict[str, Any]:
        lists = {}
        for n, cred in sorted(self.signed.status_lists.items()):
            lists[cred.get("id") or self.site.url + layout.status_list(n)] = cred
        return {"did": {self.plan.did: self.signed.did_document}, "statusLists": lists,
                "snapshotDate": self.signed.status_date}

    def verify_pages(self) -> dict[str, bytes]:
        # The verifier fetches other issuers' documents (did:web, status lists, ?url=).
        # verify.html (the verifier's template) writes the #credpub-pinned block from `pinned`.
        return self.in_languages(layout.VERIFY_PAGE, "verify.html", "../", page_id="verify", current=layout.VERIFY_PAGE,
                                 csp=Markup(page_csp(layout.VERIFY_PAGE)), pinned=self.pinned())

    def verify_page(self) -> str:
        return self.verify_pages()[f"{layout.VERIFY_PAGE}index.html"].decode()

    def robots(self) -> str:
        return hostfiles.robots_txt(self.site.url)

    def sitemap(self) -> str:
        urls = [self.site.url + p.url for p in self.pages if p.name != "404.md"]
        urls += [self.site.url + v.url for p in self.pages for v in p.variants.values()]
        urls += [self.site.url + v["url"] for v in self.site_view.achievements]
        urls.append(self.site.url + layout.VERIFY_PAGE)
        body = "".join(f"<url><loc>{html.escape(u)}</loc></url>\n" for u in urls)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n")


def render_site(signed: Signed, *, assets_js: Path, theme: Path | None = None) -> dict[str, bytes]:
    """The whole site except what sign.py produces (credential JSON, did.json, status lists,
    achievement.json): pages, badges, assets, robots.txt, sitemap.xml and the issuer pages."""
    return SiteRenderer(signed, theme).render(assets_js)
