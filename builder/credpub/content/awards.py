"""Roster files in awards/ (*.csv, *.xlsx, *.ods, or sealed *.age; roster.py decodes them) →
Award values, with file:line:field (a workbook: file:Sheet:row:field) for every problem."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from babel import Locale

from credpub.content.fields import EMAIL
from credpub.content.roster import INSTEAD, NOT_READ, Cell, is_lock_file, read_roster, roster_suffix
from credpub.content.seal import award_files, read_award_bytes
from credpub.context import AgeIdentity
from credpub.dates import DAY_FIRST, parse_sheet_day
from credpub.errors import ContentError, KeyMaterialError
from credpub.model import Award, SiteConfig, Source

REQUIRED_COLUMNS = ("learner_id", "name", "email", "achievement", "issued_on")
OPTIONAL_COLUMNS = ("grade", "evidence_url", "passphrase", "share_grade", "valid_until", "language")
DATE_COLUMNS = ("issued_on", "valid_until")


def _truthy(text: str) -> bool | None:
    t = text.strip().lower()
    if t in ("", "no", "false", "0", "n", "nee", "onwaar"):  # Dutch Excel writes ONWAAR/WAAR for FALSE/TRUE
        return False
    if t in ("yes", "true", "1", "y", "ja", "j", "waar"):
        return True
    return None


def roster_files(awards_dir: Path, errors: list[ContentError], notes: list[str]) -> list[Path]:
    """The rosters to read (seal.award_files); every other entry of awards/ is named: a
    spreadsheet credpub cannot read is an error (its awards would be missing from the site),
    Excel's lock file and a folder are notes. Hidden files (.gitignore, .DS_Store) are not."""
    if not awards_dir.is_dir():
        return []
    files = award_files(awards_dir)
    for p in sorted(awards_dir.iterdir()):
        if p in files or p.name.startswith("."):
            continue
        if p.is_dir():
            notes.append(f"{p}: a folder is not read (rosters are read directly in awards/)")
        elif is_lock_file(p.name):
            notes.append(f"{p}: Excel's lock file (the workbook is open in Excel): not read")
        elif roster_suffix(p.name):
            continue  # a sealed copy beside its plain file: the plain one is read
        else:
            kind = NOT_READ.get(p.suffix.lower(), "not a roster")
            instead = INSTEAD.get(p.suffix.lower(), "save it as .xlsx or CSV")
            errors.append(ContentError(p, 0, "", f"is {kind}, and credpub reads only .csv, .xlsx and .ods rosters "
                                                 f"here (sealed: .age): {instead}, or move it out of awards/"))
    return files


def _decimal_sign(site: SiteConfig | None) -> str:
    return Locale.parse(site.languages[0]).number_symbols["latn"]["decimal"] if site else "."


def _text(cell: Cell, column: str, err) -> str:  # noqa: ANN001
    if isinstance(cell, dt.date) and column not in DATE_COLUMNS:
        err(column, f"is a date cell ({cell.isoformat()}): the spreadsheet turned it into a date; "
                    f"format the column as Text and type it again")
    return cell.isoformat() if isinstance(cell, dt.date) else cell.strip()


def load_awards(path: Path, errors: list[ContentError], age_identity: AgeIdentity | None = None, *,
                site: SiteConfig | None = None, notes: list[str] | None = None) -> list[Award]:
    """One roster, plain (x.csv, x.xlsx, x.ods) or sealed (x.csv.age, …): line numbers are those
    of the CSV text or the sheet's rows, and messages name the file as it is on disk."""
    awards: list[Award] = []
    try:
        data = read_award_bytes(path, age_identity)
    except KeyMaterialError as e:
        errors.append(ContentError(path, 0, "", str(e).removeprefix(f"{path}: ")))
        return awards
    except ContentError as e:  # not a file credpub reads (reader.py)
        errors.append(e)
        return awards
    roster = read_roster(data, path.name.removesuffix(".age"), path,
                         known=frozenset(REQUIRED_COLUMNS + OPTIONAL_COLUMNS), decimal=_decimal_sign(site))
    place = roster.place
    if notes is not None:
        notes.extend(f"{place}: {n}" for n in roster.notes)
    for line, message in roster.problems:
        errors.append(ContentError(place, line, "", message))
    order = site.date_order if site else DAY_FIRST
    header = roster.header
    while header and not header[-1]:
        header = header[:-1]  # a stray empty column on the right of the header
    if not header:
        if not roster.problems:
            errors.append(ContentError(place, roster.header_line, "", "is empty: the first row must name the columns"))
        return awards
    columns = header
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    for c in missing:
        errors.append(ContentError(place, roster.header_line, c, f"required column missing (columns must include {', '.join(REQUIRED_COLUMNS)})"))
    for c in columns:
        if c not in REQUIRED_COLUMNS and c not in OPTIONAL_COLUMNS:
            errors.append(ContentError(place, roster.header_line, c or "(empty)", f"unknown column; optional columns are {', '.join(OPTIONAL_COLUMNS)}"))
    if len(set(columns)) != len(columns):
        errors.append(ContentError(place, roster.header_line, "", "a column name appears twice"))
    if missing:
        return awards
    for r in roster.rows:
        start, row = r.line, r.cells
        if not any(isinstance(c, dt.date) or c.strip() for c in row):
            continue  # an empty row, or Excel's ;;;;; of one
        while len(row) > len(columns) and row[-1] == "":
            row = row[:-1]
        if len(row) < len(columns) and all(c in OPTIONAL_COLUMNS for c in columns[len(row):]):
            row = row + [""] * (len(columns) - len(row))  # trailing optional cells left out
        if len(row) != len(columns):
            errors.append(ContentError(place, start, "", f"has {len(row)} cells, the header has {len(columns)}; check separators and quotes"))
            continue
        ok = True

        def err(field: str, msg: str) -> None:
            nonlocal ok
            ok = False
            errors.append(ContentError(place, start, field, msg))

        cells = dict(zip(columns, row))
        rec = {c: _text(v, c, err) for c, v in cells.items()}
        for c in REQUIRED_COLUMNS:
            if not rec[c]:
                err(c, "is required")
        for c in ("learner_id", "name", "grade"):  # a line break or control character is a spreadsheet slip
            if any(unicodedata.category(ch) == "Cc" for ch in rec.get(c, "")):
                err(c, f"contains a line break or control character: {rec[c]!r}; keep it on one line")
        if rec["email"] and not EMAIL.match(rec["email"]):
            err("email", f"is not a valid email address: {rec['email']!r}")
        issued = None
        if rec["issued_on"]:
            try:
                issued = _day(cells["issued_on"], order)
            except ValueError as e:
                err("issued_on", str(e))
        if rec.get("evidence_url") and not re.match(r"^https?://\S+$", rec["evidence_url"]):
            err("evidence_url", f"must be an http(s) URL, got {rec['evidence_url']!r}")
        language = rec.get("language", "").lower()
        if language and not re.fullmatch(r"[a-z]{2,3}", language):
            err("language", f"must be a language code such as nl or en, got {rec['language']!r}")
        valid_until = None
        if rec.get("valid_until"):
            try:
                valid_until = _day(cells["valid_until"], order)
            except ValueError as e:
                err("valid_until", str(e))
            if valid_until is not None and issued is not None and valid_until <= issued:
                err("valid_until", f"{valid_until} must be after issued_on ({issued})")
        share_grade = _truthy(rec.get("share_grade", ""))
        if share_grade is None:
            err("share_grade", f"must be yes or no, got {rec.get('share_grade')!r}")
        if ok and issued is not None:
            awards.append(Award(
                learner_id=rec["learner_id"], name=rec["name"], email=rec["email"], achievement=rec["achievement"],
                issued_on=issued, grade=rec.get("grade", ""), evidence_url=rec.get("evidence_url", ""),
                passphrase=rec.get("passphrase", ""), share_grade=bool(share_grade), source=Source(place, start),
                language=language,
                valid_until=valid_until,
            ))
    return awards


def _day(cell: Cell, order: str) -> dt.date:
    """A date cell as it is; a text as dates.parse_sheet_day reads it."""
    return cell if isinstance(cell, dt.date) else parse_sheet_day(cell.strip(), order)
