"""The site in a real browser (issue 3): Playwright drives Debian's Chromium against
`credpub serve` (serve.serve_in_thread) on 127.0.0.1.

- the consent gate hides the credential until "I agree", and remembers it;
- every download (JSON, baked PNG, baked SVG) is a file whose credential verifies;
- the LinkedIn URL carries the right fields;
- no request leaves 127.0.0.1 (everything else is aborted and fails the test), no CSP violation;
- axe-core finds no WCAG 2.2 AA violation on each page type at 1280 px and 375 px;
- a hostile learner name renders as text and never runs;
- screenshots of every page type at both widths go to test-artifacts/screenshots/.

Needs: pip `playwright` (no browser download), Debian's `chromium`, and axe-core from
`npm ci --prefix tests/browser`. Run: python -m pytest -m browser tests/browser
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from credpub import bake
from credpub.verify import Resolver, verify_document


pytestmark = pytest.mark.browser

from .conftest import AXE, ARTIFACTS, HOSTILE, PASSPHRASE, WIDTHS, Guard, playwright_api  # noqa: E402

def _verified(site: Path, doc: dict) -> None:
    result = verify_document(doc, Resolver(site, offline=True))
    assert result.verified, result.as_dict()


# ---------------------------------------------------------------- claim page

def test_consent_gate_hides_the_credential_until_agreed(new_page, base, plain):
    page = new_page()
    page.goto(f"{base}c/{plain['claim']}/")
    page.wait_for_selector("#terms h2")  # the privacy terms, fetched from the privacy page
    assert "Privacy terms" in page.inner_text("#terms")
    assert page.locator(".credential").count() == 0
    assert plain["name"] not in page.content()
    page.click("#agree")
    page.wait_for_selector(".credential")
    assert page.inner_text(".credential .learner") == plain["name"]
    page.wait_for_selector("#status[data-state=verified]", timeout=10000)
    page.reload()  # remembered in this browser
    page.wait_for_selector(".credential")
    assert page.locator("#agree").count() == 0


def _open_claim(page, base, award):
    page.goto(f"{base}c/{award['claim']}/")
    page.click("#agree")
    page.wait_for_selector("#status[data-state=verified]", timeout=10000)


@pytest.mark.parametrize("button, kind", [("#download-json", "json"), ("#download-png", "png"), ("#download-svg", "svg")])
def test_downloads_verify(new_page, base, site, plain, tmp_path, button, kind):
    page = new_page()
    _open_claim(page, base, plain)
    with page.expect_download() as info:
        page.click(button)
    path = tmp_path / f"download.{kind}"
    info.value.save_as(path)
    data = path.read_bytes()
    inside = data if kind == "json" else bake.extract(data)
    assert inside == plain["raw"]  # byte-identical: the signature still covers it
    _verified(site, json.loads(inside))
    if kind != "json":
        original = (site / "achievements" / plain["slug"] / f"badge.{kind}").read_bytes()
        assert data == bake.bake(original, plain["raw"])  # the browser bakes as bake.py does


def test_linkedin_url(new_page, base, site, plain):
    page = new_page()
    _open_claim(page, base, plain)
    href = page.get_attribute("#linkedin", "href")
    url = urlsplit(href)
    assert (url.scheme, url.netloc, url.path) == ("https", "www.linkedin.com", "/profile/add")
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    cred = plain["cred"]
    site_url = cred["credentialSubject"]["achievement"]["id"].split("achievements/")[0]
    assert q["startTask"] == "CERTIFICATION_NAME"
    assert q["name"] == cred["credentialSubject"]["achievement"]["name"]
    assert q["organizationName"] == cred["issuer"]["name"]
    assert (q["issueYear"], q["issueMonth"]) == (cred["validFrom"][:4], str(int(cred["validFrom"][5:7])))
    assert q["certUrl"] == f"{site_url}s/{plain['share']}/"
    assert q["certId"] == cred["id"]
    if "validUntil" in cred:
        assert q["expirationYear"] == cred["validUntil"][:4]
    assert page.input_value("#share-url") == q["certUrl"]


def test_encrypted_claim_opens_with_the_key_in_the_link(new_page, base, site, awards):
    a = next(a for a in awards if a["security"] == "encrypted" and a["learner_id"] != "BP-2026-010")
    assert a["name"].encode() not in (site / "c" / a["claim"] / "credential.json").read_bytes()
    page = new_page()
    page.goto(f"{base}c/{a['claim']}/{a['fragment']}")
    page.click("#agree")
    page.wait_for_selector("#status[data-state=verified]", timeout=10000)
    assert page.inner_text(".credential .learner") == a["name"]
    page.click("#certificate")  # same tab: the certificate shows the graduate's own credential
    page.wait_for_selector("body[data-ready=verified]", timeout=10000)
    assert page.inner_text("#cert-learner") == a["name"]
    page.goto(f"{base}c/{a['claim']}/")  # without the key
    page.wait_for_selector(".notice")
    assert "key after # is missing" in page.inner_text(".notice")


def test_passphrase_claim_asks_for_the_passphrase(new_page, base, awards):
    a = next(a for a in awards if a["security"] == "passphrase" and a["passphrase"] == PASSPHRASE)
    page = new_page()
    page.goto(f"{base}c/{a['claim']}/{a['fragment']}")
    page.click("#agree")
    page.fill("#passphrase", "wrong words")
    page.click("text=Open my credential")
    playwright_api.expect(page.locator(".toast")).to_contain_text("does not open", timeout=15000)
    page.fill("#passphrase", PASSPHRASE)
    page.click("text=Open my credential")
    page.wait_for_selector("#status[data-state=verified]", timeout=15000)
    assert page.inner_text(".credential .learner") == a["name"]


def test_share_page_of_an_encrypted_award_withholds_the_name(new_page, base, awards):
    a = next(a for a in awards if a["security"] == "encrypted" and a["learner_id"] != "BP-2026-010")
    page = new_page()
    page.goto(f"{base}s/{a['share']}/")
    page.wait_for_selector("#status[data-state=verified]", timeout=10000)
    assert a["name"] not in page.content()
    page.fill("#name-input", "Someone Else")
    page.click("#name-check button")
    playwright_api.expect(page.locator("#name-check + .toast")).to_have_attribute("data-match", "no")
    page.fill("#name-input", "  " + a["name"].upper() + " ")  # as people retype it
    page.click("#name-check button")
    playwright_api.expect(page.locator("#name-check + .toast")).to_have_attribute("data-match", "yes")


# ---------------------------------------------------------------- share page and certificate

def test_share_page_verifies_and_carries_link_preview_meta(new_page, base, plain):
    page = new_page()
    page.goto(f"{base}s/{plain['share']}/")
    page.wait_for_selector("#status[data-state=verified]", timeout=10000)
    og = page.eval_on_selector_all("meta[property^='og:']", "ms => Object.fromEntries(ms.map(m => [m.getAttribute('property'), m.content]))")
    assert og["og:image"].endswith(f"achievements/{plain['slug']}/badge.png") and og["og:image"].startswith("https://")
    assert plain["name"] in og["og:title"]


def test_share_page_links_to_the_verifier(browser, base, plain):
    """verify/?url=../s/<token>/credential.json checks the share credential. The verify page
    asks the issuer's published URL for the live status list first (aborted here: no network),
    then uses the copy pinned in the page; nothing else may leave 127.0.0.1."""
    guard = Guard(base)
    ctx = browser.new_context()
    guard.attach(ctx)
    page = ctx.new_page()
    page.goto(f"{base}s/{plain['share']}/")
    page.click("text=Verify independently")
    playwright_api.expect(page.locator("#cpv-verdict-text")).to_have_text("Verified", timeout=10000)
    ctx.close()
    site_url = plain["cred"]["credentialSubject"]["achievement"]["id"].split("achievements/")[0]
    guard.outside = [u for u in guard.outside if not u.startswith(site_url + "status/")]
    guard.check()


@pytest.mark.parametrize("learner", ["BP-2026-002", "BP-2026-010"])  # a link claim, an encrypted one
def test_revoked_credential_shows_revoked(new_page, base, awards, learner):
    revoked = next(a for a in awards if a["learner_id"] == learner)
    page = new_page()
    page.goto(f"{base}s/{revoked['share']}/")
    page.wait_for_selector("#status[data-state=revoked]", timeout=10000)
    assert "revoked" in page.inner_text("#status").lower()
    page.goto(f"{base}certificate/#s={revoked['share']}")
    page.wait_for_selector("body[data-ready]", timeout=10000)
    # A public certificate needs the holder's name: withheld for encrypted claims.
    expected = "revoked" if revoked["security"] == "link" else "error"
    assert page.get_attribute("body", "data-ready") == expected
    assert page.locator("#print").is_disabled()


def test_certificate_is_filled_and_has_a_qr_code(new_page, base, plain):
    page = new_page()
    page.goto(f"{base}certificate/#s={plain['share']}")
    page.wait_for_selector("body[data-ready=verified]", timeout=10000)
    assert page.inner_text("#cert-learner") == plain["name"]
    assert page.locator("#cert-qr path").get_attribute("d").count("h1v1") > 100
    assert plain["share"] in page.inner_text("#cert-url").replace("\n", "")


def test_hostile_name_is_text_everywhere(new_page, base, hostile):
    page = new_page()
    page.goto(f"{base}s/{hostile['share']}/")
    assert page.inner_text(".credential .learner") == HOSTILE
    assert page.locator("img[src=x]").count() == 0
    _open_claim(page, base, hostile)
    assert page.inner_text(".credential .learner") == HOSTILE
    assert "<b>A+</b>" in page.inner_text(".credential-facts")
    page.goto(f"{base}certificate/#s={hostile['share']}")
    page.wait_for_selector("body[data-ready]")
    assert page.inner_text("#cert-learner") == HOSTILE
    assert page.locator("img[src=x]").count() == 0


# ---------------------------------------------------------------- accessibility and screenshots

def _pages(awards, plain):
    return [
        ("home", ""), ("about", "about/"), ("privacy", "privacy/"), ("how-to-verify", "how-to-verify/"),
        ("achievement", f"achievements/{plain['slug']}/"), ("claim-consent", f"c/{plain['claim']}/"),
        ("claim", f"c/{plain['claim']}/#agree"), ("share", f"s/{plain['share']}/"), ("verify", "verify/"),
        ("certificate", f"certificate/#s={plain['share']}"), ("not-found", "no/such/page/"),
    ]


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core missing: npm ci --prefix tests/browser")
@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_clean_and_screenshots(new_page, base, awards, plain, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # axe is injected as an inline script: this context alone runs without the pages' CSP.
    page = new_page(WIDTHS[width], bypass_csp=True)
    failures = []
    for name, path in _pages(awards, plain):
        agree = path.endswith("#agree")
        page.goto(base + path.removesuffix("#agree"))
        page.wait_for_load_state("networkidle")
        if name == "claim-consent":
            page.wait_for_selector("#terms h2")
        if agree:
            page.click("#agree")
            page.wait_for_selector("#status[data-state=verified]", timeout=10000)
            page.evaluate("() => localStorage.clear()")
        if name == "share":
            page.wait_for_selector("#status[data-state=verified]", timeout=10000)
        if name == "certificate":
            page.wait_for_selector("body[data-ready]", timeout=10000)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
        for v in result["violations"]:
            targets = [n["target"] for n in v["nodes"]][:3]
            failures.append(f"{name} @ {width}: {v['id']} ({v['impact']}): {v['help']} {targets}")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0 and name != "certificate":  # the A4 sheet scrolls inside its own box
            failures.append(f"{name} @ {width}: the page scrolls sideways by {overflow} px")
    assert failures == [], "\n".join(failures)


def test_pages_send_static_host_headers(base):
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(base + "verify/") as r:
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "connect-src 'self' https:" in r.headers["Content-Security-Policy"]
        assert r.headers["Referrer-Policy"] == "no-referrer"
    with urllib.request.urlopen(base + "did.json") as r:
        assert r.headers["Content-Type"] == "application/json"
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    with pytest.raises(urllib.error.HTTPError) as e:  # no directory listing: the 404 page
        urllib.request.urlopen(base + "achievements/")
    assert e.value.code == 404 and b"Page not found" in e.value.read()


def test_verify_page_works_from_file(browser, site, plain, base):
    """Saved to disk and opened from file://, the verify page checks this issuer's credentials
    with the documents pinned in it (SPEC "Verification"); the theme's CSP allows its script."""
    guard = Guard("file://")
    ctx = browser.new_context()
    guard.attach(ctx)
    page = ctx.new_page()
    page.goto((site / "verify" / "index.html").as_uri())
    page.set_input_files("#cpv-file", str(site / "c" / plain["claim"] / "credential.json"))
    playwright_api.expect(page.locator("#cpv-verdict-text")).to_have_text("Verified", timeout=10000)
    ctx.close()
    site_url = plain["cred"]["credentialSubject"]["achievement"]["id"].split("achievements/")[0]
    guard.outside = [u for u in guard.outside if not u.startswith(site_url + "status/")]
    guard.check()


# ---------------------------------------------------------------- framing (issue 8, point 11)

def _static_host(directory: Path):
    """A host that sends no security headers (as GitHub Pages): only the pages' own defences."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # noqa: ANN002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def test_framed_claim_page_does_not_show_i_agree(browser, site, plain, tmp_path):
    """Another site frames a claim page (clickjacking "I agree"): on a host without headers the
    page's own script refuses to start the consent gate and says why."""
    host, site_url = _static_host(site)
    evil_dir = tmp_path / "evil"
    evil_dir.mkdir()
    claim = f"{site_url}c/{plain['claim']}/"
    (evil_dir / "index.html").write_text(f'<!doctype html><title>win a prize</title>'
                                         f'<iframe id="f" src="{claim}" width="900" height="700"></iframe>')
    evil, evil_url = _static_host(evil_dir)  # another port: another origin
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(evil_url)
        frame = page.frame_locator("#f")
        frame.locator("#framed").wait_for(timeout=10000)
        assert "does not work inside another website" in frame.locator("#framed").inner_text()
        assert frame.locator("#agree").count() == 0
        assert frame.locator("#terms").count() == 0
        page.goto(claim)  # the same page on its own works
        page.wait_for_selector("#agree")
        assert page.locator("#framed").count() == 0
    finally:
        ctx.close()
        for server in (host, evil):
            server.shutdown()
            server.server_close()
