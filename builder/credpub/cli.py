"""The `credpub` command: a thin shell over the pipeline. Only this module prints."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from credpub import layout, paths
from credpub.errors import ContentErrors, CredpubError, UsageError

DEFAULT_KEYS = Path(".credpub")
DEMO_KEYS = Path(".credpub-demo")


def _reports_errors(fn):
    """Turn credpub's typed errors into a message and an exit code; no tracebacks for users."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ContentErrors as e:
            from credpub.rules import printable

            for err in e.errors:  # messages quote content (an SVG's href, a page's tag)
                click.echo(printable(err), err=True)
            n = len(e.errors)
            click.secho(f"{n} problem{'s' if n != 1 else ''} found in content; nothing was built.", fg="red", err=True)
            sys.exit(1)
        except CredpubError as e:
            from credpub.rules import printable

            click.secho(f"error: {printable(e, one_line=False)}", fg="red", err=True)
            sys.exit(e.exit_code)

    return wrapper


content_option = click.option("--content", "content_dir", type=click.Path(path_type=Path), default=None,
                              help="Content folder [default: ./content].")
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
    from credpub.credentials.keys import generate_keys, retire_key, rotate_keys

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
    from credpub.content.seal import ensure_identity

    _, made = ensure_identity(keys_dir)
    if made:
        click.echo(f"wrote {keys_dir}/age-key.txt (seals content/awards/*.csv: `credpub seal`)")
    click.echo("Keep this folder out of git and back it up: losing the site secret changes every claim link.")


def _passphrase_set() -> bool:
    import os

    return bool(os.environ.get("CREDPUB_KEY_PASSPHRASE"))


@main.command()
@content_option
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path), default=None,
              help="Key folder with age-key.txt, for sealed awards [default: ./.credpub]; CREDPUB_AGE_KEY wins. "
              "With the site secret there too, also what the next build re-issues (corrections).")
@click.option("--expiring", default=None, metavar="WINDOW", help="List awards whose validUntil falls within WINDOW "
              "from today (e.g. 60d, 8w, 6m, 1y).")
@_reports_errors
def check(content_dir: Path | None, keys_dir: Path | None, expiring: str | None) -> None:
    """Validate content; print every problem as file:line: field: message (what `build` refuses)."""
    from credpub import clock
    from credpub.build.plan import scheduled_awards
    from credpub.rules import printable
    from credpub.content.seal import plain_csvs_tracked_on_github, stale_plain_files
    from credpub.content.validate import check as check_content

    content_dir = _issuer_content(content_dir)
    today = clock.today()
    content, errors = check_content(content_dir, keys_dir, today)
    demo = content_dir.resolve() == paths.demo_content_dir().resolve()  # fictional learners, public on purpose
    for name in () if demo else plain_csvs_tracked_on_github(content_dir):
        click.secho(f"warning: {name} is tracked by git and the repository's remote is on github.com: "
                    f"names and emails are published with it. Run `credpub seal`, then "
                    f"`git rm --cached {name}` (and keep *.csv in .gitignore)", fg="yellow", err=True)
    for plain in stale_plain_files(content_dir, keys_dir):
        click.secho(f"warning: {plain} differs from {plain.name}.age: run `credpub seal` so that the build "
                    f"elsewhere sees your edits", fg="yellow", err=True)
    if errors:
        raise ContentErrors(errors)
    assert content is not None
    later = scheduled_awards(content, today)
    click.echo(f"{content_dir}: {len(content.achievements)} achievements, {len(content.awards)} awards"
               f"{f' ({len(later)} scheduled)' if later else ''}, "
               f"{len(content.revocations)} revocations — no problems found")
    if later:
        click.echo(f"scheduled: held back until their date (today is {today}, UTC); a build on or after it publishes them:")
        for a in later:
            click.echo(printable(f"  {a.issued_on}  {a.learner_id} / {a.achievement}  ({a.source})"))
    _check_lifecycle(content, keys_dir or DEFAULT_KEYS, expiring, today)


def _check_lifecycle(content, keys_dir: Path, expiring: str | None, today) -> None:
    """Re-issues (need the site secret: fingerprints are keyed) and expiring awards."""
    from credpub.credentials.keys import load_keys
    from credpub.content.lifecycle import expiring_awards, parse_window
    from credpub.build.plan import plan
    from credpub.rules import printable

    window = parse_window(expiring) if expiring else None
    try:
        the_plan = plan(content, load_keys(keys_dir), today)
    except CredpubError as e:
        click.echo(f"re-issues not shown: {e}")
        the_plan = None
    if the_plan is not None:
        by_key = {p.award.key: p for p in the_plan.awards}
        for key in the_plan.reissued:
            p = by_key[key]
            click.echo(printable(f"would re-issue {p.award.learner_id} {p.award.achievement} ({p.award.name}): its facts "
                                 f"changed; correction {p.revision}, the previous credential is revoked as superseded"))
        if not the_plan.reissued:
            click.echo("nothing to re-issue")
    if window is not None:
        rows = expiring_awards(content, today, window)
        click.echo(f"{len(rows)} award{'s' if len(rows) != 1 else ''} expiring by {today + window}:")
        for award, until in rows:
            click.echo(printable(f"  {award.learner_id}  {award.achievement}  {award.name}  expires on {until.isoformat()}"))


def _issuer_content(content_dir: Path | None) -> Path:
    """The issuer's content folder: never the bundled demo by accident (built with the
    issuer's own key, it would be published as theirs). Only `credpub demo` uses the demo."""
    if content_dir is not None:
        return content_dir
    if Path("content").is_dir():
        return Path("content")
    raise UsageError("no ./content folder here: run `credpub new DIR` to start an issuer's content, "
                     "`credpub demo` to build and serve the demo, or pass --content DIR")


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
    from credpub.build.pipeline import build as run_build

    report = run_build(_issuer_content(content_dir), out_dir, keys_dir=keys_dir, pdf_dir=pdf_dir, full=full)
    click.echo(report.summary(out_dir))
    for note in report.notes:
        click.echo(f"note: {note}")
    if pdf_dir is not None:
        click.echo(f"wrote {report.pdfs} certificate PDFs into {pdf_dir}")


@main.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print {verified, checks} as JSON.")
@click.option("--offline", is_flag=True, help="Fetch nothing; the status check is then 'not checked'.")
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Resolve this issuer's DID document and status lists from a local build.")
def verify(source: str, as_json: bool, offline: bool, site_dir: Path | None) -> None:
    """Verify a credential: FILE (JSON, baked PNG or SVG) or URL. Exit 0 verified, 1 not, 2 error.

    With --site, a credential that is not signed by that site's issuer is "NOT issued by" it
    (exit 1), however it names itself."""
    from credpub.rules import printable
    from credpub.verify.verifier import Resolver, foreign_issuer_notice, load_input, verify_document

    try:
        resolver = Resolver(site_dir, offline=offline)
        doc = load_input(source, resolver)
        result = verify_document(doc, resolver)
        notice = foreign_issuer_notice(result, resolver)
    except (CredpubError, OSError, ValueError, RecursionError) as e:
        # One line, never a traceback: the input (or --site folder) cannot be read.
        message = printable(e if isinstance(e, CredpubError) else f"{source}: cannot be read ({type(e).__name__}: {e})")
        if as_json:
            click.echo(json.dumps({"verified": False, "error": message, "checks": []}))
        else:
            click.secho(f"error: {message}", fg="red", err=True)
        sys.exit(2)
    ok = result.verified and notice is None
    if as_json:
        out = result.as_dict()
        if resolver.site_did is not None:
            out["site_issuer"] = resolver.site_did
            out["issued_by_site"] = notice is None
        if notice:
            out["notice"] = notice
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        if notice:  # first and plainly: whatever name the credential gives itself
            click.secho(printable(notice), fg="yellow", bold=True)
        icons = {"pass": click.style("✓", fg="green"), "fail": click.style("✗", fg="red"), "skipped": click.style("–", fg="yellow")}
        for c in result.checks:
            click.echo(f" {icons[c.status]} {c.name:<7} {printable(c.message)}")
        if notice:
            click.secho("NOT ISSUED BY THIS SITE", fg="yellow", bold=True)
        else:
            click.secho("VERIFIED" if result.verified else "NOT VERIFIED", fg="green" if result.verified else "red", bold=True)
    sys.exit(0 if ok else 1)


@main.command()
@content_option
@keys_option
@click.option("--csv", "as_csv", is_flag=True, help="CSV for mail-merge tools.")
@_reports_errors
def links(content_dir: Path | None, keys_dir: Path, as_csv: bool) -> None:
    """List each award's claim and share links."""
    from credpub import clock
    from credpub import csvsafe
    from credpub.credentials.keys import load_keys
    from credpub.build.pipeline import load_valid_content
    from credpub.build.plan import plan

    today = clock.today()
    content = load_valid_content(_issuer_content(content_dir), keys_dir, today)
    the_plan = plan(content, load_keys(keys_dir), today)
    if the_plan.scheduled:
        click.echo(f"{len(the_plan.scheduled)} awards dated after today ({today}, UTC) are held back and not listed "
                   "(`credpub check` lists them)", err=True)
    url = content.site.url
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
    from credpub.errors import SendError
    from credpub.mail.send import console_progress, run_send

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
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", prompt="Issuing organisation's name", help="The issuer's name, as credentials show it.")
@click.option("--url", prompt="Site address (https://…/)", help="Where the site will be published, e.g. https://org.github.io/credentials/.")
@click.option("--email", prompt="Contact email for learners", help="The address learners write to (privacy requests).")
@click.option("--country", prompt="Country (ISO code, e.g. NL)", help="ISO 3166-1 alpha-2 code of the issuer's country.")
@click.option("--language", "languages", multiple=True, help="nl and/or en (repeat, or nl,en) [prompted when not given].")
@_reports_errors
def new(directory: Path, name: str, url: str, email: str, country: str, languages: tuple[str, ...]) -> None:
    """Create an issuer repository in DIRECTORY: content, pages, Pages workflow, .gitignore, README, keys."""
    from credpub.ops.scaffold import create, parse_issuer
    from credpub.content.seal import DEFAULT_KEYS as keys_dir

    if not languages:
        languages = (click.prompt("Languages (nl, en or nl,en)", default="en"),)
    issuer = parse_issuer(name, url, email, country, languages)
    keys = create(directory, issuer)
    click.echo(f"made {directory}/ for {issuer.name} ({', '.join(issuer.languages)}); public key {keys.public_multikey}")
    click.echo(f"keys in {directory}/{keys_dir}/ (signing key, site secret, age key): never in git; back them up")
    click.echo(f"next: cd {directory} && credpub check — then read README.md (GitHub secrets, issuing, sealing)")


@main.command()
@content_option
@keys_option
@click.option("--keep", is_flag=True, help="Keep the plain CSVs (they stay out of git through .gitignore).")
@_reports_errors
def seal(content_dir: Path | None, keys_dir: Path, keep: bool) -> None:
    """Encrypt awards/*.csv to awards/*.csv.age (age) for a public repository; makes the age key on first use."""
    from credpub.content.seal import seal as seal_awards

    content_dir = content_dir or Path("content")
    report = seal_awards(content_dir, keys_dir, keep=keep)
    if report.key_made:
        click.echo(f"made the age key {keys_dir}/age-key.txt: back it up with the signing key; in CI set CREDPUB_AGE_KEY "
                   f"to its AGE-SECRET-KEY-1… line")
    for p in report.sealed:
        click.echo(f"sealed {p}")
    for p in report.unchanged:
        click.echo(f"unchanged {p}")
    if not keep:
        click.echo("removed the plain CSVs; `credpub unseal` brings them back for editing")


@main.command()
@content_option
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path), default=None,
              help="Key folder with age-key.txt [default: ./.credpub]; CREDPUB_AGE_KEY wins.")
@click.option("--force", is_flag=True, help="Overwrite plain CSVs that differ from the sealed ones.")
@_reports_errors
def unseal(content_dir: Path | None, keys_dir: Path | None, force: bool) -> None:
    """Decrypt awards/*.csv.age to awards/*.csv for editing; `credpub seal` afterwards."""
    from credpub.content.seal import unseal as unseal_awards

    for p in unseal_awards(content_dir or Path("content"), keys_dir, force=force):
        click.echo(f"unsealed {p} (kept out of git by .gitignore; run `credpub seal` when done)")


@main.command()
@click.option("--dir", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="The built site.")
@click.option("--repo", "remote", default="origin", show_default=True,
              help="Where to push: a remote of this repository, or any git URL or path (another repository).")
@click.option("--branch", default="gh-pages", show_default=True)
@click.option("--message", default="Publish the credential site", show_default=True)
@_reports_errors
def publish(site_dir: Path, remote: str, branch: str, message: str) -> None:
    """Push the built site to a branch of a git repository (GitHub Pages: "Deploy from a branch").

    Uses your own git credentials; writes none anywhere. One commit on top of the branch per
    publish (history kept, no force push); nothing is pushed when the site did not change."""
    from credpub.ops.publish import publish as run_publish

    report = run_publish(site_dir, remote, branch, message=message)
    if report.commit is None:
        click.echo(f"{report.remote} {report.branch} already holds this site ({report.files} files): nothing pushed")
    else:
        click.echo(f"pushed {report.files} files to {report.remote} {report.branch} as {report.commit[:12]}"
                   + (f" (on top of {report.parent[:12]})" if report.parent else " (new branch)"))


@main.command()
@click.argument("url")
@click.option("--site-url", default=None, help="The address the site was built for (site.yml url), when URL is a copy of it "
              "(staging, `credpub serve`) [default: URL].")
@click.option("--share", "shares", multiple=True, metavar="LINK", help="A share link to verify (repeatable) "
              "[default: one of the local build in --site].")
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="The local build, if any: a share and a claim link are taken from it and compared.")
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
              show_default=True, help="The content folder, if any: its award file names are probed for.")
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path), default=DEFAULT_KEYS, show_default=True,
              help="Key folder, if any: did.json must list its current key.")
@_reports_errors
def doctor(url: str, site_url: str | None, shares: tuple[str, ...], site_dir: Path, content_dir: Path, keys_dir: Path) -> None:
    """Check a published site as a verifier would; fetches nothing but below URL. Exit 1 on any failure."""
    from credpub.ops.doctor import doctor as run_doctor
    from credpub.errors import KeyMaterialError
    from credpub.credentials.keys import load_keys

    try:
        keys = load_keys(keys_dir)
    except KeyMaterialError:
        keys = None  # checked without: the report says so
    report = run_doctor(url, site_url=site_url, shares=shares, site_dir=site_dir if site_dir.is_dir() else None,
                        content_dir=content_dir if content_dir.is_dir() else None, keys=keys)
    icons = {"pass": click.style("✓", fg="green"), "fail": click.style("✗", fg="red"), "warn": click.style("!", fg="yellow")}
    for f in report.findings:
        click.echo(f" {icons[f.status]} {f.name:<8} {f.message}")
    failed = sum(f.status == "fail" for f in report.findings)
    click.secho(f"{report.base}: {'no problems found' if report.ok else f'{failed} problem(s)'} "
                f"({len(report.fetched)} requests, all below {report.base})", fg="green" if report.ok else "red", bold=True)
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
    from credpub import clock, dates
    from credpub.ops.revoke import add_revocation

    content_dir = content_dir or Path("content")
    today = clock.today()
    try:
        date = dates.parse_day(date_text) if date_text else today
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, got {date_text!r}") from None
    add_revocation(content_dir, learner_id, achievement, reason, date, today)
    click.echo(f"revoked {learner_id} / {achievement} as of {date}; run `credpub build` and publish to take effect")


@main.command()
@click.option("--dir", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True)
@click.option("--port", default=8000, show_default=True, help="0 picks a free port.")
@click.option("--links", "show_links", is_flag=True, help="Also print each graduate's claim link on this server, to preview their page.")
@content_option
@keys_option
@_reports_errors
def serve(site_dir: Path, port: int, show_links: bool, content_dir: Path | None, keys_dir: Path) -> None:
    """Preview site/ on http://127.0.0.1:PORT/ with the headers a static host sends."""
    from credpub.rules import printable
    from credpub.site.serve import base_url, make_server, run

    rows = _local_claim_links(content_dir, keys_dir) if show_links else []
    try:
        server = make_server(site_dir, port, verbose=True)  # requests are logged on stderr
    except FileNotFoundError as e:
        raise UsageError(str(e)) from None
    except OSError as e:
        raise UsageError(f"cannot listen on 127.0.0.1:{port} ({e.strerror}); try another --port") from None
    base = base_url(server)
    click.echo(f"Serving {site_dir} on {base}  (verify page: {base}{layout.VERIFY_PAGE})")
    for name, learner_id, slug, link in rows:
        click.echo(f"  {printable(learner_id)}  {slug}  {printable(name)}\n    {base}{link}")
    click.echo("Press Ctrl+C to stop.")
    run(server)


def _local_claim_links(content_dir: Path | None, keys_dir: Path) -> list[tuple[str, str, str, str]]:
    """(name, learner_id, achievement, site-relative claim link with its #k= fragment) per award."""
    from credpub import clock
    from credpub.credentials.keys import load_keys
    from credpub.build.pipeline import load_valid_content
    from credpub.build.plan import plan

    today = clock.today()
    the_plan = plan(load_valid_content(_issuer_content(content_dir), keys_dir, today), load_keys(keys_dir), today)
    return [(p.award.name, p.award.learner_id, p.award.achievement, p.claim_link) for p in the_plan.awards]


@main.command()
@click.argument("credential", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_reports_errors
def bake(credential: Path, image: Path, out: Path) -> None:
    """Bake CREDENTIAL (JSON) into IMAGE (PNG or SVG), writing OUT (OB 3.0 baking)."""
    from credpub.credentials.bake import bake_file

    bake_file(credential, image, out)
    click.echo(f"wrote {out}")


@main.command()
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Build and print the links, then stop.")
@_reports_errors
def demo(port: int, no_serve: bool) -> None:
    """Build the demo issuer with a demo key (made on first use) and serve it."""
    from credpub.credentials.keys import generate_keys, load_keys
    from credpub.build.pipeline import build as run_build
    from credpub.build.plan import plan
    from credpub.build.pipeline import load_valid_content

    import shutil

    # A working copy: the build records status indexes in its content folder, and the bundled
    # demo (in a wheel, or the checkout's committed content/) must never be written to.
    content_dir = DEMO_KEYS / "content"
    shutil.rmtree(content_dir, ignore_errors=True)
    shutil.copytree(paths.demo_content_dir(), content_dir)
    if not (DEMO_KEYS / "signing-key.pem").is_file():
        generate_keys(DEMO_KEYS, demo=True)
        click.echo(f"made a DEMO signing key in {DEMO_KEYS}/ (for this demo only)")
    keys = load_keys(DEMO_KEYS)
    out = Path("site")
    report = run_build(content_dir, out, keys=keys)
    click.echo(report.summary(out))
    the_plan = plan(load_valid_content(content_dir), keys)
    base = f"http://127.0.0.1:{port}/"
    click.echo(f"\nThe demo site: {base}\nVerify page:   {base}{layout.VERIFY_PAGE}\nA few claim links (each graduate gets one by email):")
    for p in the_plan.awards[:4]:
        click.echo(f"  {p.award.name:<28} {base}{p.claim_link}")
    if not no_serve:
        from credpub.site.serve import serve as run_server

        click.echo("\nServing; press Ctrl+C to stop.")
        run_server(out, port)
