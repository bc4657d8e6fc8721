"""Languages in Chromium: the demo issuer as it ships (Dutch first, English second).
Claim pages in the graduate's language, the share page's in-browser switch, the verify and
certificate pages per language, and dates that read the same on every page of a language."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from credpub.site.serve import serve_in_thread

from ..conftest import REPO
from .conftest import KEYS, Guard

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dutch(tmp_path_factory):
    """The demo site as it ships, and each award's tokens."""
    from credpub.build.pipeline import BuildOptions, build, plan_content

    from tests.conftest import context

    root = tmp_path_factory.mktemp("languages")
    shutil.copytree(REPO / "content", root / "content")
    ctx = context(root / "content", keys=KEYS)
    build(ctx, BuildOptions(root / "site"))
    awards = {p.award.learner_id + "/" + p.achievement.slug: p for p in plan_content(ctx).awards}
    server, url = serve_in_thread(root / "site")
    yield url, awards
    server.shutdown()
    server.server_close()


@pytest.fixture
def page_at(browser, dutch):
    base, _ = dutch
    guard = Guard(base)
    contexts = []

    def make(path: str, width: int = 1280):
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        guard.attach(ctx)
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(base + path)
        return page

    yield make
    for ctx in contexts:
        ctx.close()
    guard.check()


def _agree(page):
    page.click("#agree")
    page.wait_for_selector("#status[data-state=verified]", timeout=20000)


def test_claim_page_in_the_graduates_language(page_at, dutch):
    _, awards = dutch
    nl = page_at(awards["BP-2026-001/dimensional-metrology"].claim_path)
    assert nl.evaluate("document.documentElement.lang") == "nl"
    assert nl.inner_text("#agree") == "Akkoord, toon mijn certificaat"
    _agree(nl)
    card = nl.inner_text("article.credential")
    assert "Coördinatenmeettechniek voor maatvoering" in card and "17 april 2026" in card and "Uitgereikt aan" in card
    assert "Echt en geldig" in nl.inner_text("#status")
    nl.click("#status summary")
    assert "Handtekening: de handtekening is geldig" in nl.inner_text("#status")
    en = page_at(awards["BP-2026-003/dimensional-metrology"].claim_path)  # language: en
    assert en.evaluate("document.documentElement.lang") == "en"
    _agree(en)
    card = en.inner_text("article.credential")
    # The credential is Dutch (inLanguage nl); the card shows the issuer's English texts.
    assert "Dimensional Metrology with Coordinate Measuring Machines" in card and "17 April 2026" in card
    assert "Plan a CMM inspection" in card and "Coördinatenmeettechniek" not in card
    assert en.locator("#certificate").get_attribute("href").startswith("../../certificate/en/#s=")
    # The badge in the card's language, beside the English achievement page it links to.
    assert en.get_attribute(".credential-badge img", "src") == "../../achievements/dimensional-metrology/en/badge.svg"
    assert nl.get_attribute(".credential-badge img", "src") == "../../achievements/dimensional-metrology/badge.svg"


def test_share_page_switches_language_in_the_browser(page_at, dutch):
    _, awards = dutch
    p = awards["BP-2026-001/dimensional-metrology"]
    page = page_at(p.share_path)
    page.wait_for_selector("#status[data-state=verified]", timeout=20000)
    assert "17 april 2026" in page.inner_text("article.credential")
    assert page.inner_text(".actions") .count("Zelf controleren") == 1
    page.click(".lang-switch button[data-lang=en]")
    page.wait_for_selector("article.credential h1:has-text('Dimensional Metrology')")
    assert page.evaluate("document.documentElement.lang") == "en"
    body = page.inner_text("body")
    assert "17 April 2026" in body and "Awarded to" in body and "Verify independently" in body
    assert "Verified" in page.inner_text("#status") and "Echt en geldig" not in body
    assert page.get_attribute(".lang-switch button[data-lang=en]", "aria-pressed") == "true"
    assert page.get_attribute(".credential-badge img", "src") == "../../achievements/dimensional-metrology/en/badge.svg"
    verify = page.locator("a.button.primary").get_attribute("href")
    assert re.match(r"\.\./\.\./verify/en/\?url=\.\./s/", verify), verify
    page.click(".lang-switch button[data-lang=nl]")
    page.wait_for_selector("article.credential h1:has-text('Coördinatenmeettechniek')")
    assert "Zelf controleren" in page.inner_text("body") and "Verify independently" not in page.inner_text("body")


def test_verify_page_per_language_with_the_share_link(page_at, dutch):
    _, awards = dutch
    p = awards["BP-2026-001/dimensional-metrology"]
    for path, verdict, label, date in (("verify/", "Echt en geldig", "Handtekening", "17 april 2026"),
                                       ("verify/en/", "Verified", "Signature", "17 April 2026")):
        page = page_at(f"{path}?url=../{p.share_path}credential.json")
        page.wait_for_selector("#cpv-result.cpv-ok", timeout=20000)
        assert page.inner_text("#cpv-verdict-text") == verdict
        assert label in page.inner_text("#cpv-checks")
        # the card is drawn after the verdict (it fetches the achievement's facts): wait for it
        expect(page.locator("#cpv-card")).to_contain_text(date, timeout=20000)
        badge = page.get_attribute("#cpv-card .credential-badge img", "src")  # the page's language's
        assert badge.endswith("achievements/dimensional-metrology/" + ("en/" if "en" in path else "") + "badge.svg"), badge
        assert page.locator(".lang-switch a[aria-current=true]").inner_text() in ("Nederlands", "English")
        # Switching language keeps the credential on screen.
        other = page.locator(".lang-switch a:not([aria-current])").get_attribute("href")
        assert other.endswith(f"?url=../{p.share_path}credential.json"), other


def test_certificate_in_english(page_at, dutch):
    _, awards = dutch
    p = awards["BP-2026-001/dimensional-metrology"]
    page = page_at(f"certificate/en/#s={p.share_token}")
    page.wait_for_selector("body[data-ready]", timeout=20000)
    assert page.inner_text("#cert-date") == "17 April 2026"
    assert page.inner_text("#cert-achievement") == "Dimensional Metrology with Coordinate Measuring Machines"
    assert page.get_attribute("#cert-badge", "src").endswith("achievements/dimensional-metrology/en/badge.svg")
    assert "Verified" in page.inner_text("#cert-message")
    assert page.locator(".lang-switch a[hreflang=nl]").get_attribute("href") == f"../../certificate/#s={p.share_token}"


def test_claim_page_shows_the_privacy_terms_in_the_graduates_language(page_at, dutch):
    """privacy.en.md beside privacy.md: an English graduate agrees to the English text, a Dutch one to the Dutch."""
    _, awards = dutch
    for key, heading, other in (("BP-2026-003/dimensional-metrology", "Privacy terms for credential holders", "Privacyvoorwaarden"),
                                ("BP-2026-001/dimensional-metrology", "Privacyvoorwaarden voor houders", "Privacy terms")):
        page = page_at(awards[key].claim_path)
        page.wait_for_selector(f"#terms :text('{heading}')", timeout=20000)
        terms = page.inner_text("#terms")
        assert other not in terms, terms[:200]
        _agree(page)
