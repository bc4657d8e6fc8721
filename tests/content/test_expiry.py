"""Expiry: per-award `valid_until` (CSV) overrides the achievement's valid_for;
`credpub check --expiring 60d` lists the awards whose validUntil falls within the window."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from credpub import clock
from credpub.build import pipeline
from credpub.cli import main
from credpub.content.validate import check_content

from tests.conftest import context


def _with_valid_until(content_dir, dates: dict[str, str]) -> None:
    spring = content_dir / "awards" / "2026-spring.csv"
    lines = spring.read_text("utf-8").splitlines()
    out = [lines[0] + ",valid_until"] + [ln + "," + dates.get(ln.split(",")[0], "") for ln in lines[1:]]
    spring.write_text("\n".join(out) + "\n", "utf-8")


def test_check_expiring_lists_awards_within_the_window(content_dir, tmp_path):
    today = dt.date.today()
    soon, later, past = (today + dt.timedelta(days=d) for d in (30, 90, -10))
    _with_valid_until(content_dir, {"BP-2026-004": soon.isoformat(), "BP-2026-005": later.isoformat(),
                                    "BP-2026-010": soon.isoformat(),  # revoked: not listed
                                    "BP-2026-006": past.isoformat()})  # expired already: not "expiring"
    r = CliRunner().invoke(main, ["check", "--content", str(content_dir), "--keys", str(tmp_path / "none"), "--expiring", "60d"])
    assert r.exit_code == 0, r.output
    listed = [ln.split()[0] for ln in r.output.splitlines() if ln.startswith("  ")]
    assert "BP-2026-004" in listed and f"expires on {soon.isoformat()}" in r.output
    assert "BP-2026-005" not in listed and "BP-2026-010" not in listed and "BP-2026-006" not in listed
    wider = CliRunner().invoke(main, ["check", "--content", str(content_dir), "--keys", str(tmp_path / "none"), "--expiring", "100d"])
    assert "BP-2026-005" in wider.output
    bad = CliRunner().invoke(main, ["check", "--content", str(content_dir), "--expiring", "soon"])
    assert bad.exit_code != 0 and "not a window" in bad.output


def test_valid_until_column_overrides_valid_for(content_dir, keys, tmp_path):
    _with_valid_until(content_dir, {"BP-2026-004": "2027-01-31"})
    site = tmp_path / "site"
    signed = pipeline.sign_content(context(content_dir, keys=keys))
    by = {s.planned.award.key: s for s in signed.awards}
    assert by[("BP-2026-004", "dimensional-metrology")].credential["validUntil"] == "2027-01-31T00:00:00Z"
    assert by[("BP-2026-005", "dimensional-metrology")].credential["validUntil"] == "2029-04-17T00:00:00Z"  # P3Y
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    share = (site / by[("BP-2026-004", "dimensional-metrology")].planned.share_path / "index.html").read_text()
    assert 'datetime="2027-01-31"' in share
    assert json.loads((site / by[("BP-2026-004", "dimensional-metrology")].planned.share_path / "credential.json")
                      .read_text())["validUntil"] == "2027-01-31T00:00:00Z"


def test_valid_until_is_checked(content_dir):
    _with_valid_until(content_dir, {"BP-2026-004": "2026-04-01", "BP-2026-005": "12/31/2027"})
    errors = [str(e) for e in check_content(content_dir, clock.today())[1]]
    assert any("2026-spring.csv:5: valid_until: 2026-04-01 must be after issued_on (2026-04-17)" in e for e in errors), errors
    # day first (European order): month 31 is no month
    assert any("2026-spring.csv:6: valid_until: '12/31/2027' is not a real date, read day first" in e for e in errors), errors
