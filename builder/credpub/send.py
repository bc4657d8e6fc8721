"""Send: email each graduate their claim link over SMTP, exactly once (`credpub send`).

    plan + built site/ ─▶ build_message (mail.py) ─▶ transport ─▶ outbox journal (outbox.py)

`send_all()` takes the plan (or the signed result), the built site (badge images come from it,
and every claim page must be in it) and a transport: `SmtpTransport` (smtplib; STARTTLS, TLS,
or none for local tests) or `DryRunWriter` (one .eml file per message). Every message a server
accepts is journaled (append + fsync right after the 250 to DATA), so that a rerun after a
crash, a kill or an SMTP error sends only what is missing. Transient failures (4xx, dropped
connection, timeout) are retried with exponential backoff; permanent ones (5xx for a recipient,
a bad address) are reported at the end; a failed login stops the run at once.

The one window no client can close: a server accepted a message and the process died before
the journal line was written. That award is sent again on the rerun — with the same
Message-ID, so that the receiving system can recognise the duplicate.

`run_send()` is what the `credpub send` command calls: content + keys → plan, settings from
site.yml `smtp:` and the environment, then `send_all()`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import os
import re
import smtplib
import socket
import ssl
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Protocol, Self

import yaml

from .errors import CredpubError, UsageError
from .mail import (
    AddressError,
    Templates,
    as_bytes,
    build_message,
    envelope_address,
    message_id,
    needs_smtputf8,
    one_line,
    parse_address,
)
from .model import Plan, PlannedAward, Signed
from .outbox import Outbox

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
SMTP_KEYS = ("host", "port", "security", "user", "from")  # site.yml `smtp:`; the password: environment only
ENV = {"host": "CREDPUB_SMTP_HOST", "port": "CREDPUB_SMTP_PORT", "security": "CREDPUB_SMTP_SECURITY",
       "user": "CREDPUB_SMTP_USER", "from": "CREDPUB_SMTP_FROM"}
ENV_PASSWORD = "CREDPUB_SMTP_PASSWORD"
JOURNAL_FILE = "outbox.jsonl"
ATTEMPTS = 4  # per message: the first try and three retries …
BACKOFF = 2.0  # … after 2, 4 and 8 seconds
MAX_CONSECUTIVE_FAILURES = 5  # temporary failures in a row (after retries): the server is unwell, stop


# -- errors ---------------------------------------------------------------------------------------

class SendError(CredpubError):
    """`credpub send` stopped. `report` says what was sent before (all of it is in the journal)."""

    def __init__(self, message: str, report: SendReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class SmtpConfigError(SendError):
    """The SMTP settings (site.yml `smtp:` or CREDPUB_SMTP_*) are incomplete or wrong."""

    exit_code = 2


class SiteNotBuiltError(SendError):
    """The built site is missing, or older than the content: `credpub send` runs after `credpub build`."""


class SmtpAuthError(SendError):
    """The server refused the login (535): nothing more is attempted."""


class SendAborted(SendError):
    """The run cannot go on (server unreachable, TLS refused, sender rejected)."""


class TransientFailure(Exception):
    """Worth retrying: a 4xx reply, a dropped connection, a timeout. `connect`: no session could
    be opened at all (server unreachable)."""

    def __init__(self, reply: str, *, connect: bool = False) -> None:
        super().__init__(reply)
        self.reply = reply
        self.connect = connect


class PermanentFailure(Exception):
    """This message cannot be delivered (5xx for the recipient, a bad address); others can."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


# -- settings -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls | tls | none
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""  # From: "Name <address>" or "address"; default: the issuer
    timeout: float = 60.0

    def __str__(self) -> str:
        who = f"{self.user}@" if self.user else ""
        return f"smtp://{who}{self.host}:{self.port} ({self.security})"


def smtp_settings(site_yml: Path | None, env: Mapping[str, str] | None = None, *, need_server: bool = True) -> SmtpSettings:
    """Settings from site.yml's `smtp:` mapping, overridden by CREDPUB_SMTP_* variables; the
    password only from CREDPUB_SMTP_PASSWORD. `need_server=False` (dry run): no host needed."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    if site_yml is not None and site_yml.is_file():
        try:
            data = yaml.safe_load(site_yml.read_text("utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            raise SmtpConfigError(f"{site_yml}: cannot read it: {e}") from None
        block = data.get("smtp") if isinstance(data, dict) else None
        if block is not None:
            if not isinstance(block, dict):
                raise SmtpConfigError(f"{site_yml}: smtp: must be a mapping with {', '.join(SMTP_KEYS)}")
            if "password" in block:
                raise SmtpConfigError(f"{site_yml}: smtp.password: never put the password in site.yml (it is "
                                      f"committed); set {ENV_PASSWORD} in the environment instead")
            unknown = sorted(str(k) for k in block if k not in SMTP_KEYS)
            if unknown:
                raise SmtpConfigError(f"{site_yml}: smtp: unknown field {', '.join(unknown)}; the fields are {', '.join(SMTP_KEYS)}")
            values.update({k: v for k, v in block.items() if v is not None and v != ""})
    for key, var in ENV.items():
        if env.get(var):
            values[key] = env[var]
    where = f"{site_yml} smtp: / CREDPUB_SMTP_*" if site_yml else "CREDPUB_SMTP_*"
    security = str(values.get("security", "starttls")).strip().lower()
    if security not in SECURITY:
        raise SmtpConfigError(f"{where}: security must be one of {', '.join(SECURITY)}, got {security!r}")
    port: Any = values.get("port", DEFAULT_PORTS[security])
    try:
        port = int(str(port).strip())
        if not 0 < port < 65536:
            raise ValueError
    except ValueError:
        raise SmtpConfigError(f"{where}: port must be a number from 1 to 65535, got {values.get('port')!r}") from None
    host = str(values.get("host", "")).strip()
    user = str(values.get("user", "")).strip()
    password = env.get(ENV_PASSWORD, "")
    sender = str(values.get("from", "")).strip()
    if need_server and not host:
        raise SmtpConfigError(f"no SMTP server: set smtp.host in site.yml or {ENV['host']} (or use --dry-run DIR)")
    if need_server and user and not password:
        raise SmtpConfigError(f"SMTP user {user!r} is set but {ENV_PASSWORD} is not: put the password in the environment")
    if need_server and password and not user:
        raise SmtpConfigError(f"{ENV_PASSWORD} is set but no user: set smtp.user in site.yml or {ENV['user']}")
    if need_server and user and security == "none" and not is_loopback(host):
        raise SmtpConfigError(f"security: none would send the SMTP password unencrypted to {host}; "
                              f"use starttls or tls (none is for a server on this machine)")
    if sender:
        parse_sender(sender, "")  # fail now, not at the first message
    return SmtpSettings(host=host, port=port, security=security, user=user, password=password, sender=sender)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_sender(value: str, default_name: str) -> Address:
    """`Name <addr>` or `addr` → Address (the issuer's name when none is given)."""
    name, addr = parseaddr(value)
    if not addr:
        raise SmtpConfigError(f"from: not an email address: {value!r}")
    try:
        address = parse_address(addr)
    except AddressError as e:
        raise SmtpConfigError(f"from: {e}") from None
    return Address(one_line(name or default_name), address.username, address.domain)


# -- transports -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outgoing:
    """One message to hand to a transport."""

    planned: PlannedAward
    message: EmailMessage
    sender: Address
    recipient: Address

    @property
    def smtputf8(self) -> bool:
        return needs_smtputf8(self.sender, self.recipient)


class Transport(Protocol):
    records: bool  # True: what it accepts is journaled (SMTP); False: a dry run

    def deliver(self, out: Outgoing) -> str:
        """Hand over one message; return the server's reply (or a note). Raise TransientFailure,
        PermanentFailure, or SendError to stop the run."""

    def close(self) -> None: ...


class DryRunWriter:
    """`--dry-run DIR`: writes `<achievement>__<learner_id>.eml` for each message, sends nothing."""

    records = False

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.written: list[Path] = []
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise UsageError(f"cannot create the dry-run folder {directory}: {e.strerror or e}") from None

    def path_for(self, planned: PlannedAward) -> Path:
        learner = planned.award.learner_id
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", learner).lstrip(".") or "_"
        if safe != learner:  # keep names distinct when two ids differ only in unsafe characters
            safe += "-" + hashlib.sha256(learner.encode("utf-8")).hexdigest()[:8]
        return self.directory / f"{planned.achievement.slug}__{safe}.eml"

    def deliver(self, out: Outgoing) -> str:
        path = self.path_for(out.planned)
        try:
            path.write_bytes(as_bytes(out.message))
        except OSError as e:
            raise SendAborted(f"cannot write {path}: {e.strerror or e}") from None
        self.written.append(path)
        return f"written to {path}"

    def close(self) -> None:
        pass


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(f"{code} {text}".split())


class SmtpTransport:
    """smtplib, one connection reused for every message and reopened when it drops. TLS is
    verified with `ssl_context` (default: the system's trust store, hostname checked)."""

    records = True

    def __init__(self, settings: SmtpSettings, *, ssl_context: ssl.SSLContext | None = None,
                 local_hostname: str | None = None) -> None:
        self.settings = settings
        self.ssl_context = ssl_context
        self.local_hostname = local_hostname
        self._smtp: smtplib.SMTP | None = None
        self.connections = 0  # sessions opened (a test reads it)

    # -- session --

    def _context(self) -> ssl.SSLContext:
        if self.ssl_context is None:
            self.ssl_context = ssl.create_default_context()
        return self.ssl_context

    def _session(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        where = f"{s.host}:{s.port}"
        smtp: smtplib.SMTP | None = None
        try:
            if s.security == "tls":
                smtp = smtplib.SMTP_SSL(s.host, s.port, local_hostname=self.local_hostname, timeout=s.timeout,
                                        context=self._context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, local_hostname=self.local_hostname, timeout=s.timeout)
            smtp.ehlo_or_helo_if_needed()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise SendAborted(f"the SMTP server {where} does not offer STARTTLS; refusing to send in "
                                      f"clear text (use security: tls for port 465)")
                code, text = smtp.starttls(context=self._context())
                if code != 220:
                    raise SendAborted(f"the SMTP server {where} refused STARTTLS: {_reply(code, text)}")
                smtp.ehlo()
            if s.user:
                _login(smtp, s.user, s.password)
        except smtplib.SMTPAuthenticationError as e:
            _close(smtp)
            if 400 <= e.smtp_code < 500:
                raise TransientFailure(f"login: {_reply(e.smtp_code, e.smtp_error)}", connect=True) from None
            raise SmtpAuthError(f"the SMTP server {where} refused the login for {s.user!r}: "
                                f"{_reply(e.smtp_code, e.smtp_error)}. Check {ENV['user']} and {ENV_PASSWORD}; "
                                f"nothing more was attempted") from None
        except smtplib.SMTPNotSupportedError as e:
            _close(smtp)
            raise SendAborted(f"the SMTP server {where}: {e}") from None
        except ssl.SSLCertVerificationError as e:
            _close(smtp)
            raise SendAborted(f"the TLS certificate of {where} is not trusted: {e.verify_message or e}") from None
        except ssl.SSLError as e:
            _close(smtp)
            hint = " (is it a TLS port? port 465 is tls, 587 is starttls)" if s.security == "tls" else ""
            raise SendAborted(f"TLS with {where} failed: {e.reason or e}{hint}") from None
        except smtplib.SMTPConnectError as e:
            _close(smtp)
            if 400 <= e.smtp_code < 500:
                raise TransientFailure(f"connect: {_reply(e.smtp_code, e.smtp_error)}", connect=True) from None
            raise SendAborted(f"the SMTP server {where} refused the connection: {_reply(e.smtp_code, e.smtp_error)}") from None
        except smtplib.SMTPResponseException as e:  # EHLO/HELO refused, …
            _close(smtp)
            if 400 <= e.smtp_code < 500:
                raise TransientFailure(_reply(e.smtp_code, e.smtp_error), connect=True) from None
            raise SendAborted(f"the SMTP server {where}: {_reply(e.smtp_code, e.smtp_error)}") from None
        except (smtplib.SMTPServerDisconnected, OSError) as e:  # refused, reset, timeout, DNS
            _close(smtp)
            raise TransientFailure(f"cannot connect to {where}: {_os_reason(e)}", connect=True) from None
        except smtplib.SMTPException as e:  # e.g. no AUTH mechanism in common
            _close(smtp)
            raise SendAborted(f"the SMTP server {where}: {e}") from None
        except BaseException:
            _close(smtp)
            raise
        self._smtp = smtp
        self.connections += 1
        return smtp

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        _close(smtp)

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                _close(smtp)

    # -- one message --

    def deliver(self, out: Outgoing) -> str:
        smtp = self._session()
        sender, recipient = envelope_address(out.sender), envelope_address(out.recipient)
        mail_options: list[str] = []
        if out.smtputf8:
            if not smtp.has_extn("smtputf8"):
                raise PermanentFailure(f"the address {recipient} is not ASCII and the server does not offer SMTPUTF8")
            mail_options = ["SMTPUTF8", "BODY=8BITMIME"]
        data = as_bytes(out.message)
        try:
            code, text = smtp.mail(sender, mail_options)
            if code != 250:
                self._refused(code, text, "MAIL FROM", sender)
            code, text = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._refused(code, text, "RCPT TO", recipient)
            code, text = smtp.data(data)
            if code != 250:
                self._refused(code, text, "DATA", recipient)
            return _reply(code, text)
        except smtplib.SMTPDataError as e:  # DATA itself refused (no 354)
            self._refused(e.smtp_code, e.smtp_error, "DATA", recipient)
        except smtplib.SMTPServerDisconnected as e:
            self._drop()
            raise TransientFailure(f"connection lost: {e}") from None
        except OSError as e:  # reset, timeout
            self._drop()
            raise TransientFailure(f"connection lost: {_os_reason(e)}") from None
        raise AssertionError("unreachable")

    def _refused(self, code: int, text: bytes | str, stage: str, address: str) -> None:
        reply = _reply(code, text)
        if code == 421 or code < 200:  # closing the channel (or a reply that makes no sense)
            self._drop()
            raise TransientFailure(reply)
        self._reset()
        if 400 <= code < 500:
            raise TransientFailure(reply)
        if stage == "MAIL FROM":
            if code in (530, 535, 538):
                raise SmtpAuthError(f"the SMTP server {self.settings.host} requires authentication: {reply} "
                                    f"(set {ENV['user']} and {ENV_PASSWORD})")
            raise SendAborted(f"the SMTP server {self.settings.host} refused the sender {address}: {reply}")
        raise PermanentFailure(reply)

    def _reset(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login, except for a non-ASCII user or password, which it cannot encode: then
    AUTH PLAIN (or LOGIN) with UTF-8, as RFC 4616 specifies."""
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    mechanisms = smtp.esmtp_features["auth"].upper().split()

    def b64(b: bytes) -> str:
        return base64.b64encode(b).decode("ascii")

    if "PLAIN" in mechanisms:
        code, text = smtp.docmd("AUTH", "PLAIN " + b64(b"\0" + user.encode() + b"\0" + password.encode()))
    elif "LOGIN" in mechanisms:
        code, text = smtp.docmd("AUTH", "LOGIN " + b64(user.encode()))
        if code == 334:
            code, text = smtp.docmd(b64(password.encode()))
    else:
        raise smtplib.SMTPException("the server offers no AUTH mechanism (PLAIN or LOGIN) for a non-ASCII password")
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, text)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.close()
        except OSError:  # pragma: no cover
            pass


def _os_reason(e: BaseException) -> str:
    if isinstance(e, (socket.timeout, TimeoutError)):
        return "timed out"
    return getattr(e, "strerror", None) or str(e) or type(e).__name__


# -- the report -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Delivery:
    learner_id: str
    achievement: str
    email: str
    message_id: str
    reply: str  # the server's reply to DATA, or where a dry run wrote the message


@dataclass(frozen=True)
class Failure:
    learner_id: str
    achievement: str
    email: str
    reply: str  # the server's reply (or why it was not tried)
    permanent: bool


@dataclass
class SendReport:
    journal: Path
    dry_run: bool = False
    dry_run_dir: Path | None = None  # where a dry run wrote its .eml files
    sent: list[Delivery] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    already_sent: list[tuple[str, str]] = field(default_factory=list)
    revoked: list[tuple[str, str]] = field(default_factory=list)
    not_attempted: int = 0  # left when the run stopped
    journal_unreadable: int = 0  # torn lines ignored in the journal
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_attempted

    def summary_lines(self) -> list[str]:
        n = f"{len(self.sent)} message{'s' if len(self.sent) != 1 else ''}"
        if self.dry_run:
            lines = [f"wrote {n} into {self.dry_run_dir} in {self.seconds:.1f} s (dry run: nothing was sent)"]
        else:
            lines = [f"sent {n} in {self.seconds:.1f} s; journal: {self.journal}"]
        if self.already_sent:
            lines.append(f"skipped {len(self.already_sent)} already sent (--resend to send again)")
        for learner_id, slug in self.revoked:
            lines.append(f"skipped {learner_id} {slug}: revoked")
        if self.journal_unreadable:
            lines.append(f"warning: ignored {self.journal_unreadable} unreadable line(s) in {self.journal} (a torn write)")
        if self.not_attempted:
            lines.append(f"{self.not_attempted} not attempted: the run stopped; run again to send them")
        if self.failed:
            lines.append(f"FAILED {len(self.failed)}:")
            for f in self.failed:
                kind = "" if f.permanent else " [temporary: run again later]"
                lines.append(f"  {f.email} ({f.learner_id}, {f.achievement}): {f.reply}{kind}")
        return lines


# -- progress -------------------------------------------------------------------------------------

class PlainProgress:
    """click.progressbar's interface for a log or a pipe: a line every 5 % (at least every 10
    messages) and at the end."""

    def __init__(self, length: int, label: str = "", file: Any = None) -> None:
        self.length, self.label, self.file = length, label, file or sys.stderr
        self.done = 0
        self._step = max(10, length // 20)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def update(self, n: int) -> None:
        self.done += n
        if self.done % self._step == 0 or self.done == self.length:
            print(f"{self.label} {self.done}/{self.length}", file=self.file, flush=True)


def console_progress(file: Any = None) -> Callable[..., AbstractContextManager[Any]]:
    """A progress factory for `send_all`: click.progressbar on a terminal, else PlainProgress."""
    file = file or sys.stderr

    def factory(length: int, label: str = "") -> AbstractContextManager[Any]:
        if getattr(file, "isatty", lambda: False)():
            import click

            return click.progressbar(length=length, label=label, file=file, show_pos=True)
        return PlainProgress(length, label, file)

    return factory


class _NoProgress:
    def update(self, n: int) -> None:
        pass


# -- sending --------------------------------------------------------------------------------------

def default_journal(keys_dir: Path) -> Path:
    return Path(keys_dir) / JOURNAL_FILE


def privacy_path(privacy_page: str) -> str:
    """Site path of the privacy page: privacy.md → privacy/ (index.md → the home page)."""
    stem = Path(privacy_page).with_suffix("").as_posix()
    return "" if stem == "index" else f"{stem}/"


def _outside(path: Path, site_dir: Path, what: str) -> None:
    if Path(path).resolve().is_relative_to(Path(site_dir).resolve()):
        raise UsageError(f"the {what} {path} is inside the site folder {site_dir}: emails and the journal "
                         f"must never be published; put it elsewhere")


def _check_site(site_dir: Path, todo: list[PlannedAward]) -> dict[str, bytes]:
    """Badge PNG per achievement, from the built site; every claim page must be there."""
    _site_exists(site_dir)
    badges: dict[str, bytes] = {}
    for p in todo:
        slug = p.achievement.slug
        if slug in badges:
            continue
        png = site_dir / "achievements" / slug / "badge.png"
        try:
            badges[slug] = png.read_bytes()
        except OSError:
            raise SiteNotBuiltError(f"{png} is missing: the built site is older than the content; "
                                    f"run `credpub build` again") from None
    missing = [p for p in todo if not (site_dir / p.claim_path / "index.html").is_file()]
    if missing:
        p = missing[0]
        raise SiteNotBuiltError(f"the built site {site_dir} has no claim page for {len(missing)} of the "
                                f"awards to send (e.g. {p.award.learner_id}, {p.achievement.slug}): it is older "
                                f"than the content or was built with other keys; run `credpub build` again")
    return badges


def _site_exists(site_dir: Path) -> None:
    if not site_dir.is_dir():
        raise SiteNotBuiltError(f"the built site {site_dir} was not found: run `credpub build` first "
                                f"(the emails take the badge images from it), or pass --site DIR")


def send_all(signed_or_plan: Signed | Plan, *, site_dir: Path, transport: Transport, journal: Path,
             only: Iterable[str] = (), resend: bool = False,
             progress: Callable[..., AbstractContextManager[Any]] | None = None,
             sleep: Callable[[float], None] = time.sleep, sender: Address | str | None = None,
             claim_url: Callable[[PlannedAward], str] | None = None,
             attempts: int = ATTEMPTS, backoff: float = BACKOFF,
             max_consecutive_failures: int = MAX_CONSECUTIVE_FAILURES,
             now: Callable[[], dt.datetime] | None = None, templates: Templates | None = None) -> SendReport:
    """Email every award of the plan that is not revoked and not yet in the journal.

    `only`: learner ids (all their awards). `resend`: also those already sent. `claim_url`:
    the link per award (default site.url + claim_link: the encrypted layers add `#k=…`).
    `progress`: a click.progressbar-like factory (length=, label=). Returns the report; raises
    SendError (with `.report`) when the run has to stop (login refused, server unreachable)."""
    start = time.perf_counter()
    the_plan: Plan = signed_or_plan.plan if isinstance(signed_or_plan, Signed) else signed_or_plan
    site = the_plan.content.site
    site_dir, journal = Path(site_dir), Path(journal)
    _site_exists(site_dir)
    _outside(journal, site_dir, "outbox journal")
    if isinstance(transport, DryRunWriter):
        _outside(transport.directory, site_dir, "dry-run folder")
    only = set(only)
    unknown = sorted(only - {p.award.learner_id for p in the_plan.awards})
    if unknown:
        raise UsageError(f"--only: no award for learner {', '.join(unknown)}")
    if isinstance(sender, str):
        sender = parse_sender(sender, site.issuer.name)
    if sender is None:
        sender = parse_sender(site.issuer.email, site.issuer.name)
    claim_url = claim_url or (lambda p: site.url + p.claim_link)  # with its #k=… key when encrypted
    now = now or (lambda: dt.datetime.now(dt.UTC))

    outbox = Outbox.open(journal) if transport.records else Outbox.read_only(journal)
    report = SendReport(journal=journal, dry_run=not transport.records, journal_unreadable=outbox.unreadable,
                        dry_run_dir=getattr(transport, "directory", None))
    with outbox:
        todo: list[PlannedAward] = []
        for p in the_plan.awards:
            key = p.award.key
            if only and p.award.learner_id not in only:
                continue
            if p.revocation is not None:
                report.revoked.append(key)
            elif outbox.sends(key) and not resend:
                report.already_sent.append(key)
            else:
                todo.append(p)
        if not todo:
            report.seconds = time.perf_counter() - start
            return report
        badges = _check_site(site_dir, todo)
        privacy = privacy_path(site.privacy_page)
        privacy_url = site.url + privacy if (site_dir / privacy / "index.html").is_file() else ""
        templates = templates or Templates.load()
        label = "writing" if report.dry_run else "sending"
        consecutive = 0
        bar_cm = progress(length=len(todo), label=label) if progress else nullcontext(_NoProgress())
        try:
            with bar_cm as bar:
                for i, p in enumerate(todo):
                    award = p.award
                    mid = message_id(p, outbox.sends(award.key) + 1, sender.domain)
                    try:
                        msg = build_message(p, site, claim_url(p), badges[p.achievement.slug], sender=sender,
                                            message_id=mid, date=now(), privacy_url=privacy_url, templates=templates)
                        recipient = parse_address(award.email)  # (valid: build_message checked it)
                    except AddressError as e:
                        report.failed.append(Failure(award.learner_id, award.achievement, award.email, str(e), True))
                        bar.update(1)
                        continue
                    result = _deliver(transport, Outgoing(p, msg, sender, recipient), attempts, backoff, sleep)
                    if isinstance(result, str):
                        if transport.records:
                            outbox.record({"learner_id": award.learner_id, "achievement": award.achievement,
                                           "email": award.email, "message_id": mid, "reply": result,
                                           "accepted_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
                        report.sent.append(Delivery(award.learner_id, award.achievement, award.email, mid, result))
                        consecutive = 0
                    else:
                        report.failed.append(Failure(award.learner_id, award.achievement, award.email, result.reply,
                                                     isinstance(result, PermanentFailure)))
                        consecutive = 0 if isinstance(result, PermanentFailure) else consecutive + 1
                        if consecutive >= max_consecutive_failures:
                            report.not_attempted = len(todo) - i - 1
                            raise SendAborted(f"{consecutive} messages in a row failed temporarily (last: "
                                              f"{result.reply}); stopping. Run again later: what was sent is in the journal")
                    bar.update(1)
        except SendError as e:
            if not report.not_attempted:
                report.not_attempted = len(todo) - len(report.sent) - len(report.failed)
            report.seconds = time.perf_counter() - start
            e.report = report
            done = f"{len(report.sent)} sent before this (in the journal {journal}); " if not report.dry_run else ""
            e.args = (f"{e}\n{done}{report.not_attempted} not attempted; run again to resume",)
            raise
        finally:
            transport.close()
    report.seconds = time.perf_counter() - start
    return report


def _deliver(transport: Transport, out: Outgoing, attempts: int, backoff: float,
             sleep: Callable[[float], None]) -> str | TransientFailure | PermanentFailure:
    """The server's reply, or the failure after retrying the transient ones."""
    last: TransientFailure | None = None
    for attempt in range(attempts):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        try:
            return transport.deliver(out)
        except PermanentFailure as e:
            return e
        except TransientFailure as e:
            last = e
    assert last is not None
    if last.connect:
        raise SendAborted(f"could not reach the SMTP server after {attempts} attempts: {last.reply}")
    last.reply = f"{last.reply} (after {attempts} attempts)"
    return last


def run_send(content_dir: Path, *, keys: Any = None, keys_dir: Path = Path(".credpub"), site_dir: Path = Path("site"),
             journal: Path | None = None, dry_run: Path | None = None, only: Iterable[str] = (), resend: bool = False,
             progress: Callable[..., AbstractContextManager[Any]] | None = None, env: Mapping[str, str] | None = None,
             ssl_context: ssl.SSLContext | None = None, sleep: Callable[[float], None] = time.sleep,
             local_hostname: str | None = None) -> SendReport:
    """`credpub send`: content + keys → plan; settings from site.yml `smtp:` and CREDPUB_SMTP_*;
    then `send_all` over SMTP, or into .eml files with `dry_run`."""
    from .keys import load_keys
    from .pipeline import load_valid_content
    from .plan import plan

    content = load_valid_content(Path(content_dir))
    settings = smtp_settings(Path(content_dir) / "site.yml", env, need_server=dry_run is None)
    the_plan = plan(content, keys if keys is not None else load_keys(Path(keys_dir)))
    journal = Path(journal) if journal is not None else default_journal(keys_dir)
    transport: Transport
    if dry_run is not None:
        _outside(Path(dry_run), Path(site_dir), "dry-run folder")
        transport = DryRunWriter(Path(dry_run))
    else:
        transport = SmtpTransport(settings, ssl_context=ssl_context, local_hostname=local_hostname)
    return send_all(the_plan, site_dir=Path(site_dir), transport=transport, journal=journal, only=only, resend=resend,
                    progress=progress, sleep=sleep, sender=settings.sender or None)
