"""content/status-lock.json: what must never change between builds, committed with the content.

    {"entries":    {award key: status index of its current credential},
     "facts":      {award key: keyed fingerprint of the facts its credential signs},
     "revisions":  {award key: n}   (only re-issued awards: the n-th correction),
     "superseded": [{"key", "index", "revision", "date", "reason": "superseded"}],
     "signed":     {award key: [claim day, fingerprint, share day, fingerprint]},
     "lists":      {list number: [day its bits changed, digest of them, day signed, fingerprint]}}

Status indexes never move and never come back: a superseded credential keeps its index, and
its bit stays set. A correction (a changed name, grade, date, …) re-issues the award: the new
credential gets the next revision (so a new credential id, plan.py) and a fresh index; the
previous one is revoked in the same status list. The fingerprint is an HMAC under the site
secret, so the committed file tells nothing about names or grades.

Dates say when things really happened: a credential's proof is `created` on the day it was
signed, a status list is valid from the day its bits last changed. Both days are recorded with a
fingerprint of what was signed (keyed, like the facts: the documents name the learner), so a
rebuild on a later day signs the same bytes, and only a document that changed (a correction,
a new key, a new achievement text) is signed again, on the build day. A lock from before days
were recorded is migrated (`with_days`) to the dates credpub used to sign with — the issue date
for a credential, the newest content date for a list — with no fingerprint: the first build
adopts what it signs, so nothing already published is signed again or changes a byte.

The API plan.py uses: `load()`, `fingerprint()`, `with_days()`, `update()`; sign.py
`document_fingerprint()`, `bits_digest()`, `signing_day()`; pipeline.py `dump()`. Award keys are
opaque strings here (plan.lock_key: an HMAC of the award, so the committed file names nobody).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from credpub.credentials import statuslist
from credpub.errors import ContentError
from credpub.credentials.keys import derive
from credpub.dates import parse_day
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
    #: award key → (claim day, claim fingerprint, share day, share fingerprint); "" = not known
    signed: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    #: status list number (text, as JSON keys are) → (day its bits last changed, digest of them,
    #: day signed, fingerprint): its validFrom and its proof's created; "" = not known
    lists: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)

    def revision(self, key: str) -> int:
        return self.revisions.get(key, 0)

    @property
    def superseded_indexes(self) -> tuple[int, ...]:
        return tuple(s.index for s in self.superseded)


def rekeyed(lock: StatusLock, rekey: Callable[[dict], dict]) -> StatusLock:
    """The same lock with its award keys mapped by `rekey` (plan.migrate_lock: keys of the first
    format become HMACs); positions, fingerprints and revisions are kept."""
    superseded = tuple(dataclasses.replace(s, key=next(iter(rekey({s.key: 0})))) for s in lock.superseded)
    return StatusLock(rekey(lock.entries), rekey(lock.facts), rekey(lock.revisions), superseded,
                      rekey(lock.signed), dict(lock.lists))


def fingerprint(secret: bytes, award: Award, valid_until: str | None) -> str:
    """A keyed digest of every award fact a credential signs: a change means a correction.
    Never change what goes in here: a different digest re-issues every award of every site."""
    facts = [award.name, award.email.strip().lower(), award.issued_on.isoformat(), award.grade,
             award.evidence_url, "1" if award.share_grade else "0", valid_until or ""]
    return derive(secret, "award-facts", "\0".join(facts).encode()).hex()[:32]


NO_DAYS = ("", "", "", "")


def with_days(lock: StatusLock, issued: dict[str, str], list_day: str) -> StatusLock:
    """`lock` with a day for every credential and list it indexes but records no day for (a lock
    from before days were recorded): the day credpub signed them with then, so that they are
    not signed again — a credential's issue date (`issued`: award key → YYYY-MM-DD), except a
    re-issued share credential (its id is new, credential.py: signed again, today); the lists,
    `list_day`. Without a fingerprint: signing_day adopts the first one it sees."""
    signed = dict(lock.signed)
    for key in lock.entries:
        if key not in signed and key in issued:
            day = issued[key]
            signed[key] = (day, "", day if lock.revision(key) == 0 else "", "")
    lists = dict(lock.lists)
    if not lists and lock.entries:
        taken = [*lock.entries.values(), *lock.superseded_indexes]
        lists = {str(n): (list_day, "", list_day, "") for n in sorted({i // statuslist.LIST_SIZE + 1 for i in taken})}
    return dataclasses.replace(lock, signed=signed, lists=lists)


def document_fingerprint(secret: bytes, doc: dict, *signer: str) -> str:
    """A keyed digest of a document as it is signed (`signer`: verification method, suite):
    the same digest means the same signature, so the same day."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return derive(secret, "signed-document", "\0".join((text, *signer)).encode()).hex()[:16]


def bits_digest(bits: bytes | bytearray) -> str:
    return hashlib.sha256(bytes(bits)).hexdigest()[:16]  # the bits are public: no key needed


def signing_day(day: str, recorded: str, fingerprint: str, today: dt.date) -> str:
    """The day to date a document whose fingerprint is `fingerprint`, `day` and `recorded` being
    what the lock holds: that day while the document is unchanged (or its fingerprint not yet
    known: a migrated lock), else the build day — and never after the build day."""
    if day and recorded in (fingerprint, ""):
        return min(day, today.isoformat())
    return today.isoformat()


def update(lock: StatusLock, facts: dict[str, str], secret: bytes, today: dt.date) -> tuple[StatusLock, list[str]]:
    """The lock for these awards (key → fingerprint): new awards get an index; awards whose
    facts changed are re-issued (returned, sorted), recorded as superseded on `today` (the
    build day, UTC). Keys not given keep everything."""
    entries, known = dict(lock.entries), dict(lock.facts)
    revisions, superseded, signed = dict(lock.revisions), list(lock.superseded), dict(lock.signed)
    reissued = []
    day = today.isoformat()
    for key in sorted(facts):
        before = known.get(key)
        if key in entries and before is not None and before != facts[key]:
            superseded.append(Superseded(key, entries.pop(key), revisions.get(key, 0), day))
            revisions[key] = revisions.get(key, 0) + 1
            reissued.append(key)
            signed.pop(key, None)  # a new credential: signed on the day it is built
        known[key] = facts[key]  # (a lock from before fingerprints: recorded, nothing re-issued)
    # Superseded indexes stay taken: allocate sees them under keys no award can have.
    held = {f"\0superseded\0{i}": s.index for i, s in enumerate(superseded)}
    allocated = statuslist.allocate({**entries, **held}, list(facts), secret)
    entries = {k: v for k, v in allocated.items() if k not in held}
    return StatusLock(entries, known, revisions, tuple(superseded), signed, dict(lock.lists)), reissued


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
        signed = {k: tuple(v) for k, v in data.get("signed", {}).items() if isinstance(v, list) or _bad("signed")}
        lists = {k: tuple(v) for k, v in data.get("lists", {}).items() if isinstance(v, list) or _bad("lists")}
        if not all(len(v) == 4 and all(isinstance(x, str) for x in v) and _days(v[0], v[2]) for v in signed.values()):
            raise ValueError("signed must map keys to [day, fingerprint, day, fingerprint]")
        if not all(k.isdigit() and len(v) == 4 and all(isinstance(x, str) for x in v) and _days(v[0], v[2])
                   for k, v in lists.items()):
            raise ValueError("lists must map list numbers to [day, digest, day, fingerprint]")
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        errors.append(ContentError(path, 0, "", f"is not a valid status lock ({e}); restore it from git — never delete it, indexes must stay stable"))
        return StatusLock()
    return StatusLock(dict(entries), dict(facts), dict(revisions), superseded, signed, lists)


def _bad(what: str) -> bool:
    raise ValueError(f"{what} must map keys to lists")


def _days(*days: str) -> bool:
    for day in days:
        try:
            if day:
                parse_day(day)
        except ValueError:
            return False
    return True


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
    if lock.signed:
        parts.append(f' "signed": {_rows(lock.signed)}')
    if lock.lists:
        parts.append(f' "lists": {_rows(lock.lists)}')
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode()


def _rows(d: dict) -> str:
    """One entry a line, its value (a list) on that line."""
    rows = ",\n  ".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(list(v), ensure_ascii=False)}"
                        for k, v in sorted(d.items()))
    return "{\n  " + rows + "\n }"


def _flat(d: dict) -> str:
    if not d:
        return "{}"
    text = json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",\n  ", ": "))
    return "{\n  " + text[1:-1] + "\n }"
