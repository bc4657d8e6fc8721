"""`credpub revoke`: append a revocation to content/revocations.yml, checked first. Once the
awards are sealed, the revocations are too (revocations.yml.age, seal.py): the entry is added
to the decrypted text and sealed again, and a plain revocations.yml left from before is
migrated in place (sealed, the plain file removed)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from credpub.context import AgeIdentity
from credpub.errors import ContentError, ContentErrors, KeyMaterialError
from credpub.content import reader, seal
from credpub.content.load import PLAIN_WHILE_SEALED, REVOCATIONS_FILE
from credpub.model import Revocation
from credpub.content.validate import check_content, future_revocation
from credpub.build.write import write_file_atomic


def add_revocation(content_dir: Path, learner_id: str, achievement: str, reason: str, date: dt.date,
                   today: dt.date, age_identity: AgeIdentity | None = None) -> None:
    """`today`: the build day (UTC); a revocation after it would date the status list in the future.
    `age_identity`: the build context's, for sealed awards."""
    content, errors = check_content(content_dir, today, age_identity)
    errors = [e for e in errors if e.message != PLAIN_WHILE_SEALED]  # migrated below
    if errors or content is None:
        raise ContentErrors(errors)
    path = content_dir / REVOCATIONS_FILE
    sealed = seal.sealed_path(path)
    # Sealed unless the awards are plain, or a plain copy is being edited beside the sealed one.
    to_seal = seal.awards_sealed(content_dir) and not (path.exists() and sealed.exists())
    awards = {a.key: a for a in content.awards}
    if (learner_id, achievement) not in awards:
        raise ContentErrors([ContentError(path, 0, "learner_id", f"no award {learner_id!r} / {achievement!r} in awards/*.csv")])
    if any((r.learner_id, r.achievement) == (learner_id, achievement) for r in content.revocations):
        raise ContentErrors([ContentError(path, 0, "learner_id", f"{learner_id!r} / {achievement!r} is already revoked")])
    if date < awards[(learner_id, achievement)].issued_on:
        raise ContentErrors([ContentError(path, 0, "date", f"{date} is before the award was issued")])
    if date > today:
        raise ContentErrors([ContentError(path, 0, "date", future_revocation(date, today))])
    if path.exists():
        original = reader.read_text(path, content_dir)
    elif sealed.exists():
        original = seal.read_award_text(sealed, age_identity)
    else:
        original = ""
    new = Revocation(learner_id, achievement, reason, date)
    text = original + ("\n" if original and not original.endswith("\n") else "") + _entry(new)
    if not _lists(text, len(content.revocations) + 1):
        # Not a block list that takes one more "- " item (`[]`, a flow list, a "..." end
        # marker): write the same list in block form, the file's leading comments kept.
        head = "".join(line for line in original.splitlines(keepends=True)[:_comment_lines(original)])
        text = head + "".join(_entry(r) for r in (*content.revocations, new))
    before = {p: reader.read_bytes(p, content_dir) for p in (path, sealed) if p.exists()}
    if to_seal:
        if age_identity is None:
            raise KeyMaterialError(f"{sealed}: the awards are sealed, and no age key was given to seal the revocation")
        others = [seal.parse_recipient(r) for r in content.site.seal_recipients]  # as `seal` seals the awards
        reader.write_bytes(sealed, seal.encrypt(text.encode("utf-8"), age_identity(), others), content_dir)
        path.unlink(missing_ok=True)
    else:
        write_file_atomic(path, text.encode("utf-8"))
    _, errors = check_content(content_dir, today, age_identity)
    if errors:  # never leave content behind that no longer loads
        for p in (path, sealed):
            if p in before:
                write_file_atomic(p, before[p])
            else:
                p.unlink(missing_ok=True)
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
