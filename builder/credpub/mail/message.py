"""Mail: one graduate's email — a multipart text + HTML message from theme/email/ templates,
with the achievement's badge inline (a `cid:` related part) and their claim link.

Structure (what every mail client renders):

    multipart/alternative
      text/plain                     message.txt
      multipart/related
        text/html                    message.html (Jinja autoescape)
        image/png  Content-ID <…>    site/achievements/<slug>/badge.png, inline

The result is an ordinary `EmailMessage`. Non-ASCII names are RFC 2047 encoded-words (7-bit
clean for any relay); only an address that is itself not ASCII needs SMTPUTF8 (`as_bytes` then
writes UTF-8 headers). Text parts are quoted-printable.

Speed (10,000 messages in seconds, not minutes): templates are compiled once; the badge part is
encoded and serialised once per achievement; headers are stored folded (`set_raw`) instead of
being parsed and refolded by the stock policy; `as_bytes` writes the known structure directly.
The stock machinery is the reference: a test checks that `as_bytes(msg)` equals
`msg.as_bytes(policy=…)` and that every header parses back to the same names.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.headerregistry
import email.policy
import functools
import hashlib
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import jinja2

from credpub import i18n
from credpub import paths
from credpub.layers import layer
from credpub.model import PlannedAward, SiteConfig, Theme
from credpub.site.colours import on_colour


class _HeaderRegistry(email.headerregistry.HeaderRegistry):
    """The stock registry makes a new class for every header it parses (a third of the time it
    takes to build a message); one class per header name is enough."""

    @functools.cache  # noqa: B019 — one registry per process: never freed, and that is fine
    def __getitem__(self, name: str) -> type:
        return super().__getitem__(name)


POLICY = email.policy.SMTP.clone(header_factory=_HeaderRegistry())  # CRLF, RFC 2047 for non-ASCII
POLICY_UTF8 = email.policy.SMTPUTF8.clone(header_factory=POLICY.header_factory)  # an address is not ASCII
_MESSAGE_ID = re.compile(r"^<[!-;=?-~]+@[!-;=?-~]+>$")  # ASCII, no spaces, no < > inside
_NEWLINE = re.compile(r"\r\n|\r|\n")  # as email.generator.NLCRE
_BOUNDARY = re.compile(r'^multipart/[a-z]+;.*\sboundary="(=_[A-Za-z0-9_]+)"$', re.DOTALL)  # ours (build_message)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


class AddressError(ValueError):
    """An email address that cannot be used (syntax); the message is for the user."""


@dataclass(frozen=True)
class Templates:
    """The email templates of theme/email/ in one language (the catalogue's), compiled once and
    reused for every message."""

    subject: jinja2.Template
    text: jinja2.Template
    html: jinja2.Template
    lang: i18n.Lang
    directory: Path

    @classmethod
    def load(cls, directory: Path | None = None, lang: str = i18n.SOURCE) -> Templates:
        return _load_templates(directory or paths.theme_dir() / "email", lang)


@functools.cache
def _load_templates(directory: Path, lang: str) -> Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    i18n.install(env, i18n.get(lang))
    return Templates(env.get_template("subject.txt"), env.get_template("message.txt"),
                     env.get_template("message.html"), i18n.get(lang), directory)


def award_language(planned: PlannedAward, site: SiteConfig) -> str:
    """The graduate's language: the award's `language` column, else the site's default."""
    return planned.award.language or site.languages[0]


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


def message_id(planned: PlannedAward, send_number: int, domain: str) -> str:
    """Deterministic per award and per send: the same for retries and for the rerun after a
    crash (so a receiver can drop a duplicate from the one unavoidable window — accepted but
    not yet journaled), different for a deliberate `--resend`. Derived from the claim token,
    itself an HMAC of the site secret: it reveals nothing about the learner."""
    digest = hashlib.sha256(f"credpub/message-id/v1\0{planned.claim_token}\0{send_number}".encode()).digest()
    tag = base64.b32encode(digest[:15]).decode("ascii").lower()
    return f"<credpub.{tag}.{send_number}@{ascii_domain(domain)}>"


def badge_cid(planned: PlannedAward, domain: str) -> str:
    """Content-ID (without <>) of the inline badge: one per achievement."""
    return f"badge.{planned.achievement.slug}@{ascii_domain(domain)}"


def colours(theme: Theme) -> dict[str, str]:
    """The email's colours: the issuer's (site.yml, checked when loaded), with text that reads
    on them by the rule the pages use (site/colours.py)."""
    return {"primary": theme.primary, "accent": theme.accent,
            "on_primary": on_colour(theme.primary), "on_accent": on_colour(theme.accent)}


def context(planned: PlannedAward, site: SiteConfig, claim_url: str, *, cid: str, privacy_url: str = "",
            lang: i18n.Lang | None = None) -> dict[str, Any]:
    L = lang or i18n.get(award_language(planned, site))
    award, achievement = planned.award, planned.achievement.in_language(L.code)
    return {
        "issuer": site.issuer,
        "learner": award,
        "achievement": achievement,
        "issued_on": L.date(award.issued_on),
        "ects": L.number(achievement.ects),
        "graded": bool(award.grade),
        "claim_url": claim_url,
        "layer": layer(achievement),
        "privacy_url": privacy_url,
        "site_url": site.url,
        "badge_cid": cid,
        "colours": colours(site.theme),
    }


@functools.lru_cache(maxsize=64)
def _image_part(png: bytes, cid: str, filename: str) -> MIMEPart:
    """The inline badge part, encoded once per achievement and shared by every message (the
    generator only reads it)."""
    part = MIMEPart(policy=POLICY)
    part.set_content(png, "image", "png", cid=f"<{cid}>", disposition="inline", filename=filename)
    part._credpub_wire = {}  # (linesep, utf8) → its bytes, filled by as_bytes; never mutated after
    return part


def _text_part(text: str, subtype: str) -> MIMEPart:
    """A UTF-8 text part, quoted-printable (binascii's C encoder: ~10x faster than set_content's)."""
    part = MIMEPart(policy=POLICY)
    part.set_raw("Content-Type", f'text/{subtype}; charset="utf-8"')  # ASCII, short: stored as is
    part.set_raw("Content-Transfer-Encoding", "quoted-printable")
    part.set_payload(binascii.b2a_qp(text.encode("utf-8"), istext=True).decode("ascii"))
    return part


_ATEXT = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$")  # an RFC 5322 atom: needs neither quotes nor encoding
_EW_BYTES = 45  # UTF-8 bytes per encoded-word: "=?utf-8?b?" + 60 base64 characters + "?=" = 72 ≤ 75
_FOLDED: dict[tuple[str, str, bool], str] = {}


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


def build_message(planned: PlannedAward, site: SiteConfig, claim_url: str, badge_png: bytes, *,
                  sender: Address | str | None = None, message_id: str | None = None,
                  date: dt.datetime | None = None, privacy_url: str = "", reply_to: Address | str | None = None,
                  templates: Templates | None = None) -> EmailMessage:
    """One graduate's email. `claim_url` is the full link (site.url + claim_path, possibly with a
    `#k=…` fragment); `sender` defaults to the issuer (name and email). Raises AddressError for
    an unusable recipient or sender address."""
    lang = award_language(planned, site)
    if templates is None or templates.lang.code != lang:
        templates = Templates.load(templates.directory if templates else None, lang)
    issuer = site.issuer
    issuer_address = parse_address(issuer.email)
    if sender is None:
        sender = Address(one_line(issuer.name), issuer_address.username, issuer_address.domain)
    elif isinstance(sender, str):
        sender = parse_address(sender)
    to = parse_address(planned.award.email)
    recipient = Address(one_line(planned.award.name), to.username, to.domain)
    if reply_to is None and issuer_address.addr_spec.lower() != sender.addr_spec.lower():
        reply_to = Address(one_line(issuer.name), issuer_address.username, issuer_address.domain)
    cid = badge_cid(planned, sender.domain)
    ctx = context(planned, site, claim_url, cid=cid, privacy_url=privacy_url, lang=templates.lang)
    # Boundaries: fixed per message (the generator then skips its search of the whole text for a
    # collision); "=_" can occur neither in quoted-printable nor in base64 text.
    tag = hashlib.sha256(f"{planned.claim_token}\0{message_id}".encode()).hexdigest()[:24]

    msg = EmailMessage(policy=POLICY)
    # Address and Subject headers are stored folded and encoded (set_raw), as the stock policy
    # would fold them: From, Reply-To and Subject are the same for many messages (folded once),
    # To is encoded by `mailbox_header` (the stock parser + folder took most of the time).
    msg.set_raw("From", folded_header("From", sender))
    msg.set_raw("To", mailbox_header(recipient))
    if reply_to is not None:
        msg.set_raw("Reply-To", folded_header("Reply-To", reply_to))
    msg.set_raw("Subject", subject_header(one_line(templates.subject.render(ctx))))
    msg._credpub_smtputf8 = needs_smtputf8(sender, recipient)  # for as_bytes: no need to parse From/To back
    # ASCII headers of our own making are stored as they are (set_raw: no parse, no refold).
    msg.set_raw("Date", format_datetime(date or dt.datetime.now(dt.UTC)))
    if message_id:
        if not _MESSAGE_ID.match(message_id):
            raise ValueError(f"not a Message-ID: {message_id!r}")
        msg.set_raw("Message-ID", message_id)
    msg.set_raw("MIME-Version", "1.0")
    msg.set_raw("Content-Type", f'multipart/alternative; boundary="=_alt_{tag}"')
    related = MIMEPart(policy=POLICY)
    related.set_raw("Content-Type", f'multipart/related; type="text/html";\r\n boundary="=_rel_{tag}"')  # folded: < 78
    related.attach(_text_part(templates.html.render(ctx), "html"))
    related.attach(_image_part(badge_png, cid, f"{planned.achievement.slug}.png"))
    msg.attach(_text_part(templates.text.render(ctx), "plain"))
    msg.attach(related)
    return msg


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
