"""Every CSV credpub writes goes through `writer()`: cells that a spreadsheet would run as a
formula are neutralised (CSV / formula injection, OWASP). Names and other cells come from
content and award CSVs, which are not trusted to be harmless: `=HYPERLINK(…)`, `+cmd|…`,
`@SUM(…)` would run when the issuer opens `credpub links --csv` in Excel or LibreOffice.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

#: a cell starting with one of these is read as a formula (tab and CR: Excel strips them first).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """The text of one cell, prefixed with ' when a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class SafeWriter:
    """csv.writer with every cell passed through `cell()`."""

    def __init__(self, f: TextIO) -> None:
        self._w = csv.writer(f, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._w.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(f: TextIO) -> SafeWriter:
    return SafeWriter(f)
