"""Expiry: which awards' validUntil falls within a window (`credpub check --expiring 60d`)."""

from __future__ import annotations

import datetime as dt
import re

from credpub.errors import UsageError
from credpub.model import Award, Content
from credpub.dates import day_of, valid_until

_WINDOW = re.compile(r"^(\d+)([dwmy])$")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_window(text: str) -> dt.timedelta:
    """60d, 8w, 6m (30 days each), 1y (365 days)."""
    m = _WINDOW.match(text.strip().lower())
    if not m:
        raise UsageError(f"--expiring: {text!r} is not a window; write a number and d, w, m or y, e.g. 60d")
    return dt.timedelta(days=int(m.group(1)) * _DAYS[m.group(2)])


def expiring_awards(content: Content, today: dt.date, window: dt.timedelta) -> list[tuple[Award, dt.date]]:
    """Non-revoked awards whose validUntil is between today and today + window, soonest first."""
    revoked = {(r.learner_id, r.achievement) for r in content.revocations}
    out = []
    for award in content.awards:
        until = valid_until(award, content.achievements[award.achievement])
        if until is None or award.key in revoked:
            continue
        day = day_of(until)
        if today <= day <= today + window:
            out.append((award, day))
    return sorted(out, key=lambda r: (r[1], r[0].learner_id, r[0].achievement))
