"""The site in a real browser: Playwright drives Debian's Chromium against
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
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from credpub.credentials import bake
from credpub.verify import Resolver, verify_document


pytestmark = pytest.mark.browser

from .conftest import (AXE, ARTIFACTS, HOSTILE, LINKEDIN_ORG, LONG_NAME, LONG_WORD, PASSPHRASE,  # noqa: E402
                       WIDTHS, Guard, playwright_api)

def _rgb(css: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", css)[:3])


def _verified(site: Path, doc: dict) -> None:
    result = verify_document(doc, Resolver(site, offline=True))
    assert result.verified, result.as_dict()


# ---------------------------------------------------------------- claim page

def test_consent_gate_hides_the_credential_until_agreed(new_page, base, plain):
    page = new_page()
    page.goto(f"{base}c/{plain['claim']}/")
    page.wait_for_selector("#terms h2")  # the privacy terms, fetched from the privacy page
    terms = page.inner_text("#terms")  # this site is English first: the English privacy page
    assert "Privacy terms for credential holders" in terms and "Privacyvoorwaarden" not in terms
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
    assert q["organizationId"] == LINKEDIN_ORG  # site.yml issuer.linkedin_organization_id
    if "validUntil" in cred:
        assert q["expirationYear"] == cred["validUntil"][:4]
    assert page.input_value("#share-url") == q["certUrl"]
    # The certificate's "Credential ID" is LinkedIn's certId: the public page's token.
    assert q["certId"] == plain["share"]
    page.click("#certificate")
    page.wait_for_selector("body[data-ready=verified]", timeout=10000)
    assert page.inner_text("#cert-id") == f"Credential ID: {q['certId']}"


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
    # The screen names the credential and whom to ask ...
    page.wait_for_selector("#passphrase")
    assert "Surface Texture Measurement (ISO 21920)" in page.inner_text("#pass-for")
    assert page.get_attribute(".consent .contact a", "href") == "mailto:credentials@bpes.example.org"
    page.fill("#passphrase", "wrong words")
    page.click("text=Open my credential")
    # ... and a wrong passphrase is an error: an alert, in red, not a green status line.
    error = page.locator("#pass-error[role=alert]")
    playwright_api.expect(error).to_contain_text("does not open", timeout=15000)
    r, g, _b = _rgb(error.evaluate("e => getComputedStyle(e).color"))
    assert r > 2 * g, f"the error is not red: rgb{r, g, _b}"
    assert page.get_attribute("#passphrase", "aria-invalid") == "true"
    assert page.locator(".toast").inner_text() == ""
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


# ---------------------------------------------------------------- claim layers, revoked view

def _agree(page, base, award):
    page.goto(f"{base}c/{award['claim']}/{award['fragment']}")
    page.click("#agree")


def test_revoked_claim_page_shows_date_reason_and_contact(new_page, base, awards):
    """A link award: revoked with date, reason and whom to ask; nothing to share or
    print; the files only "for your records"."""
    a = next(a for a in awards if a["learner_id"] == "BP-2026-002")
    page = new_page()
    _agree(page, base, a)
    page.wait_for_selector("#status[data-state=revoked]", timeout=10000)
    status = page.inner_text("#status")
    assert "revoked on 1 October 2026" in status
    assert "Issued in error (wrong exam session)" in status
    assert page.get_attribute("#status .contact a", "href") == "mailto:credentials@bpes.example.org"
    for gone in ("#linkedin", "#share-url", "#copy-share", "#certificate"):
        assert page.locator(gone).count() == 0, gone
    assert page.inner_text("#actions-title") == "For your records"
    assert page.locator("#download-json").count() == 1
    page.wait_for_timeout(1500)  # the live check ran meanwhile: the revoked view stays
    assert page.get_attribute("#status", "data-state") == "revoked"


def test_revoked_encrypted_claim_keeps_the_reason_off_the_host(new_page, base, site, awards):
    """An encrypted award: the date (public anyway on the share page), and whom to ask
    for the reason, which the host never stores in plain for this layer."""
    a = next(a for a in awards if a["learner_id"] == "BP-2026-010")
    assert b"another candidate" not in (site / "c" / a["claim"] / "index.html").read_bytes()
    page = new_page()
    _agree(page, base, a)
    page.wait_for_selector("#status[data-state=revoked]", timeout=10000)
    status = page.inner_text("#status")
    assert "revoked on 14 July 2026" in status and "For the reason, write to" in status
    assert page.locator("#linkedin").count() == 0 and page.locator("#share-url").count() == 0


def test_hashed_name_layers_say_what_the_public_page_shows(new_page, base, awards):
    """An encrypted award's public page withholds the name — the claim page says so
    (no "shows your name" promise) and offers a link that carries the name, which the share
    page checks against the salted hash before it shows it."""
    a = next(a for a in awards if a["security"] == "encrypted" and a["learner_id"] != "BP-2026-010")
    page = new_page()
    _agree(page, base, a)
    page.wait_for_selector("#status[data-state=verified]", timeout=10000)
    note = page.inner_text("#public-note")
    assert "shows your name" not in note and "without your name" in note
    plain_link = page.input_value("#share-url")
    assert "#" not in plain_link
    page.check("#share-with-name")
    with_name = page.input_value("#share-url")
    assert with_name.startswith(plain_link + "#n=")
    linkedin = page.get_attribute("#linkedin", "href")
    assert parse_qs(urlsplit(linkedin).query)["certUrl"] == [with_name]
    share = new_page()
    share.goto(base + "s/" + with_name.split("/s/", 1)[1])
    playwright_api.expect(share.locator("#learner")).to_have_text(a["name"], timeout=10000)
    assert share.get_attribute("#learner", "data-checked") == "yes"
    share.click("#certificate")  # the checked name goes on the certificate too
    share.wait_for_selector("body[data-ready=verified]", timeout=10000)
    assert share.inner_text("#cert-learner") == a["name"]
    share.goto(f"{base}certificate/#s={a['share']}&n=Somebody%20Else")  # an unchecked name never
    share.wait_for_selector("body[data-ready=error]", timeout=10000)
    assert share.inner_text("#cert-learner") != "Somebody Else"
    share.goto(f"{base}s/{a['share']}/#n=Somebody%20Else")  # a name that is not the holder's
    share.wait_for_selector("#status[data-state=verified]", timeout=10000)
    assert share.inner_text("#learner") == "Name withheld"


def test_link_layer_claim_page_says_the_public_page_shows_the_name(new_page, base, plain):
    page = new_page()
    _agree(page, base, plain)
    page.wait_for_selector("#status[data-state=verified]", timeout=10000)
    assert "shows your name" in page.inner_text("#public-note")
    assert page.locator("#share-with-name").count() == 0


def test_share_page_shows_what_the_credential_certifies(new_page, base, plain, site):
    """Description, learning outcomes, ESCO skill labels and the EU elements on the
    page itself, drawn by the build (no script needed)."""
    html = (site / "s" / plain["share"] / "index.html").read_text(encoding="utf-8")
    for text in ("Plan, run and report tactile CMM measurements", "Interpret ISO GPS (ISO 1101)",
                 "Operate precision measuring equipment", "http://data.europa.eu/esco/skill/8e3ba4d3",
                 "Supervised practical examination on a CMM", "Blended (online and on site)",
                 "ISO/IEC 17024", "Stackable towards the Society&#39;s Quality Technician pathway"):
        assert text in html, text
    page = new_page()
    page.goto(f"{base}s/{plain['share']}/")
    assert page.locator(".credential-details .skills a").count() == 2


def test_certificate_follows_a_new_hash_in_the_same_tab(new_page, base, plain, long):
    """certificate/#s=A, then #s=B in the same tab (no reload) shows B."""
    page = new_page()
    page.goto(f"{base}certificate/#s={plain['share']}")
    page.wait_for_selector("body[data-ready=verified]", timeout=10000)
    assert page.inner_text("#cert-learner") == plain["name"]
    page.evaluate("(t) => { location.hash = 's=' + t; }", long["share"])
    playwright_api.expect(page.locator("#cert-learner")).to_have_text(LONG_NAME, timeout=10000)
    page.wait_for_selector("body[data-ready=verified]", timeout=10000)
    assert page.inner_text("#cert-id") == f"Credential ID: {long['share']}"
    assert page.locator("#cert-facts div").count() == len(set(page.eval_on_selector_all("#cert-facts dt", "ds => ds.map(d => d.textContent)")))


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
    with the documents pinned in it when the live ones cannot be had (SPEC "Verification"); the
    theme's CSP allows its script."""
    guard = Guard("file://")
    ctx = browser.new_context()
    guard.attach(ctx)
    page = ctx.new_page()
    page.goto((site / "verify" / "index.html").as_uri())
    page.set_input_files("#cpv-file", str(site / "c" / plain["claim"] / "credential.json"))
    playwright_api.expect(page.locator("#cpv-verdict-text")).to_have_text("Verified", timeout=10000)
    ctx.close()
    site_url = plain["cred"]["credentialSubject"]["achievement"]["id"].split("achievements/")[0]
    # It asks the issuer's live DID document and status list first (the live one decides; here
    # they are blocked, so the copies pinned in the page answer) and nothing else.
    assert f"{site_url}did.json" in guard.outside
    guard.outside = [u for u in guard.outside if not u.startswith(site_url + "status/") and u != f"{site_url}did.json"]
    guard.check()


# ---------------------------------------------------------------- framing

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


# ---------------------------------------------------------------- phones

def _no_sideways_scroll(page, what: str) -> list[str]:
    over = page.evaluate("""() => {
        const d = document.documentElement;
        const wide = [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.right > d.clientWidth + 1 && !e.closest('.sheet-scroller');
        }).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'));
        return {scroll: d.scrollWidth - d.clientWidth, wide};
    }""")
    if over["scroll"] > 0 or over["wide"]:
        return [f"{what}: scrolls sideways by {over['scroll']} px; too wide: {over['wide']}"]
    return []


@pytest.mark.parametrize("width", [320, 375])
def test_no_page_scrolls_sideways_on_a_phone(new_page, base, site, awards, long, width):
    """Every page type with the longest strings (a Dutch compound as achievement, learner name
    and grade; DIDs and key ids in "What was checked") fits a phone's width."""
    passphrase = next(a for a in awards if a["security"] == "passphrase")
    encrypted = next(a for a in awards if a["security"] == "encrypted" and a["learner_id"] != "BP-2026-010")
    revoked = next(a for a in awards if a["learner_id"] == "BP-2026-002")
    page = new_page(width)
    problems = []

    def check(what, path, ready=None, then=None):
        page.goto(base + path)
        if ready:
            page.wait_for_selector(ready, timeout=15000)
        if then:
            then()
        problems.extend(_no_sideways_scroll(page, f"{what} @ {width}"))

    def open_checks():
        for d in page.locator("details").all():
            d.evaluate("d => { d.open = true; }")

    check("home", "")
    check("achievement", f"achievements/{long['slug']}/", ".achievement-head")
    check("claim-consent", f"c/{long['claim']}/", "#terms h2")
    page.click("#agree")
    page.wait_for_selector("#status[data-state=verified]", timeout=10000)
    open_checks()
    problems.extend(_no_sideways_scroll(page, f"claim @ {width}"))
    check("claim-revoked", f"c/{revoked['claim']}/", "#status[data-state=revoked]")
    check("claim-passphrase", f"c/{passphrase['claim']}/{passphrase['fragment']}", "#passphrase")
    check("share", f"s/{long['share']}/", "#status[data-state=verified]", open_checks)
    check("share-hashed-name", f"s/{encrypted['share']}/", "#name-check", open_checks)
    check("certificate", f"certificate/#s={long['share']}", "body[data-ready=verified]")
    page.goto(base + "verify/")
    page.set_input_files("#cpv-file", str(site / "c" / long["claim"] / "credential.json"))
    playwright_api.expect(page.locator("#cpv-verdict-text")).to_have_text("Verified", timeout=10000)
    page.wait_for_selector("#cpv-card .credential")
    problems.extend(_no_sideways_scroll(page, f"verify @ {width}"))
    assert LONG_WORD in page.inner_text("#cpv-card")
    assert problems == [], "\n".join(problems)


def test_claim_and_share_pages_draw_the_same_card(new_page, base, long):
    """The card the claim page draws in the browser (src/site/card.js) is the card the build
    wrote on the share page (partials/card.html), element for element."""
    def card(page):
        html = page.eval_on_selector(".credential", "e => e.outerHTML")
        return re.sub(r">\s+<", "><", html.strip())

    share = new_page()
    share.goto(f"{base}s/{long['share']}/")
    claim = new_page()
    _agree(claim, base, long)
    claim.wait_for_selector("#status[data-state=verified]", timeout=10000)
    drawn = card(claim)
    assert LONG_NAME in drawn and "75 hours" in drawn and "Microcredential facts" in drawn
    drawn = drawn.replace(' tabindex="-1"', "")  # the claim page moves focus to the title
    assert drawn == card(share)


def test_verify_page_card_checks_a_hashed_name(new_page, base, site, awards):
    """The card's note says the name can be checked "here": on the verify page too."""
    a = next(a for a in awards if a["security"] == "encrypted" and a["learner_id"] != "BP-2026-010")
    page = new_page()
    page.goto(base + "verify/")
    page.set_input_files("#cpv-file", str(site / "s" / a["share"] / "credential.json"))
    page.wait_for_selector("#cpv-card #name-check")
    assert page.inner_text("#cpv-card .learner") == "Name withheld"
    page.fill("#name-input", a["name"])
    page.click("#name-check button")
    playwright_api.expect(page.locator("#name-check + .toast")).to_have_attribute("data-match", "yes")


def test_a_credential_signed_after_its_issue_date_shows_both_dates(new_page, base, plain, hostile, site):
    """The hostile award is new to the lock: signed on the build day, months after its issue date;
    the share page, the certificate and the claim page show both. An award signed on its issue
    date (the demo's, from a lock without days) shows one."""
    signed = json.loads((site / "s" / hostile["share"] / "credential.json").read_text())["proof"][0]["created"][:10]
    assert signed != "2026-10-09"
    page = new_page()
    page.goto(f"{base}s/{hostile['share']}/")
    assert page.text_content(".credential-facts").count("Signed") == 1
    assert page.get_attribute(".credential-facts div:nth-child(2) time", "datetime") == signed
    page.goto(f"{base}certificate/#s={hostile['share']}")
    page.wait_for_selector("body[data-ready]")
    assert "Signed" in page.text_content("#cert-facts")
    page.goto(f"{base}certificate/#s={plain['share']}")
    page.wait_for_selector("body[data-ready=verified]", timeout=10000)
    assert "Signed" not in page.text_content("#cert-facts")
    page.goto(f"{base}s/{plain['share']}/")
    assert "Signed" not in page.text_content(".credential-facts")
