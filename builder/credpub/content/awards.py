"""An awards file (awards/*.csv, or sealed *.csv.age) → Award values, with file:line:field for
every problem."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

from credpub.content.fields import EMAIL
from credpub.content.seal import read_award_text
from credpub.context import AgeIdentity
from credpub.dates import parse_day
from credpub.errors import ContentError, KeyMaterialError
from credpub.model import Award, Source

REQUIRED_COLUMNS = ("learner_id", "name", "email", "achievement", "issued_on")
OPTIONAL_COLUMNS = ("grade", "evidence_url", "passphrase", "share_grade", "valid_until", "language")


def _truthy(text: str) -> bool | None:
    t = text.strip().lower()
    if t in ("", "no", "false", "0", "n"):
        return False
    if t in ("yes", "true", "1", "y"):
        return True
    return None


def load_awards(path: Path, errors: list[ContentError], age_identity: AgeIdentity | None = None) -> list[Award]:
    """One awards file, plain (x.csv) or sealed (x.csv.age): line numbers are those of the CSV
    text, and messages name the file as it is on disk."""
    awards: list[Award] = []
    try:
        text = read_award_text(path, age_identity)
    except KeyMaterialError as e:
        errors.append(ContentError(path, 0, "", str(e).removeprefix(f"{path}: ")))
        return awards
    except ContentError as e:  # not a file credpub reads (reader.py)
        errors.append(e)
        return awards
    except UnicodeDecodeError as e:
        errors.append(ContentError(path, 0, "", f"is not UTF-8 text (byte {e.start}); export the sheet as 'CSV UTF-8'"))
        return awards
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        errors.append(ContentError(path, 1, "", f"malformed CSV header: {e}"))
        return awards
    if not header:
        errors.append(ContentError(path, 1, "", "is empty: the first line must name the columns"))
        return awards
    columns = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    for c in missing:
        errors.append(ContentError(path, 1, c, f"required column missing (columns must include {', '.join(REQUIRED_COLUMNS)})"))
    for c in columns:
        if c not in REQUIRED_COLUMNS and c not in OPTIONAL_COLUMNS:
            errors.append(ContentError(path, 1, c or "(empty)", f"unknown column; optional columns are {', '.join(OPTIONAL_COLUMNS)}"))
    if len(set(columns)) != len(columns):
        errors.append(ContentError(path, 1, "", "a column name appears twice"))
    if missing:
        return awards
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(ContentError(path, reader.line_num, "", f"malformed CSV: {e}; check quotes"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(columns) and all(c in OPTIONAL_COLUMNS for c in columns[len(row):]):
            row = row + [""] * (len(columns) - len(row))  # trailing optional cells left out
        if len(row) != len(columns):
            errors.append(ContentError(path, start, "", f"has {len(row)} cells, the header has {len(columns)}; check commas and quotes"))
            continue
        rec = dict(zip(columns, (cell.strip() for cell in row)))
        ok = True

        def err(field: str, msg: str) -> None:
            nonlocal ok
            ok = False
            errors.append(ContentError(path, start, field, msg))

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
                issued = parse_day(rec["issued_on"])
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
                valid_until = parse_day(rec["valid_until"])
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
                passphrase=rec.get("passphrase", ""), share_grade=bool(share_grade), source=Source(path, start),
                language=language,
                valid_until=valid_until,
            ))
    return awards
