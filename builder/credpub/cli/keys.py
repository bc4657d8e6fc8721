"""Key commands: keygen (and rotation), new (an issuer repository with its keys), seal, unseal."""

from __future__ import annotations

from pathlib import Path

import click

from credpub.cli.common import DEFAULT_KEYS, content_option, issuer_content, keys_option, main, reports_errors
from credpub.errors import UsageError


@main.command("keygen")
@keys_option
@click.option("--rotate", is_flag=True, help="Add a new signing key; the current one is retired (kept in KEYS/retired/ "
              "and in the DID document, so that what it signed keeps verifying).")
@click.option("--retire", "retire", default=None, metavar="KEY", help="A retired key (z6Mk…) to act on; with --compromised.")
@click.option("--compromised", is_flag=True, help="With --retire: drop KEY from assertionMethod; the next build re-signs "
              "every award with the current key at the same URLs.")
@reports_errors
def keygen_command(keys_dir: Path, rotate: bool, retire: str | None, compromised: bool) -> None:
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
    click.echo(backup_text(keys_dir))


def backup_text(keys_dir: Path) -> str:
    """What to back up, and where: said by keygen, new and the scaffold README alike."""
    return (f"Back up the folder {keys_dir}/ now, off this computer (a password manager or an encrypted USB stick), "
            f"and keep it out of git:\n"
            f"  {keys_dir}/signing-key.pem  signs credentials; lost: make a new one (credpub keygen --rotate)\n"
            f"  {keys_dir}/site-secret      lost: every claim link changes\n"
            f"  {keys_dir}/age-key.txt      opens the sealed awards; lost: they are lost, unless site.yml "
            f"seal: recipients: names a second key you kept")


def _passphrase_set() -> bool:
    import os

    return bool(os.environ.get("CREDPUB_KEY_PASSPHRASE"))


@main.command("new")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", prompt="Issuing organisation's name", help="The issuer's name, as credentials show it.")
@click.option("--url", prompt="Site address (https://…/)", help="Where the site will be published, e.g. https://org.github.io/credentials/.")
@click.option("--email", prompt="Contact email for learners", help="The address learners write to (privacy requests).")
@click.option("--country", prompt="Country (ISO code, e.g. NL)", help="ISO 3166-1 alpha-2 code of the issuer's country.")
@click.option("--language", "languages", multiple=True, help="nl and/or en (repeat, or nl,en) [prompted when not given].")
@reports_errors
def new_command(directory: Path, name: str, url: str, email: str, country: str, languages: tuple[str, ...]) -> None:
    """Create an issuer repository in DIRECTORY: content, pages, Pages workflow, .gitignore, README, keys."""
    from credpub.ops.scaffold import BRANCH, SECRETS, create, init_repository, parse_issuer

    if not languages:
        languages = (click.prompt("Languages (nl, en or nl,en)", default="en"),)
    issuer = parse_issuer(name, url, email, country, languages)
    keys = create(directory, issuer)
    click.echo(f"made {directory}/ for {issuer.name} ({', '.join(issuer.languages)}); public key {keys.public_multikey}")
    git = init_repository(directory, issuer)
    if git.made:
        click.echo(f"made a git repository on branch {BRANCH} with a first commit (no keys, no plain CSVs)")
    if git.note:
        click.secho(git.note, fg="yellow", err=not git.made)
    click.echo(backup_text(directory / DEFAULT_KEYS))
    step = 1
    click.echo("Next:")
    click.echo(f"  {step}. Create an empty repository on GitHub (https://github.com/new; no README), public or private")
    click.echo(f"  {step + 1}. In its Settings → Secrets and variables → Actions, add the repository secrets "
               f"{', '.join(SECRETS)} (and CREDPUB_KEY_PASSPHRASE if the key is encrypted): README.md says what goes in each")
    click.echo(f"  {step + 2}. cd {directory} && git remote add origin <its URL> && git push -u origin {BRANCH}"
               + ("" if git.made else f"  (after git init -b {BRANCH} and a first commit)"))


@main.command("seal")
@content_option
@keys_option
@click.option("--keep", is_flag=True, help="Keep the plain CSVs (they stay out of git through .gitignore).")
@reports_errors
def seal_command(content_dir: Path | None, keys_dir: Path, keep: bool) -> None:
    """Encrypt awards/*.csv, *.xlsx, *.ods to *.age and revocations.yml to revocations.yml.age (age) for a
    public repository; makes the age key on first use."""
    from credpub.content.load import seal_recipients
    from credpub.content.seal import seal

    content_dir = issuer_content(content_dir)
    report = seal(content_dir, keys_dir, keep=keep, recipients=lambda: seal_recipients(content_dir))
    if report.key_made:
        click.echo(f"made the age key {keys_dir}/age-key.txt: back it up with the signing key; in CI set CREDPUB_AGE_KEY "
                   f"to its AGE-SECRET-KEY-1… line")
    others = f" and {report.recipients - 1} more key(s) of site.yml seal: recipients:" if report.recipients > 1 else ""
    for p in report.sealed:
        click.echo(f"sealed {p} (opens with the age key{others}; checked)")
    for p in report.unchanged:
        click.echo(f"unchanged {p}")
    if not keep:
        click.echo("removed the plain files; `credpub unseal` brings them back for editing")


@main.command("unseal")
@content_option
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path), default=None,
              help="Key folder with age-key.txt [default: ./.credpub]; CREDPUB_AGE_KEY wins.")
@click.option("--force", is_flag=True, help="Overwrite plain CSVs that differ from the sealed ones.")
@reports_errors
def unseal_command(content_dir: Path | None, keys_dir: Path | None, force: bool) -> None:
    """Decrypt awards/*.age to the plain rosters (and revocations.yml.age) for editing; `credpub seal` afterwards."""
    from credpub.content.seal import unseal

    for p in unseal(issuer_content(content_dir), keys_dir, force=force):
        click.echo(f"unsealed {p} (kept out of git by .gitignore; run `credpub seal` when done)")
