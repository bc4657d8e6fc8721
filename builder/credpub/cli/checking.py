"""Checking commands: check (content), verify (a credential), doctor (a published site)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from credpub import paths
from credpub.cli.common import DEFAULT_KEYS, content_option, issuer_content, main, make_context, reports_errors
from credpub.context import BuildContext
from credpub.errors import ContentErrors, CredpubError

if TYPE_CHECKING:
    from credpub.model import Content


@main.command("check")
@content_option
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path), default=None,
              help="Key folder with age-key.txt, for sealed awards [default: ./.credpub]; CREDPUB_AGE_KEY wins. "
              "With the site secret there too, also what the next build re-issues (corrections).")
@click.option("--expiring", default=None, metavar="WINDOW", help="List awards whose validUntil falls within WINDOW "
              "from today (e.g. 60d, 8w, 6m, 1y).")
@reports_errors
def check_command(content_dir: Path | None, keys_dir: Path | None, expiring: str | None) -> None:
    """Validate content; print every problem as file:line: field: message (what `build` refuses)."""
    from credpub.build.plan import scheduled_awards
    from credpub.content.seal import plain_csvs_tracked_on_github, stale_plain_files
    from credpub.content.validate import check_content, missing_translations
    from credpub.ops.doctor import check_sealed_keys
    from credpub.rules import printable

    content_dir = issuer_content(content_dir)
    # No --keys: the age key is looked for in ./.credpub and beside content/ (seal.py).
    ctx = make_context(content_dir, keys_dir)
    today = ctx.today
    content, errors = check_content(content_dir, today, ctx.age_identity)
    demo = content_dir.resolve() == paths.demo_content_dir().resolve()  # fictional learners, public on purpose
    for name in () if demo else plain_csvs_tracked_on_github(content_dir):
        click.secho(f"warning: {name} is tracked by git and the repository's remote is on github.com: "
                    f"names and emails are published with it. Run `credpub seal`, then "
                    f"`git rm --cached {name}` (and keep *.csv, *.xlsx and *.ods in .gitignore)", fg="yellow", err=True)
    for note in content.notes if content is not None else ():
        click.secho(printable(f"note: {note}"), fg="yellow", err=True)
    for plain in stale_plain_files(content_dir, keys_dir):
        click.secho(f"warning: {plain} differs from {plain.name}.age: run `credpub seal` so that the build "
                    f"elsewhere sees your edits", fg="yellow", err=True)
    _print_findings(check_sealed_keys(content_dir, keys_dir))
    if errors:
        raise ContentErrors(errors)
    assert content is not None
    for note in missing_translations(content):
        click.echo(printable(f"note: {note}"), err=True)
    later = scheduled_awards(content, today)
    click.echo(f"{content_dir}: {len(content.achievements)} achievements, {len(content.awards)} awards"
               f"{f' ({len(later)} scheduled)' if later else ''}, "
               f"{len(content.revocations)} revocations — no problems found")
    if later:
        click.echo(f"scheduled: held back until their date (today is {today}, UTC); a build on or after it publishes them:")
        for a in later:
            click.echo(printable(f"  {a.issued_on}  {a.learner_id} / {a.achievement}  ({a.source})"))
    _check_lifecycle(ctx, content, expiring)


def _print_findings(findings) -> None:  # noqa: ANN001 (doctor's Finding list)
    icons = {"pass": click.style("✓", fg="green"), "fail": click.style("✗", fg="red"), "warn": click.style("!", fg="yellow")}
    from credpub.rules import printable

    for f in findings:
        click.echo(f" {icons[f.status]} {f.name:<8} {printable(f.message)}")  # messages quote what a host sent


def _check_lifecycle(ctx: BuildContext, content: Content, expiring: str | None) -> None:
    """Re-issues (need the site secret: fingerprints are keyed) and expiring awards."""
    from credpub.build.pipeline import plan_content
    from credpub.content.lifecycle import expiring_awards, parse_window
    from credpub.rules import printable

    today = ctx.today
    window = parse_window(expiring) if expiring else None
    try:
        the_plan = plan_content(ctx, content)
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


@main.command("verify")
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print {verified, checks} as JSON; for many, one object per line.")
@click.option("--offline", is_flag=True, help="Fetch nothing; the status check is then 'not checked'.")
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Resolve this issuer's DID document and status lists from a local build.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes for many credentials [default: one per core].")
def verify_command(sources: tuple[str, ...], as_json: bool, offline: bool, site_dir: Path | None, jobs: int | None) -> None:
    """Verify credentials: FILEs (JSON, baked PNG or SVG), FOLDERs (searched for them) or URLs.
    Exit 0 all verified, 1 any not, 2 any could not be read.

    One file or URL: each check. More, or a folder: one line per credential and a summary.
    With --site, a credential that is not signed by that site's issuer is "NOT issued by" it
    (exit 1), however it names itself."""
    if len(sources) > 1 or Path(sources[0]).is_dir():
        _verify_many(sources, as_json, offline, site_dir, jobs)
    source = sources[0]
    from credpub.rules import printable
    from credpub.verify import Resolver, foreign_issuer_notice, load_input, verify_document

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


def _verify_many(sources: tuple[str, ...], as_json: bool, offline: bool, site_dir: Path | None, jobs: int | None) -> None:
    """One line (or JSON object) per credential, in the order given, then a summary; exits."""
    import time

    from credpub.rules import printable
    from credpub.verify.batch import exit_code, expand, verify_all

    started = time.perf_counter()
    items = expand(sources)
    rows = []
    try:
        for row in verify_all(items, site_dir=site_dir, offline=offline, workers=jobs):
            rows.append(row)
            if as_json:
                if "skipped" not in row:
                    click.echo(json.dumps(row, ensure_ascii=False))
            else:
                _print_row(row, printable)
    except CredpubError as e:  # the --site folder cannot be read
        click.secho(f"error: {printable(e)}", fg="red", err=True)
        sys.exit(2)
    judged = [r for r in rows if "skipped" not in r]
    ok = sum(1 for r in judged if r["verified"])
    errors = sum(1 for r in judged if "error" in r)
    skipped = len(rows) - len(judged)
    seconds = time.perf_counter() - started
    parts = [f"{ok} verified", f"{len(judged) - ok - errors} not verified", f"{errors} could not be read"]
    if skipped:
        parts.append(f"{skipped} other file{'s' if skipped != 1 else ''} passed over (not credentials)")
    rate = f", {len(judged) / seconds:.1f} per second" if judged and seconds > 0 else ""
    line = f"{len(judged)} credential{'s' if len(judged) != 1 else ''}: {', '.join(parts)} ({seconds:.1f} s{rate})"
    if not judged:
        line = f"no credentials found in {', '.join(printable(s) for s in sources)}"
    code = exit_code(rows)
    if as_json:
        click.echo(line, err=True)
    else:
        click.secho(line, fg="green" if code == 0 else "red", bold=True)
    sys.exit(code)


def _print_row(row: dict, printable) -> None:
    """verdict, issuer · learner · achievement · source; a failure adds its first failed check."""
    if "skipped" in row:
        return
    if "error" in row:
        where = "" if row["error"].startswith(row["source"]) else f"{row['source']}: "
        click.echo(f"{click.style('! ERROR', fg='red', bold=True):<{14 + _STYLE}} {printable(where + row['error'])}")
        return
    if row.get("notice"):
        verdict = click.style("✗ NOT ISSUED BY THIS SITE", fg="yellow", bold=True)
    elif row["verified"]:
        verdict = click.style("✓ VERIFIED", fg="green", bold=True)
    else:
        verdict = click.style("✗ NOT VERIFIED", fg="red", bold=True)
    who = [row.get("issuer_name") or row.get("issuer") or "?", row.get("learner") or "", row.get("achievement") or ""]
    text = " · ".join(printable(w) for w in who if w) + f" · {printable(row['source'])}"
    failed = next((c for c in row["checks"] if c["status"] == "fail"), None)
    if failed and not row["verified"]:
        text += f" — {failed['name']}: {printable(failed['message'])}"
    click.echo(f"{verdict:<{14 + _STYLE}} {text}")


_STYLE = len(click.style("", fg="red", bold=True))  # the escape codes' width, for padding


@main.command("doctor")
@click.argument("url")
@click.option("--site-url", default=None, help="The address the site was built for (site.yml url); needed when URL is a copy of it "
              "(staging, `credpub serve`: doctor says so) [default: URL].")
@click.option("--share", "shares", multiple=True, metavar="LINK", help="A share link to verify (repeatable) "
              "[default: one of the local build in --site].")
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="The local build, if any: a share and a claim link are taken from it and compared.")
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
              show_default=True, help="The content folder, if any: its award file names are probed for.")
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path), default=DEFAULT_KEYS, show_default=True,
              help="Key folder, if any: did.json must list its current key.")
@reports_errors
def doctor_command(url: str, site_url: str | None, shares: tuple[str, ...], site_dir: Path, content_dir: Path, keys_dir: Path) -> None:
    """Check a published site as a verifier would; fetches nothing but below URL. Exit 1 on any failure."""
    from credpub.credentials.keys import load_keys
    from credpub.errors import KeyMaterialError
    from credpub.ops.doctor import check_sealed_keys, doctor

    try:
        keys = load_keys(keys_dir)
    except KeyMaterialError:
        keys = None  # checked without: the report says so
    report = doctor(url, site_url=site_url, shares=shares, site_dir=site_dir if site_dir.is_dir() else None,
                    content_dir=content_dir if content_dir.is_dir() else None, keys=keys)
    # The age key at hand, beside the site: a local check, kept out of doctor()'s HTTP findings.
    keyed = check_sealed_keys(content_dir, None if keys_dir == DEFAULT_KEYS else keys_dir) if content_dir.is_dir() else []
    _print_findings([*report.findings, *keyed])
    failed = sum(f.status == "fail" for f in [*report.findings, *keyed])
    click.secho(f"{report.base}: {'no problems found' if not failed else f'{failed} problem(s)'} "
                f"({len(report.fetched)} requests, all below {report.base})", fg="red" if failed else "green", bold=True)
    sys.exit(1 if failed else 0)
