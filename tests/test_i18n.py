"""Catalogues (builder/credpub/data/locale/*.po) against the texts the code uses, and the two readers
and formatters (Python/Babel, JS/Intl) against each other."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from credpub import i18n

REPO = Path(__file__).resolve().parent.parent
JS = REPO / "verifier-js"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def used_messages() -> dict[str, list[str]]:
    """msgid → where it is used, extracted as `pybabel extract -F babel.cfg` does."""
    with (REPO / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(REPO), method_map, options_map, keywords={"_": None, "parts": None, "gettext": None, "ngettext": (1, 2)}):
        if any(part in filename for part in ("node_modules", "dist/", "test")):
            continue
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def used() -> dict[str, list[str]]:
    return used_messages()


def test_texts_are_extracted(used):
    # The extraction itself works for each kind of source (else every catalogue test is void).
    kinds = {Path(loc.split(":")[0]).suffix for locs in used.values() for loc in locs}
    assert {".py", ".html", ".js", ".txt"} <= kinds, kinds
    assert len(used) > 100


@pytest.mark.parametrize("lang", [lang for lang in i18n.languages() if lang != i18n.SOURCE])
def test_catalogue_is_complete_and_has_nothing_unused(lang, used):
    messages = i18n.messages(lang)
    missing = sorted(set(used) - set(messages))
    unused = sorted(set(messages) - set(used))
    assert not missing, f"{lang}.po lacks {len(missing)} message(s): " + "; ".join(
        f"{m!r} ({used[m][0]})" for m in missing[:20])
    assert not unused, f"{lang}.po has {len(unused)} message(s) nothing uses: {unused[:20]}"


@pytest.mark.parametrize("lang", [lang for lang in i18n.languages() if lang != i18n.SOURCE])
def test_catalogue_says_where_each_message_is_used(lang, used):
    # verifier-js/build.mjs bundles only the messages the browser shows, chosen by these "#:"
    # references: stale ones would drop texts from the pages. `make catalogues` refreshes them.
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / f"{lang}.po").open("rb") as f:
        cat = read_po(f)
    stale = {}
    for m in cat:
        if m.id and m.id in used:
            where = {loc.rsplit(":", 1)[0] for loc in used[m.id]}
            if {path for path, _line in m.locations} != where:
                stale[m.id] = sorted(where)
    assert not stale, f"{lang}.po: run `make catalogues`; stale references for {list(stale)[:5]}"


@pytest.mark.parametrize("lang", i18n.languages())
def test_translations_keep_the_placeholders(lang):
    for msgid, msgstr in i18n.messages(lang).items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), (lang, msgid, msgstr)
        assert msgstr.count("%") - 2 * msgstr.count("%%") == len(PLACEHOLDER.findall(msgstr)), (lang, msgstr)


def test_source_catalogue_only_names_its_locale():
    assert i18n.SOURCE in i18n.languages()
    assert i18n.get(i18n.SOURCE).locale.language == "en"


FORMAL = re.compile(r"\b(u|U|uw|Uw|uzelf)\b")


def test_nl_is_written_for_graduates_with_je():
    nl = i18n.messages("nl")
    # Graduates are addressed informally ("je"), never with "u"/"uw".
    formal = [s for s in nl.values() if FORMAL.search(s)]
    assert not formal, formal[:5]


def _dutch_content_texts() -> dict[str, str]:
    """Every Dutch text credpub ships besides the catalogue: the scaffold's content (pages and
    achievements a new issuer starts from), the demo's and the golden fixture's content."""
    scaffold = REPO / "builder/credpub/ops/scaffold/content"
    files = [*scaffold.glob("pages/*.nl.md"), *scaffold.glob("achievements/nl*.yml")]
    for content in (REPO / "content", REPO / "tests/golden/issuer/content"):
        files += [p for p in content.glob("pages/*.md") if not re.search(r"\.[a-z]{2}\.md$", p.name) or p.name.endswith(".nl.md")]
        files += [*content.glob("achievements/*.yml"), *content.glob("pathways/*.yml")]
    return {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in files}


def test_dutch_content_says_je_as_the_interface_does():
    texts = _dutch_content_texts()
    assert any("privacy.nl.md" in name for name in texts) and len(texts) > 8
    formal = {name: FORMAL.findall(text)[:3] for name, text in texts.items() if FORMAL.search(text)}
    assert not formal, formal


def _node(script: str) -> str:
    out = subprocess.run(["node", "--input-type=module", "-e", script], cwd=JS, capture_output=True, text=True, check=True)
    return out.stdout


def test_js_reads_the_same_catalogues():
    out = json.loads(_node("import c from '#catalogues'; console.log(JSON.stringify(c));"))
    assert sorted(out) == list(i18n.languages())
    for lang in i18n.languages():
        assert out[lang]["messages"] == i18n.messages(lang), lang
        assert out[lang]["locale"].replace("-", "_") == str(i18n.get(lang).locale)


SAMPLES = {
    "date": ["2026-06-12T00:00:00Z", "2026-01-01", "2031-12-31T23:59:59Z"],
    "number": [1.5, 4.0, 2, 0.25, 1234.5],
    "hours": [100, 1, 37.5],
    "country": ["NL", "BA", "lt", "GB", "XX1"],
    "duration": ["P3Y", "P1Y6M", "P18M", "P1W", "P90D"],
}


@pytest.mark.parametrize("lang", i18n.languages())
def test_python_and_js_format_alike(lang):
    # One credential reads the same on a Python-drawn page and a JS-drawn one.
    js = json.loads(_node(
        f"import {{lang}} from './src/site/i18n.js'; const L = lang({json.dumps(lang)}); const S = {json.dumps(SAMPLES)};"
        "console.log(JSON.stringify(Object.fromEntries(Object.entries(S).map(([k, vs]) => [k, vs.map((v) => L[k](v))]))));"))
    L = i18n.get(lang)
    py = {k: [getattr(L, k)(v) for v in vs] for k, vs in SAMPLES.items()}
    assert py == js


def test_dutch_and_english_formats():
    nl, en = i18n.get("nl"), i18n.get("en")
    assert nl.date("2026-06-12T00:00:00Z") == "12 juni 2026"
    assert en.date("2026-06-12") == "12 June 2026"
    assert nl.number(1.5) == "1,5" and en.number(1.5) == "1.5"
    assert nl.country("BA") == "Bosnië en Herzegovina"
    assert nl.duration("P3Y") == "3 jaar"


def test_placeholders_and_percent():
    en = i18n.get("en")
    assert en._("Issued by %(issuer)s", issuer="X") == "Issued by X"
    out = _node("import {interpolate} from './src/site/i18n.js'; console.log(interpolate('a %(b)s 100%%', {b: 'c'}));")
    assert out.strip() == "a c 100%"
