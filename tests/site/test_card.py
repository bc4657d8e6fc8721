"""The credential card: one view-model (credpub.site.card.card_view) and one markup
(theme/templates/partials/card.html), held to the fixtures in tests/fixtures/card/ that
verifier-js/test/card.test.js holds the browser side to (src/card.js) — so the four pages that
show a card cannot drift apart again.

Regenerate after an intended change, and review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/site/test_card.py
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from credpub.site import card
from credpub import paths
from credpub.site import render, templates, views

from tests.golden import fixture
from tests.site import loaded

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "card"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
OPTIONS = {"badge_src": "../../achievements/x/badge.svg", "achievement_href": "../../achievements/x/", "heading": 1}


def _inputs() -> list[dict]:
    """Credentials of the golden fixture, bent into every shape a card meets."""
    signed = fixture.signed()
    by_name = {sa.planned.award.name: sa for sa in signed.awards}
    ana = by_name["Ana Núñez"]
    facts = card.achievement_facts(ana.planned.achievement)
    plain = copy.deepcopy(ana.credential)
    plain["credentialSubject"]["achievement"]["alignment"].append({
        "type": ["Alignment"], "targetName": "Operate precision measuring equipment",
        "targetUrl": "http://data.europa.eu/esco/skill/8e3ba4d3", "targetType": "ceasn:Competency",
        "targetFramework": "ESCO"})
    plain["credentialSubject"]["achievement"]["inLanguage"] = "nl"
    plain["proof"][0]["created"] = "2026-11-02T00:00:00Z"  # signed months after its issue date
    hashed = copy.deepcopy(ana.share_credential)
    hashed["credentialSubject"]["identifier"] = [{"type": "IdentityObject", "identityType": "name", "hashed": True,
                                                  "identityHash": "sha256$" + "0" * 64, "salt": "abc"}]
    graded = by_name["Jānis Bērziņš"].credential  # grade, no validUntil; facts of another achievement
    hostile = by_name[fixture.HOSTILE_NAME].credential
    foreign = {"@context": plain["@context"], "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
               "issuer": "did:web:other.example", "validFrom": "2025-01-31T10:00:00Z",
               "credentialSubject": {"type": ["AchievementSubject"], "name": "Zoë Foreign",
                                     "achievement": {"id": "https://other.example/a/1", "type": ["Achievement"],
                                                     "achievementType": "LicenseOrCertification",
                                                     "name": "Forklift", "description": "", "criteria": {}}}}
    return [
        {"name": "plain-with-facts", "credential": plain, "facts": facts},
        {"name": "hashed-name", "credential": hashed, "facts": facts},
        {"name": "graded-other-facts", "credential": graded, "facts": facts},
        {"name": "hostile", "credential": hostile, "facts": card.achievement_facts(by_name[fixture.HOSTILE_NAME].planned.achievement)},
        {"name": "foreign", "credential": foreign, "facts": None},
    ]


def card_html(view: dict) -> str:
    env = templates.make_env(paths.theme_dir())
    env.globals["cp"] = SimpleNamespace(lang="en")
    macro = env.get_template("partials/card.html").module.credential_card
    return str(macro(view, views.card_display(view), OPTIONS["badge_src"], OPTIONS["achievement_href"], OPTIONS["heading"]))


def normalize(html: str) -> str:
    """The comparison both sides make: markup, not the template's line breaks."""
    return re.sub(r">\s+<", "><", html.strip())


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    if UPDATE:
        HERE.mkdir(parents=True, exist_ok=True)
        out = []
        for case in _inputs():
            view = card.card_view(case["credential"], case["facts"])
            out.append({**case, "options": OPTIONS, "view": view})
            (HERE / f"{case['name']}.html").write_text(normalize(card_html(view)) + "\n", encoding="utf-8")
        (HERE / "cases.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return json.loads((HERE / "cases.json").read_text(encoding="utf-8"))


def test_view_model_matches_the_shared_fixture(cases):
    assert {c["name"] for c in cases} == {c["name"] for c in _inputs()}
    for case in cases:
        assert card.card_view(case["credential"], case["facts"]) == case["view"], case["name"]


def test_card_html_matches_the_shared_fixture(cases):
    for case in cases:
        want = (HERE / f"{case['name']}.html").read_text(encoding="utf-8").strip()
        assert normalize(card_html(case["view"])) == want, case["name"]


def test_view_model_reads_structured_values_not_the_narrative(cases):
    """Workload and outcomes come from facts, never from the Markdown narrative."""
    case = next(c for c in cases if c["name"] == "plain-with-facts")
    cred = copy.deepcopy(case["credential"])
    cred["credentialSubject"]["achievement"]["criteria"]["narrative"] = "**Notional workload:** 999 hours\n\n- Not an outcome"
    view = card.card_view(cred, case["facts"])
    assert view["workload_hours"] == 50 and "Not an outcome" not in view["outcomes"]
    assert card.card_view(cred, None)["workload_hours"] is None  # no facts: no workload, not a guess
    other = next(c for c in cases if c["name"] == "graded-other-facts")
    assert other["view"]["outcomes"] == [] and other["view"]["workload_hours"] is None  # facts of another achievement


def test_every_case_is_drawn_distinctly(cases):
    html = {c["name"]: (HERE / f"{c['name']}.html").read_text(encoding="utf-8") for c in cases}
    assert "Name withheld" in html["hashed-name"] and 'id="name-note"' in html["hashed-name"]
    assert "Operate precision measuring equipment" in html["plain-with-facts"] and 'lang="nl"' in html["plain-with-facts"]
    assert "Blended (online and on site)" in html["plain-with-facts"] and "50 hours" in html["plain-with-facts"]
    assert '<dt>Signed</dt><dd><time datetime="2026-11-02">2 November 2026</time>' in html["plain-with-facts"]
    assert "<dt>Signed</dt>" not in html["graded-other-facts"]  # signed on its issue date: one date
    assert "<dt>Grade</dt>" in html["graded-other-facts"] and "Learning outcomes" not in html["graded-other-facts"]
    assert "&lt;img src=x" in html["hostile"] and "<img src=x" not in html["hostile"]
    assert "Zoë Foreign" in html["foreign"] and "License Or Certification" in html["foreign"]
    assert "ECTS" not in html["foreign"] and "Workload" not in html["foreign"]


def test_share_pages_use_the_partial():
    """The share page's card is the partial's output for its share credential."""
    from tests.site.test_render import GOLDEN

    signed = loaded.signed()
    r = render.SiteRenderer(signed)
    for sa in signed.awards:
        page = (GOLDEN / sa.planned.share_path / "index.html").read_text(encoding="utf-8")
        view = r.share_card(sa)
        macro = r.env.get_template("partials/card.html").module.credential_card
        slug = sa.planned.achievement.slug
        html = str(macro(view, views.card_display(view), f"../../achievements/{slug}/badge.svg", f"../../achievements/{slug}/"))
        assert normalize(html) in normalize(page), sa.planned.award.name


@pytest.mark.parametrize("code, issued, signed", [("en", "Issued", "Signed"), ("nl", "Uitgereikt", "Ondertekend")])
def test_a_card_shows_the_day_signed_beside_the_day_issued_when_they_differ(cases, code, issued, signed):
    from credpub import i18n

    view = next(c for c in cases if c["name"] == "plain-with-facts")["view"]
    assert (view["valid_from"], view["signed"]) == ("2026-06-12", "2026-11-02")
    lang = i18n.get(code)
    env = templates.make_env(paths.theme_dir(), lang)
    env.globals["cp"] = SimpleNamespace(lang=code)
    macro = env.get_template("partials/card.html").module.credential_card
    html = normalize(str(macro(view, views.card_display(view, lang), "b.svg")))
    assert f'<dt>{issued}</dt><dd><time datetime="2026-06-12">{lang.date("2026-06-12")}</time>' in html
    assert f'<dt>{signed}</dt><dd><time datetime="2026-11-02">{lang.date("2026-11-02")}</time>' in html
    same = dict(view, signed=view["valid_from"])
    assert f"<dt>{signed}</dt>" not in normalize(str(macro(same, views.card_display(same, lang), "b.svg")))
