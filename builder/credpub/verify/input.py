"""What is to be verified, as a document: a JSON file, a baked PNG or SVG, or an https URL
(a claim or share page's credential sits beside it). Anything unreadable is a UsageError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from credpub import layout, rules
from credpub.credentials.bake import BakeError, extract
from credpub.credentials.claimcrypto import ENVELOPE_TYPE
from credpub.errors import UsageError
from credpub.verify.resolver import Resolver, Unavailable


def load_input(source: str, resolver: Resolver) -> Any:
    """A credential from a file (JSON or a baked PNG/SVG) or an https URL. UsageError (exit 2)
    with one line for anything that cannot be read."""
    if source.startswith("https://") or source.startswith("http://"):
        if resolver.offline and not resolver.has_local:
            raise UsageError("cannot fetch a URL with --offline")
        url = source.split("#")[0].split("?")[0]
        if url.endswith("/"):
            url = layout.credential_file(url)  # a claim or share page: its credential sits beside it
        try:
            doc = resolver.get_json(url)
        except Unavailable as e:
            raise UsageError(f"cannot fetch {e}" if str(e).startswith(url) else f"cannot fetch {url}: {e}") from None
        return _not_an_envelope(doc, url)
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UsageError(f"{source}: {e.strerror}") from None
    if len(data) > 16 * 1024 * 1024:
        raise UsageError(f"{source}: larger than 16 MB: not a credential")
    _not_a_page(path, data)
    try:
        if data[:8] == b"\x89PNG\r\n\x1a\n" or data.lstrip()[:1] == b"<":
            data = extract(data)
        doc = rules.loads(data, what=source)
    except (BakeError, rules.InputRefused) as e:
        raise UsageError(f"{source}: {e}") from None
    return _not_an_envelope(doc, source)


def _not_a_page(path: Path, data: bytes) -> None:
    """An HTML page is not a credential: a claim or share page's credential sits beside it."""
    head = data[:512].lstrip().lower()
    if not (path.suffix.lower() in (".html", ".htm") or head.startswith((b"<!doctype html", b"<html"))):
        return
    beside = path.parent / layout.CREDENTIAL_FILE
    if beside.is_file():
        raise UsageError(f"{path} is a page, not a credential: verify the credential beside it, {beside}")
    raise UsageError(f"{path} is a web page, not a credential: verify a credential's JSON file "
                     f"(a claim or share page has its {layout.CREDENTIAL_FILE} beside it), a baked PNG or SVG, or a page's URL")


def _not_an_envelope(doc: Any, source: str) -> Any:
    if isinstance(doc, dict) and doc.get("type") == ENVELOPE_TYPE:
        raise UsageError(f"{source}: {rules.words('encryptedClaim')}")
    return doc
