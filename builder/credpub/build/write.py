"""Write: {path: bytes} → site/, atomically.

A full build writes the new site beside the old one (.site.new-<pid>/) and swaps the two in one
step (rename-exchange: Linux renameat2 RENAME_EXCHANGE, macOS renamex_np RENAME_SWAP), so
site/ always exists and is always a whole site, the old or the new one; a failed build (or a
crash mid-write) leaves the previous site/ exactly as it was. Where the file system has no
exchange, two renames are used: between them (microseconds) there is no site/; `serve` then
answers 404 and `publish` refuses ("not a built site"), and the next build puts the old site
back first if the process was killed right there.

Work folders beside site/ (.site.new-, .site.old-, .site.stage-, .site.backup-<pid>) may hold
claim credentials in plain: every build first removes those a killed build left (`site_lock`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from credpub.errors import BuildError

#: The work folders a build makes beside the output folder: .<name>.<kind>-<pid>.
WORK_KINDS = ("new", "old", "stage", "backup")
#: Tests stop a build at a named point to kill it there: CREDPUB_TEST_PAUSE=<point>:<pid file>.
PAUSE_ENV = "CREDPUB_TEST_PAUSE"


def _safe_relpath(rel: str) -> PurePosixPath:
    p = PurePosixPath(rel)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise BuildError(f"refusing to write outside the site: {rel!r}")
    return p


def pause_point(point: str) -> None:
    """Where a test kills a build (a real SIGKILL, tests/build/test_write.py): with
    CREDPUB_TEST_PAUSE=<point>:<file>, the build writes its pid into <file> and waits. Without
    it (always, outside tests), nothing happens."""
    name, _, file = os.environ.get(PAUSE_ENV, "").partition(":")
    if name == point and file:
        Path(file).write_text(str(os.getpid()))
        time.sleep(600)


def work_folder(out_dir: Path, kind: str, pid: int | None = None) -> Path:
    return out_dir.with_name(f".{out_dir.name}.{kind}-{os.getpid() if pid is None else pid}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def remove_stale_work(out_dir: Path, locked: bool) -> list[Path]:
    """Remove the work folders that killed builds of `out_dir` left. Holding the build lock, every
    one is stale (a live build would hold the lock); without a lock (a file system without
    flock), only those whose process is gone. A kill between the two renames of the fallback
    swap left no site/ but .site.old-<pid>/: that is put back as site/."""
    removed = []
    prefix = f".{out_dir.name}."
    for p in sorted(out_dir.parent.glob(prefix + "*-*")):
        kind, _, pid = p.name[len(prefix):].partition("-")
        if kind not in WORK_KINDS or not pid.isdigit() or (not locked and _alive(int(pid))):
            continue
        if kind == "old" and p.is_dir() and not p.is_symlink() and not os.path.lexists(out_dir):
            os.rename(p, out_dir)
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed.append(p)
    return removed


@contextmanager
def site_lock(out_dir: Path) -> Iterator[None]:
    """Held by a build from before it decides what to write until its manifest is saved: one
    build at a time beside `out_dir` (a second one waits), so that the work folders found while
    holding it are a dead build's and are removed. The lock is flock on the parent folder
    itself: no lock file is left anywhere, and the kernel drops it when the process dies."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl

        fd = os.open(out_dir.parent, os.O_RDONLY)
    except (ImportError, OSError):
        remove_stale_work(out_dir, locked=False)
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            locked = True
        except OSError:  # no flock here (some network file systems)
            locked = False
        remove_stale_work(out_dir, locked)
        yield
    finally:
        os.close(fd)  # releases the lock


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):
        return False
    fa, fb = os.fsencode(a), os.fsencode(b)
    if (fn := getattr(libc, "renameat2", None)) is not None:  # Linux (glibc ≥ 2.28, musl)
        fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
        r = fn(-100, fa, -100, fb, 2)  # AT_FDCWD, RENAME_EXCHANGE
    elif (fn := getattr(libc, "renamex_np", None)) is not None:  # macOS
        fn.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint)
        r = fn(fa, fb, 2)  # RENAME_SWAP
    else:
        return False
    if r == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def write_site(files: dict[str, bytes], out_dir: Path) -> None:
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp, old = work_folder(out_dir, "new"), work_folder(out_dir, "old")
    for stale in (tmp, old):
        if stale.exists():
            shutil.rmtree(stale)
    swapped = False
    try:
        made: set[Path] = set()
        for rel in sorted(files):
            target = tmp / _safe_relpath(rel)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(files[rel])
        pause_point("swap")
        if not os.path.lexists(out_dir):
            os.rename(tmp, out_dir)
        elif _exchange(tmp, out_dir):
            swapped = True  # tmp now holds the previous site
        else:
            os.rename(out_dir, old)
            pause_point("renames")
            os.rename(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            os.rename(old, out_dir)  # put the previous site back
        raise
    pause_point("swapped")
    previous = tmp if swapped else old
    if previous.is_symlink():
        previous.unlink()  # site/ was a symlink: it was swapped, not what it points to
    else:
        shutil.rmtree(previous, ignore_errors=True)


def write_into(files: dict[str, bytes], site_dir: Path) -> None:
    """Add `files` to a site another tool wrote (the mkdocs plugin: mkdocs owns site_dir, so it is
    not swapped): nothing outside `site_dir`, and each file replaced whole, never half-written."""
    site_dir = site_dir.resolve()
    for rel in sorted(files):
        target = site_dir / _safe_relpath(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(target, files[rel])


def write_file_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_changes(files: dict[str, bytes], out_dir: Path, unchanged: dict[str, list], remove: set[str],
                  entry, dirty_mark: Path) -> tuple[int, int]:
    """An incremental write into an existing site/: `files` whose bytes differ from what site/
    holds (by `unchanged`, path → the entry (`entry(bytes)`) the file was checked to have, or else
    by reading the file) are written, `remove` deleted; every other file is left alone.
    Returns (written, removed).

    Staged, then swapped file by file: every replacement is written beside site/ first (a failure
    there touches nothing); then each target is hard-linked into a backup and replaced with
    os.replace, so an error at any point puts every replaced or removed file back (rollback).
    Files at new paths (a new award's folder, linked from nowhere yet) are written in place and
    deleted by a rollback.
    The dirty mark, written before the first replacement and removed by the caller with the new
    manifest, covers what no rollback can: a killed process makes the next build a full one.
    """
    out_dir = out_dir.resolve()
    todo = sorted(rel for rel, data in files.items() if not _same(out_dir / _safe_relpath(rel), data, unchanged.get(rel), entry))
    gone = sorted(rel for rel in remove if os.path.lexists(out_dir / _safe_relpath(rel)))
    if not todo and not gone:
        return 0, 0
    stage, backup = work_folder(out_dir, "stage"), work_folder(out_dir, "backup")
    for stale in (stage, backup):
        if stale.exists():
            shutil.rmtree(stale)
    done: list[tuple[Path, Path | None]] = []  # (target, its backup or None if it is new)
    made: list[Path] = []
    try:
        stage.mkdir()
        backup.mkdir()
        existing = {rel for rel in todo if os.path.lexists(out_dir / rel)}
        for i, rel in enumerate(todo):
            if rel in existing:
                (stage / str(i)).write_bytes(files[rel])
        dirty_mark.parent.mkdir(parents=True, exist_ok=True)
        dirty_mark.write_bytes(b"")
        for i, rel in enumerate(todo):
            target = out_dir / _safe_relpath(rel)
            if not target.parent.is_dir():
                for parent in reversed([target.parent, *target.parent.parents]):
                    if parent.is_relative_to(out_dir) and not parent.is_dir():
                        parent.mkdir()
                        made.append(parent)
            if rel not in existing:
                # A new file (a new award's folder): no page links to it yet, so it is written in
                # place, without a stage and a rename; a rollback deletes it.
                done.append((target, None))
                target.write_bytes(files[rel])
                continue
            saved = backup / f"r{i}"
            os.link(target, saved, follow_symlinks=False)
            os.replace(stage / str(i), target)
            done.append((target, saved))
            pause_point("replace")
        for i, rel in enumerate(gone):
            target = out_dir / rel
            saved = backup / f"d{i}"
            os.link(target, saved, follow_symlinks=False)
            os.unlink(target)
            done.append((target, saved))
            _prune_empty(target.parent, out_dir)
    except BaseException:
        for target, saved in reversed(done):
            if saved is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(saved, target)
        for d in reversed(made):
            try:
                d.rmdir()
            except OSError:
                pass
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)
        dirty_mark.unlink(missing_ok=True)  # rolled back: the previous manifest is right again
        raise
    shutil.rmtree(stage, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)
    return len(todo), len(gone)


def _same(target: Path, data: bytes, known: list | None, entry) -> bool:
    """Whether `target` already holds `data`: by the entry it was checked to have, or else by
    its bytes (never through a symlink)."""
    if known is not None:
        return known == entry(data) and target.is_file() and not target.is_symlink()
    try:
        return not target.is_symlink() and target.read_bytes() == data
    except OSError:
        return False


def _prune_empty(directory: Path, root: Path) -> None:
    """Remove the now empty folders of a deleted award (c/<token>/), up to site/."""
    while directory != root and directory.is_relative_to(root):
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent
