"""Typed, user-facing errors. Only the CLI prints them; everything else raises or returns them."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class CredpubError(Exception):
    """Base of every error credpub reports to a user. `str(e)` is the message to print."""

    exit_code = 1


class ContentError(CredpubError):
    """A problem in the issuer's content: `file:line: field: message`, with a hint on what to do."""

    def __init__(self, path: Path | str, line: int, field: str, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentErrors(CredpubError):
    """Every problem found in content, collected so that the issuer sees all of them at once."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(errors, key=lambda e: (str(e.path), e.line, e.field))
        super().__init__(str(self))

    def summary(self, outcome: str | None = None) -> str:
        """The last line: how many problems, and what did not happen because of them (the shell
        knows which command it ran: "nothing was built" is for build and check only)."""
        n = len(self.errors)
        return f"{n} problem{'s' if n != 1 else ''} found in content" + (f"; {outcome}." if outcome else ".")

    def __str__(self) -> str:
        return "\n".join([*(str(e) for e in self.errors), self.summary()])


class KeyMaterialError(CredpubError):
    """Missing, unreadable or wrongly protected signing key or site secret."""


class SigningError(CredpubError):
    """A document cannot be signed as it is (e.g. a term no context defines)."""


class CanonicalizationError(SigningError):
    """RDFC-1.0 or JCS could not canonicalize the input."""


class BuildError(CredpubError):
    """The build could not complete; the previous site is untouched."""


class UsageError(CredpubError):
    """Wrong arguments or an input file that cannot be read (exit 2)."""

    exit_code = 2


class SendError(CredpubError):
    """`credpub send` stopped. `report` says what was sent before (all of it is in the journal)."""

    def __init__(self, message: str, report: Any = None) -> None:
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
