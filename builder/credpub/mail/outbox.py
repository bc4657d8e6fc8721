"""The outbox journal of `credpub send`: one JSON line per message an SMTP server accepted.

It lives outside site/ (default `.credpub/outbox.jsonl`, beside the keys) and is what makes
delivery "exactly once": a line is appended and fsync'ed right after the server's 250 reply to
DATA, and a rerun skips every award that has a line. Awards are keyed by their identity
(learner_id, achievement), never by email address.

The file is only ever appended to. A process killed in the middle of a write can leave a torn
last line: it is ignored when read (and counted), and the next record starts on a new line.
An exclusive lock (flock) keeps two runs from sending with the same journal at once.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Self

from credpub.errors import CredpubError

try:
    import fcntl
except ImportError:  # pragma: no cover — Windows: no lock, the journal still works
    fcntl = None  # type: ignore[assignment]

VERSION = 1


class JournalError(CredpubError):
    """The journal cannot be used (locked by another run, unreadable, not writable)."""


def award_key(learner_id: str, achievement: str) -> tuple[str, str]:
    return (learner_id, achievement)


class Outbox:
    """An open journal. `sends(key)` counts the accepted messages of an award; `record()` adds one.

    Open it with `Outbox.open(path)` (for sending: creates, locks, appends) or
    `Outbox.read_only(path)` (for a dry run: a missing file is an empty journal)."""

    def __init__(self, path: Path, entries: list[dict[str, Any]], unreadable: int, fd: int | None) -> None:
        self.path = path
        self.entries = entries
        self.unreadable = unreadable  # lines that are not JSON records (a torn write)
        self._fd = fd
        self._counts: Counter[tuple[str, str]] = Counter(award_key(e["learner_id"], e["achievement"]) for e in entries)

    # -- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Outbox:
        path = Path(path)
        try:
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True)
                (path.parent / ".gitignore").write_text("*\n")  # like the key folder: never committed
            created = not path.exists()
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as e:
            raise JournalError(f"cannot open the outbox journal {path}: {e.strerror or e}") from None
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise JournalError(f"another `credpub send` is running with the journal {path}; wait for it to finish") from None
            if created:
                _fsync_dir(path.parent)  # the new file's directory entry survives a crash too
            data = _read_all(fd)
            entries, unreadable = _parse(data)
            if data and not data.endswith(b"\n"):
                os.write(fd, b"\n")  # a torn last line: the next record starts on its own line
                os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        return cls(path, entries, unreadable, fd)

    @classmethod
    def read_only(cls, path: Path) -> Outbox:
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = b""
        except OSError as e:
            raise JournalError(f"cannot read the outbox journal {path}: {e.strerror or e}") from None
        entries, unreadable = _parse(data)
        return cls(path, entries, unreadable, None)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading and writing --------------------------------------------------------------------

    def sends(self, key: tuple[str, str]) -> int:
        """How many messages for this award a server has accepted."""
        return self._counts[key]

    def record(self, entry: dict[str, Any]) -> None:
        """Append one accepted message and fsync before returning. `entry` needs learner_id and
        achievement; the rest (email, message_id, reply, time) is for people reading the file."""
        if self._fd is None:
            raise JournalError(f"the outbox journal {self.path} is open read-only")
        entry = {"v": VERSION, **entry}
        line = (json.dumps(entry, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
        try:
            written = os.write(self._fd, line)  # one write() of O_APPEND: not interleaved, not split by a kill
            while written < len(line):  # a short write (disk full, signal): finish it
                written += os.write(self._fd, line[written:])
            os.fsync(self._fd)
        except OSError as e:
            raise JournalError(f"could not write the outbox journal {self.path}: {e.strerror or e}. "
                               f"The message to {entry.get('email')} WAS accepted by the server: "
                               f"do not resend it ({entry['learner_id']}, {entry['achievement']})") from None
        self.entries.append(entry)
        self._counts[award_key(entry["learner_id"], entry["achievement"])] += 1


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(data: bytes) -> tuple[list[dict[str, Any]], int]:
    entries: list[dict[str, Any]] = []
    unreadable = 0
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
        except ValueError:
            unreadable += 1
            continue
        if isinstance(entry, dict) and isinstance(entry.get("learner_id"), str) and isinstance(entry.get("achievement"), str):
            entries.append(entry)
        else:
            unreadable += 1
    return entries, unreadable


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover — e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
