"""Expiry on the pages: a per-award `valid_until` (CSV) in the past makes the claim and share
pages say "Expired on <date>" (decided when the page is viewed: the pages are static)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import REPO, english_first

EXPIRED = "BP-2026-003"  # dimensional-metrology, issued 2026-04-17; valid_for P3Y, overridden below


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("expiry") / "content"
    shutil.copytree(REPO / "content", content)
    spring = content / "awards" / "2026-spring.csv"
    lines = spring.read_text("utf-8").splitlines()
    out = [lines[0] + ",valid_until"]
    out += [ln + (",2026-05-01" if ln.startswith(EXPIRED + ",") else ",") for ln in lines[1:]]
    spring.write_text("\n".join(out) + "\n", "utf-8")
    english_first(content)  # as these assertions read (the demo is Dutch first)
    return content


def test_claim_and_share_pages_say_expired_on(new_page, base, awards):
    a = next(x for x in awards if x["learner_id"] == EXPIRED and x["slug"] == "dimensional-metrology")
    assert a["cred"]["validUntil"] == "2026-05-01T00:00:00Z"  # the CSV column overrides valid_for (P3Y)
    page = new_page()
    page.goto(f"{base}s/{a['share']}/")
    page.wait_for_selector("#status:not([data-state=checking])", timeout=10000)
    assert page.text_content(".credential-facts div:nth-child(2) dt") == "Expired on"
    assert "1 May 2026" in page.inner_text(".credential-facts div:nth-child(2)")
    assert "expired on 1 May 2026" in page.inner_text("#status")  # dates as English pages write them
    page.goto(f"{base}c/{a['claim']}/")
    page.click("#agree")
    page.wait_for_selector(".credential dt:text-is('Expired on')", timeout=10000)
    page.wait_for_selector("#status:not([data-state=checking])", timeout=10000)
    assert "expired on 1 May 2026" in page.inner_text("#status")  # dates as English pages write them.lower()
    other = next(x for x in awards if x["learner_id"] == "BP-2026-004")  # P3Y: valid until 2029
    page.goto(f"{base}s/{other['share']}/")
    page.wait_for_selector("#status:not([data-state=checking])", timeout=10000)
    assert page.text_content(".credential-facts div:nth-child(2) dt") == "Valid until"
