"""SMTP transports for `credpub send`: `SmtpTransport` (smtplib: STARTTLS, implicit TLS, or
none for a local relay; one session, reopened when it drops) and `DryRunWriter` (one .eml file
per message).

A transport raises TransientFailure (worth retrying: 4xx, dropped connection, timeout) or
PermanentFailure (this message cannot be delivered; others can); what to do about either is
send.py's business.
"""

from __future__ import annotations

import base64
import hashlib
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from credpub.errors import SendAborted, SmtpAuthError, UsageError
from credpub.mail.headers import envelope_address, needs_smtputf8
from credpub.mail.mime import as_bytes
from credpub.mail.settings import ENV, ENV_PASSWORD, SmtpSettings
from credpub.model import PlannedAward


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
