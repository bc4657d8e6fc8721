"""The build clock: the one place credpub asks the system what day or time it is.

Credentials say `validFrom: <date>T00:00:00Z`, so "today" is the date in UTC: a build in a
time zone ahead of UTC must not publish what is, in UTC, still tomorrow. Every stage that needs
the date takes it as an argument (tests inject one); only the shells (CLI, mkdocs plugin) call
`today()`, and what needs a moment (an email's Date header, a verifier's "now") calls `now()`.
"""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """The current moment, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    return now().date()
