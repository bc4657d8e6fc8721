"""The theme's Jinja side: the environment and its filters, values made safe for templates
(`json_script`, `markdown_text`), and `FastTemplate` for the pages rendered once per award.

Per-award pages (thousands) go through `FastTemplate`: each template is rendered once per
achievement with placeholder slots, split into literal chunks, and filled per award by joining
strings — so 10,000 awards cost milliseconds, not a Jinja render each.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2
import markdown
from markupsafe import Markup, escape

from credpub import i18n
from credpub.site.card import ELEMENTS as CARD_ELEMENTS

#: pages that load the bundle; main.js dispatches on <body data-page>.
JS_PAGES = ("claim", "share", "verify", "certificate")


def json_script(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no `</script>`, no `<!--`, no U+2028."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


_MD = markdown.Markdown(extensions=["sane_lists"], output_format="html")
# Achievement texts come from content: render Markdown, but show raw HTML as text.
_MD.preprocessors.deregister("html_block")
_MD.inlinePatterns.deregister("html")


def markdown_text(text: str) -> Markup:
    _MD.reset()
    return Markup(_MD.convert(text or ""))


def kind_label(achievement_type: str, lang: i18n.Lang | None = None) -> str:
    """An achievement type as a reader sees it: "Microcredential", "Learning Program"."""
    lang = lang or i18n.get(i18n.SOURCE)
    if achievement_type == "MicroCredential":
        return lang._("Microcredential")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", achievement_type or lang._("Achievement"))


# ---------------------------------------------------------------- fast per-award templates

class Slot:
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
            value = values[name]
            out.append(value if name.endswith("_raw") else str(escape(value)))
            out.append(literal)
        return "".join(out)


# ---------------------------------------------------------------- the environment

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
    lang = lang or i18n.get(i18n.SOURCE)
    i18n.install(env, lang)
    env.filters["human_date"] = lang.date
    env.filters["number"] = lang.number
    env.filters["country_name"] = lang.country
    env.filters["kind_label"] = lambda t: kind_label(t, lang)
    env.filters.setdefault("json_script", json_script)
    env.globals.setdefault("JS_PAGES", JS_PAGES)
    env.globals.setdefault("CARD_ELEMENTS", CARD_ELEMENTS)
