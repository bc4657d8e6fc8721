"""Languages: the message catalogues and the CLDR formatting of one language, for every page,
email and credential text built in Python (verifier-js/src/i18n.js is the browser's twin).

One source of truth: `locale/<lang>.po` (gettext; msgids are the English texts, so the source
language needs no translations and `en.po` only names its CLDR locale). Python reads the .po
files with Babel at run time; verifier-js/build.mjs reads the same files at bundle time and embeds
them as JSON. Adding a language is adding one .po file (tests/test_i18n.py fails while it misses a
message or keeps one nothing uses). Messages use Python's `%(name)s` placeholders on both sides.

Dates, numbers, units and country names come from CLDR (Babel here, `Intl` in the browser), with
the locale that the catalogue's `Language:` header names: `en` is `en_GB`, so an English page
reads "12 June 2026" wherever it is drawn.
"""

from __future__ import annotations

import datetime as dt
import functools

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.units import format_unit
from credpub import dates
from credpub.paths import DATA

LOCALE_DIR = DATA / "locale"
SOURCE = "en"  # the language of the msgids
_UNITS = ("duration-year", "duration-month", "duration-week", "duration-day")


def languages() -> tuple[str, ...]:
    """The languages credpub can write: one per catalogue file."""
    return tuple(sorted(p.stem for p in LOCALE_DIR.glob("*.po")))


@functools.cache
def _read(lang: str) -> tuple[str, dict[str, str]]:
    """(CLDR locale, {msgid: msgstr}) of one catalogue; untranslated and fuzzy entries are left out."""
    path = LOCALE_DIR / f"{lang}.po"
    with path.open("rb") as f:
        cat = read_po(f, abort_invalid=True)
    messages = {m.id: m.string for m in cat if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}
    return str(cat.locale or lang), messages


def messages(lang: str) -> dict[str, str]:
    return dict(_read(lang)[1])


class Lang:
    """One language: its translations (`_`) and its CLDR formatter. Get one with `get(code)`."""

    def __init__(self, code: str) -> None:
        self.code = code
        locale_name, self._messages = _read(code)
        self.locale = Locale.parse(locale_name)

    @property
    def native_name(self) -> str:
        """The language's name in itself, capitalised: "Nederlands", "English"."""
        name = self.locale.get_language_name(self.locale) or self.code
        return name[:1].upper() + name[1:]

    def __repr__(self) -> str:
        return f"Lang({self.code!r})"

    # -- messages

    def gettext(self, msgid: str) -> str:
        return self._messages.get(msgid, msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Catalogues hold no plural messages (counts are CLDR units); kept for jinja2.ext.i18n.
        return self.gettext(singular if n == 1 else plural)

    def _(self, msgid: str, **values: object) -> str:
        """The translation of `msgid` with its `%(name)s` placeholders filled (`%%` is a %)."""
        return self.gettext(msgid) % values

    # -- CLDR formatting

    def date(self, value: str | dt.date | None) -> str:
        """"12 juni 2026" / "12 June 2026"; date-times are read as their UTC date."""
        if not value:
            return ""
        d = dates.day_of(value)
        return format_date(d, format="long", locale=self.locale)

    def number(self, value: float | None) -> str:
        if value is None:
            return ""
        return format_decimal(value, format="#,##0.###", locale=self.locale)

    def credits(self, value: float | None) -> str:
        """The one credit term of every page, email, badge and credential: "1,5 EC" / "1.5 ECTS".
        Both are abbreviations that stay the same in the singular and the plural (no
        "1 ECTS-studiepunten"); verifier-js/src/site/strings.js uses the same message."""
        if value is None:
            return ""
        return self._("%(ects)s ECTS", ects=self.number(value))

    def hours(self, value: float | None) -> str:
        if value is None:
            return ""
        return format_unit(value, "duration-hour", length="long", locale=self.locale, format="#,##0.###")

    def country(self, code: str) -> str:
        """The name of an ISO 3166-1 alpha-2 country; anything else as given."""
        text = (code or "").strip()
        if len(text) != 2:
            return text
        return self.locale.territories.get(text.upper(), text)

    def duration(self, iso: str | None) -> str:
        """ISO 8601 durations as content uses them for `valid_for` (P3Y, P18M, P1Y6M)."""
        counts = dates.duration_parts(iso)
        if not iso or counts is None:
            return iso or ""
        parts = [format_unit(n, unit, length="long", locale=self.locale)
                 for n, unit in zip(counts, _UNITS, strict=True) if n is not None]
        return format_list(parts, locale=self.locale)


@functools.cache
def get(code: str) -> Lang:
    if code not in languages():
        raise KeyError(f"no catalogue for language {code!r} (have: {', '.join(languages())})")
    return Lang(code)


def install(env, lang: Lang) -> None:
    """jinja2.ext.i18n with `lang`'s messages: `{{ _('…', name=x) }}` and `{% trans %}` blocks
    (newstyle: autoescaped, `%(name)s` filled), plus the formatter as `L`."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(lang.gettext, lang.ngettext, newstyle=True)
    env.globals["L"] = lang
