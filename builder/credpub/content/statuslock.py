"""content/status-lock.json: what must never change between builds, committed with the content.

    {"entries":    {award key: status index of its current credential},
     "facts":      {award key: keyed fingerprint of the facts its credential signs},
     "revisions":  {award key: n}   (only re-issued awards: the n-th correction),
     "superseded": [{"key", "index", "revision", "date", "reason": "superseded"}]}

Status indexes never move and never come back: a superseded credential keeps its index, and
its bit stays set. A correction (a changed name, grade, date, …) re-issues the award: the new
credential gets the next revision (so a new credential id, plan.py) and a fresh index; the
previous one is revoked in the same status list. The fingerprint is an HMAC under the site
secret, so the committed file tells nothing about names or grades.

The API plan.py uses: `load()`, `fingerprint()`, `update()`; pipeline.py `dump()`. Award keys are
opaque strings here (plan.lock_key: an HMAC of the award, so the committed file names nobody).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from credpub.credentials import statuslist
from credpub.errors import ContentError
from credpub.credentials.keys import derive
from credpub.model import Award

SUPERSEDED = "superseded"
COMMENT = "credpub status list indexes: commit this file; never edit or delete it"


@dataclass(frozen=True)
class Superseded:
    key: str
    index: int
    revision: int
    date: str  # YYYY-MM-DD the correction was first planned
    reason: str = SUPERSEDED


@dataclass(frozen=True)
class StatusLock:
    entries: dict[str, int] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    revisions: dict[str, int] = field(default_factory=dict)
    superseded: tuple[Superseded, ...] = ()

    def revision(self, key: str) -> int:
        return self.revisions.get(key, 0)

    @property
    def superseded_indexes(self) -> tuple[int, ...]:
        return tuple(s.index for s in self.superseded)


def rekeyed(lock: StatusLock, rekey: Callable[[dict], dict]) -> StatusLock:
    """The same lock with its award keys mapped by `rekey` (plan.migrate_lock: keys of the first
    format become HMACs); positions, fingerprints and revisions are kept."""
    superseded = tuple(dataclasses.replace(s, key=next(iter(rekey({s.key: 0})))) for s in lock.superseded)
    return StatusLock(rekey(lock.entries), rekey(lock.facts), rekey(lock.revisions), superseded)


def fingerprint(secret: bytes, award: Award, valid_until: str | None) -> str:
    """A keyed digest of every award fact a credential signs: a change means a correction.
    Never change what goes in here: a different digest re-issues every award of every site."""
    facts = [award.name, award.email.strip().lower(), award.issued_on.isoformat(), award.grade,
             award.evidence_url, "1" if award.share_grade else "0", valid_until or ""]
    return derive(secret, "award-facts", "\0".join(facts).encode()).hex()[:32]


def update(lock: StatusLock, facts: dict[str, str], secret: bytes, today: dt.date) -> tuple[StatusLock, list[str]]:
    """The lock for these awards (key → fingerprint): new awards get an index; awards whose
    facts changed are re-issued (returned, sorted), recorded as superseded on `today` (the
    build day, UTC). Keys not given keep everything."""
    entries, known = dict(lock.entries), dict(lock.facts)
    revisions, superseded = dict(lock.revisions), list(lock.superseded)
    reissued = []
    day = today.isoformat()
    for key in sorted(facts):
        before = known.get(key)
        if key in entries and before is not None and before != facts[key]:
            superseded.append(Superseded(key, entries.pop(key), revisions.get(key, 0), day))
            revisions[key] = revisions.get(key, 0) + 1
            reissued.append(key)
        known[key] = facts[key]  # (a lock from before fingerprints: recorded, nothing re-issued)
    # Superseded indexes stay taken: allocate sees them under keys no award can have.
    held = {f"\0superseded\0{i}": s.index for i, s in enumerate(superseded)}
    allocated = statuslist.allocate({**entries, **held}, list(facts), secret)
    entries = {k: v for k, v in allocated.items() if k not in held}
    return StatusLock(entries, known, revisions, tuple(superseded)), reissued


def load(path: Path, errors: list[ContentError]) -> StatusLock:
    if not path.is_file():
        return StatusLock()
    try:
        data = json.loads(path.read_text("utf-8"))
        entries = data["entries"]
        if not isinstance(entries, dict) or not all(isinstance(v, int) and v >= 0 for v in entries.values()):
            raise ValueError("entries must map award keys to indexes")
        facts = data.get("facts", {})
        revisions = data.get("revisions", {})
        if not all(isinstance(v, str) for v in facts.values()) or not all(isinstance(v, int) for v in revisions.values()):
            raise ValueError("facts must map keys to text, revisions keys to numbers")
        superseded = tuple(Superseded(**s) for s in data.get("superseded", []))
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        errors.append(ContentError(path, 0, "", f"is not a valid status lock ({e}); restore it from git — never delete it, indexes must stay stable"))
        return StatusLock()
    return StatusLock(dict(entries), dict(facts), dict(revisions), superseded)


def dump(lock: StatusLock) -> bytes:
    """The same text as json.dumps(…, indent=1), one entry a line (diffs stay readable), but
    through the C encoder: tens of thousands of entries in milliseconds."""
    parts = [f' "comment": {json.dumps(COMMENT)}', f' "entries": {_flat(lock.entries)}']
    if lock.facts:
        parts.append(f' "facts": {_flat(lock.facts)}')
    if lock.revisions:
        parts.append(f' "revisions": {_flat(lock.revisions)}')
    if lock.superseded:
        nested = json.dumps([dataclasses.asdict(s) for s in lock.superseded], ensure_ascii=False, indent=1)
        parts.append(' "superseded": ' + nested.replace("\n", "\n "))
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode()


def _flat(d: dict) -> str:
    if not d:
        return "{}"
    text = json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",\n  ", ": "))
    return "{\n  " + text[1:-1] + "\n }"
