"""The claim page's "Add to a wallet", tried as the DCC Learner Credential Wallet would: the QR
code read from a screenshot of the page (zbarimg), the URL in it fetched from the served site
(a plain GET: JSON, CORS open), the body read as the wallet reads it (a credential, or a
presentation's verifiableCredential) and verified by verifier-core, the wallet's engine,
offline. Encrypted claims offer no link (the host holds only ciphertext): their files go in.

Needs zbarimg (Debian's zbar-tools, installed by `make chromium`), node and verifier-js's
node_modules. Screenshots: test-artifacts/screenshots/wallet-*.png."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from credpub.credentials import bake

from ..conftest import REPO
from .conftest import ARTIFACTS, PASSPHRASE

pytestmark = pytest.mark.browser

JS = REPO / "verifier-js"


@pytest.fixture(scope="module")
def zbarimg() -> str:
    path = shutil.which("zbarimg")
    if path is None:  # required, never skipped: the wallet route is only tested through it
        pytest.fail("zbarimg is not installed: apt-get install zbar-tools (the Makefile's chromium target does)")
    return path


@pytest.fixture(scope="module")
def verifier_core() -> Path:
    if shutil.which("node") is None or not (JS / "node_modules" / "@digitalcredentials" / "verifier-core").is_dir():
        pytest.fail("node and verifier-js/node_modules (npm ci) are needed: verifier-core is the wallet's engine")
    return JS


def _wallet_check(js: Path, site: Path, body: bytes, tmp_path: Path) -> dict:
    """verifier-core over what the wallet took from `body` (verifier-js/test-support/wallet-check.js)."""
    f = tmp_path / "body.json"
    f.write_bytes(body)
    proc = subprocess.run(["node", "test-support/wallet-check.js", str(site), str(f)], cwd=js,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _assert_wallet_accepts(result: dict, cred: dict) -> None:
    [row] = result["credentials"]
    assert row["id"] == cred["id"] and not row.get("errors"), row
    steps = row["steps"]
    assert steps["valid_signature"]["valid"] is True, steps
    assert steps["expiration"]["valid"] is True, steps
    assert steps["revocation_status"]["valid"] is True, steps
    # in no registry here (README, "Getting into wallets": `credpub registry-entry`)
    assert steps["registered_issuer"] == {"id": "registered_issuer", "valid": False, "matchingIssuers": [], "uncheckedRegistries": []}
    # offline: only the OB 3.0 JSON schema on purl.imsglobal.org was refused
    assert [u for u in result["refused"] if "purl.imsglobal.org/spec/ob/v3p0/schema/" not in u] == []
    assert any(u.endswith("did.json") for u in result["served"]) and any("/status/" in u for u in result["served"])


def _open_claim(page, base: str, award: dict) -> None:
    page.goto(f"{base}c/{award['claim']}/{award.get('fragment', '')}")
    page.click("#agree")
    if award["security"] == "passphrase":
        page.fill("#passphrase", PASSPHRASE)
        page.click("#claim button[type=submit]")
    page.wait_for_selector("#status[data-state=verified]", timeout=15000)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_wallet_scans_the_qr_code_fetches_and_verifies_the_credential(new_page, base, site, plain, zbarimg,
                                                                         verifier_core, tmp_path, width):
    page = new_page(width)
    _open_claim(page, base, plain)
    page.locator("#wallet").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"wallet-link-{width}.png"
    page.screenshot(path=str(shot))  # the viewport, as a phone camera would see the screen
    page.screenshot(path=str(ARTIFACTS / f"wallet-link-{width}-full.png"), full_page=True)
    scan = subprocess.run([zbarimg, "--quiet", "--raw", str(shot)], capture_output=True, text=True, timeout=60)
    assert scan.returncode == 0, f"no QR code found in {shot}: {scan.stderr}"
    [url] = scan.stdout.split()
    assert url == f"{base}c/{plain['claim']}/credential.json"  # the credential itself, not a page
    assert page.input_value("#wallet-url") == url
    page.click("#copy-wallet")
    page.wait_for_function("() => document.querySelector('#actions .toast').textContent === 'Link copied.'")
    req = urllib.request.Request(url, headers={"Accept": "application/json", "Origin": "https://wallet.example"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.headers["Content-Type"] == "application/json"
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        body = r.read()
    assert body == plain["raw"]
    _assert_wallet_accepts(_wallet_check(verifier_core, site, body, tmp_path), plain["cred"])


def test_a_presentation_is_read_as_the_wallet_reads_it(site, plain, verifier_core, tmp_path):
    """A body that is a VP (what some issuers serve at the URL): the wallet takes its credentials."""
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "verifiableCredential": [plain["cred"]]}
    _assert_wallet_accepts(_wallet_check(verifier_core, site, json.dumps(vp).encode(), tmp_path), plain["cred"])


@pytest.mark.parametrize("security", ["encrypted", "passphrase"])
def test_an_encrypted_claim_offers_the_file_and_png_routes_not_a_link(new_page, base, site, awards, verifier_core,
                                                                     tmp_path, security):
    a = next(a for a in awards if a["security"] == security and (security != "passphrase" or a["passphrase"] == PASSPHRASE)
             and a["learner_id"] != "BP-2026-010")
    page = new_page(375)
    _open_claim(page, base, a)
    wallet = page.locator("#wallet")
    wallet.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"wallet-{security}-375.png"))
    text = wallet.inner_text()
    assert "only encrypted" in text and "Add from File" in text
    assert page.locator("#wallet-qr").count() == 0 and page.locator("#wallet-url").count() == 0
    # the host's file is ciphertext: a wallet given its URL gets no credential
    stored = (site / "c" / a["claim"] / "credential.json").read_bytes()
    assert b"VerifiableCredential" not in stored
    # the baked PNG from the page: the wallet reads the credential out of it and verifies it
    with page.expect_download() as info:
        page.click("#download-png")
    png = tmp_path / "badge.png"
    info.value.save_as(png)
    inside = bake.extract(png.read_bytes())
    cred = json.loads(inside)
    _assert_wallet_accepts(_wallet_check(verifier_core, site, inside, tmp_path), cred)
