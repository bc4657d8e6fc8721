"""How a build puts its files into site/: the bookkeeping that lets build() read as its stages.

    FullWriter         no build manifest: every award signed, every file written beside site/
                       and swapped in (write.write_site)
    IncrementalWriter  a manifest in the state folder (incremental.py): `changed_awards()`
                       checks site/ against it and says which awards to sign again (None:
                       all, when the previous build cannot be reused), `write()` writes what
                       changed or was found changed, removes what no build wrote, and
                       records the new manifest; a dirty mark covers a build killed half-way

Either way the site is the same bytes; `files_in_site` is how many files it holds after.
"""

from __future__ import annotations

from pathlib import Path

from credpub.build import incremental
from credpub.build.write import write_changes, write_site
from credpub.credentials.keys import Keys
from credpub.model import Plan, PlannedAward


class FullWriter:
    incremental = False

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.written = self.removed = self.files_in_site = 0
        self.found = incremental.Audit()  # how site/ differed from what the previous build wrote

    def changed_awards(self, plan: Plan, keys: Keys, bundle_dir: Path) -> tuple[PlannedAward, ...] | None:
        return None  # all of them

    def write(self, files: dict[str, bytes], plan: Plan) -> None:
        write_site(files, self.out_dir)
        self.written = self.files_in_site = len(files)


class IncrementalWriter(FullWriter):
    def __init__(self, out_dir: Path, state_dir: Path, reuse: bool = True) -> None:
        super().__init__(out_dir)
        self.manifest_file = incremental.manifest_path(state_dir, out_dir)
        self.previous = incremental.load(self.manifest_file, out_dir) if reuse else None
        self.global_fp = ""
        self.redo: tuple[PlannedAward, ...] | None = None

    def changed_awards(self, plan: Plan, keys: Keys, bundle_dir: Path) -> tuple[PlannedAward, ...] | None:
        self.global_fp = incremental.global_fingerprint(plan, keys, bundle_dir)
        if self.previous is not None and self.previous.global_fp == self.global_fp:
            self.found = incremental.audit(self.out_dir, self.previous)
        self.redo = incremental.changed_awards(plan, self.previous, self.global_fp, self.found)
        self.incremental = self.redo is not None
        return self.redo

    def write(self, files: dict[str, bytes], plan: Plan) -> None:
        manifest = incremental.next_manifest(self.out_dir, plan, self.global_fp, files, self.previous, self.redo)
        if self.redo is None:
            incremental.clear(self.manifest_file)  # until the new manifest is saved, none is trusted
            write_site(files, self.out_dir)
            self.written = self.files_in_site = len(files)
        else:
            assert self.previous is not None
            remove = incremental.removed_files(self.previous, manifest, self.found)
            differ = set(self.found.differ)
            checked = {path: known for path, known in self.previous.files.items() if path not in differ}
            self.written, self.removed = write_changes(files, self.out_dir, checked, remove,
                                                       incremental.entry, incremental.dirty_mark(self.manifest_file))
            self.files_in_site = len(manifest.files)
        incremental.save(self.manifest_file, manifest)
        incremental.dirty_mark(self.manifest_file).unlink(missing_ok=True)


def writer_for(out_dir: Path, state_dir: Path | None, full: bool) -> FullWriter:
    """A manifest needs a state folder; `full` writes everything but still records one."""
    if state_dir is None:
        return FullWriter(out_dir)
    return IncrementalWriter(out_dir, state_dir, reuse=not full)
