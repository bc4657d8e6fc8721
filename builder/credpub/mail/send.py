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

`run_send()` is what the `credpub send` command calls: the build context → plan (pipeline.py), settings from
site.yml `smtp:` and the environment, then `send_all()`.
"""

from __future__ import annotations

import datetime as dt
import ssl
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path
from typing import Any, Self

from credpub import clock
from credpub.build.pipeline import plan_content
from credpub.context import BuildContext
from credpub import layout
from credpub.errors import SendAborted, SendError, SiteNotBuiltError, UsageError
from credpub.mail.headers import AddressError, parse_address
from credpub.mail.message import Templates, award_language, build_message, message_id
from credpub.model import Plan, PlannedAward, Signed, SiteConfig
from credpub.mail.outbox import Outbox
from credpub.mail.settings import parse_sender, smtp_settings
from credpub.mail.transport import (
    DryRunWriter,
    Outgoing,
    PermanentFailure,
    SmtpTransport,
    TransientFailure,
    Transport,
)

JOURNAL_FILE = "outbox.jsonl"
ATTEMPTS = 4  # per message: the first try and three retries …
BACKOFF = 2.0  # … after 2, 4 and 8 seconds
MAX_CONSECUTIVE_FAILURES = 5  # temporary failures in a row (after retries): the server is unwell, stop


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


def _check_site(site_dir: Path, todo: list[PlannedAward], site: SiteConfig) -> dict[tuple[str, str], bytes]:
    """Badge PNG per (achievement, email language), from the built site: the email shows the
    badge in its own language. Every claim page must be there."""
    _site_exists(site_dir)
    badges: dict[tuple[str, str], bytes] = {}
    for p in todo:
        key = (p.achievement.slug, award_language(p, site))
        if key in badges:
            continue
        png = site_dir / layout.badge_png(key[0], key[1], site.languages[0] if site.languages else None)
        try:
            badges[key] = png.read_bytes()
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
             now: Callable[[], dt.datetime] | None = None, templates: Templates | None = None,
             changed: bool = False) -> SendReport:
    """Email every award of the plan that is not revoked and not yet in the journal.

    `only`: learner ids (all their awards). `resend`: also those already sent. `claim_url`:
    the link per award (default site.url + claim_link: the encrypted layers add `#k=…`).
    `changed`: only corrected awards (re-issued, statuslock.py) whose new credential no message
    has carried yet.
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
    now = now or clock.now

    outbox = Outbox.open(journal) if transport.records else Outbox.read_only(journal)
    report = SendReport(journal=journal, dry_run=not transport.records, journal_unreadable=outbox.unreadable,
                        dry_run_dir=getattr(transport, "directory", None))
    with outbox:
        todo: list[PlannedAward] = []
        mailed = {(e["learner_id"], e["achievement"], e.get("credential_id")) for e in outbox.entries}
        for p in the_plan.awards:
            key = p.award.key
            if only and p.award.learner_id not in only:
                continue
            if changed and (p.revision == 0 or (*key, p.credential_id) in mailed):
                continue
            if p.revocation is not None:
                report.revoked.append(key)
            elif outbox.sends(key) and not resend and not changed:
                report.already_sent.append(key)
            else:
                todo.append(p)
        if not todo:
            report.seconds = time.perf_counter() - start
            return report
        badges = _check_site(site_dir, todo, site)
        privacy = privacy_path(site.privacy_page)
        privacy_url = site.url + privacy if (site_dir / privacy / "index.html").is_file() else ""

        def privacy_in(lang: str) -> str:  # the graduate's language's terms (privacy.en.md → privacy/en/)
            there = (site_dir / privacy / lang / "index.html").is_file() and lang != (site.languages or ("",))[0]
            return f"{privacy_url}{lang}/" if privacy_url and lang and there else privacy_url
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
                        msg = build_message(p, site, claim_url(p), badges[(p.achievement.slug, award_language(p, site))], sender=sender,
                                            message_id=mid, date=now(), privacy_url=privacy_in(award.language), templates=templates)
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
                                           "credential_id": p.credential_id,
                                           "accepted_at": clock.now().isoformat(timespec="seconds")})
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


def run_send(ctx: BuildContext, *, site_dir: Path = Path("site"), journal: Path | None = None,
             dry_run: Path | None = None, only: Iterable[str] = (), resend: bool = False,
             progress: Callable[..., AbstractContextManager[Any]] | None = None, env: Mapping[str, str] | None = None,
             ssl_context: ssl.SSLContext | None = None, sleep: Callable[[float], None] = time.sleep,
             local_hostname: str | None = None, changed: bool = False) -> SendReport:
    """`credpub send`: the context's content + keys → plan (awards dated after its build day are
    not built yet, so not emailed either); settings from site.yml `smtp:` and CREDPUB_SMTP_*;
    then `send_all` over SMTP, or into .eml files with `dry_run`. The journal defaults to the
    key folder's."""
    the_plan = plan_content(ctx)
    settings = smtp_settings(the_plan.content.site.smtp, env, need_server=dry_run is None)
    journal = Path(journal) if journal is not None else default_journal(ctx.key_folder)
    transport: Transport
    if dry_run is not None:
        _outside(Path(dry_run), Path(site_dir), "dry-run folder")
        transport = DryRunWriter(Path(dry_run))
    else:
        transport = SmtpTransport(settings, ssl_context=ssl_context, local_hostname=local_hostname)
    return send_all(the_plan, site_dir=Path(site_dir), transport=transport, journal=journal, only=only, resend=resend,
                    progress=progress, sleep=sleep, sender=settings.sender or None, changed=changed)
