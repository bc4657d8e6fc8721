"""Issuing commands: build, links, send, revoke, demo."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from credpub import dates, layout, paths
from credpub.cli.common import DEMO_KEYS, content_option, issuer_content, keys_option, main, make_context, reports_errors
from credpub.errors import UsageError


@main.command("build")
@content_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("site"), show_default=True)
@keys_option
@click.option("--pdf", "pdf_dir", type=click.Path(path_type=Path), default=None, help="Also write one certificate PDF per award here.")
@click.option("--full", is_flag=True, help="Sign and write everything, even what the previous build could reuse.")
@reports_errors
def build_command(content_dir: Path | None, out_dir: Path, keys_dir: Path, pdf_dir: Path | None, full: bool) -> None:
    """Build the site: credentials, pages, badges, DID document, status lists. Rebuilds are
    incremental: only awards whose inputs changed are signed and written (KEYS/cache/ keeps the manifest)."""
    from credpub.build.pipeline import BuildOptions, build

    ctx = make_context(issuer_content(content_dir), keys_dir)
    report = build(ctx, BuildOptions(out_dir, full=full, pdf_dir=pdf_dir))
    click.echo(report.summary(out_dir))
    from credpub.rules import printable

    click.echo(report.host)
    for warning in report.warnings:
        click.secho(printable(f"warning: {warning}"), fg="yellow", err=True)
    for note in report.notes:
        click.echo(printable(f"note: {note}"))  # notes name files from disk
    if pdf_dir is not None:
        click.echo(f"wrote {report.pdfs} certificate PDFs into {pdf_dir}")


@main.command("links")
@content_option
@keys_option
@click.option("--csv", "as_csv", is_flag=True, help="CSV for mail-merge tools.")
@reports_errors
def links_command(content_dir: Path | None, keys_dir: Path, as_csv: bool) -> None:
    """List each award's claim and share links."""
    from credpub import csvsafe
    from credpub.build.pipeline import plan_content

    ctx = make_context(issuer_content(content_dir), keys_dir)
    the_plan = plan_content(ctx)
    if the_plan.scheduled:
        click.echo(f"{len(the_plan.scheduled)} awards dated after today ({ctx.today}, UTC) are held back and not listed "
                   "(`credpub check` lists them)", err=True)
    url = the_plan.content.site.url
    # Generated passphrases are given here so the issuer can send them by another channel;
    # passphrases from the issuer's own CSV are theirs already and are not repeated.
    rows = [(p.award.learner_id, p.award.achievement, p.award.name, p.award.email, url + p.claim_link,
             url + p.share_path, p.passphrase if p.passphrase_generated else "")
            for p in the_plan.awards]
    if as_csv:
        w = csvsafe.writer(sys.stdout)
        w.writerow(["learner_id", "achievement", "name", "email", "claim_url", "share_url", "passphrase"])
        w.writerows(rows)
    else:
        for learner_id, slug, name, email, claim, share, passphrase in rows:
            click.echo(f"{learner_id}  {slug}  {name} <{email}>\n  claim: {claim}\n  share: {share}")
            if passphrase:
                click.echo(f"  passphrase (send separately): {passphrase}")


@main.command("send")
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Content folder [default: ./content] (never the built-in demo: this sends email).")
@keys_option
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="The built site (run `credpub build` first): badge images and claim pages come from it.")
@click.option("--journal", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Outbox journal of the messages servers accepted [default: KEYS/outbox.jsonl].")
@click.option("--dry-run", "dry_run", type=click.Path(path_type=Path, file_okay=False), default=None, metavar="DIR",
              help="Write one .eml file per message into DIR; send nothing.")
@click.option("--only", multiple=True, metavar="LEARNER_ID", help="Only this learner's awards (repeatable).")
@click.option("--resend", is_flag=True, help="Also send to those the journal lists as sent (use with --only).")
@click.option("--changed", is_flag=True, help="Only graduates whose award was corrected (re-issued) since their last email.")
@reports_errors
def send_command(content_dir: Path | None, keys_dir: Path, site_dir: Path, journal: Path | None, dry_run: Path | None,
                 only: tuple[str, ...], resend: bool, changed: bool) -> None:
    """Email each graduate their claim link over SMTP — once: a rerun sends only what is missing.

    SMTP settings: site.yml `smtp:` (host, port, security, user, from) or CREDPUB_SMTP_HOST, _PORT,
    _SECURITY (starttls | tls | none), _USER, _FROM; the password only in CREDPUB_SMTP_PASSWORD.
    Exit 1 if any message failed (listed at the end)."""
    from credpub.errors import SendError
    from credpub.mail.send import console_progress, run_send

    try:
        report = run_send(make_context(issuer_content(content_dir), keys_dir), site_dir=site_dir, journal=journal,
                          dry_run=dry_run, only=only, resend=resend, progress=console_progress(), changed=changed)
    except SendError as e:
        for line in e.report.summary_lines() if e.report else ():
            click.echo(line, err=True)
        raise
    for line in report.summary_lines():
        click.echo(line, err=not report.ok and line.startswith(("FAILED", "  ")))
    sys.exit(0 if report.ok else 1)


@main.command("revoke")
@click.argument("learner_id")
@click.argument("achievement")
@click.option("--reason", required=True, help="Why the award is withdrawn (kept in content/revocations.yml, sealed once the awards are).")
@click.option("--date", "date_text", default=None, help="YYYY-MM-DD [default: today].")
@content_option
@reports_errors
def revoke_command(learner_id: str, achievement: str, reason: str, date_text: str | None, content_dir: Path | None) -> None:
    """Revoke an award: record it in revocations.yml; the next build sets its status bit."""
    from credpub.ops.revoke import add_revocation

    ctx = make_context(issuer_content(content_dir), None)
    today = ctx.today
    try:
        date = dates.parse_day(date_text) if date_text else today
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, got {date_text!r}") from None
    add_revocation(ctx.content_dir, learner_id, achievement, reason, date, today, ctx.age_identity)
    click.echo(f"revoked {learner_id} / {achievement} as of {date}; run `credpub build` and publish to take effect")


@main.command("demo")
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Build and print the links, then stop.")
@reports_errors
def demo_command(port: int, no_serve: bool) -> None:
    """Build the demo issuer with a demo key (made on first use) and serve it."""
    import shutil

    from credpub.build.pipeline import BuildOptions, build
    from credpub.credentials.keys import generate_keys, load_keys

    # A working copy: the build records status indexes in its content folder, and the bundled
    # demo (in a wheel, or the checkout's committed content/) must never be written to.
    content_dir = DEMO_KEYS / "content"
    shutil.rmtree(content_dir, ignore_errors=True)
    shutil.copytree(paths.demo_content_dir(), content_dir)
    if not (DEMO_KEYS / "signing-key.pem").is_file():
        generate_keys(DEMO_KEYS, demo=True)
        click.echo(f"made a DEMO signing key in {DEMO_KEYS}/ (for this demo only)")
    # The demo keys, but no cache or build manifest: every demo run is a full build.
    ctx = make_context(content_dir, None, keys=load_keys(DEMO_KEYS))
    out = Path("site")
    report = build(ctx, BuildOptions(out))
    click.echo(report.summary(out))
    the_plan = report.plan
    base = f"http://127.0.0.1:{port}/"
    click.echo(f"\nThe demo site: {base}\nVerify page:   {base}{layout.VERIFY_PAGE}\nA few claim links (each graduate gets one by email):")
    for p in the_plan.awards[:4]:
        click.echo(f"  {p.award.name:<28} {base}{p.claim_link}")
    if not no_serve:
        from credpub.site.serve import serve

        click.echo("\nServing; press Ctrl+C to stop.")
        serve(out, port)
