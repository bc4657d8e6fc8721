"""The hosts a site may be meant for (site.yml `host:`) and their limits, from data/hosts.json:
one table that `load` checks the setting against and the build's host report (build/hostcheck.py) reads."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from credpub.paths import DATA

LIMITS = ("max_site_bytes", "max_files", "max_files_per_folder", "max_file_bytes")


@cache
def _table() -> dict[str, Any]:
    return json.loads((DATA / "hosts.json").read_text(encoding="utf-8"))


def names() -> tuple[str, ...]:
    return tuple(_table()["hosts"])


def default() -> str:
    return str(_table()["default"])


def host(name: str) -> dict[str, Any]:
    """{"name": shown name, and any of LIMITS: number}."""
    return dict(_table()["hosts"][name])
