"""The `credpub` command: a thin shell over the pipeline. Only this module prints."""

from __future__ import annotations

import csv
import functools
import json
import sys
from pathlib import Path

import click

from . import paths
from .errors import ContentErrors, CredpubError

DEFAULT_KEYS = Path(".credpub")
DEMO_KEYS = Path(".credpub-demo")


def _default_content() -> Path:
    return Path("content") if Path("content/site.yml").is_file() else paths.demo_content_dir()


def _reports_errors(fn):
    """Turn credpub's typed errors into a message and an exit code; no tracebacks for users."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ContentErrors as e:
            for err in e.errors:
                click.echo(str(err), err=True)
            n = len(e.errors)
            click.secho(f"{n} problem{'s' if n != 1 else ''} found in content; nothing was built.", fg="red", err=True)
            sys.exit(1)
        except CredpubError as e:
            click.secho(f"error: {e}", fg="red", err=True)
            sys.exit(e.exit_code)

    return wrapper


content_option = click.option("--content", "content_dir", type=click.Path(path_type=Path), default=None,
                              help="Content folder [default: ./content, else the built-in demo].")
keys_option = click.option("--keys", "keys_dir", type=click.Path(path_type=Path), default=DEFAULT_KEYS, show_default=True,
                           help="Key folder (signing key and site secret); CREDPUB_SIGNING_KEY / CREDPUB_SITE_SECRET win.")


@click.group()
@click.version_option(package_name="credpub")
def main() -> None:
    """credpub: publish signed Open Badges 3.0 microcredentials as a static site."""


@main.command()
@keys_option
@click.option("--rotate", is_flag=True, help="Add a new signing key; the current one is retired (kept in KEYS/retired/ "
              "and in the DID document, so that what it signed keeps verifying).")
@click.option("--retire", "retire", default=None, metavar="KEY", help="A retired key (z6Mk…) to act on; with --compromised.")
@click.option("--compromised", is_flag=True, help="With --retire: drop KEY from assertionMethod; the next build re-signs "
              "every award with the current key at the same URLs.")
@_reports_errors
def keygen(keys_dir: Path, rotate: bool, retire: str | None, compromised: bool) -> None:
    """Create an Ed25519 signing key and a 256-bit site secret (refuses to overwrite); rotate or retire keys."""
    from .errors import UsageError
    from .keys import generate_keys, retire_key, rotate_keys

    if compromised and not retire:
        raise UsageError("--compromised needs --retire KEY (the public key, z6Mk…, as listed in the DID document)")
    if rotate and retire:
        raise UsageError("--rotate and --retire are separate steps: rotate first, then retire the old key")
    if rotate:
        old, new = rotate_keys(keys_dir)
        click.echo(f"new signing key: {new}\nretired (kept in the DID document): {old}")
        click.echo("Run `credpub build` and publish: new signatures use the new key. In CI, update CREDPUB_SIGNING_KEY "
                   f"with {keys_dir}/signing-key.pem.")
        return
    if retire:
        retire_key(keys_dir, retire, compromised=compromised)
        if compromised:
            click.echo(f"{retire} is marked compromised: the next `credpub build` leaves it out of assertionMethod and "
                       "re-signs every award with the current key; publish it soon, then `credpub send --resend` if learners "
                       "need fresh copies.")
        else:
            click.echo(f"{retire} is retired (it already was); credentials it signed keep verifying.")
        return
    keys = generate_keys(keys_dir)
    encrypted = "encrypted with CREDPUB_KEY_PASSPHRASE" if _passphrase_set() else "NOT encrypted (set CREDPUB_KEY_PASSPHRASE to encrypt)"
    click.echo(f"wrote {keys_dir}/signing-key.pem ({encrypted}) and {keys_dir}/site-secret")
    click.echo(f"public key: {keys.public_multikey}")
    click.echo("Keep this folder out of git and back it up: losing the site secret changes every claim link.")


def _passphrase_set() -> bool:
    import os

    return bool(os.environ.get("CREDPUB_KEY_PASSPHRASE"))


@main.command()
@content_option
@keys_option
@click.option("--expiring", default=None, metavar="WINDOW", help="List awards whose validUntil falls within WINDOW "
              "from today (e.g. 60d, 8w, 6m, 1y).")
@_reports_errors
def check(content_dir: Path | None, keys_dir: Path, expiring: str | None) -> None:
    """Validate content; print every problem as file:line: field: message. With keys, also
    what the next build would re-issue (corrections)."""
    from .validate import check as check_content

    content_dir = content_dir or _default_content()
    content, errors = check_content(content_dir)
    if errors:
        raise ContentErrors(errors)
    assert content is not None
    click.echo(f"{content_dir}: {len(content.achievements)} achievements, {len(content.awards)} awards, "
               f"{len(content.revocations)} revocations — no problems found")
    _check_lifecycle(content, keys_dir, expiring)


def _check_lifecycle(content, keys_dir: Path, expiring: str | None) -> None:
    """Re-issues (need the site secret: fingerprints are keyed) and expiring awards."""
    import datetime as dt

    from .keys import load_keys
    from .lifecycle import expiring_awards, parse_window
    from .plan import plan

    window = parse_window(expiring) if expiring else None
    try:
        the_plan = plan(content, load_keys(keys_dir))
    except CredpubError as e:
        click.echo(f"re-issues not shown: {e}")
        the_plan = None
    if the_plan is not None:
        by_key = {p.award.key: p for p in the_plan.awards}
        for key in the_plan.reissued:
            p = by_key[key]
            click.echo(f"would re-issue {p.award.learner_id} {p.award.achievement} ({p.award.name}): its facts changed; "
                       f"correction {p.revision}, the previous credential is revoked as superseded")
        if not the_plan.reissued:
            click.echo("nothing to re-issue")
    if window is not None:
        today = dt.date.today()
        rows = expiring_awards(content, today, window)
        click.echo(f"{len(rows)} award{'s' if len(rows) != 1 else ''} expiring by {today + window}:")
        for award, until in rows:
            click.echo(f"  {award.learner_id}  {award.achievement}  {award.name}  expires on {until.isoformat()}")


@main.command()
@content_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("site"), show_default=True)
@keys_option
@click.option("--pdf", "pdf_dir", type=click.Path(path_type=Path), default=None, help="Also write one certificate PDF per award here.")
@click.option("--full", is_flag=True, help="Sign and write everything, even what the previous build could reuse.")
@_reports_errors
def build(content_dir: Path | None, out_dir: Path, keys_dir: Path, pdf_dir: Path | None, full: bool) -> None:
    """Build the site: credentials, pages, badges, DID document, status lists. Rebuilds are
    incremental: only awards whose inputs changed are signed and written (KEYS/cache/ keeps the manifest)."""
    from .pipeline import build as run_build

    report = run_build(content_dir or _default_content(), out_dir, keys_dir=keys_dir, pdf_dir=pdf_dir, full=full)
    click.echo(report.summary(out_dir))
    if pdf_dir is not None:
        click.echo(f"wrote {report.pdfs} certificate PDFs into {pdf_dir}")


@main.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print {verified, checks} as JSON.")
@click.option("--offline", is_flag=True, help="Fetch nothing; the status check is then 'not checked'.")
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Resolve this issuer's DID document and status lists from a local build.")
def verify(source: str, as_json: bool, offline: bool, site_dir: Path | None) -> None:
    """Verify a credential: FILE (JSON, baked PNG or SVG) or URL. Exit 0 verified, 1 not, 2 error."""
    from .verify import Resolver, load_input, verify_document

    try:
        resolver = Resolver(site_dir, offline=offline)
        doc = load_input(source, resolver)
    except (CredpubError, OSError, ValueError) as e:
        if as_json:
            click.echo(json.dumps({"verified": False, "error": str(e), "checks": []}))
        else:
            click.secho(f"error: {e}", fg="red", err=True)
        sys.exit(2)
    result = verify_document(doc, resolver)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        icons = {"pass": click.style("✓", fg="green"), "fail": click.style("✗", fg="red"), "skipped": click.style("–", fg="yellow")}
        for c in result.checks:
            click.echo(f" {icons[c.status]} {c.name:<7} {c.message}")
        click.secho("VERIFIED" if result.verified else "NOT VERIFIED", fg="green" if result.verified else "red", bold=True)
    sys.exit(0 if result.verified else 1)


@main.command()
@content_option
@keys_option
@click.option("--csv", "as_csv", is_flag=True, help="CSV for mail-merge tools.")
@_reports_errors
def links(content_dir: Path | None, keys_dir: Path, as_csv: bool) -> None:
    """List each award's claim and share links."""
    from .keys import load_keys
    from .pipeline import load_valid_content
    from .plan import plan

    content = load_valid_content(content_dir or _default_content())
    the_plan = plan(content, load_keys(keys_dir))
    url = content.site.url
    # Generated passphrases are given here so the issuer can send them by another channel;
    # passphrases from the issuer's own CSV are theirs already and are not repeated.
    rows = [(p.award.learner_id, p.award.achievement, p.award.name, p.award.email, url + p.claim_link,
             url + p.share_path, p.passphrase if p.passphrase_generated else "")
            for p in the_plan.awards]
    if as_csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["learner_id", "achievement", "name", "email", "claim_url", "share_url", "passphrase"])
        w.writerows(rows)
    else:
        for learner_id, slug, name, email, claim, share, passphrase in rows:
            click.echo(f"{learner_id}  {slug}  {name} <{email}>\n  claim: {claim}\n  share: {share}")
            if passphrase:
                click.echo(f"  passphrase (send separately): {passphrase}")


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
              show_default=True, help="Content folder (never the built-in demo: this sends email).")
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
@_reports_errors
def send(content_dir: Path, keys_dir: Path, site_dir: Path, journal: Path | None, dry_run: Path | None,
         only: tuple[str, ...], resend: bool, changed: bool) -> None:
    """Email each graduate their claim link over SMTP — once: a rerun sends only what is missing.

    SMTP settings: site.yml `smtp:` (host, port, security, user, from) or CREDPUB_SMTP_HOST, _PORT,
    _SECURITY (starttls | tls | none), _USER, _FROM; the password only in CREDPUB_SMTP_PASSWORD.
    Exit 1 if any message failed (listed at the end)."""
    from .errors import SendError
    from .send import console_progress, run_send

    try:
        report = run_send(content_dir, keys_dir=keys_dir, site_dir=site_dir, journal=journal,
                          dry_run=dry_run, only=only, resend=resend, progress=console_progress(), changed=changed)
    except SendError as e:
        for line in e.report.summary_lines() if e.report else ():
            click.echo(line, err=True)
        raise
    for line in report.summary_lines():
        click.echo(line, err=not report.ok and line.startswith(("FAILED", "  ")))
    sys.exit(0 if report.ok else 1)


@main.command()
@click.argument("learner_id")
@click.argument("achievement")
@click.option("--reason", required=True, help="Why the award is withdrawn (kept in content/revocations.yml).")
@click.option("--date", "date_text", default=None, help="YYYY-MM-DD [default: today].")
@content_option
@_reports_errors
def revoke(learner_id: str, achievement: str, reason: str, date_text: str | None, content_dir: Path | None) -> None:
    """Revoke an award: record it in revocations.yml; the next build sets its status bit."""
    import datetime as dt

    from .revoke import add_revocation

    content_dir = content_dir or Path("content")
    date = dt.date.fromisoformat(date_text) if date_text else dt.date.today()
    add_revocation(content_dir, learner_id, achievement, reason, date)
    click.echo(f"revoked {learner_id} / {achievement} as of {date}; run `credpub build` and publish to take effect")


@main.command()
@click.option("--dir", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True)
@click.option("--port", default=8000, show_default=True)
@_reports_errors
def serve(site_dir: Path, port: int) -> None:
    """Preview site/ on http://127.0.0.1:PORT/ with the headers a static host sends."""
    from .serve import serve as run_server

    run_server(site_dir, port)


@main.command()
@click.argument("credential", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_reports_errors
def bake(credential: Path, image: Path, out: Path) -> None:
    """Bake CREDENTIAL (JSON) into IMAGE (PNG or SVG), writing OUT (OB 3.0 baking)."""
    from .bake import bake as bake_image

    out.write_bytes(bake_image(image.read_bytes(), credential.read_bytes()))
    click.echo(f"wrote {out}")


@main.command()
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Build and print the links, then stop.")
@_reports_errors
def demo(port: int, no_serve: bool) -> None:
    """Build the demo issuer with a demo key (made on first use) and serve it."""
    from .keys import generate_keys, load_keys
    from .pipeline import build as run_build
    from .plan import plan
    from .pipeline import load_valid_content

    content_dir = _default_content()
    if not (DEMO_KEYS / "signing-key.pem").is_file():
        generate_keys(DEMO_KEYS, demo=True)
        click.echo(f"made a DEMO signing key in {DEMO_KEYS}/ (for this demo only)")
    keys = load_keys(DEMO_KEYS)
    out = Path("site")
    report = run_build(content_dir, out, keys=keys)
    click.echo(report.summary(out))
    the_plan = plan(load_valid_content(content_dir), keys)
    base = f"http://127.0.0.1:{port}/"
    click.echo(f"\nThe demo site: {base}\nVerify page:   {base}verify/\nA few claim links (each graduate gets one by email):")
    for p in the_plan.awards[:4]:
        click.echo(f"  {p.award.name:<28} {base}{p.claim_link}")
    if not no_serve:
        from .serve import serve as run_server

        click.echo("\nServing; press Ctrl+C to stop.")
        run_server(out, port)
