"""Mail headers: addresses (syntax, IDNA, SMTPUTF8) and the address and Subject headers,
encoded (RFC 2047 encoded-words, base64 UTF-8) and folded at 76 for `set_raw`.

Non-ASCII names are encoded-words (7-bit clean for any relay); only an address that is itself
not ASCII needs SMTPUTF8. The stock policy is the reference and the fallback: `folded_header`
uses it, and `mailbox_header` and `subject_header` give its output (or better spacing) at a
fraction of its cost.
"""

from __future__ import annotations

import base64
import email.headerregistry
import email.policy
import functools
import re
from email.headerregistry import Address


class _HeaderRegistry(email.headerregistry.HeaderRegistry):
    """The stock registry makes a new class for every header it parses (a third of the time it
    takes to build a message); one class per header name is enough."""

    @functools.cache  # noqa: B019 — one registry per process: never freed, and that is fine
    def __getitem__(self, name: str) -> type:
        return super().__getitem__(name)


POLICY = email.policy.SMTP.clone(header_factory=_HeaderRegistry())  # CRLF, RFC 2047 for non-ASCII
POLICY_UTF8 = email.policy.SMTPUTF8.clone(header_factory=POLICY.header_factory)  # an address is not ASCII
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_ATEXT = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$")  # an RFC 5322 atom: needs neither quotes nor encoding
_EW_BYTES = 45  # UTF-8 bytes per encoded-word: "=?utf-8?b?" + 60 base64 characters + "?=" = 72 ≤ 75
_FOLDED: dict[tuple[str, str, bool], str] = {}


class AddressError(ValueError):
    """An email address that cannot be used (syntax); the message is for the user."""


def one_line(text: str) -> str:
    """Header-safe text: control characters and line breaks (a CSV cell may hold one) → spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def parse_address(addr: str) -> Address:
    """An addr-spec as an Address; AddressError unless it is one plain `local@domain`.

    A non-ASCII domain is kept as typed (IDNA-encoded on the wire by `envelope_address`)."""
    addr = addr.strip()
    if not addr or _CONTROL.search(addr) or any(c in addr for c in ' <>(),;:"[]\\'):
        raise AddressError(f"not a valid email address: {addr!r}")
    local, at, domain = addr.rpartition("@")
    if not at or not local or not domain or "." not in domain or domain.startswith(".") or domain.endswith(".") or ".." in domain \
            or local.startswith(".") or local.endswith(".") or ".." in local:
        raise AddressError(f"not a valid email address: {addr!r}")
    try:
        ascii_domain(domain)
    except UnicodeError:
        raise AddressError(f"not a valid email address (bad domain): {addr!r}") from None
    # username/domain, not addr_spec: the stock parser refuses a non-ASCII local part (RFC 6532)
    return Address(username=local, domain=domain)


def ascii_domain(domain: str) -> str:
    return domain if domain.isascii() else domain.encode("idna").decode("ascii")


def envelope_address(addr: Address) -> str:
    """The address for MAIL FROM / RCPT TO: the domain IDNA-encoded; the local part as it is
    (non-ASCII there needs SMTPUTF8, see `needs_smtputf8`)."""
    return f"{addr.username}@{ascii_domain(addr.domain)}"


def needs_smtputf8(*addrs: Address) -> bool:
    return any(not a.username.isascii() for a in addrs)


def folded_header(name: str, value: Address | str) -> str:
    """`value` encoded and folded by the stock policy (without "Name: "), for `set_raw`; cached,
    for headers that repeat from message to message (From, Reply-To, Subject)."""
    utf8 = isinstance(value, Address) and needs_smtputf8(value)
    key = (name, str(value), utf8)
    folded = _FOLDED.get(key)
    if folded is None:
        policy = POLICY_UTF8 if utf8 else POLICY
        line = policy.header_factory(name, value).fold(policy=policy)
        folded = line[len(name) + 1:].rstrip("\r\n")  # after "Name:"; it may fold right there
        folded = folded.removeprefix(" ")
        if len(_FOLDED) >= 1024:
            _FOLDED.clear()
        _FOLDED[key] = folded
    return folded


def mailbox_header(addr: Address, name: str = "To") -> str:
    """`Display Name <local@domain>` for a header, folded at 76 (RFC 2047 §2). ASCII atoms stay
    as they are; a run of other words is one or more encoded-words (base64 UTF-8), spaces
    included, since a decoder drops the white space between two encoded-words. Equivalent to
    the stock folder's output, at a fraction of its cost."""
    display = one_line(addr.display_name)
    spec = f"<{addr.addr_spec}>" if display else addr.addr_spec
    words = display.split(" ") if display else []
    tokens = _encoded_words(words, lambda w: bool(_ATEXT.match(w)) and not w.startswith("=?")) + [spec]
    lines = _fold(name, tokens)
    if any(len(x) > 76 for x in lines):
        return folded_header(name, addr)  # an atom or address too long to fold: the stock way
    return "\r\n".join(lines)[len(name) + 2:]


@functools.lru_cache(maxsize=256)
def subject_header(text: str) -> str:
    """The Subject, folded at 76 for `set_raw`: printable ASCII words as they are, each run of
    other words as encoded-words with its spaces inside (a decoder drops the white space between
    two encoded-words and keeps it next to plain text). The stock folder splits words and loses or
    doubles spaces there ("Precisietechniek:  Coördinaten…", "Wörternfür")."""
    tokens = _encoded_words(text.split(" "), lambda w: w.isascii() and w.isprintable() and "=?" not in w)
    lines = _fold("Subject", tokens)
    if any(len(x) > 998 for x in lines):
        return folded_header("Subject", text)  # a word too long for any line: the stock way
    return "\r\n".join(lines)[len("Subject: "):]


def _encoded_words(words: list[str], plain) -> list[str]:  # noqa: ANN001 (a predicate)
    """Words that `plain` accepts as they are; each run of the others as encoded-words (base64
    UTF-8) with its spaces inside, so that no decoder loses or doubles them (RFC 2047 §6.2)."""
    tokens: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            raw = " ".join(run).encode("utf-8")
            tokens.extend(f"=?utf-8?b?{base64.b64encode(raw[i:i + n]).decode('ascii')}?="
                          for i, n in _utf8_chunks(raw, _EW_BYTES))
            run.clear()

    for word in words:
        if plain(word):
            flush()
            tokens.append(word)
        else:
            run.append(word)
    flush()
    return tokens


def _fold(name: str, tokens: list[str]) -> list[str]:
    """`Name: tok tok …` as lines of at most 76 characters where the tokens allow."""
    lines, line = [], f"{name}:"
    for tok in tokens:
        if len(line) + 1 + len(tok) > 76 and line != f"{name}:":
            lines.append(line)
            line = ""
        line += " " + tok
    lines.append(line)
    return lines


def _utf8_chunks(raw: bytes, size: int) -> list[tuple[int, int]]:
    """(start, length) pieces of at most `size` bytes that never split a UTF-8 character."""
    out, i = [], 0
    while i < len(raw):
        n = min(size, len(raw) - i)
        while i + n < len(raw) and (raw[i + n] & 0xC0) == 0x80:  # do not end inside a character
            n -= 1
        out.append((i, n))
        i += n
    return out
