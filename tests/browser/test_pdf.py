"""`credpub build --pdf DIR`: one certificate PDF per award, printed by Debian's Chromium."""

from __future__ import annotations

import csv
import shutil

import pytest
from click.testing import CliRunner

from credpub.cli import main

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
if shutil.which("chromium") is None:
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


def test_build_writes_one_pdf_per_award(content_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["keygen", "--keys", "k"]).exit_code == 0
    result = runner.invoke(main, ["build", "--content", str(content_dir), "--keys", "k", "--out", "site", "--pdf", "pdfs"])
    assert result.exit_code == 0, result.output
    pdfs = sorted((tmp_path / "pdfs").glob("*.pdf"))
    assert len(pdfs) == 29 and "wrote 29 certificate PDFs" in result.output  # 30 awards (2 of a pathway), one revoked
    assert all(p.read_bytes().startswith(b"%PDF-") and p.stat().st_size > 5000 for p in pdfs)
    rows = list(csv.DictReader((tmp_path / "pdfs" / "index.csv").read_text("utf-8").splitlines()))
    assert len(rows) == 30 and sum(not r["pdf"] for r in rows) == 1  # the revoked award is listed, without a PDF
    assert not list((tmp_path / "site").rglob("*.pdf"))  # outside site/ unless asked
    # Each in the graduate's language (awards CSV `language`): the PDF's title is the page's.
    def title(pattern: str) -> str:
        import re

        data = next((tmp_path / "pdfs").glob(pattern)).read_bytes()
        raw = re.search(rb"/Title\s*(\([^)]*\)|<[0-9A-Fa-f]+>)", data).group(1)
        return bytes.fromhex(raw[1:-1].decode()).decode("utf-16") if raw.startswith(b"<") else raw.decode("latin-1")

    assert title("dimensional-metrology-kristjan-tamm-*.pdf").startswith("Dimensional Metrology with")  # language: en
    assert title("dimensional-metrology-aiste-*.pdf").startswith("Coördinatenmeettechniek")  # the default, nl
