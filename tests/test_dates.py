"""The date forms credpub reads and writes are defined once, in credpub/dates.py."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from credpub import dates, i18n

PACKAGE = Path(__file__).resolve().parent.parent / "builder" / "credpub"


def test_a_day_as_a_credential_states_it():
    assert dates.xsd_datetime(dt.date(2026, 6, 12)) == "2026-06-12T00:00:00Z"
    assert dates.xsd_datetime(dt.date(5, 1, 2)) == "0005-01-02T00:00:00Z"  # four digits, as XSD wants


def test_parse_day_takes_only_yyyy_mm_dd_with_a_message_for_people():
    assert dates.parse_day("2026-02-28") == dt.date(2026, 2, 28)
    for text in ("31/12/2027", "20260612", "2026-6-1", "2026-W24-5", "2026-06-12T00:00:00Z", " 2026-06-12", ""):
        with pytest.raises(ValueError, match=r"must be a date as YYYY-MM-DD, got"):
            dates.parse_day(text)
    with pytest.raises(ValueError, match=r"'2026-02-30' is not a real date"):
        dates.parse_day("2026-02-30")


def test_the_day_of_a_date_or_datetime():
    assert dates.day_of("2026-06-12T00:00:00Z") == dt.date(2026, 6, 12)
    assert dates.day_of(dt.date(2026, 6, 12)) == dt.date(2026, 6, 12)
    assert dates.display_day("2026-06-12T00:00:00Z") == "2026-06-12"
    assert dates.display_day(dt.date(2026, 6, 12)) == "2026-06-12"
    assert dates.display_day(dt.datetime(2026, 6, 12, 23, 59, tzinfo=dt.timezone.utc)) == "2026-06-12"
    assert [dates.display_day(v) for v in (None, "", "soon", 2026, "12-06-2026")] == [""] * 5


def test_durations():
    assert dates.duration_parts("P3Y") == (3, None, None, None)
    assert dates.duration_parts("P1Y6M2W3D") == (1, 6, 2, 3)
    assert dates.duration_parts("P0D") == (None, None, None, 0)
    for text in ("P", "3Y", "P1.5Y", "PT1H", "P3Y\n", "p3y", "", None):
        assert dates.duration_parts(text) is None and not dates.is_duration(text or "")
    assert dates.is_duration("P18M")


def test_add_duration_counts_calendar_months():
    assert dates.add_duration(dt.date(2026, 1, 31), "P1M") == dt.date(2026, 2, 28)
    assert dates.add_duration(dt.date(2028, 1, 31), "P1M") == dt.date(2028, 2, 29)
    assert dates.add_duration(dt.date(2024, 2, 29), "P1Y") == dt.date(2025, 2, 28)
    assert dates.add_duration(dt.date(2026, 6, 12), "P1Y6M") == dt.date(2027, 12, 12)
    assert dates.add_duration(dt.date(2026, 11, 30), "P3M") == dt.date(2027, 2, 28)
    assert dates.add_duration(dt.date(2026, 6, 12), "P2W3D") == dt.date(2026, 6, 29)
    with pytest.raises(ValueError, match="not an ISO 8601 date duration"):
        dates.add_duration(dt.date(2026, 6, 12), "three years")


def test_valid_until_the_awards_own_date_wins():
    award = SimpleNamespace(issued_on=dt.date(2026, 6, 12), valid_until=None)
    with_duration, without = SimpleNamespace(valid_for="P3Y"), SimpleNamespace(valid_for=None)
    assert dates.valid_until(award, with_duration) == "2029-06-12T00:00:00Z"
    assert dates.valid_until(award, without) is None
    own = SimpleNamespace(issued_on=dt.date(2026, 6, 12), valid_until=dt.date(2027, 1, 31))
    assert dates.valid_until(own, with_duration) == dates.valid_until(own, without) == "2027-01-31T00:00:00Z"


def test_pages_read_durations_and_dates_the_same_way():
    lang = i18n.get("en")
    assert lang.duration("P1Y6M") == "1 year and 6 months"
    assert lang.duration("P") == "P" and lang.duration("soon") == "soon" and lang.duration(None) == ""
    assert lang.date("2026-06-12T00:00:00Z") == lang.date(dt.date(2026, 6, 12)) == "12 June 2026"


# -- nobody else parses or formats dates by hand

_HAND = ("fromisoformat", "strptime", "strftime")
KNOWN: set[str] = set()  # modules exempted from the scan: none


def hand_made_dates(source: str) -> list[int]:
    """Lines that parse or format a date themselves: fromisoformat/strptime/strftime, or a
    `[:10]` slice (the day of a dateTime)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in _HAND:
            out.append(node.lineno)
        elif (isinstance(node, ast.Slice) and node.lower is None and node.step is None
              and isinstance(node.upper, ast.Constant) and node.upper.value == 10):
            out.append(node.lineno)
    return out


def test_the_detector_sees_hand_made_dates():
    source = "a = dt.date.fromisoformat(t)\nb = text[:10]\nc = d.strftime('%Y')\nd = text[:12]\n"
    assert sorted(hand_made_dates(source)) == [1, 2, 3]


def test_no_module_but_dates_parses_or_formats_dates():
    found = [f"{rel}:{line}" for f in sorted(PACKAGE.rglob("*.py"))
             if (rel := f.relative_to(PACKAGE).as_posix()) not in {"dates.py", *KNOWN}
             for line in hand_made_dates(f.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("text", ["2026-06-12", "12-06-2026", "12/06/2026", "12.06.2026", "12-6-2026", "12/6/2026"])
def test_a_roster_day_is_iso_or_day_first(text):
    from credpub.dates import parse_sheet_day

    assert parse_sheet_day(text) == dt.date(2026, 6, 12)


def test_month_first_reads_the_other_order():
    from credpub.dates import MONTH_FIRST, parse_sheet_day

    assert parse_sheet_day("06/12/2026", MONTH_FIRST) == dt.date(2026, 6, 12)
    assert parse_sheet_day("2026-06-12", MONTH_FIRST) == dt.date(2026, 6, 12)  # ISO is ISO in any order
    with pytest.raises(ValueError, match="'13/06/2026' is not a real date, read month first"):
        parse_sheet_day("13/06/2026", MONTH_FIRST)


@pytest.mark.parametrize("text, message", [
    ("31-02-2026", "'31-02-2026' is not a real date, read day first"),
    ("12-06-26", "'12-06-26' has a two-digit year: write the year in full"),
    ("12-06/2026", "must be a date such as 2026-06-12 or 12-06-2026, got '12-06/2026'"),
    ("12 juni 2026", "must be a date such as 2026-06-12 or 12-06-2026"),
    ("2026-6-12", "must be a date such as"),
])
def test_an_impossible_or_ambiguous_roster_day_is_refused(text, message):
    from credpub.dates import parse_sheet_day

    with pytest.raises(ValueError, match=message):
        parse_sheet_day(text)
