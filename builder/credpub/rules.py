"""The verifier's limits and verdict wording, read from verifier.json — the one copy the browser
verifier (verifier-js) bundles too — and the bounded helpers every untrusted input goes through:
inflation, JSON parsing, and text printed to a terminal."""

from __future__ import annotations

import json
import re
import zlib
from typing import Any
from credpub.paths import DATA

_RULES = json.loads((DATA / "verifier.json").read_text("utf-8"))
MAX_INFLATE: int = _RULES["maxInflateBytes"]
MAX_JSON_DEPTH: int = _RULES["maxJsonDepth"]
#: What one verification may fetch (verify/fetch.py; the browser's env.js too): maxBytes per
#: response, requestSeconds per request however slowly the host answers, maxRequests and
#: runSeconds per run.
FETCH: dict[str, int] = _RULES["fetch"]
#: The cryptosuites credpub knows, name → canonicalization, and their older names
#: (credentials/dataintegrity.py makes them suite objects).
CRYPTOSUITES: dict[str, str] = _RULES["cryptosuites"]
CRYPTOSUITE_ALIASES: dict[str, str] = _RULES["cryptosuiteAliases"]


class InputRefused(ValueError):
    """Untrusted input that cannot be read safely: too deep, expands too much, or corrupt."""


def words(key: str, **values: str) -> str:
    """A verdict sentence of verifier.json, placeholders filled."""
    return _RULES[key].format(**values)


def inflate(data: bytes, *, wbits: int, what: str, limit: int = MAX_INFLATE) -> bytes:
    """zlib/gzip/raw inflate that stops at `limit` bytes of output: a small "zip bomb" is
    refused after inflating at most `limit` bytes, never fully."""
    d = zlib.decompressobj(wbits=wbits)
    try:
        out = d.decompress(data, limit)
        if d.unconsumed_tail or (not d.eof and d.decompress(b"", 1)):
            raise InputRefused(f"{what} expands to more than {limit // (1024 * 1024)} MB: refused")
    except zlib.error as e:
        raise InputRefused(f"{what} is corrupt (bad compressed data: {e})") from None
    if not d.eof:
        raise InputRefused(f"{what} is corrupt (the compressed data is truncated)")
    return out


def _depth(text: str) -> int:
    """The deepest [ / { nesting of JSON text, counted without recursion (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def loads(text: str | bytes, *, what: str) -> Any:
    """json.loads for untrusted text: nesting deeper than MAX_JSON_DEPTH is refused before
    parsing (json and the RDF canonicalizer recurse per level)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise InputRefused(f"{what} is not UTF-8 text ({e.reason} at byte {e.start})") from None
    if _depth(text) > MAX_JSON_DEPTH:
        raise InputRefused(f"{what} is nested more than {MAX_JSON_DEPTH} levels deep: not a credential")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputRefused(f"{what} is not JSON ({e.msg}, line {e.lineno} column {e.colno})") from None
    except RecursionError:
        raise InputRefused(f"{what} is nested too deeply: not a credential") from None


# C0 and C1 controls (ESC, CR, BEL, …), DEL, and the Unicode bidi overrides/isolates and line
# separators that can repaint or reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")


def printable(text: Any, *, one_line: bool = True) -> str:
    """Untrusted text made safe to print: control characters (ESC, CR, bidi overrides …) become
    U+FFFD, so a hostile id cannot repaint the terminal; newlines become spaces when one_line."""
    text = str(text).replace("\t", " ")
    if one_line:
        return _CONTROL.sub("\ufffd", text.replace("\n", " "))
    return "\n".join(_CONTROL.sub("\ufffd", line) for line in text.split("\n"))
