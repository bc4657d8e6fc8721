"""The built site against the limits of the host it is meant for (site.yml `host:`, limits in
data/hosts.json): a line for the build's report, and warnings before a deploy would fail.

A site grows with its awards (a claim and a share page per award, each in its own folder under
c/ and s/) and little else, so each measure is modelled as fixed + per award × awards, from the
site as written; the award count at which a limit is reached is read from that line."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credpub import layout
from credpub.content import hosts

WARN_AT = 0.8  # of a limit: warn while there is still room to act


@dataclass(frozen=True)
class Measure:
    what: str  # "bytes", "files", "entries in c/"
    total: int  # the site now
    per_award: float
    fixed: float  # what does not grow with the awards

    def fits(self, limit: float) -> int | None:
        """The award count at which this reaches `limit` (None: it does not grow with awards)."""
        if self.per_award <= 0:
            return None
        return max(0, math.floor((limit - self.fixed) / self.per_award))


@dataclass
class HostReport:
    host: str
    line: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Scan:
    bytes: int = 0
    files: int = 0
    award_bytes: int = 0  # under c/ and s/: one claim and one share page per award
    award_files: int = 0
    widest: int = 0  # entries of the fullest folder
    widest_dir: str = ""
    award_folder: int = 0  # entries of the fuller of c/ and s/ (one folder per award)
    biggest_file: int = 0


def _scan(site_dir: Path) -> _Scan:
    """Sizes and counts of `site_dir` (os.scandir and strings: a 10,000-award site has 40,000 files)."""
    scan = _Scan()
    private = tuple(layout.PRIVATE_PREFIXES)
    stack = [("", str(site_dir))]
    while stack:
        rel, folder = stack.pop()
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)  # a tie names the first folder by name
        if len(entries) > scan.widest:
            scan.widest, scan.widest_dir = len(entries), rel
        if rel in private:
            scan.award_folder = max(scan.award_folder, len(entries))
        folders = []
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                folders.append((rel + e.name + "/", e.path))
                continue
            size = e.stat(follow_symlinks=True).st_size if e.is_file() else 0
            scan.bytes += size
            scan.files += 1
            scan.biggest_file = max(scan.biggest_file, size)
            if rel.startswith(private):
                scan.award_bytes += size
                scan.award_files += 1
        stack.extend(reversed(folders))  # by name, depth first
    return scan


def _amount(what: str, n: float) -> str:
    if what == "bytes":
        for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
            if n >= size:
                return f"{n / size:.1f} {unit}"
        return f"{n:.0f} bytes"
    return f"{n:,.0f} {what}"


def host_report(site_dir: Path, awards: int, host: str, limits: dict[str, Any] | None = None) -> HostReport:
    """The site in `site_dir` (with `awards` awards) against `host`'s limits (`limits`: given
    instead of the table's, for tests)."""
    spec = dict(limits) if limits is not None else hosts.host(host)
    name = spec.get("name", host)
    scan = _scan(site_dir)
    n = max(awards, 1)
    per_byte, per_file, per_entry = scan.award_bytes / n, scan.award_files / n, scan.award_folder / n
    measures = {
        "max_site_bytes": Measure("bytes", scan.bytes, per_byte, scan.bytes - per_byte * awards),
        "max_files": Measure("files", scan.files, per_file, scan.files - per_file * awards),
        # c/ and s/ hold one folder per award: they reach a per-folder limit first.
        "max_files_per_folder": Measure(f"entries in {scan.widest_dir or 'the top folder'}", scan.widest, per_entry, 0),
    }
    parts, warnings = [], []
    for key, m in measures.items():
        limit = spec.get(key)
        if not limit:
            continue
        share = m.total / limit
        fits = m.fits(limit)
        at = f", room for about {fits:,} awards" if fits is not None else ""
        parts.append(f"{_amount(m.what, m.total)} of {_amount(m.what, limit)} ({share:.1%}{at})")
        if share > 1:
            warnings.append(f"the site has {_amount(m.what, m.total)}, over {name}'s limit of {_amount(m.what, limit)}: "
                            f"a deploy there will fail; publish elsewhere (site.yml `host:`) or split the site")
        elif share >= WARN_AT:
            when = f" at about {fits:,} awards" if fits is not None else ""
            warnings.append(f"the site has {_amount(m.what, m.total)} of {name}'s limit of {_amount(m.what, limit)} "
                            f"({share:.0%}): it stops fitting{when}; plan another host (site.yml `host:`) before then")
    max_file = spec.get("max_file_bytes")
    if max_file and scan.biggest_file > max_file:
        warnings.append(f"a file of {_amount('bytes', scan.biggest_file)} is over {name}'s limit of "
                        f"{_amount('bytes', max_file)} per file: a deploy there will fail")
    return HostReport(host, f"host: {name} — " + ("; ".join(parts) if parts else "no known limits"), warnings)
