"""W3C Bitstring Status List v1.0: the bits, their encoding and index allocation."""

from __future__ import annotations

import base64
import binascii
import gzip
from typing import Any

from credpub.credentials.keys import derive
from credpub.rules import inflate

LIST_SIZE = 131_072  # entries per list: the spec's minimum, for herd privacy (§6.1)


def encode(bits: bytearray | bytes) -> str:
    """encodedList: multibase base64url (no padding) of the GZIP-compressed bitstring.

    mtime=0 keeps the bytes deterministic; compare lists by decoded bits, never by this string
    (gzip output differs between tools).
    """
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), compresslevel=9, mtime=0)).rstrip(b"=").decode("ascii")


def decode(encoded: Any) -> bytes:
    """The bits of an encodedList: multibase base64url (`u…`, BSL v1.0) or plain base64url
    (StatusList2021), then gunzipped within the inflation cap. The one decoder: the verifier,
    doctor (through it) and the tests read lists with it.

    ValueError when it is not base64url, rules.InputRefused when it does not inflate safely.
    """
    if not isinstance(encoded, str) or not encoded:
        raise ValueError("the status list has no encodedList")
    text = encoded[1:] if encoded.startswith("uH4sI") else encoded  # "H4sI": base64 of gzip's magic
    try:
        gz = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("the status list is not base64url-encoded") from None
    return decode_gzip(gz)


def decode_gzip(raw: bytes) -> bytes:
    """Gunzip a list, bounded by the inflation cap the browser uses too (rules.MAX_INFLATE):
    a small "zip bomb" is refused after at most that many bytes."""
    return inflate(raw, wbits=31, what="the status list")


def new_bits(size: int = LIST_SIZE) -> bytearray:
    return bytearray(size // 8)


def set_bit(bits: bytearray, index: int) -> None:
    bits[index // 8] |= 0x80 >> (index % 8)  # the first index is the most significant bit (§3.2)


def get_bit(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status index {index} is outside the list of {len(bits) * 8} entries")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def allocate(lock: dict[str, int], keys: list[str], secret: bytes) -> dict[str, int]:
    """A new lock: every key of `lock` keeps its index; new keys get free ones.

    An index is global: status/<n+1>.json holds indexes n*LIST_SIZE … (n+1)*LIST_SIZE-1. New awards go into
    the first list with room, at a position derived from the site secret (so the order of
    issuance cannot be read off the list) and probed linearly when taken.
    """
    out = dict(lock)
    used = set(out.values())
    per_list: dict[int, int] = {}
    for i in used:
        per_list[i // LIST_SIZE] = per_list.get(i // LIST_SIZE, 0) + 1
    limit = LIST_SIZE * 7 // 8  # keep slack so that probing stays short
    for key in sorted(k for k in keys if k not in out):
        n = 0
        while per_list.get(n, 0) >= limit:
            n += 1
        digest = derive(secret, "status-index", key.encode("utf-8"))
        pos = int.from_bytes(digest[:8], "big") % LIST_SIZE
        while n * LIST_SIZE + pos in used:
            pos = (pos + 1) % LIST_SIZE
        index = n * LIST_SIZE + pos
        out[key] = index
        used.add(index)
        per_list[n] = per_list.get(n, 0) + 1
    return out
