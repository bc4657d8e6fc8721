"""Dates as credpub reads and writes them: the one definition of each form.

Content gives calendar days (YYYY-MM-DD in CSV and YAML) and ISO 8601 date durations
(`valid_for: P3Y`); credentials state XSD dateTimes at midnight UTC (`2026-06-12T00:00:00Z`),
since credpub issues by the day and the build day is the UTC date (clock.py); pages show the
calendar day of a dateTime. What the clock says today is clock.py's business, not this module's.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credpub.model import Achievement, Award

#: The written form of a day: four-digit year, two-digit month and day (what content must use).
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: An ISO 8601 date duration of years, months, weeks and days, at least one of them (P3Y, P1Y6M).
DURATION = re.compile(r"P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")
#: Midnight UTC: the time of day of every dateTime credpub writes.
MIDNIGHT_UTC = "T00:00:00Z"


def xsd_datetime(day: dt.date) -> str:
    """The XSD dateTime a credential states for a day: "2026-06-12T00:00:00Z"."""
    return f"{day.isoformat()}{MIDNIGHT_UTC}"


def parse_day(text: str) -> dt.date:
    """A day written YYYY-MM-DD. ValueError with a message for people (content's file:line
    errors and the CLI put it after the place): not in that form, or not a real day."""
    if not DAY.fullmatch(text):
        raise ValueError(f"must be a date as YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


#: A day as spreadsheets write it: d-m-yyyy, d/m/yyyy or d.m.yyyy (or month first, site.yml `date_order`).
SHEET_DAY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
DATE_ORDERS = (DAY_FIRST, MONTH_FIRST)


def parse_sheet_day(text: str, order: str = DAY_FIRST) -> dt.date:
    """A day in a roster: YYYY-MM-DD, or as a spreadsheet writes it (12-06-2026, 12/6/2026,
    12.06.2026), day first unless `order` is month-first. ValueError with a message for people."""
    if DAY.fullmatch(text):
        return parse_day(text)
    m = SHEET_DAY.fullmatch(text)
    if not m:
        if re.fullmatch(r"\d{1,2}([-/.])\d{1,2}\1\d{2}", text):
            raise ValueError(f"{text!r} has a two-digit year: write the year in full (e.g. 12-06-2026)")
        raise ValueError(f"must be a date such as 2026-06-12 or {'06-12-2026' if order == MONTH_FIRST else '12-06-2026'}, "
                         f"got {text!r}")
    first, second, year = int(m[1]), int(m[3]), int(m[4])
    day, month = (second, first) if order == MONTH_FIRST else (first, second)
    try:
        return dt.date(year, month, day)
    except ValueError:
        how = "month first" if order == MONTH_FIRST else "day first"
        raise ValueError(f"{text!r} is not a real date, read {how} (site.yml `date_order` sets the order)") from None


def day_of(value: str | dt.date) -> dt.date:
    """The calendar day of a date or of a dateTime credpub wrote ("2026-06-12T00:00:00Z")."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def display_day(value: object) -> str:
    """The "YYYY-MM-DD" a page or card shows for a date or a dateTime; "" for anything that does
    not start with a day (credpub issues at midnight UTC, so the day is the whole of it)."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = str(value or "")
    return text[:10] if DAY.match(text) else ""


def leading_day(text: str) -> str:
    """The first ten characters of a date another issuer wrote, as the verifier quotes it
    ("2026-06-12T10:00:00+02:00" → "2026-06-12"), whatever follows."""
    return text[:10]


def duration_parts(text: str | None) -> tuple[int | None, int | None, int | None, int | None] | None:
    """(years, months, weeks, days) of an ISO 8601 date duration, None for a part not written;
    None when `text` is not such a duration."""
    m = DURATION.fullmatch(text or "")
    return tuple(int(g) if g is not None else None for g in m.groups()) if m else None  # type: ignore[return-value]


def is_duration(text: str) -> bool:
    return duration_parts(text) is not None


def add_duration(day: dt.date, duration: str) -> dt.date:
    """day + an ISO 8601 date duration; months are calendar months (31 Jan + P1M = 28/29 Feb)."""
    parts = duration_parts(duration)
    if parts is None:
        raise ValueError(f"not an ISO 8601 date duration: {duration!r}")
    years, months, weeks, days = (n or 0 for n in parts)
    total_months = day.month - 1 + months + 12 * years
    year, month = day.year + total_months // 12, total_months % 12 + 1
    last = min(day.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, last) + dt.timedelta(weeks=weeks, days=days)


def valid_until(award: Award, achievement: Achievement) -> str | None:
    """A credential's validUntil: the CSV's per-award valid_until wins over the achievement's
    valid_for (counted from the award's day); None when neither is given."""
    if award.valid_until is not None:
        return xsd_datetime(award.valid_until)
    return xsd_datetime(add_duration(award.issued_on, achievement.valid_for)) if achievement.valid_for else None
