"""Where the verifier gets the documents a credential points to: DID documents and status
lists, from a local build (--site) or over HTTPS (unless offline), every read bounded: a plain
path inside the site; a valid https URL (http on loopback), fetched within the limits of
fetch.py (bytes, deadlines, requests per run); JSON within rules' depth limit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from credpub import layout, rules
from credpub.credentials.did import did_web_to_url
from credpub.errors import UsageError
from credpub.verify import fetch as http
from credpub.verify.fetch import Budget, Unavailable

MAX_FETCH = http.Limits().max_bytes

__all__ = ["MAX_FETCH", "Resolver", "SiteFileError", "Unavailable"]


class SiteFileError(UsageError):
    """A file of the local build given with --site cannot be read: the input is broken (exit 2)."""


def _safe_relative(rel: str) -> bool:
    """A path inside a site folder: no empty, `.` or `..` segment, no backslash or %-escape."""
    segments = rel.split("/")
    return bool(rel) and "%" not in rel and "\\" not in rel and all(s not in ("", ".", "..") for s in segments)


class Resolver:
    """Fetches DID documents and status lists: from a local build (--site), else over HTTPS
    unless offline. `fetch` is injected so that tests never touch the network; `budget` is what
    the whole run may fetch (requests, time), shared by every document it resolves."""

    def __init__(self, site_dir: Path | None = None, *, offline: bool = False,
                 fetch: Callable[[str], bytes] | None = None, budget: Budget | None = None) -> None:
        self.offline = offline
        self.budget = budget or Budget()
        self.fetch = fetch or self._get
        self.local: dict[str, Path] = {}
        self.site_did: str | None = None
        self.site_dir = site_dir
        if site_dir is not None:
            for did_path in layout.DID_DOCUMENTS:
                p = site_dir / did_path
                if p.is_file():
                    doc = rules.loads(p.read_bytes(), what=str(p))
                    did = doc.get("id") if isinstance(doc, dict) else None
                    if not isinstance(did, str) or not did.startswith("did:web:"):
                        raise SiteFileError(f"{p}: not a did:web DID document")
                    try:
                        base = did_web_to_url(did)[: -len(did_path)]
                    except ValueError as e:
                        raise SiteFileError(f"{p}: {e}") from None
                    self.local[base] = site_dir
                    self.site_did = did

    @property
    def has_local(self) -> bool:
        return bool(self.local)

    def is_local(self, url: str) -> bool:
        return any(url.split("#")[0].startswith(base) for base in self.local)

    def site_issuer_name(self) -> str | None:
        """The issuer's name as the local build states it (the #credpub-site block of its pages)."""
        if self.site_dir is None:
            return None
        page = self.site_dir / "verify" / "index.html"
        m = re.search(r'<script type="application/json" id="credpub-site">(.*?)</script>',
                      page.read_text("utf-8", "replace") if page.is_file() else "", re.S)
        try:
            name = rules.loads(m.group(1), what="credpub-site").get("issuer") if m else None
        except (rules.InputRefused, AttributeError):
            return None
        return name if isinstance(name, str) else None

    def get_json(self, url: str) -> Any:
        url = url.split("#")[0]
        for base, root in self.local.items():
            if url.startswith(base):
                rel = url[len(base):]
                if not _safe_relative(rel):
                    # Never map ../, ./ or %2e%2e onto the disk: that reads outside the site.
                    raise Unavailable(f"{url} is not a plain path inside the site: refused")
                p = root / rel
                if not p.is_file():
                    raise Unavailable(f"{url} is not in the local site {root}")
                try:
                    return rules.loads(p.read_bytes(), what=str(p))
                except rules.InputRefused as e:
                    raise SiteFileError(str(e)) from None
        if self.offline:
            raise Unavailable("offline")
        http.check_url(url)
        if not _safe_relative(url.split("://", 1)[1].split("?")[0].split("/", 1)[-1] or "x"):
            raise Unavailable(f"{url} has dot segments or escaped separators: refused")
        try:
            return rules.loads(self.fetch(url), what=url)
        except Unavailable:
            raise
        except (OSError, ValueError) as e:
            raise Unavailable(f"{url}: {e}") from None

    def _get(self, url: str) -> bytes:
        r = http.get(url, self.budget, headers={"Accept": "application/json, application/did+json"})
        if r.status != 200:
            raise Unavailable(f"{url}: HTTP {r.status}")
        return r.body
