"""Open Badges 3.0 baking and extraction (OB 3.0 §5.3), for `credpub bake CREDENTIAL IMAGE OUT`.

The same rules as verifier-js/src/badge/bake.js, which bakes in the browser at download time; the two
give identical bytes for the same image and credential:

- PNG: one uncompressed `iTXt` chunk with keyword `openbadgecredential` before the first IDAT;
  an existing one is replaced (the spec allows "only one").
- SVG: `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` on the root and, right after
  its start tag, `<openbadges:credential><![CDATA[json]]></openbadges:credential>`.

The credential goes in byte for byte, so what comes out verifies exactly as the file did.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from credpub.errors import UsageError
from credpub.rules import InputRefused, inflate

KEYWORD = b"openbadgecredential"
OB_NS = "https://purl.imsglobal.org/ob/v3p0"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


#: Said of an image with no credential baked in (verify/batch.py passes such images over in a folder).
NOTHING_BAKED = "this image carries no Open Badges credential"


class BakeError(UsageError, ValueError):
    """The image cannot be baked or read: not a PNG/SVG, damaged, or no credential inside."""


# ---------------------------------------------------------------- PNG

def png_chunks(png: bytes) -> list[tuple[bytes, int, int]]:
    """[(type, start, end)], start..end spanning length, type, data and CRC (PNG §5.3)."""
    if not png.startswith(PNG_MAGIC):
        raise BakeError("not a PNG image")
    chunks = []
    pos = 8
    while pos + 12 <= len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        end = pos + 12 + length
        if end > len(png):
            raise BakeError("damaged PNG: a chunk runs past the end of the file")
        ctype = png[pos + 4:pos + 8]
        chunks.append((ctype, pos, end))
        pos = end
        if ctype == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND":
        raise BakeError("damaged PNG: no IEND chunk")
    return chunks


def _is_credential_chunk(png: bytes, ctype: bytes, start: int) -> bool:
    return ctype == b"iTXt" and png[start + 8:start + 8 + len(KEYWORD) + 1] == KEYWORD + b"\0"


def itxt_chunk(text: bytes) -> bytes:
    # keyword NUL, compression flag 0, method 0, language "" NUL, translated keyword "" NUL
    data = KEYWORD + b"\0\0\0\0\0" + text
    body = b"iTXt" + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def bake_png(png: bytes, credential_json: bytes) -> bytes:
    kept = [c for c in png_chunks(png) if not _is_credential_chunk(png, c[0], c[1])]
    at = next(i for i, c in enumerate(kept) if c[0] in (b"IDAT", b"IEND"))
    parts = [png[:8]]
    for i, (_t, start, end) in enumerate(kept):
        if i == at:
            parts.append(itxt_chunk(credential_json))
        parts.append(png[start:end])
    return b"".join(parts)


def extract_png(png: bytes) -> bytes | None:
    """The credential text of a PNG: the `openbadgecredential` iTXt chunk (compressed or not), or
    tEXt / zTXt as other tools write it (verifier-js/src/verify/extract.js reads the same, through src/badge/png.js). Compressed
    text inflates to at most rules.MAX_INFLATE bytes, as in the browser."""
    for ctype, start, end in png_chunks(png):
        if ctype not in (b"iTXt", b"tEXt", b"zTXt"):
            continue
        data = png[start + 8:end - 4]
        if not data.startswith(KEYWORD + b"\0"):
            continue
        pos = len(KEYWORD) + 1
        try:
            if ctype == b"tEXt":
                return data[pos:]
            if ctype == b"zTXt":
                return inflate(data[pos + 1:], wbits=15, what="the badge's compressed credential chunk")
            # OB 3.0 forbids compression; other tools' badges may still use it: read them anyway.
            compressed = data[pos] == 1
            pos += 2
            pos = data.index(b"\0", pos) + 1  # language tag
            pos = data.index(b"\0", pos) + 1  # translated keyword
        except (IndexError, ValueError) as e:
            if isinstance(e, InputRefused):
                raise BakeError(str(e)) from None
            raise BakeError("damaged PNG: the credential chunk is truncated") from None
        text = data[pos:]
        try:
            return inflate(text, wbits=15, what="the badge's compressed credential chunk") if compressed else text
        except InputRefused as e:
            raise BakeError(str(e)) from None
    return None


# ---------------------------------------------------------------- SVG

_EXISTING = re.compile(rb"<openbadges:credential\b[^>]*/>|<openbadges:credential\b.*?</openbadges:credential>", re.S)
_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")
_COMMENT = re.compile(rb"<!--.*?-->", re.S)


def _cdata(text: bytes) -> bytes:
    return b"<![CDATA[" + text.replace(b"]]>", b"]]]]><![CDATA[>") + b"]]>"


def bake_svg(svg: bytes, credential_json: bytes) -> bytes:
    text = _EXISTING.sub(b"", svg)
    blanked = _COMMENT.sub(lambda m: b" " * len(m.group(0)), text)
    m = _SVG_OPEN.search(blanked)
    if not m:
        raise BakeError("not an SVG image: no <svg> element")
    tag = text[m.start():m.end()]
    if not re.search(rb"\sxmlns:openbadges\s*=", tag):
        close = len(tag) - 2 if tag.endswith(b"/>") else len(tag) - 1
        tag = tag[:close] + f' xmlns:openbadges="{OB_NS}"'.encode() + tag[close:]
    rest = text[m.end():]
    if tag.endswith(b"/>"):
        tag, rest = tag[:-2] + b">", rest + b"</svg>"
    element = b"<openbadges:credential>" + _cdata(credential_json) + b"</openbadges:credential>"
    return text[:m.start()] + tag + element + rest


# The credential element under any namespace prefix, as other tools write it (the same finder as
# verifier-js/src/badge/svg.js).
_ELEMENT = re.compile(rb"<([A-Za-z_][\w.-]*):credential(?=[\s/>])([^>]*?)(?:/>|>(.*?)</\1:credential)", re.S)
_VERIFY = re.compile(rb"""\bverify\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SECTION = re.compile(rb"<!\[CDATA\[(.*?)\]\]>", re.S)
_REFERENCE = re.compile(rb"&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);")
_NAMED = {b"lt": b"<", b"gt": b">", b"amp": b"&", b"quot": b'"', b"apos": b"'"}


def _is_xml_char(code: int) -> bool:
    """XML 1.0 §2.2 Char: what a character reference may name."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def _unescape(s: bytes) -> bytes:
    """XML text to characters, by the rule of verifier-js/src/badge/xml.js: the five predefined
    entities (case as written) and numeric character references to an XML Char; anything else
    stays as written, in one pass (verifier-js/test/fixtures/xml-unescape.json: both sides' cases)."""
    def one(m: re.Match[bytes]) -> bytes:
        name = m.group(1)
        if name in _NAMED:
            return _NAMED[name]
        code = int(name[2:], 16) if name[1:2] == b"x" else int(name[1:])
        return chr(code).encode() if _is_xml_char(code) else m.group(0)
    return _REFERENCE.sub(one, s)


def extract_svg(svg: bytes) -> bytes | None:
    m = _ELEMENT.search(svg)
    if not m:
        return None
    verify = _VERIFY.search(m.group(2) or b"")
    if verify:
        return _unescape(verify.group(1) if verify.group(1) is not None else verify.group(2))  # a VC-JWT, as OB 3.0 bakes those
    body = m.group(3) or b""
    sections = list(_SECTION.finditer(body))
    if not sections:
        return _unescape(body).strip()
    out, last = [], 0
    for s in sections:
        between = body[last:s.start()]
        if between.strip():
            out.append(_unescape(between))
        out.append(s.group(1))
        last = s.end()
    return b"".join(out)


# ---------------------------------------------------------------- files

def kind_of(data: bytes) -> str:
    if data.startswith(PNG_MAGIC):
        return "png"
    head = data[:4096].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"<svg" in head:
        return "svg"
    raise BakeError("not a PNG or SVG image")


def bake(image: bytes, credential_json: bytes) -> bytes:
    """The image with the credential baked in; the kind (PNG/SVG) is read from the bytes."""
    return bake_png(image, credential_json) if kind_of(image) == "png" else bake_svg(image, credential_json)


def extract(image: bytes) -> bytes:
    """The credential baked in an image, byte for byte; BakeError when there is none."""
    found = extract_png(image) if kind_of(image) == "png" else extract_svg(image)
    if found is None:
        raise BakeError(NOTHING_BAKED)
    return found


def bake_file(credential: Path, image: Path, out: Path) -> None:
    """`credpub bake CREDENTIAL IMAGE OUT`: only a readable credential goes into a badge — never
    an encrypted claim envelope (its ciphertext would travel as if it were the credential)."""
    from credpub.credentials.claimcrypto import ENVELOPE_TYPE
    from credpub.rules import loads, words

    text = credential.read_bytes()
    try:
        doc = loads(text, what=str(credential))
    except InputRefused as e:
        raise BakeError(f"{e}: nothing was baked") from None
    if isinstance(doc, dict) and doc.get("type") == ENVELOPE_TYPE:
        raise BakeError(f"{credential}: {words('encryptedClaim')}; an encrypted claim is never baked: "
                        "bake the credential the claim page shows (its download buttons bake it)")
    types = doc.get("type") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or "VerifiableCredential" not in (types if isinstance(types, list) else [types]):
        raise BakeError(f"{credential}: not a Verifiable Credential (its type must include VerifiableCredential): nothing was baked")
    try:
        baked = bake(image.read_bytes(), text)
    except BakeError as e:
        raise BakeError(f"{image}: {e}: nothing was baked") from None
    out.write_bytes(baked)
