"""The validity window of a credential (verifier-js/src/dates.js): validFrom/validUntil, or
VC 1.1's issuanceDate/expirationDate, against the moment of verification."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from credpub.dates import display_day
from credpub.verify.result import Check
from credpub.verify.values import js_json

_LOOSE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def parse_date(value: Any) -> dt.datetime | None:
    """A date or date-time; without a time zone it is read as UTC (as verifier-js does)."""
    m = _LOOSE_DATE.match(value) if isinstance(value, str) else None
    if not m:
        return None
    y, mo, d, h, mi, sec, frac, zone = m.groups()
    try:
        out = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0),
                          int(float(frac) * 1_000_000) if frac else 0, tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        out -= sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return out


def check_dates(doc: dict[str, Any], now: dt.datetime) -> Check:
    from_field = "validFrom" if "validFrom" in doc else "issuanceDate"
    until_field = "validUntil" if "validUntil" in doc else "expirationDate"
    from_raw, until_raw = doc.get(from_field), doc.get(until_field)
    start = None if from_raw is None else parse_date(from_raw)
    end = None if until_raw is None else parse_date(until_raw)
    if from_raw is not None and start is None:
        return Check("dates", "fail", f"{from_field} is not a date: {js_json(from_raw)}")
    if until_raw is not None and end is None:
        return Check("dates", "fail", f"{until_field} is not a date: {js_json(until_raw)}")
    day = display_day
    if start and end and end < start:
        return Check("dates", "fail", f"{until_field} ({day(end)}) is before {from_field} ({day(start)})")
    if start and now < start:
        return Check("dates", "fail", f"not valid yet: valid from {day(start)}")
    if end and now > end:
        return Check("dates", "fail", f"expired on {day(end)}")
    if start is None and end is None:
        return Check("dates", "pass", "no validity period")
    parts = [f"issued {day(start)}"] if start else []
    parts.append(f"valid until {day(end)}" if end else "no expiry date")
    return Check("dates", "pass", ", ".join(parts))
