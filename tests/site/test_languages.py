"""Languages end to end on the Python side: per-language content, the credential's language, and
each graduate's email in their language."""

from __future__ import annotations

import csv
import json
import email
import email.policy
import os
import pty
import shutil
import sys
from pathlib import Path

import pytest

from credpub import clock
from credpub.mail import message as mail, mime
from credpub.build import pipeline
from credpub.credentials.credential import achievement_document, criteria_narrative
from credpub.content.load import load_content
from credpub.build.plan import make_plan
from credpub.content.validate import check_content

from tests.conftest import REPO, context

SITE_URL = "https://baltic-precision.github.io/credentials/"


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    return root


def _problems(root: Path) -> list[str]:
    return [str(e) for e in check_content(root, clock.today())[1]]


def test_demo_is_dutch_first_with_english_texts(content):
    c, errors = load_content(content)
    assert not errors and c.site.languages == ("nl", "en")
    a = c.achievements["dimensional-metrology"]
    assert a.language == "nl" and a.name == "Coördinatenmeettechniek voor maatvoering"
    en = a.in_language("en")
    assert en.name == "Dimensional Metrology with Coordinate Measuring Machines" and en.language == "en"
    assert en.learning_outcomes[0].startswith("Interpret ISO GPS") and en.ects == a.ects
    assert a.in_language("nl") is a
    assert {w.language for w in c.awards} == {"", "en"}


def test_a_plain_text_serves_every_language(content):
    path = content / "achievements" / "gd-and-t-basics.yml"
    path.write_text(path.read_text().replace("name:\n  nl: Vorm- en plaatstoleranties, de basis\n  en: Geometrical Tolerancing Essentials\n",
                                             "name: GPS Essentials\n"))
    c, errors = load_content(content)
    assert not errors
    a = c.achievements["gd-and-t-basics"]
    assert a.name == a.in_language("en").name == "GPS Essentials"
    assert a.in_language("en").description.startswith("Read and apply")


def test_per_language_texts_must_give_exactly_the_site_languages(content):
    path = content / "achievements" / "gd-and-t-basics.yml"
    text = path.read_text()
    path.write_text(text.replace("  en: Geometrical Tolerancing Essentials\n", "  de: Geometrische Tolerierung\n"))
    problems = _problems(content)
    assert any("gd-and-t-basics.yml:1: name:" in p and "unknown language(s) de" in p and "missing en" in p for p in problems), problems


def test_site_languages_need_a_catalogue(content):
    site = content / "site.yml"
    site.write_text(site.read_text().replace("languages: [nl, en]", "languages: [nl, xx]"))
    problems = _problems(content)
    assert any("languages:" in p and "no catalogue for language 'xx'" in p and "locale/xx.po" in p for p in problems), problems


def test_award_language_must_be_a_site_language(content):
    f = content / "awards" / "2026-spring.csv"
    rows = list(csv.reader(f.read_text(encoding="utf-8").splitlines()))
    rows[1][-1] = "fr"
    rows[2][-1] = "english"
    with f.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    problems = _problems(content)
    assert any("2026-spring.csv:2: language:" in p and "'fr' is not one of the site's languages (nl, en)" in p for p in problems), problems
    assert any("2026-spring.csv:3: language:" in p and "language code" in p for p in problems), problems


def test_credential_is_in_the_default_language(content, keys):
    c = pipeline.load_valid_content(context(content))
    the_plan = make_plan(c, keys, clock.today())
    a = c.achievements["cnc-five-axis"]
    doc = achievement_document(the_plan, a)
    assert doc["inLanguage"] == "nl" and doc["name"] == "Basis vijfassig CNC-frezen"
    narrative = doc["criteria"]["narrative"]
    assert "**Leerresultaten**" in narrative and "**Over deze microcredential**" in narrative
    assert "- **Studielast:** 100 uur (4 EC)" in narrative and "studiepunten" not in narrative
    assert "Learning outcomes" not in narrative and "hours" not in narrative
    assert doc["alignment"][0]["targetName"] == "EQF-niveau 5"
    # The same achievement read in English keeps the English headings (used by the English pages).
    en = criteria_narrative(a.in_language("en"))
    assert "**Learning outcomes**" in en and "100 hours (4 ECTS)" in en


def test_demo_builds_and_signs_in_dutch(content, keys, tmp_path):
    site = tmp_path / "site"
    pipeline.build(context(content, keys=keys), pipeline.BuildOptions(site))
    cred = next((site / "s").glob("*/credential.json")).read_text(encoding="utf-8")
    assert '"inLanguage":"nl"' in cred.replace(" ", "") and "Leerresultaten" in cred


# -- email -----------------------------------------------------------------------------------------

@pytest.fixture
def demo_plan(content, keys):
    return pipeline.plan_content(context(content, keys=keys))


def _message(the_plan, learner_id: str, **replace):
    import dataclasses

    p = next(p for p in the_plan.awards if p.award.learner_id == learner_id)
    if replace:
        p = dataclasses.replace(p, **replace)
    msg = mail.build_message(p, the_plan.content.site, SITE_URL + p.claim_link, b"\x89PNG\r\n\x1a\n",
                             message_id="<x.1@bpes.example.org>")
    return email.message_from_bytes(mime.as_bytes(msg), policy=email.policy.default)


def test_email_in_the_graduates_language(demo_plan):
    nl = _message(demo_plan, "BP-2026-017")  # no language column value: the site default (nl)
    text = nl.get_body(("plain",)).get_content()
    html = nl.get_body(("html",)).get_content()
    assert nl["Subject"] == "Je certificaat van Nederlandse Vereniging voor Precisietechniek: Oppervlakteruwheid meten (ISO 21920)"
    assert text.startswith("Beste Rūta Kazlauskaitė,") and "Uitgereikt op 25 september 2026" in text
    assert "1,5 EC\r\n" in text and "studiepunten" not in text and "Hello" not in text
    assert '<html lang="nl">' in html and "Open je certificaat</a>" in html
    en = _message(demo_plan, "BP-2026-018")  # language: en
    text = en.get_body(("plain",)).get_content()
    assert en["Subject"].startswith("Your credential from ") and "Surface Texture Measurement (ISO 21920)" in en["Subject"]
    assert text.startswith("Hello Ingrid Sæther,") and "Issued on 25 September 2026" in text and "1.5 ECTS\r\n" in text
    assert '<html lang="en">' in en.get_body(("html",)).get_content()


def test_email_text_has_a_blank_line_after_the_link(demo_plan):
    import dataclasses

    for security in ("link", "encrypted", "passphrase"):
        p = next(p for p in demo_plan.awards if p.award.learner_id == "BP-2026-018")
        msg = _message(demo_plan, "BP-2026-018", achievement=dataclasses.replace(p.achievement, claim_security=security))
        lines = msg.get_body(("plain",)).get_content().splitlines()
        i = next(i for i, line in enumerate(lines) if line.strip().startswith(SITE_URL))
        assert lines[i + 1] == "" and lines[i + 2] != "", (security, lines[i:i + 3])
        assert "\n\n\n" not in "\n".join(lines), security  # and never two blank lines


@pytest.mark.parametrize("name", [
    "Coördinatenmeetmachinekalibratie en vormtoleranties volgens ISO 1101 voor gevorderden",
    "Surface Texture Measurement (ISO 21920) with a long tail of words to fold the header twice over",
    "Ölçüm — ein sehr langer Titel mit Umlauten äöü und noch mehr Wörtern für eine Faltung",
])
def test_a_folded_subject_has_no_double_space(demo_plan, name):
    import dataclasses

    p = next(p for p in demo_plan.awards if p.award.learner_id == "BP-2026-017")
    msg = _message(demo_plan, "BP-2026-017", achievement=dataclasses.replace(p.achievement, name=name))
    expected = f"Je certificaat van Nederlandse Vereniging voor Precisietechniek: {name}"
    assert str(msg["Subject"]) == expected
    assert "  " not in str(msg["Subject"])


def _run_in_pty(code: str) -> bytes:
    pid, fd = pty.fork()
    if pid == 0:  # the child: a progress bar on a terminal, then a line of our own
        try:
            exec(code, {})
        finally:
            os._exit(0)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_the_progress_line_ends_with_a_newline():
    out = _run_in_pty(
        "from credpub.mail.send import console_progress\n"
        "err = open(2, 'w', closefd=False)\n"  # the pty (pytest has replaced sys.stderr)
        "with console_progress(err)(length=7, label='sending') as bar:\n"
        "    for _ in range(7): bar.update(1)\n"
        "err.write('SUMMARY\\n'); err.flush()\n")
    before, _, _ = out.partition(b"SUMMARY")
    assert b"7/7" in before and before.endswith(b"\n"), before[-80:]


# -- pages -----------------------------------------------------------------------------------------

@pytest.fixture
def built(content, keys, tmp_path):
    site = tmp_path / "site"
    pipeline.build(context(content, keys=keys), pipeline.BuildOptions(site))
    the_plan = pipeline.plan_content(context(content, keys=keys))
    return site, {p.award.learner_id + "/" + p.achievement.slug: p for p in the_plan.awards}


def _read(path) -> str:
    return path.read_text(encoding="utf-8")


def test_site_wide_pages_in_each_language(built):
    site, _ = built
    for page in ("verify/", "certificate/", "achievements/cnc-five-axis/"):
        nl, en = _read(site / page / "index.html"), _read(site / page / "en" / "index.html")
        assert '<html lang="nl">' in nl and '<html lang="en">' in en
        for html in (nl, en):  # each names both versions
            assert f'hreflang="nl" href="https://baltic-precision.github.io/credentials/{page}"' in html
            assert f'hreflang="en" href="https://baltic-precision.github.io/credentials/{page}en/"' in html
    nl, en = _read(site / "achievements/cnc-five-axis/index.html"), _read(site / "achievements/cnc-five-axis/en/index.html")
    assert "<h1>Basis vijfassig CNC-frezen</h1>" in nl and "Wat dit certificaat aantoont" in nl and "100 uur" in nl
    assert "<h1>Five-Axis CNC Machining Fundamentals</h1>" in en and "What this certifies" in en and "100 hours" in en
    # Each language's badge (its title in that language), one folder deeper on the English page.
    assert 'src="../../../achievements/cnc-five-axis/en/badge.svg"' in en and 'src="../../achievements/cnc-five-axis/badge.svg"' in nl
    assert "Five-Axis" in _read(site / "achievements/cnc-five-axis/en/badge.svg")
    assert "vijfassig" in _read(site / "achievements/cnc-five-axis/badge.svg")
    assert 'src="../achievements/cnc-five-axis/en/badge.svg"' in _read(site / "en/index.html")
    assert 'aria-current="true">English</a>' in en and 'href="../../../achievements/cnc-five-axis/" hreflang="nl"' in en
    assert 'href="../../../verify/en/"' in en and 'href="../../../verify/"' not in en  # its language's verify page
    home = _read(site / "index.html")
    assert "Certificaat controleren" in home and "Kerngegevens" in home and "Nederland" in home


def test_claim_pages_in_the_graduates_language_share_pages_in_the_default(built):
    site, awards = built
    nl = _read(site / awards["BP-2026-001/dimensional-metrology"].claim_path / "index.html")
    en = _read(site / awards["BP-2026-003/dimensional-metrology"].claim_path / "index.html")
    assert '<html lang="nl">' in nl and "Je certificaat: Coördinatenmeettechniek voor maatvoering" in nl
    assert '<html lang="en">' in en and "Your credential: Dimensional Metrology with Coordinate Measuring Machines" in en
    share = _read(site / awards["BP-2026-003/dimensional-metrology"].share_path / "index.html")
    assert '<html lang="nl">' in share and "17 april 2026" in share and "Uitgereikt aan" in share
    # The switch: buttons share.js shows, no second page per award.
    assert '<button type="button" data-lang="en" lang="en" aria-pressed="false" hidden>English</button>' in share
    assert not (site / awards["BP-2026-003/dimensional-metrology"].share_path / "en").exists()
    assert '"languages":["nl","en"]' in share


def test_facts_carry_the_other_languages_texts(built):
    site, _ = built
    facts = json.loads(_read(site / "achievements/dimensional-metrology/facts.json"))
    assert facts["name"] == "Coördinatenmeettechniek voor maatvoering"
    en = facts["languages"]["en"]
    assert en["name"] == "Dimensional Metrology with Coordinate Measuring Machines"
    assert en["outcomes"][0].startswith("Interpret ISO GPS") and en["elements"]["integration"].startswith("Stackable")
    assert set(facts["languages"]) == {"en"}


# -- the issuer's own pages per language (privacy.en.md beside privacy.md) ---------------------------

def test_claim_pages_show_the_privacy_terms_in_the_graduates_language(built):
    site, awards = built
    nl = _read(site / awards["BP-2026-001/dimensional-metrology"].claim_path / "index.html")
    en = _read(site / awards["BP-2026-003/dimensional-metrology"].claim_path / "index.html")
    assert 'data-terms-url="../../privacy/"' in nl and 'data-terms-url="../../privacy/en/"' in en
    version = lambda page: page.split('data-terms-version="')[1].split('"')[0]  # noqa: E731
    assert version(nl) != version(en)  # consent is for the text shown: each language's its own
    terms_en = _read(site / "privacy/en/index.html")
    assert '<html lang="en">' in terms_en and "Privacy terms for credential holders" in terms_en
    assert "Privacyvoorwaarden" not in terms_en.split("<main")[1].split("</main>")[0]
    assert "Privacyvoorwaarden voor houders" in _read(site / "privacy/index.html")


def test_english_home_page_at_en_links_back(built):
    site, _ = built
    home = _read(site / "en/index.html")
    assert '<html lang="en">' in home and "Digital credentials for precision engineers" in home
    assert "Open the verifier" in home  # the home layout, in English
    assert 'href="../verify/en/"' in home and 'href="../how-to-verify/en/"' in home  # links to pages with an English version go to it
    assert 'href="../" hreflang="nl"' in home and 'aria-current="true">English</a>' in home
    assert 'hreflang="en" href="https://baltic-precision.github.io/credentials/en/"' in home
    nl = _read(site / "index.html")
    assert 'href="./en/" hreflang="en"' in nl and "Digitale certificaten voor precisietechnici" in nl
    # English pages' navigation leads to English pages where there are some.
    assert "<loc>https://baltic-precision.github.io/credentials/en/</loc>" in _read(site / "sitemap.xml")
    assert 'href="../privacy/en/"' in home and 'href="../achievements/cnc-five-axis/en/"' in home


def test_check_refuses_a_page_variant_in_an_unknown_language_or_without_its_page(content):
    (content / "pages" / "privacy.de.md").write_text("# Datenschutz\n", encoding="utf-8")
    problems = _problems(content)
    assert any("privacy.de.md:1: language:" in p and "'de' is not one of the site's languages (nl, en)" in p
               for p in problems), problems
    (content / "pages" / "privacy.de.md").unlink()
    (content / "pages" / "contact.en.md").write_text("# Contact\n", encoding="utf-8")
    problems = _problems(content)
    assert any("contact.en.md:1: file name:" in p and "contact.md, which is missing" in p for p in problems), problems


def test_encrypted_claim_pages_show_the_privacy_terms_in_the_graduates_language(content, keys, tmp_path):
    """The encrypted layer's shell names nothing, but asks consent the same way: in the graduate's language."""
    f = content / "achievements" / "cnc-five-axis.yml"
    f.write_text(f.read_text(encoding="utf-8").replace("claim_security: link", "claim_security: encrypted"), encoding="utf-8")
    site = tmp_path / "site"
    pipeline.build(context(content, keys=keys), pipeline.BuildOptions(site))
    awards = {p.award.learner_id: p for p in pipeline.plan_content(context(content, keys=keys)).awards
              if p.achievement.slug == "cnc-five-axis"}
    assert {p.award.language for p in awards.values()} == {"", "en"}
    for p in awards.values():
        page = _read(site / p.claim_path / "index.html")
        assert "Basis vijfassig" not in page and "Five-Axis" not in page  # encrypted: the shell names nothing
        terms = "../../privacy/en/" if p.award.language == "en" else "../../privacy/"
        assert f'data-terms-url="{terms}"' in page, p.award.learner_id


def test_a_variants_links_are_written_as_in_its_page_and_lead_to_its_language(content, keys, tmp_path):
    (content / "pages" / "how-to-verify.en.md").write_text(
        "# How to verify\n\n[verify](../verify/) [home](../) [terms](privacy.md) [about](../about/#team) "
        "[course](../achievements/cnc-five-axis/) [out](https://example.org/x) [mail](mailto:a@example.org)\n",
        encoding="utf-8")
    site = tmp_path / "site"
    pipeline.build(context(content, keys=keys), pipeline.BuildOptions(site))
    page = _read(site / "how-to-verify/en/index.html")
    article = page.split('<article class="prose">')[1].split("</article>")[0]
    for href in ("../../verify/en/", "../../en/", "../../privacy/en/", "../../about/en/#team",
                 "../../achievements/cnc-five-axis/en/", "https://example.org/x", "mailto:a@example.org"):
        assert f'href="{href}"' in article, (href, article)
    assert '<h1 id="how-to-verify">How to verify</h1>' in article or "How to verify</h1>" in article
    # Every page links its own language's version of it.
    assert 'href="../../how-to-verify/en/"' in _read(site / "privacy/en/index.html")
    assert 'href="../how-to-verify/"' in _read(site / "privacy/index.html")
