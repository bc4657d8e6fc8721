"""Chromium, as credpub drives it (certificate PDFs, the browser tests and benchmarks): Debian's
/usr/bin/chromium when present (no browser download), else $CREDPUB_CHROMIUM, else Playwright's
own; and the flags that keep it offline and quiet."""

from __future__ import annotations

import os
import shutil

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    return os.environ.get("CREDPUB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
