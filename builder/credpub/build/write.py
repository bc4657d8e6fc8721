"""Write: {path: bytes} → site/, atomically.

The new site is written beside the old one and swapped in with renames, so a failed build
(or a crash mid-write) leaves the previous site/ exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from credpub.errors import BuildError


def _safe_relpath(rel: str) -> PurePosixPath:
    p = PurePosixPath(rel)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise BuildError(f"refusing to write outside the site: {rel!r}")
    return p


def write_site(files: dict[str, bytes], out_dir: Path) -> None:
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.new-{os.getpid()}")
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    for stale in (tmp, old):
        if stale.exists():
            shutil.rmtree(stale)
    try:
        made: set[Path] = set()
        for rel in sorted(files):
            target = tmp / _safe_relpath(rel)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(files[rel])
        if out_dir.exists():
            os.rename(out_dir, old)
        os.rename(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            os.rename(old, out_dir)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)


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


def write_changes(files: dict[str, bytes], out_dir: Path, unchanged: dict[str, str], remove: set[str],
                  digest, dirty_mark: Path) -> tuple[int, int]:
    """An incremental write into an existing site/: `files` whose bytes differ from what site/
    holds (by `unchanged`, path → digest, or else by reading the file) are written, `remove`
    deleted; every other file is left alone. Returns (written, removed).

    Staged, then swapped file by file: every replacement is written beside site/ first (a failure
    there touches nothing); then each target is hard-linked into a backup and replaced with
    os.replace, so an error at any point puts every replaced or removed file back (rollback).
    Files at new paths (a new award's folder, linked from nowhere yet) are written in place and
    deleted by a rollback.
    The dirty mark, written before the first replacement and removed by the caller with the new
    manifest, covers what no rollback can: a killed process makes the next build a full one.
    """
    out_dir = out_dir.resolve()
    todo = sorted(rel for rel, data in files.items() if not _same(out_dir / _safe_relpath(rel), data, unchanged.get(rel), digest))
    gone = sorted(rel for rel in remove if (out_dir / _safe_relpath(rel)).is_file())
    if not todo and not gone:
        return 0, 0
    stage = out_dir.with_name(f".{out_dir.name}.stage-{os.getpid()}")
    backup = out_dir.with_name(f".{out_dir.name}.backup-{os.getpid()}")
    for stale in (stage, backup):
        if stale.exists():
            shutil.rmtree(stale)
    done: list[tuple[Path, Path | None]] = []  # (target, its backup or None if it is new)
    made: list[Path] = []
    try:
        stage.mkdir()
        backup.mkdir()
        existing = {rel for rel in todo if (out_dir / rel).exists()}
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
            os.link(target, saved)
            os.replace(stage / str(i), target)
            done.append((target, saved))
        for i, rel in enumerate(gone):
            target = out_dir / rel
            saved = backup / f"d{i}"
            os.link(target, saved)
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


def _same(target: Path, data: bytes, known: str | None, digest) -> bool:
    """Whether `target` already holds `data`: by its recorded digest, or else by its bytes."""
    if known is not None:
        return known == digest(data) and target.is_file()
    try:
        return target.read_bytes() == data
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
