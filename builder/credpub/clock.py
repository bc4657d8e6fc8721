"""The build clock: the one place credpub asks the system what day or time it is.

Credentials say `validFrom: <date>T00:00:00Z`, so "today" is the date in UTC: a build in a
time zone ahead of UTC must not publish what is, in UTC, still tomorrow. Every stage that needs
the date takes it as an argument (tests inject one); only the shells (CLI, mkdocs plugin) call
`today()`, and what needs a moment (an email's Date header, a verifier's "now") calls `now()`.

The clock's one input besides the system: SOURCE_DATE_EPOCH (the reproducible-builds
convention, https://reproducible-builds.org/specs/source-date-epoch/) pins the build day, so
that a CI rerun or a test builds as on that day. It sets the build day only: `now()` stays the
real moment (a verifier judging expiry, an email's Date, must not be told another time).
"""

from __future__ import annotations

import datetime as dt
import os
import re

from credpub.errors import UsageError

ENV = "SOURCE_DATE_EPOCH"
_EPOCH = re.compile(r"[0-9]{1,12}")  # the convention: decimal seconds since 1970, nothing else


def now() -> dt.datetime:
    """The current moment, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    """The build day (UTC): SOURCE_DATE_EPOCH's day when it is set, else the system's."""
    real = now().date()
    value = os.environ.get(ENV)
    if value is None or value == "":
        return real
    if not _EPOCH.fullmatch(value):
        raise UsageError(f"{ENV}={value!r} is not a number of seconds since 1970-01-01 (UTC), as `date +%s` prints; "
                         f"set it to one, or unset it to build as of today")
    pinned = dt.datetime.fromtimestamp(int(value), dt.timezone.utc).date()
    if pinned > real:
        raise UsageError(f"{ENV}={value} is {pinned}, after today ({real}, UTC): a build day in the future would "
                         f"publish credentials that are not yet valid; pin a day up to today")
    return pinned
