"""The MIME tree of a message: UTF-8 text parts (quoted-printable), the inline badge image
(one part per achievement, encoded once and shared), and `as_bytes`, which writes the known
structure directly instead of through the stock generator.

The stock machinery is the reference: a test checks that `as_bytes(msg)` equals
`msg.as_bytes(policy=…)`; a shape this writer does not know goes to the stock generator.
"""

from __future__ import annotations

import binascii
import email.policy
import functools
import re
from email.message import EmailMessage, MIMEPart

from credpub.mail.headers import POLICY, POLICY_UTF8, needs_smtputf8

_NEWLINE = re.compile(r"\r\n|\r|\n")  # as email.generator.NLCRE
_BOUNDARY = re.compile(r'^multipart/[a-z]+;.*\sboundary="(=_[A-Za-z0-9_]+)"$', re.DOTALL)  # ours (build_message)


@functools.lru_cache(maxsize=64)
def image_part(png: bytes, cid: str, filename: str) -> MIMEPart:
    """The inline badge part, encoded once per achievement and shared by every message (the
    generator only reads it)."""
    part = MIMEPart(policy=POLICY)
    part.set_content(png, "image", "png", cid=f"<{cid}>", disposition="inline", filename=filename)
    part._credpub_wire = {}  # (linesep, utf8) → its bytes, filled by as_bytes; never mutated after
    return part


def text_part(text: str, subtype: str) -> MIMEPart:
    """A UTF-8 text part, quoted-printable (binascii's C encoder: ~10x faster than set_content's)."""
    part = MIMEPart(policy=POLICY)
    part.set_raw("Content-Type", f'text/{subtype}; charset="utf-8"')  # ASCII, short: stored as is
    part.set_raw("Content-Transfer-Encoding", "quoted-printable")
    part.set_payload(binascii.b2a_qp(text.encode("utf-8"), istext=True).decode("ascii"))
    return part


def as_bytes(msg: EmailMessage) -> bytes:
    """The message on the wire: RFC 5322 with CRLF; SMTPUTF8 form only when an address needs it.

    Byte for byte what `msg.as_bytes(policy=…)` gives (a test checks it), written without the
    stock generator, which parses every MIME header again and writes bodies line by line: it
    took most of the time of a message with a 55 KB badge."""
    utf8 = getattr(msg, "_credpub_smtputf8", None)
    if utf8 is None:
        utf8 = needs_smtputf8(*(a for h in ("From", "To") for a in msg[h].addresses))
    policy = POLICY_UTF8 if utf8 else POLICY
    out: list[bytes] = []
    if not _serialize(msg, policy, out):
        return msg.as_bytes(policy=policy)  # a shape this writer does not know: the stock generator
    return b"".join(out)


def _serialize(part: MIMEPart, policy: email.policy.EmailPolicy, out: list[bytes]) -> bool:
    wire = getattr(part, "_credpub_wire", None)  # a part shared by many messages (the badge)
    if wire is None:
        return _serialize_part(part, policy, out)
    key = (policy.linesep, policy.utf8)
    if key not in wire:
        one: list[bytes] = []
        if not _serialize_part(part, policy, one):
            return False
        wire[key] = b"".join(one)
    out.append(wire[key])
    return True


def _serialize_part(part: MIMEPart, policy: email.policy.EmailPolicy, out: list[bytes]) -> bool:
    nl = policy.linesep
    for name, value in part.raw_items():
        text = str(value)
        if text.isascii() and len(name) + len(text) + 2 <= 78 and "\r" not in text and "\n" not in text:
            out.append(f"{name}: {text}{nl}".encode("ascii"))  # what folding gives a short ASCII header
        else:
            out.append(policy.fold_binary(name, value))
    out.append(nl.encode("ascii"))
    payload = part._payload  # the encoded body, as the stock generator reads it
    if isinstance(payload, list):
        boundary = _boundary(part)
        if boundary is None or part.preamble is not None or part.epilogue is not None or not payload:
            return False
        first = True
        for sub in payload:
            out.append((f"--{boundary}{nl}" if first else f"{nl}--{boundary}{nl}").encode("ascii"))
            first = False
            if not _serialize(sub, policy, out):
                return False
        out.append(f"{nl}--{boundary}--{nl}".encode("ascii"))
        return True
    if not isinstance(payload, str) or not payload.isascii():
        return False
    out.append(_body(payload, nl))
    return True


def _boundary(part: MIMEPart) -> str | None:
    raw = next((v for k, v in part.raw_items() if k.lower() == "content-type"), None)
    m = _BOUNDARY.search(raw) if isinstance(raw, str) else None
    return m.group(1) if m else part.get_boundary()


def _body(payload: str, nl: str) -> bytes:
    return _NEWLINE.sub(nl, payload).encode("ascii")  # as the stock generator: every line ends in nl
