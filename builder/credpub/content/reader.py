"""The one rule for the files of content/: every file credpub reads there is a regular file
whose path, symlinks followed, stays inside content/ (inside content/pages/ for pages, which
mkdocs publishes as they are). A symlink to /proc/self/environ, to the key folder or to a file
elsewhere, a FIFO or a device is refused, naming it; nothing of it is read.

`scan(root)` checks the whole tree before the load stage reads anything (so that `check` and
`build` refuse alike, and no refused file is ever opened); `read_bytes` is the one way the
loaders read a file, and holds the same rule for a single path (a file swapped after the scan
is still refused, and a FIFO never blocks: it is opened non-blocking and checked by fstat).
`write_bytes` is the one way credpub writes into content/ (`unseal`, `seal`, `revoke`): never
through a symlink, never onto anything but a regular file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from credpub.errors import ContentError

PAGES = "pages"  # published as they are: a link there must stay inside pages/

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"))


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _boundary(path: Path, root: Path) -> Path:
    """The folder `path` must resolve into: content/pages/ for what lies there, else content/."""
    try:
        rel = (Path(os.path.realpath(path.parent)) / path.name).relative_to(root)
    except ValueError:
        return root
    return root / PAGES if rel.parts[:1] == (PAGES,) else root  # pages/ itself too: not a link to awards/


def problem(path: Path, root: Path) -> str | None:
    """Why `path` (in content/ at `root`) may not be read, or None. Follows symlinks only to
    look at where they lead; reads nothing."""
    root = Path(os.path.realpath(root))
    path = Path(os.path.abspath(path))
    real = Path(os.path.realpath(path))
    boundary = _boundary(path, root)
    if not real.is_relative_to(boundary):
        where = "content/pages/ (pages are published as they are)" if boundary != root else "the content folder"
        return f"leads outside {where}, to {real}: copy the file into content/ instead of linking it"
    try:
        mode = os.stat(real).st_mode
    except OSError as e:
        return f"cannot be read ({e.strerror}){': a link to nothing' if os.path.islink(path) else ''}"
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return f"is {_kind(mode)}, not a file: content holds only ordinary files"


def scan(root: Path) -> list[ContentError]:
    """Every entry of content/ that breaks the rule (symlinked folders are checked, not entered:
    what they lead to is inside content/ and walked there)."""
    root = Path(os.path.realpath(root))
    errors = []
    for dirpath, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = Path(dirpath, name)
            if os.path.islink(path) or not (path.is_file() or path.is_dir()):
                why = problem(path, root)
                if why:
                    errors.append(ContentError(path, 0, "", why))
    return errors


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    """The bytes of a content file; ContentError naming it if it breaks the rule (`root`: the
    content folder; without it, only 'a regular file' is checked)."""
    if root is not None:
        why = problem(path, root)
        if why:
            raise ContentError(path, 0, "", why)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise ContentError(path, 0, "", f"cannot be read ({e.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ContentError(path, 0, "", f"is {_kind(mode)}, not a file: content holds only ordinary files")
        return f.read()


def read_text(path: Path, root: Path | None = None) -> str:
    """read_bytes as UTF-8 (UnicodeDecodeError for other text, as Path.read_text)."""
    return read_bytes(path, root).decode("utf-8")


def check_writable(path: Path, root: Path) -> None:
    """ContentError unless `path` may be written by `write_bytes`: not a symlink, a regular file
    if it exists, in a folder inside content/."""
    if os.path.islink(path):
        raise ContentError(path, 0, "", f"is a symlink (to {os.readlink(path)}): credpub writes no file through a "
                                        "link; remove the link and run the command again")
    if os.path.lexists(path) and not stat.S_ISREG(os.lstat(path).st_mode):
        raise ContentError(path, 0, "", f"is {_kind(os.lstat(path).st_mode)}: remove it and run the command again")
    folder = Path(os.path.realpath(path.parent))
    if not folder.is_relative_to(Path(os.path.realpath(root))):
        raise ContentError(path, 0, "", f"its folder leads outside the content folder, to {folder}: "
                                        "credpub writes only inside content/")


def write_bytes(path: Path, data: bytes, root: Path) -> None:
    """Writes `data` to `path` in content/ by a new file renamed over it: refused (ContentError)
    when `path` is a symlink, is there but not a regular file, or its folder leads outside
    content/; the temporary file is made exclusively, so no link placed there is followed."""
    check_writable(path, root)
    folder = Path(os.path.realpath(path.parent))
    tmp = folder / f".{path.name}.tmp-{os.getpid()}"
    mode = stat.S_IMODE(os.lstat(path).st_mode) if os.path.lexists(path) else 0o600  # a new file: private
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        os.fchmod(fd, mode)  # as it was, whatever the umask
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, folder / path.name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
