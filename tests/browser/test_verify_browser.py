"""The /verify/ page and live verification in a real browser: Playwright drives
Debian's Chromium against `credpub serve`; every request that leaves the site fails the test.

- a credential dropped on the drop zone, a baked PNG, a baked SVG (file picker), pasted JSON and
  a ?url= deep link to a share page all verify;
- a tampered file, a revoked award and an expired award are refused with their reason;
- bad input (not JSON, an image with no credential, a 20 MB file) gives "not verified", no crash;
- the claim page shows the live verification status.
Timings (claim page load → "Verified", one verification) are measured by bench/bench_browser.py.
"""

from __future__ import annotations

import base64
import copy
import json

import pytest

from credpub.credentials import bake
from credpub.credentials.dataintegrity import sign

from .conftest import ARTIFACTS, AXE, KEYS, WIDTHS, playwright_api

pytestmark = pytest.mark.browser
expect = playwright_api.expect


@pytest.fixture
def verify_page(new_page, base):
    page = new_page()
    page.goto(f"{base}verify/")
    return page


def _verdict(page, text: str) -> None:
    expect(page.locator("#cpv-verdict-text")).to_have_text(text, timeout=10000)


def _drop(page, data: bytes, name: str, mime: str) -> None:
    """A real drop event on the drop zone, carrying a File in its DataTransfer."""
    page.evaluate(
        """([b64, name, mime]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, {type: mime}));
            const zone = document.getElementById('cpv-drop');
            for (const type of ['dragenter', 'dragover', 'drop']) {
              zone.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
            }
        }""",
        [base64.b64encode(data).decode(), name, mime],
    )


def _pick(page, tmp_path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.set_input_files("#cpv-file", str(path))


def test_dropped_json_verifies_and_draws_the_card(verify_page, plain):
    _drop(verify_page, plain["raw"], "credential.json", "application/json")
    _verdict(verify_page, "Verified")
    card = verify_page.locator("#cpv-card")
    expect(card).to_contain_text(plain["name"])
    expect(card).to_contain_text("Dimensional Metrology")
    checks = verify_page.locator("#cpv-checks li")
    expect(checks).to_have_count(5)
    expect(verify_page.locator("#cpv-checks")).to_contain_text("eddsa-rdfc-2022")


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_baked_badges_verify(verify_page, site, plain, tmp_path, kind):
    image = (site / "achievements" / plain["slug"] / f"badge.{kind}").read_bytes()
    baked = bake.bake(image, plain["raw"])
    _pick(verify_page, tmp_path, baked, f"badge.{kind}")
    _verdict(verify_page, "Verified")
    expect(verify_page.locator("#cpv-card")).to_contain_text(plain["name"])


def test_pasted_json_and_deep_link(new_page, base, plain, verify_page):
    verify_page.fill("#cpv-paste", plain["raw"].decode())
    verify_page.locator("#cpv-paste-form button[type=submit]").click()
    _verdict(verify_page, "Verified")
    page = new_page()
    page.goto(f"{base}verify/?url={base}s/{plain['share']}/")
    _verdict(page, "Verified")
    expect(page.locator("#cpv-card")).to_contain_text(plain["name"])


def test_tampered_file_is_refused(verify_page, plain, tmp_path):
    cred = copy.deepcopy(plain["cred"])
    cred["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    _pick(verify_page, tmp_path, json.dumps(cred).encode(), "tampered.json")
    _verdict(verify_page, "Not valid: the signature does not match")
    expect(verify_page.locator("#cpv-checks")).to_contain_text("changed after signing")
    expect(verify_page.locator("#cpv-card")).not_to_contain_text("Mallory")  # never drawn from unverified data


def test_revoked_award_is_refused(verify_page, site, awards, tmp_path):
    revoked = next(a for a in awards if a["learner_id"] == "BP-2026-002" and a["slug"] == "dimensional-metrology")
    _pick(verify_page, tmp_path, revoked["raw"], "revoked.json")
    _verdict(verify_page, "Revoked")
    expect(verify_page.locator("#cpv-checks")).to_contain_text("revoked")


def test_expired_award_is_refused(verify_page, plain, tmp_path):
    cred = {k: v for k, v in plain["cred"].items() if k != "proof"}
    cred["validUntil"] = "2026-05-01T00:00:00Z"
    resigned = sign(cred, KEYS.signing_key, verification_method=plain["cred"]["proof"][0]["verificationMethod"],
                    created=plain["cred"]["proof"][0]["created"])
    _pick(verify_page, tmp_path, json.dumps(resigned).encode(), "expired.json")
    _verdict(verify_page, "Expired")
    expect(verify_page.locator("#cpv-checks")).to_contain_text("expired on 1 May 2026")  # dates as every English page writes them


@pytest.mark.parametrize("name, data", [
    ("notes.txt", b"this is not JSON"),
    ("other.json", b'{"hello": "world"}'),
    ("plain.png", base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")),
    ("huge.json", b"[" + b"1," * (10 * 1024 * 1024) + b"1]"),
])
def test_bad_input_is_not_verified_and_does_not_crash(verify_page, tmp_path, name, data):
    _pick(verify_page, tmp_path, data, name)
    expect(verify_page.locator("#cpv-verdict-text")).not_to_have_text("Verified", timeout=10000)
    expect(verify_page.locator("#cpv-verdict-text")).not_to_contain_text("Verifying", timeout=10000)
    assert "Verified" != verify_page.locator("#cpv-verdict-text").inner_text()


def test_claim_page_shows_live_status(new_page, base, plain):
    page = new_page()
    page.goto(f"{base}c/{plain['claim']}/")
    page.locator("#agree").click()
    status = page.locator(".status")
    expect(status.first).to_contain_text("Verified", timeout=10000)
    expect(page.locator("body")).to_contain_text("What was checked")


# ---------------------------------------------------------------- foreign issuers, snapshots

def _forged_by_did_key(plain, base) -> tuple[dict, str]:
    """The attack: a credential signed by a fresh did:key that keeps this issuer's
    name and points at this site's badge image."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from credpub.credentials.keys import multikey_from_public

    key = Ed25519PrivateKey.generate()
    mk = multikey_from_public(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    did = f"did:key:{mk}"
    cred = {k: v for k, v in copy.deepcopy(plain["cred"]).items() if k not in ("proof", "credentialStatus")}
    cred["issuer"]["id"] = did
    cred["credentialSubject"]["achievement"]["image"] = {"id": f"{base}achievements/{plain['slug']}/badge.png", "type": "Image"}
    return sign(cred, key, verification_method=f"{did}#{mk}", created="2026-10-01T00:00:00Z"), did


def _assert_foreign(page, plain, did, requests) -> None:
    name = plain["cred"]["issuer"]["name"]
    _verdict(page, f"Signature valid — but NOT issued by {name}: issuer is {did}; its name is self-declared")
    result = page.locator("#cpv-result")
    expect(result).to_have_class("cpv-result cpv-neutral")
    expect(page.locator("#cpv-card img")).to_have_count(0)
    expect(page.locator("#cpv-card")).to_contain_text(f"{name} (self-declared)")
    assert not [u for u in requests if u.endswith("badge.png")], requests


def test_foreign_did_key_credential_is_said_not_ours_dropped_and_by_url(new_page, base, site, plain):
    forged, did = _forged_by_did_key(plain, base)
    page = new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base}verify/")
    _drop(page, json.dumps(forged).encode(), "forged.json", "application/json")
    _assert_foreign(page, plain, did, requests)
    # the same through a ?url= link
    (site / "forged-by-did-key.json").write_text(json.dumps(forged))
    page = new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base}verify/?url={base}forged-by-did-key.json")
    _assert_foreign(page, plain, did, requests)
    # this issuer's own credential is still simply "Verified", in green, with its badge
    page = new_page()
    page.goto(f"{base}verify/")
    _drop(page, plain["raw"], "credential.json", "application/json")
    _verdict(page, "Verified")
    expect(page.locator("#cpv-result")).to_have_class("cpv-result cpv-ok")
    expect(page.locator("#cpv-card img")).to_have_count(1)


def _file_page(browser, site):
    from .conftest import Guard

    guard = Guard("file://")
    ctx = browser.new_context()
    guard.attach(ctx)
    page = ctx.new_page()
    page.goto((site / "verify" / "index.html").as_uri())
    return ctx, page, guard


def test_foreign_did_key_credential_is_said_not_ours_from_file(browser, base, site, plain, tmp_path):
    forged, did = _forged_by_did_key(plain, base)
    ctx, page, _guard = _file_page(browser, site)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    _pick(page, tmp_path, json.dumps(forged).encode(), "forged.json")
    _assert_foreign(page, plain, did, requests)
    ctx.close()


def test_status_from_the_page_snapshot_is_not_passed_but_as_of(browser, site, plain):
    """Opened from file://, the status comes from the copy in the page: "not revoked as of DATE
    (snapshot in this page, not live)" (verifier.json), never "passed"."""
    ctx, page, _guard = _file_page(browser, site)
    page.set_input_files("#cpv-file", str(site / "c" / plain["claim"] / "credential.json"))
    _verdict(page, "Verified")
    from credpub import i18n

    # The page writes dates as every English page does; the CLI keeps ISO.
    date = i18n.get("en").date(json.loads((site / "status" / "1.json").read_text())["validFrom"][:10])
    status = page.locator("#cpv-checks li").nth(4)
    expect(status.locator(".cpv-check-message")).to_have_text(f"not revoked as of {date} (snapshot in this page, not live)")
    expect(status.locator(".cpv-check-state")).to_have_text("snapshot")
    expect(page.locator("#cpv-note")).to_have_text("Issuer key: checked against the copy in this page (not live). "
                                                   f"Revocation: not revoked as of {date} (snapshot in this page, not live)")
    issuer = page.locator("#cpv-checks li").nth(2)
    expect(issuer.locator(".cpv-check-state")).to_have_text("snapshot")
    expect(issuer.locator(".cpv-check-message")).to_contain_text("checked against the copy of the issuer's DID document in this page")
    ctx.close()


def test_framed_verify_page_shows_no_verdict(browser, site, plain, tmp_path):
    """Another site frames the verify page with a ?url= link (to dress up its verdict as its
    own): on a host without headers the page's script refuses to verify and says why."""
    from .test_site_browser import _static_host

    host, site_url = _static_host(site)
    evil_dir = tmp_path / "evil"
    evil_dir.mkdir()
    link = f"{site_url}verify/?url={site_url}s/{plain['share']}/"
    (evil_dir / "index.html").write_text(f'<!doctype html><title>our verifier</title>'
                                         f'<iframe id="f" src="{link}" width="900" height="700"></iframe>')
    evil, evil_url = _static_host(evil_dir)  # another port: another origin
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(evil_url)
        frame = page.frame_locator("#f")
        frame.locator("#framed").wait_for(timeout=10000)
        assert "does not work inside another website" in frame.locator("#framed").inner_text()
        assert frame.locator("#cpv-verdict-text").count() == 0
        assert frame.locator("#cpv-drop").count() == 0
        page.goto(link)  # the same page on its own verifies
        _verdict(page, "Verified")
        assert page.locator("#framed").count() == 0
    finally:
        ctx.close()
        for server in (host, evil):
            server.shutdown()
            server.server_close()


def test_a_key_withdrawn_after_the_page_was_built_does_not_verify(browser, site, plain, tmp_path):
    """The verify page was built while the key was listed; the issuer has since retired it as
    compromised (the served did.json no longer lists it): the live document decides."""
    import shutil

    from credpub.site.serve import serve_in_thread

    copy_dir = tmp_path / "site"
    shutil.copytree(site, copy_dir)
    did_file = copy_dir / "did.json"
    did = json.loads(did_file.read_text())
    proofs = plain["cred"]["proof"]
    key_id = (proofs[0] if isinstance(proofs, list) else proofs)["verificationMethod"]
    did["assertionMethod"] = [m for m in did["assertionMethod"] if (m if isinstance(m, str) else m["id"]) != key_id]
    assert key_id in (copy_dir / "verify" / "index.html").read_text(), "the page pins the old document"
    did_file.write_text(json.dumps(did))
    server, base = serve_in_thread(copy_dir)
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(f"{base}verify/")
        _drop(page, plain["raw"], "credential.json", "application/json")
        _verdict(page, "Not verified: the issuer cannot be confirmed")
        expect(page.locator("#cpv-checks li").nth(2).locator(".cpv-check-message")).to_contain_text("does not list")
    finally:
        ctx.close()
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- many files at once

@pytest.mark.parametrize("width", list(WIDTHS))
def test_many_files_give_one_row_each_that_opens_to_its_checks(new_page, base, plain, hostile, tmp_path, width):
    """Valid, forged, foreign, unreadable and a hostile name under a hostile file name, picked
    together: one row per file with its verdict and what it says; a row opens to its checks.
    At both widths: no sideways scrolling, axe-clean, a screenshot in test-artifacts/."""
    forged, did = _forged_by_did_key(plain, base)
    tampered = copy.deepcopy(plain["cred"])
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    files = {
        "valid.json": plain["raw"],
        "tampered.json": json.dumps(tampered).encode(),
        "foreign.json": json.dumps(forged).encode(),
        "notes.txt": b"this is not JSON",
        "<img src=x onerror=alert(1)>.json": hostile["raw"],
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    page = new_page(WIDTHS[width], bypass_csp=True)  # axe is injected as an inline script
    page.goto(f"{base}verify/")
    page.set_input_files("#cpv-file", paths)
    expect(page.locator("#cpv-batch-summary")).to_have_text("2 of 5 verified", timeout=20000)
    expect(page.locator("#cpv-result")).to_be_hidden()
    rows = page.locator("#cpv-rows > tr:not(.cpv-more)")
    expect(rows).to_have_count(5)
    issuer = plain["cred"]["issuer"]["name"]
    expected = [
        ("valid.json", "cpv-ok", "Verified", issuer, plain["name"]),
        ("tampered.json", "cpv-bad", "Not valid: the signature does not match", "", ""),
        ("foreign.json", "cpv-neutral",
         f"Signature valid — but NOT issued by {issuer}: issuer is {did}; its name is self-declared",
         f"{issuer} (self-declared)", plain["name"]),
        ("notes.txt", "cpv-bad", "Could not read a credential", "", ""),
        ("<img src=x onerror=alert(1)>.json", "cpv-ok", "Verified", issuer, hostile["name"]),
    ]
    for i, (name, tone, verdict, by, learner) in enumerate(expected):
        cells = rows.nth(i).locator("td")
        expect(rows.nth(i)).to_have_class(tone)
        expect(cells.nth(0)).to_have_text(name)
        expect(cells.nth(1).locator("span:not([aria-hidden])")).to_have_text(verdict)
        expect(cells.nth(2)).to_have_text(by)
        expect(cells.nth(3)).to_have_text(learner)
    expect(rows.nth(0).locator("td").nth(4)).to_have_text(plain["cred"]["credentialSubject"]["achievement"]["name"])
    expect(rows.nth(1)).not_to_contain_text("Mallory")  # never shown from unverified data
    assert page.locator("#cpv-rows img").count() == 0  # names are text, never markup
    # a row opens to the same check list as the single-file view, and closes again
    opener = rows.nth(1).locator("button.cpv-open")
    expect(opener).to_have_attribute("aria-expanded", "false")
    checks = page.locator("#cpv-rows > tr.cpv-more").nth(1)
    expect(checks).to_be_hidden()
    opener.click()
    expect(opener).to_have_attribute("aria-expanded", "true")
    expect(checks.locator("li.cpv-check")).to_have_count(5)
    expect(checks).to_contain_text("changed after signing")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"verify-batch-{width}.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.add_script_tag(path=str(AXE))  # tests/browser/node_modules (npm ci --prefix tests/browser)
    result = page.evaluate("""() => axe.run(document.getElementById('cpv-batch'), {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []
    opener.click()
    expect(checks).to_be_hidden()
    # one file again: the single view, the table gone
    page.set_input_files("#cpv-file", paths[0])
    _verdict(page, "Verified")
    expect(page.locator("#cpv-batch")).to_be_hidden()


def test_files_dropped_together_give_rows_and_one_dropped_file_the_single_view(verify_page, plain, hostile):
    verify_page.evaluate(
        """(files) => {
            const dt = new DataTransfer();
            for (const [name, text] of files) dt.items.add(new File([text], name, {type: 'application/json'}));
            const zone = document.getElementById('cpv-drop');
            for (const type of ['dragenter', 'dragover', 'drop']) {
              zone.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
            }
        }""",
        [["a.json", plain["raw"].decode()], ["b.json", hostile["raw"].decode()]],
    )
    expect(verify_page.locator("#cpv-batch-summary")).to_have_text("2 of 2 verified", timeout=20000)
    expect(verify_page.locator("#cpv-rows > tr:not(.cpv-more) td:first-child")).to_have_text(["a.json", "b.json"])
    _drop(verify_page, plain["raw"], "credential.json", "application/json")
    _verdict(verify_page, "Verified")
    expect(verify_page.locator("#cpv-batch")).to_be_hidden()
    expect(verify_page.locator("#cpv-card")).to_contain_text(plain["name"])


def test_a_page_built_before_the_table_verifies_the_first_of_many_files(new_page, base, site, plain, hostile, tmp_path):
    """A verify page cached from an earlier build (no table) with today's script: still wired,
    and several files picked give the single view of the first."""
    import re

    html = (site / "verify" / "index.html").read_text()
    old = re.sub(r'<div id="cpv-batch".*?</table>\s*</div>', "", html, flags=re.S)
    assert "cpv-batch" not in old
    page = new_page()
    page.route(f"{base}verify/", lambda r: r.fulfill(body=old, content_type="text/html"))
    page.goto(f"{base}verify/")
    for name, award in (("first.json", plain), ("second.json", hostile)):
        (tmp_path / name).write_bytes(award["raw"])
    page.set_input_files("#cpv-file", [str(tmp_path / "first.json"), str(tmp_path / "second.json")])
    _verdict(page, "Verified")
    expect(page.locator("#cpv-card")).to_contain_text(plain["name"])
