"""Signed → {site-relative path: bytes}: every page, badge image, stylesheet and script of the site.

The theme (`theme/templates`, Jinja2 with autoescape on) renders the few public pages directly.
Per-award pages (thousands) go through `FastTemplate`: each template is rendered once per
achievement with placeholder slots, split into literal chunks, and filled per award by joining
strings — so 10,000 awards cost milliseconds, not a Jinja render each (issue 3, point 7).
Issuer pages (`content/pages/*.md`) are rendered by mkdocs with the same theme
(`issuer_pages.build_issuer_pages`). Every link is relative, so the site works under any
sub-path and the verify page works from file://; only OG/LinkedIn/QR targets are absolute.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

import jinja2
import markdown
from markupsafe import Markup, escape

from credpub.site import badge
from credpub.site import hostfiles
from credpub import dates, i18n, layout
from credpub import paths
from credpub.site.badge import load_logo
from credpub.site.csp import PAGE_CSP, VERIFY_CSP
from credpub.site.issuer_pages import build_issuer_pages, issuer_page_list, terms_version
from credpub.errors import ContentError
from credpub.site.card import ELEMENTS as CARD_ELEMENTS, achievement_facts, card_view
from credpub.credentials.credential import participation_text, skill_parts
from credpub.layers import layer
from credpub.model import Achievement, Plan, PlannedAward, Signed, SiteConfig

#: pages that load the bundle; main.js dispatches on <body data-page>.
JS_PAGES = ("claim", "share", "verify", "certificate")


# ---------------------------------------------------------------- small helpers

def json_script(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no `</script>`, no `<!--`, no U+2028."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


_MD = markdown.Markdown(extensions=["sane_lists"], output_format="html")
# Achievement texts come from content: render Markdown, but show raw HTML as text (point 8).
_MD.preprocessors.deregister("html_block")
_MD.inlinePatterns.deregister("html")


def markdown_text(text: str) -> Markup:
    _MD.reset()
    return Markup(_MD.convert(text or ""))


# ---------------------------------------------------------------- colours (WCAG contrast)

def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return tuple(int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: Iterable[float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02x}" for v in rgb)


def _luminance(colour: str) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(a: str, b: str, t: float) -> str:
    return _hex(x * (1 - t) + y * t for x, y in zip(_rgb(a), _rgb(b), strict=True))


def readable_on(background: str, colour: str, ratio: float = 4.5) -> str:
    """`colour`, darkened just enough to reach `ratio` against `background` (WCAG 1.4.3)."""
    out = colour
    for step in range(1, 21):
        if contrast(out, background) >= ratio:
            return out
        out = _mix(colour, "#000000", step / 20)
    return "#000000"


_HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")


def theme_css(site: SiteConfig) -> str:
    for name in ("primary", "accent"):
        value = getattr(site.theme, name)
        if not _HEX.fullmatch(value or ""):
            src = site.source
            raise ContentError(src.path if src else "site.yml", src.line if src else 0,
                               f"colours.{name}", f"{value!r} is not a colour; write it as #rrggbb, e.g. #1d4e89")
    brand, accent = site.theme.primary.lower(), site.theme.accent.lower()
    on_brand = "#ffffff" if contrast(brand, "#ffffff") >= 4.5 else "#111827"
    link = readable_on("#f5f7fa", brand)
    return (
        ":root{"
        f"--brand:{brand};--accent:{accent};--on-brand:{on_brand};--link:{link};--focus:{link};"
        f"--brand-tint:{_mix(brand, '#ffffff', 0.9)}"
        "}\n"
    )


# ---------------------------------------------------------------- fast per-award templates

class _Slot:
    """A per-award value in a template rendered once; becomes a split marker in the output."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __html__(self) -> str:
        return f"\x00{self.name}\x00"

    __str__ = __html__


class FastTemplate:
    """A rendered template cut at its slots. Slots named `*_raw` are inserted as given
    (already-escaped JSON); every other value is HTML-escaped, quotes included, exactly as
    Jinja's autoescape does (tests compare the two)."""

    def __init__(self, text: str) -> None:
        parts = text.split("\x00")
        if len(parts) % 2 == 0:
            raise ValueError("unbalanced slot marker in rendered template")
        self.literals = parts[0::2]
        self.slots = parts[1::2]

    def fill(self, values: dict[str, str]) -> str:
        out = [self.literals[0]]
        for name, literal in zip(self.slots, self.literals[1:], strict=True):
            v = values[name]
            out.append(v if name.endswith("_raw") else str(escape(v)))
            out.append(literal)
        return "".join(out)


# ---------------------------------------------------------------- views handed to templates

@dataclass
class NavItem:
    title: str
    url: str  # relative to the site root, "" for home


@dataclass
class LanguageItem:
    code: str
    name: str  # in its own language: "Nederlands", "English"
    current: bool


@dataclass
class SiteView:
    """What every template sees as `cp`."""

    title: str
    url: str
    lang: str
    issuer: Any
    country: str  # the issuer's country, as a name
    logo: str  # file name under assets/
    nav: list[NavItem]
    footer: list[NavItem]
    achievements: list[dict[str, Any]]
    privacy_url: str
    did: str
    terms_version: str
    csp: Markup = Markup(PAGE_CSP)
    languages: list[LanguageItem] = field(default_factory=list)  # the site's, for the switch

    @property
    def verify_url(self) -> str:
        """The verify page in this view's language (site-relative)."""
        return self.lang_href(self.lang, layout.VERIFY_PAGE) if self.languages else layout.VERIFY_PAGE

    def lang_href(self, code: str, path: str) -> str:
        """Site-relative URL of a site-wide page in language `code` (see SiteRenderer.in_languages)."""
        return layout.in_language(path, code, self.languages[0].code)

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def site_json(self) -> Markup:
        """The #credpub-site block page scripts read: where the site lives, who issues."""
        data = {"url": self.url, "issuer": self.issuer.name, "email": self.issuer.email}
        if len(self.languages) > 1:  # the default first: pages link to <page>/<lang>/ for the others
            data["languages"] = [item.code for item in self.languages]
        if self.issuer.linkedin_organization_id:
            data["linkedin_organization_id"] = self.issuer.linkedin_organization_id
        return json_script(data)


def kind_label(achievement_type: str, L: i18n.Lang | None = None) -> str:
    L = L or i18n.get(i18n.SOURCE)
    if achievement_type == "MicroCredential":
        return L._("Microcredential")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", achievement_type or L._("Achievement"))


def achievement_view(a: Achievement, site: SiteConfig, L: i18n.Lang) -> dict[str, Any]:
    """An achievement as the pages of language `L` show it (its texts in `L`)."""
    a = a.in_language(L.code)
    facts = []
    if a.ects is not None:
        facts.append(L._("%(ects)s ECTS", ects=L.number(a.ects)))
    if a.eqf_level is not None:
        facts.append(L._("EQF level %(level)s", level=a.eqf_level))
    if a.workload_hours is not None:
        facts.append(L.hours(a.workload_hours))
    if a.participation:
        facts.append(L._("Blended") if a.participation == "blended" else participation_text(L, a.participation))
    skills = [skill_view(s) for s in a.skills]
    return {
        "a": a,
        "slug": a.slug,
        "url": layout.achievement_page(a.slug),
        "kind": L._("Pathway") if a.is_pathway else kind_label(a.achievement_type, L),
        "summary": _first_sentence(a.description),
        "description": markdown_text(a.description),
        "criteria": markdown_text(a.criteria),
        "facts": facts,
        "ects": L.number(a.ects),
        "workload": L.number(a.workload_hours),
        "participation": participation_text(L, a.participation),
        "valid_for": L.duration(a.valid_for),
        "skills": skills,
        "absolute_url": site.url + layout.achievement_page(a.slug),
    }


def link_pathways(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each view gets `pathways` (those it counts towards) and `components` (for a pathway)."""
    by_slug = {v["slug"]: v for v in views}
    for v in views:
        v["components"] = [by_slug[s] for s in v["a"].components if s in by_slug]
        v["pathways"] = [p for p in views if v["slug"] in p["a"].components]
    return views


def skill_view(value: str) -> dict[str, str]:
    """A skill from content ("label|uri" or a bare URI; load.py checks the URI)."""
    label, uri = skill_parts(value)
    return {"label": label, "uri": uri}


def card_display(view: dict[str, Any], L: i18n.Lang | None = None) -> dict[str, Any]:
    """The per-award values of a card, formatted for partials/card.html in language `L` (slots
    in the share page's fast template; the booleans pick the template variant)."""
    L = L or i18n.get(i18n.SOURCE)
    return {
        "learner": view["learner"],
        "learner_withheld": not view["learner"] and view["learner_hashed"],
        "issued": L.date(view["valid_from"]),
        "issued_iso": view["valid_from"],
        "has_until": bool(view["valid_until"]),
        "until": L.date(view["valid_until"]),
        "until_iso": view["valid_until"],
        "has_grade": bool(view["grade"]),
        "grade": view["grade"],
    }


#: card_display's per-award strings: slots of the share page's fast template.
CARD_SLOTS = ("learner", "issued", "issued_iso", "until", "until_iso", "grade")


def _first_sentence(text: str, limit: int = 180) -> str:
    """A plain-text summary of Markdown (autoescape does the HTML escaping)."""
    plain = (text or "").strip().split("\n\n")[0]
    plain = re.sub(r"(\*\*|__|`)", "", plain)
    plain = re.sub(r"^\s*(#+|>)\s*", "", plain, flags=re.M).replace("\n", " ")
    if len(plain) <= limit:
        return plain
    return plain[: limit - 1].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------- the renderer

class SiteRenderer:
    """Pages in the site's languages: the first is the default (pages at their usual paths);
    site-wide pages (achievements, verify, certificate) also exist per other language at
    `<page>/<lang>/`; per-award pages stay one per award (claim: the graduate's language;
    share: the default, switched in the browser from the bundled catalogue, issue 9 point 3)."""

    def __init__(self, signed: Signed, theme: Path | None = None) -> None:
        self.signed = signed
        self.plan: Plan = signed.plan
        self.site: SiteConfig = signed.plan.content.site
        self.theme = theme or paths.theme_dir()
        self.languages: tuple[str, ...] = self.site.languages or (i18n.SOURCE,)
        self.L = i18n.get(self.languages[0])
        self.logo_name, self.logo_bytes = load_logo(self.site, self.plan.content.root)
        self.pages = issuer_page_list(self.plan.content.root / "pages", self.site)
        self._envs: dict[str, jinja2.Environment] = {}
        self.env = self.env_for(self.L.code)
        self.cp = self.env.globals["cp"]
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
                f = achievement_facts(t)
                other[code] = {"name": t.name, "description": t.description, "outcomes": f["outcomes"],
                               "elements": f["elements"]}
        if other:
            facts["languages"] = other
        return facts

    def _site_view(self, L: i18n.Lang) -> SiteView:
        site, issuer = self.site, self.site.issuer
        # Issuer pages in L where they have a variant (privacy.en.md → privacy/en/), else the default.
        pages = [p.in_language(L.code) for p in self.pages]
        nav = [NavItem(p.title, p.url) for p in pages if p.in_nav]
        verify = layout.in_language(layout.VERIFY_PAGE, L.code, self.languages[0])
        nav.append(NavItem(L._("Verify a credential"), verify))
        privacy = next((p.in_language(L.code) for p in self.pages if p.name == self.site.privacy_page), None)
        footer = [NavItem(p.title, p.url) for p in pages if p.in_footer]
        achievements = [achievement_view(a, site, L) for a in self.plan.content.achievements.values()]
        return SiteView(
            title=site.title or issuer.name,
            url=site.url,
            lang=L.code,
            issuer=issuer,
            country=L.country(issuer.country or ""),
            logo=self.logo_name,
            nav=nav,
            footer=footer,
            achievements=link_pathways(sorted(achievements, key=lambda v: v["a"].name.casefold())),
            privacy_url=privacy.url if privacy else "",
            did=self.plan.did,
            terms_version=terms_version(self.plan.content.root / "pages", site, L.code),
            languages=[LanguageItem(code, i18n.get(code).native_name, code == L.code) for code in self.languages],
        )

    def configure_env(self, env: jinja2.Environment, lang: str | None = None) -> None:
        """Sets up another Jinja environment (mkdocs') for the theme: autoescape, the filters,
        the catalogue and `cp` of `lang` (default: the site's first language), as this renderer's own."""
        env.autoescape = True
        install_filters(env, i18n.get(lang or self.L.code))
        env.globals["cp"] = self.env_for(lang or self.L.code).globals["cp"]

    def site_wide_paths(self) -> list[str]:
        """Site-relative paths of the pages that exist per language at `<path><lang>/`."""
        return [layout.VERIFY_PAGE, layout.CERTIFICATE_PAGE] + [v["url"] for v in self.cp.achievements]

    def page(self, template: str, lang: str | None = None, **context: Any) -> str:
        return self.env_for(lang or self.L.code).get_template(template).render(**context)

    def in_languages(self, path: str, template: str, root: str, **context: Any) -> dict[str, bytes]:
        """A site-wide page at `path` (e.g. "verify/") in every language: the default at `path`,
        the others at `path<lang>/`, each one folder deeper."""
        out = {}
        for code in self.languages:
            page = layout.in_language(path, code, self.L.code)
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
        bundle = Path(assets_js)
        if not (bundle / "credpub.js").is_file():
            raise FileNotFoundError(f"{bundle / 'credpub.js'}: the verifier bundle is missing; "
                                    "run `npm run build` in verifier-js/")
        for f in sorted(bundle.iterdir()):
            if f.suffix in (".js", ".css") and f.is_file():
                out[f"{layout.ASSETS}{f.name}"] = f.read_bytes()
        return out

    def achievement_files(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for view in self.cp.achievements:
            a: Achievement = self.plan.content.achievements[view["slug"]]
            svg, png = badge.badge_images(a, self.site, self.plan.content.root)
            base = layout.achievement_page(a.slug)
            out[layout.badge_svg(a.slug)] = svg
            out[layout.badge_png(a.slug)] = png
            # Structured values the credential only states in its narrative (claim.js,
            # certificate.js and the verify page read them for the card).
            out[layout.facts_file(a.slug)] = json.dumps(self.facts[a.slug], ensure_ascii=False,
                                                  separators=(",", ":"), sort_keys=True).encode()
            for code in self.languages:
                page = layout.in_language(base, code, self.L.code)
                out[f"{page}index.html"] = self.page(
                    "achievement.html", lang=code, root="../../" + ("../" if page != base else ""), page_id="achievement",
                    view=self._view(a.slug, code), current=None, lang_path=base).encode()
        return out

    # -- per award

    def claim_language(self, p: PlannedAward) -> str:
        """The graduate's language (the award's `language` column), else the site's default."""
        return p.award.language or self.L.code

    def _claim_template(self, a: Achievement, lang: str) -> FastTemplate:
        key = ("claim", a.slug, lang)
        if key not in self._fast:
            self._fast[key] = FastTemplate(self.page("claim.html", lang=lang, **self._claim_context(a, lang),
                                                     data_raw=_Slot("data_raw")))
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

    def _share_template(self, a: Achievement, view: dict[str, Any], f: dict[str, Any], revoked: bool) -> FastTemplate:
        key = ("share", a.slug, f["has_grade"], f["has_until"], f["learner_withheld"], revoked)
        if key not in self._fast:
            slots = {n: _Slot(n) for n in ("name", "token", "revoked_on", "share_url")}
            card = {**f, **{n: _Slot(n) for n in CARD_SLOTS}}
            text = self.page("share.html", **self._share_context(a, view, card, revoked), **slots)
            self._fast[key] = FastTemplate(text)
        return self._fast[key]

    def _share_context(self, a: Achievement, view: dict[str, Any], f: dict[str, Any], revoked: bool) -> dict[str, Any]:
        # Layers that keep the learner's name off the host: the share credential carries it
        # hashed (credential.py), so the page cannot print it either (share.js can check it).
        return dict(root="../../", page_id="share", noindex=True, view=self._view(a.slug), card=view, f=f,
                    revoked=revoked, protected=layer(a).share_name_hashed)

    def _view(self, slug: str, lang: str | None = None) -> dict[str, Any]:
        cp = self.env_for(lang or self.L.code).globals["cp"]
        return next(v for v in cp.achievements if v["slug"] == slug)

    def share_card(self, sa) -> dict[str, Any]:
        """The card of an award's share credential, with its achievement's facts."""
        view = card_view(sa.share_credential, self.facts[sa.planned.achievement.slug])
        if layer(sa.planned.achievement).share_name_hashed:  # never print it, whatever the file says
            view.update(learner="", learner_hashed=True)
        return view

    def _share_values(self, p: PlannedAward, f: dict[str, Any]) -> dict[str, str]:
        return {
            "name": p.award.name if not layer(p.achievement).share_name_hashed else "",
            "token": p.share_token,
            "revoked_on": self.L.date(p.revocation.date) if p.revocation else "",
            "share_url": f"{self.site.url}{p.share_path}",
            **{n: f[n] for n in CARD_SLOTS},
        }

    def award_pages(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for sa in self.signed.awards:
            p: PlannedAward = sa.planned
            a = p.achievement
            claim = self._claim_template(a, self.claim_language(p)).fill({"data_raw": json_script(self.claim_data(p))})
            view = self.share_card(sa)
            f = card_display(view, self.L)
            share = self._share_template(a, view, f, p.revocation is not None).fill(self._share_values(p, f))
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
        f = card_display(view, self.L)
        values = self._share_values(p, f)
        share = self.page("share.html", **self._share_context(a, view, f, p.revocation is not None),
                          **{k: values[k] for k in ("name", "token", "revoked_on", "share_url")})
        return claim, share

    # -- site-wide pages

    def pinned(self) -> dict[str, Any]:
        lists = {}
        for n, cred in sorted(self.signed.status_lists.items()):
            lists[cred.get("id") or self.site.url + layout.status_list(n)] = cred
        return {"did": {self.plan.did: self.signed.did_document}, "statusLists": lists,
                "snapshotDate": self.plan.build_date}

    def verify_pages(self) -> dict[str, bytes]:
        # The verifier fetches other issuers' documents (did:web, status lists, ?url=).
        # verify.html (verifier-js, issue 4) writes the #credpub-pinned block from `pinned`.
        return self.in_languages(layout.VERIFY_PAGE, "verify.html", "../", page_id="verify", current=layout.VERIFY_PAGE,
                                 csp=Markup(VERIFY_CSP), pinned=self.pinned())

    def verify_page(self) -> str:
        return self.verify_pages()[f"{layout.VERIFY_PAGE}index.html"].decode()

    def robots(self) -> str:
        return hostfiles.robots_txt(self.site.url)

    def sitemap(self) -> str:
        urls = [self.site.url + p.url for p in self.pages if p.name != "404.md"]
        urls += [self.site.url + v.url for p in self.pages for v in p.variants.values()]
        urls += [self.site.url + v["url"] for v in self.cp.achievements]
        urls.append(self.site.url + layout.VERIFY_PAGE)
        body = "".join(f"<url><loc>{html.escape(u)}</loc></url>\n" for u in urls)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n")


def make_env(theme: Path, lang: i18n.Lang | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(theme / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    install_filters(env, lang)
    return env


def install_filters(env: jinja2.Environment, lang: i18n.Lang | None = None) -> None:
    """The theme's filters and globals, and the catalogue and CLDR formatter of `lang` (`_`,
    `{% trans %}`, `L`; dates, numbers and countries through the filters)."""
    L = lang or i18n.get(i18n.SOURCE)
    i18n.install(env, L)
    env.filters["human_date"] = L.date
    env.filters["number"] = L.number
    env.filters["country_name"] = L.country
    env.filters["kind_label"] = lambda t: kind_label(t, L)
    env.filters.setdefault("json_script", json_script)
    env.globals.setdefault("JS_PAGES", JS_PAGES)
    env.globals.setdefault("CARD_ELEMENTS", CARD_ELEMENTS)


def render_site(signed: Signed, *, assets_js: Path, theme: Path | None = None) -> dict[str, bytes]:
    """The whole site except what sign.py produces (credential JSON, did.json, status lists,
    achievement.json): pages, badges, assets, robots.txt, sitemap.xml and the issuer pages."""
    return SiteRenderer(signed, theme).render(assets_js)
