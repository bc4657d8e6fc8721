"""The values templates see: the site (`SiteView`, `cp` in templates), an achievement as the
pages of one language show it, and a card's per-award values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from credpub import i18n, layout
from credpub.credentials.credential import participation_text, skill_parts
from credpub.model import Achievement, SiteConfig
from credpub.site.csp import page_csp
from credpub.site.templates import json_script, kind_label, markdown_text


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
    csp: Markup = Markup(page_csp(""))  # the verify pages pass theirs
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


def achievement_view(a: Achievement, site: SiteConfig, lang: i18n.Lang) -> dict[str, Any]:
    """An achievement as the pages of language `lang` show it (its texts in that language)."""
    a = a.in_language(lang.code)
    facts = []
    if a.ects is not None:
        facts.append(lang.credits(a.ects))
    if a.eqf_level is not None:
        facts.append(lang._("EQF level %(level)s", level=a.eqf_level))
    if a.workload_hours is not None:
        facts.append(lang.hours(a.workload_hours))
    if a.participation:
        facts.append(lang._("Blended") if a.participation == "blended" else participation_text(lang, a.participation))
    skills = [skill_view(s) for s in a.skills]
    return {
        "a": a,
        "slug": a.slug,
        "url": layout.achievement_page(a.slug),
        "badge": layout.badge_svg(a.slug, lang.code, site.languages[0] if site.languages else None),
        "badge_png": layout.badge_png(a.slug, lang.code, site.languages[0] if site.languages else None),
        "kind": lang._("Pathway") if a.is_pathway else kind_label(a.achievement_type, lang),
        "summary": _first_sentence(a.description),
        "description": markdown_text(a.description),
        "criteria": markdown_text(a.criteria),
        "facts": facts,
        "ects": lang.number(a.ects),
        "workload": lang.number(a.workload_hours),
        "participation": participation_text(lang, a.participation),
        "valid_for": lang.duration(a.valid_for),
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


def card_display(view: dict[str, Any], lang: i18n.Lang | None = None) -> dict[str, Any]:
    """The per-award values of a card, formatted for partials/card.html in language `lang` (slots
    in the share page's fast template; the booleans pick the template variant)."""
    lang = lang or i18n.get(i18n.SOURCE)
    return {
        "learner": view["learner"],
        "learner_withheld": not view["learner"] and view["learner_hashed"],
        "issued": lang.date(view["valid_from"]),
        "issued_iso": view["valid_from"],
        "has_signed": bool(view["signed"]) and view["signed"] != view["valid_from"],
        "signed": lang.date(view["signed"]),
        "signed_iso": view["signed"],
        "has_until": bool(view["valid_until"]),
        "until": lang.date(view["valid_until"]),
        "until_iso": view["valid_until"],
        "has_grade": bool(view["grade"]),
        "grade": view["grade"],
    }


#: card_display's per-award strings: slots of the share page's fast template.
CARD_SLOTS = ("learner", "issued", "issued_iso", "signed", "signed_iso", "until", "until_iso", "grade")


def _first_sentence(text: str, limit: int = 180) -> str:
    """A plain-text summary of Markdown (autoescape does the HTML escaping)."""
    plain = (text or "").strip().split("\n\n")[0]
    plain = re.sub(r"(\*\*|__|`)", "", plain)
    plain = re.sub(r"^\s*(#+|>)\s*", "", plain, flags=re.M).replace("\n", " ")
    if len(plain) <= limit:
        return plain
    return plain[: limit - 1].rsplit(" ", 1)[0] + "…"
