"""Many credentials in one run (`credpub verify SOURCE...`): files, folders (walked for credential
JSON and baked PNG/SVG) and URLs, verified in a pool of worker processes — the work is RDF
canonicalisation and Ed25519, so one process per core — each worker keeping one Resolver (DID
documents and status lists read once) and one Canonicalizer (JSON-LD shapes compiled once).

A row per source, in the order given: the five checks and what the card shows (issuer, learner
if named in the clear, achievement), or why it could not be read. Files found in a folder that
are not credentials (an image with nothing baked, a DID document, a status list) are skipped and
counted, not errors; a file named on the command line is always judged.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credpub import clock
from credpub.credentials.bake import NOTHING_BAKED
from credpub.credentials.claimcrypto import ENVELOPE_TYPE
from credpub.credentials.dataintegrity import Canonicalizer
from credpub.errors import CredpubError, UsageError
from credpub.site.card import card_view
from credpub.verify.format import LIST_TYPES
from credpub.verify.input import load_input
from credpub.verify.fetch import Budget
from credpub.verify.resolver import Resolver, Unavailable
from credpub.verify.values import types_of
from credpub.verify.verdict import foreign_issuer_notice, verify_document

#: Below this many credentials per extra process, starting it costs more than it saves.
MIN_PER_WORKER = 40
#: What a folder is searched for (lower-case suffixes).
SUFFIXES = (".json", ".png", ".svg")


@dataclass(frozen=True)
class Item:
    source: str
    found: bool = False  # found by walking a folder (not named by the user)


def expand(sources: Sequence[str]) -> list[Item]:
    """Files and URLs as given; folders walked (sorted, symlinked folders not followed) for
    files ending in SUFFIXES."""
    out: list[Item] = []
    for s in sources:
        if not s.startswith(("https://", "http://")) and Path(s).is_dir():
            for root, dirs, files in os.walk(s):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out += [Item(os.path.join(root, f), True) for f in sorted(files) if f.lower().endswith(SUFFIXES)]
        else:
            out.append(Item(s))
    return out


class _CachingResolver(Resolver):
    """A Resolver that reads each URL once per worker: every credential of an issuer names the
    same DID document and status list."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._seen: dict[str, Any] = {}

    def get_json(self, url: str) -> Any:
        key = url.split("#")[0]
        if key not in self._seen:
            try:
                self._seen[key] = super().get_json(url)
            except Unavailable as e:
                self._seen[key] = e
        found = self._seen[key]
        if isinstance(found, Unavailable):
            raise found
        return found


@dataclass
class _Worker:
    resolver: Resolver
    canon: Canonicalizer
    now: dt.datetime


_STATE: _Worker | None = None


def _start(site_dir: Path | None, offline: bool, now: dt.datetime) -> None:
    global _STATE
    _STATE = _Worker(_CachingResolver(site_dir, offline=offline), Canonicalizer.offline(), now)


def _not_a_credential(doc: Any) -> str | None:
    """Why a document found in a folder is not one to verify, or None."""
    if not isinstance(doc, dict):
        return "not a JSON object"
    if doc.get("type") == ENVELOPE_TYPE:
        return None  # an encrypted claim: reported as unreadable, not passed over
    types = types_of(doc)
    if "VerifiableCredential" not in types:
        return "not a verifiable credential"
    if any(t in types for t in LIST_TYPES):
        return "a status list"
    return None


def _summary_fields(doc: Any) -> dict[str, str]:
    try:
        card = card_view(doc)
    except (AttributeError, TypeError, ValueError):  # hostile shapes: the checks say what is wrong
        return {"issuer": "", "issuer_name": "", "learner": "", "achievement": ""}
    return {"issuer": card["issuer"]["id"], "issuer_name": card["issuer"]["name"],
            "learner": str(card["learner"] or ""), "achievement": card["achievement"]}


def verify_item(item: Item, state: _Worker) -> dict[str, Any]:
    """One row: {source, verified, checks, issuer, issuer_name, learner, achievement[, notice,
    site_issuer, issued_by_site]}, {source, error} if it cannot be read, {source, skipped}."""
    # Each credential is one verification with its own fetch budget (requests, time), as a
    # single `credpub verify` is; what the worker read before comes from its cache, uncounted.
    state.resolver.budget = Budget(state.resolver.budget.limits)
    try:
        try:
            doc = load_input(item.source, state.resolver)
        except UsageError as e:
            if item.found and str(e).endswith(NOTHING_BAKED):  # a plain image beside the credentials
                return {"source": item.source, "skipped": NOTHING_BAKED}
            raise
        if item.found and (why := _not_a_credential(doc)):
            return {"source": item.source, "skipped": why}
        result = verify_document(doc, state.resolver, now=state.now, canon=state.canon)
        notice = foreign_issuer_notice(result, state.resolver)
    except (CredpubError, OSError, ValueError, RecursionError) as e:
        message = str(e) if isinstance(e, CredpubError) else f"{item.source}: cannot be read ({type(e).__name__}: {e})"
        return {"source": item.source, "verified": False, "error": message, "checks": []}
    row: dict[str, Any] = {"source": item.source, **result.as_dict(), **_summary_fields(doc)}
    row["verified"] = result.verified and notice is None
    if state.resolver.site_did is not None:
        row["site_issuer"] = state.resolver.site_did
        row["issued_by_site"] = notice is None
    if notice:
        row["notice"] = notice
    return row


def _run_one(item: Item) -> dict[str, Any]:
    assert _STATE is not None
    return verify_item(item, _STATE)


def verify_all(items: Sequence[Item], *, site_dir: Path | None, offline: bool,
               now: dt.datetime | None = None, workers: int | None = None) -> Iterator[dict[str, Any]]:
    """Rows in the order of `items`, verified in up to `workers` processes (default: one per
    core; 1 = in this process; forked workers only, where the OS has fork). Raises UsageError
    (SiteFileError) if --site cannot be read."""
    now = now or clock.now()
    workers = max(1, min(workers or os.cpu_count() or 1, len(items) // MIN_PER_WORKER))
    _start(site_dir, offline, now)
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield _run_one(item)
        return
    # The first credential here, before forking: every worker inherits its compiled JSON-LD
    # shapes, contexts, DID document and status list instead of redoing them.
    yield _run_one(items[0])
    chunk = max(1, min(64, len(items) // (workers * 4)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_run_one, items[1:], chunksize=chunk)


def exit_code(rows: Sequence[dict[str, Any]]) -> int:
    """2 when any source could not be read (or none held a credential), else 1 when any is not
    verified, else 0."""
    judged = [r for r in rows if "skipped" not in r]
    if not judged or any("error" in r for r in judged):
        return 2
    return 0 if all(r["verified"] for r in judged) else 1
