"""Incremental builds: what a build may reuse from the previous one.

The build manifest records, for the site a build wrote:

    {"version": 3, "site": <output folder>, "global": <fingerprint of everything every page depends on>,
     "awards": {claim token: [fingerprint of its planned values, share token]},
     "files": {path of every file the build wrote: [size, SHA-256 of its bytes]}}

An award's files are those under c/<claim token>/ and s/<share token>/.

An award whose fingerprint is unchanged under the same global fingerprint has the same four
files (claim and share page, claim and share credential) as a full build would give it, so
they are neither signed, rendered nor written again. Anything global (code, theme, browser
bundle, site.yml, achievements, pathways, pages, keys) changing means a full build.

site/ is not trusted: before reusing anything, an incremental build checks every file of site/
against the manifest (`audit`). An award file that differs or is missing makes its award
rendered again; any other such file makes a full build; a file the build did not write is
removed. So the result is always what a full build gives, and the build says what it repaired.
The manifest is also the list of files `credpub publish` pushes.

The manifest holds claim paths: it lives in the build context's state folder (context.py;
KEYS/cache/ by default), never in site/ (hosts publish dot-files too) and never in git. A
"dirty" mark is written before the first file of an incremental write is replaced and removed
with the new manifest: a build killed in between (power loss) leaves the mark, and the next
build is a full one (writers.py writes and records it); `publish` refuses a dirty site.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import os
import stat
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from credpub import layout, paths
from credpub.credentials.keys import Keys, derive
from credpub.content.load import REVOCATIONS_FILE, STATUS_LOCK_FILE
from credpub.model import Award, Plan, PlannedAward, Revocation
from credpub.build.write import write_file_atomic

VERSION = 3
#: Libraries whose output lands in the site: a new version means a full build.
LIBRARIES = ("credpub", "jinja2", "markdown", "mkdocs", "markupsafe", "pyld", "resvg-py", "cryptography")
#: Content that only some awards depend on; everything else under content/ is global.
PER_AWARD_CONTENT = ("awards", REVOCATIONS_FILE, STATUS_LOCK_FILE)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def entry(data: bytes) -> list:
    """What the manifest records of one file: [size, SHA-256 hex]."""
    return [len(data), hashlib.sha256(data).hexdigest()]


def file_entry(path: Path) -> list | None:
    """The entry of the file at `path`, or None when it is no regular file (missing, a symlink,
    a folder)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))  # a FIFO never blocks
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        h = hashlib.sha256()
        size = 0
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
            size += len(chunk)
        return [size, h.hexdigest()]
    except OSError:
        return None
    finally:
        os.close(fd)


@dataclass
class Manifest:
    site: str = ""
    global_fp: str = ""
    awards: dict[str, list] = field(default_factory=dict)  # claim token → [fingerprint, share token]
    files: dict[str, list] = field(default_factory=dict)  # path → [size, sha256]
    #: path → [inode, size, mtime_ns, ctime_ns] when the manifest was saved. A file whose stat is
    #: the same was not written since (a write, copy or rename sets ctime, which no call can set
    #: back), so the audit takes its recorded hash instead of reading it: git's and rsync's quick
    #: check, with ctime. `publish` and `build --full` still read every file.
    stats: dict[str, list] = field(default_factory=dict)


def manifest_path(state_dir: Path, out_dir: Path) -> Path:
    """One manifest per output folder."""
    return state_dir / f"build-manifest-{digest(str(out_dir.resolve()).encode())[:16]}.json"


def dirty_mark(manifest: Path) -> Path:
    return manifest.with_suffix(".dirty")


def load(path: Path, out_dir: Path) -> Manifest | None:
    """The previous build's manifest, or None when it cannot be trusted (then: a full build)."""
    if not path.is_file() or dirty_mark(path).exists() or not out_dir.is_dir():
        return None
    try:
        data = json.loads(path.read_bytes())
        if data.get("version") != VERSION or data.get("site") != str(out_dir.resolve()):
            return None
        files = data["files"]
        if not all(isinstance(v, list) and len(v) == 2 for v in files.values()):
            return None
        stats = data.get("stats", {})
        if not isinstance(stats, dict) or not all(isinstance(v, list) and len(v) == 4 for v in stats.values()):
            stats = {}
        return Manifest(data["site"], data["global"], data["awards"], files, stats)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def stat_key(path: str | Path) -> list | None:
    """[inode, size, mtime_ns, ctime_ns] of a regular file (not followed through a symlink), else None."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns] if stat.S_ISREG(st.st_mode) else None


def save(path: Path, manifest: Manifest) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    stats = {p: key for p in manifest.files if (key := stat_key(os.path.join(manifest.site, p))) is not None}
    body = {"version": VERSION, "site": manifest.site, "global": manifest.global_fp,
            "awards": manifest.awards, "files": manifest.files, "stats": stats}
    write_file_atomic(path, json.dumps(body, separators=(",", ":")).encode())


def _tree_digest(h, root: Path, skip: tuple[str, ...] = ()) -> None:
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root).as_posix()
        if f.is_file() and not rel.startswith(skip) and "__pycache__" not in rel:
            h.update(rel.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())


def global_fingerprint(plan: Plan, keys: Keys, bundle_dir: Path) -> str:
    """Everything a per-award file depends on besides its own planned values (`bundle_dir`:
    the browser bundle the pages load)."""
    h = hashlib.sha256(f"credpub-manifest/{VERSION}\0{sys.version}\0".encode())
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}={importlib.metadata.version(lib)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{lib}=-\0".encode())
    _tree_digest(h, paths.PACKAGE)
    _tree_digest(h, paths.theme_dir())
    _tree_digest(h, bundle_dir)
    _tree_digest(h, plan.content.root, skip=PER_AWARD_CONTENT)
    h.update("\0".join([plan.did, plan.verification_method, keys.public_multikey, *keys.retired, "|",
                        *keys.compromised]).encode())
    h.update(derive(keys.site_secret, "build-manifest", b""))  # another secret: other tokens everywhere
    return h.hexdigest()[:32]


def _names(cls, skip: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in skip)


# Every field, present and future, except where a value came from and the (global) achievement.
_PLANNED = _names(PlannedAward, ("award", "achievement", "revocation"))
_AWARD = _names(Award, ("source",))
_REVOCATION = _names(Revocation, ("source",))


def award_fingerprint(p: PlannedAward) -> str:
    """The planned values of one award (the achievement is global), without where they came
    from in content: moving a CSV row changes nothing published."""
    a, r = p.award, p.revocation
    values = (tuple(getattr(p, n) for n in _PLANNED), tuple(getattr(a, n) for n in _AWARD),
              r and tuple(getattr(r, n) for n in _REVOCATION))
    return digest(repr(values).encode())


def award_key(p: PlannedAward) -> str:
    return p.claim_token  # one per award, derived from the secret: the manifest names nobody


def is_award_file(path: str) -> bool:
    return layout.is_private(path)


def award_folders(claim_token: str, share_token: str) -> tuple[str, str]:
    return layout.claim_page(claim_token), layout.share_page(share_token)


def award_folder_of(path: str) -> str:
    """c/<token>/ of c/<token>/index.html (an award file's folder)."""
    return "/".join(path.split("/")[:2]) + "/"


@dataclass
class Audit:
    """How site/ differs from what the previous build wrote (its manifest)."""

    differ: list[str] = field(default_factory=list)  # written by it, now changed or missing
    stray: list[str] = field(default_factory=list)  # in site/, not written by it
    odd: bool = False  # a stray symlink, FIFO…: a full build replaces site/ rather than write beside one

    def __bool__(self) -> bool:
        return bool(self.differ or self.stray)


def site_paths(out_dir: Path) -> set[str]:
    """Every file (and symlink, FIFO…) under `out_dir`, as site paths; folders are not followed
    through symlinks. (os.scandir and strings: a 10,000-award site has 40,000 files.)"""
    found: set[str] = set()
    stack = [("", str(out_dir))]
    while stack:
        rel, folder = stack.pop()
        with os.scandir(folder) as it:
            for e in it:
                name = rel + e.name
                if e.is_dir(follow_symlinks=False):
                    stack.append((name + "/", e.path))
                else:
                    found.add(name)
    return found


def audit(out_dir: Path, previous: Manifest) -> Audit:
    """Each file of site/ read and held to the manifest: size and SHA-256 (a file under a
    symlinked folder is no file of site/)."""
    on_disk = site_paths(out_dir)
    kept = [path for path in previous.files if path in on_disk]
    root = str(out_dir)
    entries: dict[str, list | None] = {}
    unread = []
    for path in kept:
        known = previous.stats.get(path)
        if known is not None and stat_key(os.path.join(root, path)) == known:
            entries[path] = previous.files[path]  # not written since the manifest was saved
        else:
            unread.append(path)
    if unread:
        with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) + 1)) as pool:  # hashlib and reads release the GIL
            entries.update(zip(unread, pool.map(lambda path: file_entry(out_dir / path), unread)))
    differ = sorted(path for path, known in previous.files.items() if entries.get(path) != known)
    stray = sorted(on_disk - set(previous.files))
    odd = any((out_dir / path).is_symlink() or not (out_dir / path).is_file() for path in stray)
    return Audit(differ, stray, odd)


def changed_awards(plan: Plan, previous: Manifest | None, global_fp: str,
                   found: Audit | None = None) -> tuple[PlannedAward, ...] | None:
    """The awards to sign and render again; None means all (a full build): no usable manifest,
    a global change, or a changed or missing file of site/ that is no award's."""
    if previous is None or previous.global_fp != global_fp:
        return None
    found = found or Audit()
    if found.odd or any(not is_award_file(path) for path in found.differ):
        return None
    damaged = {award_folder_of(path) for path in found.differ}
    out = []
    for p in plan.awards:
        old = previous.awards.get(award_key(p))
        if (old is None or old[0] != award_fingerprint(p)
                or damaged.intersection(award_folders(p.claim_token, p.share_token))):
            out.append(p)
    return tuple(out)


def next_manifest(out_dir: Path, plan: Plan, global_fp: str, files: dict[str, bytes],
                  previous: Manifest | None, redone: tuple[PlannedAward, ...] | None) -> Manifest:
    """The manifest after writing `files` (all of a full build, or what an incremental one made)."""
    entries = {path: entry(data) for path, data in files.items()}
    redone_keys = None if redone is None else {award_key(p) for p in redone}
    awards: dict[str, list] = {}
    for p in plan.awards:
        key = award_key(p)
        if redone_keys is not None and key not in redone_keys and previous is not None:
            awards[key] = previous.awards[key]
        else:
            awards[key] = [award_fingerprint(p), p.share_token]
    if previous is not None and redone is not None:
        # an incremental build rendered only the redone awards' files, status lists and the
        # verify page: every other file stays as the previous build wrote it (audited), but
        # for the files of awards no longer in the site
        gone = {folder for claim, (_, share) in previous.awards.items() if claim not in awards
                for folder in award_folders(claim, share)}
        for path, known in previous.files.items():
            if path not in entries and not (is_award_file(path) and award_folder_of(path) in gone):
                entries[path] = known
    return Manifest(str(out_dir.resolve()), global_fp, awards, dict(sorted(entries.items())))


def removed_files(previous: Manifest, current: Manifest, found: Audit | None = None) -> set[str]:
    """The files no longer made (awards no longer in the site among them), and those in site/
    that no build wrote."""
    return (set(previous.files) - set(current.files)) | set(found.stray if found else ())


def shown(path: str) -> str:
    """A site path for the terminal (and CI logs): a claim or share token cut to 6 characters."""
    if is_award_file(path):
        folder, token, *rest = path.split("/")  # (not "parts": that name is a gettext keyword here)
        return "/".join([folder, token[:6] + "…", *rest])
    return path


def clear(path: Path) -> None:
    for p in (path, dirty_mark(path)):
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass
