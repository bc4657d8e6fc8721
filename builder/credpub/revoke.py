"""`credpub revoke`: append a revocation to content/revocations.yml, checked first."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .errors import ContentError, ContentErrors
from .load import REVOCATIONS_FILE
from .validate import check
from .write import write_file_atomic


def add_revocation(content_dir: Path, learner_id: str, achievement: str, reason: str, date: dt.date) -> None:
    content, errors = check(content_dir)
    if errors or content is None:
        raise ContentErrors(errors)
    path = content_dir / REVOCATIONS_FILE
    awards = {a.key: a for a in content.awards}
    if (learner_id, achievement) not in awards:
        raise ContentErrors([ContentError(path, 0, "learner_id", f"no award {learner_id!r} / {achievement!r} in awards/*.csv")])
    if any((r.learner_id, r.achievement) == (learner_id, achievement) for r in content.revocations):
        raise ContentErrors([ContentError(path, 0, "learner_id", f"{learner_id!r} / {achievement!r} is already revoked")])
    if date < awards[(learner_id, achievement)].issued_on:
        raise ContentErrors([ContentError(path, 0, "date", f"{date} is before the award was issued")])
    original = path.read_text("utf-8") if path.is_file() else ""
    text = original + ("\n" if original and not original.endswith("\n") else "")
    # json.dumps gives a valid YAML double-quoted scalar for any text, quotes and newlines included.
    text += (f"- learner_id: {json.dumps(learner_id, ensure_ascii=False)}\n"
             f"  achievement: {json.dumps(achievement)}\n"
             f"  reason: {json.dumps(reason, ensure_ascii=False)}\n"
             f"  date: {date.isoformat()}\n")
    write_file_atomic(path, text.encode("utf-8"))
    _, errors = check(content_dir)
    if errors:  # never leave content behind that no longer loads
        write_file_atomic(path, original.encode("utf-8"))
        raise ContentErrors(errors)
