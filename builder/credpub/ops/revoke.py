"""`credpub revoke`: append a revocation to content/revocations.yml, checked first."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from credpub.context import AgeIdentity
from credpub.errors import ContentError, ContentErrors
from credpub.content.load import REVOCATIONS_FILE
from credpub.model import Revocation
from credpub.content.validate import check_content, future_revocation
from credpub.build.write import write_file_atomic


def add_revocation(content_dir: Path, learner_id: str, achievement: str, reason: str, date: dt.date,
                   today: dt.date, age_identity: AgeIdentity | None = None) -> None:
    """`today`: the build day (UTC); a revocation after it would date the status list in the future.
    `age_identity`: the build context's, for sealed awards."""
    content, errors = check_content(content_dir, today, age_identity)
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
    if date > today:
        raise ContentErrors([ContentError(path, 0, "date", future_revocation(date, today))])
    original = path.read_text("utf-8") if path.is_file() else ""
    new = Revocation(learner_id, achievement, reason, date)
    text = original + ("\n" if original and not original.endswith("\n") else "") + _entry(new)
    if not _lists(text, len(content.revocations) + 1):
        # Not a block list that takes one more "- " item (`[]`, a flow list, a "..." end
        # marker): write the same list in block form, the file's leading comments kept.
        head = "".join(line for line in original.splitlines(keepends=True)[:_comment_lines(original)])
        text = head + "".join(_entry(r) for r in (*content.revocations, new))
    write_file_atomic(path, text.encode("utf-8"))
    _, errors = check_content(content_dir, today, age_identity)
    if errors:  # never leave content behind that no longer loads
        write_file_atomic(path, original.encode("utf-8"))
        raise ContentErrors(errors)


def _entry(r: Revocation) -> str:
    # json.dumps gives a valid YAML double-quoted scalar for any text, quotes and newlines included.
    return (f"- learner_id: {json.dumps(r.learner_id, ensure_ascii=False)}\n"
            f"  achievement: {json.dumps(r.achievement, ensure_ascii=False)}\n"
            f"  reason: {json.dumps(r.reason, ensure_ascii=False)}\n"
            f"  date: {r.date.isoformat()}\n")


def _lists(text: str, n: int) -> bool:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return isinstance(data, list) and len(data) == n


def _comment_lines(text: str) -> int:
    lines = text.splitlines()
    n = 0
    while n < len(lines) and (not lines[n].strip() or lines[n].lstrip().startswith("#")):
        n += 1
    return n
