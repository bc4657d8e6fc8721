"""Publishing commands: publish (to a git branch), serve (a local preview), bake, registry-entry."""

from __future__ import annotations

from pathlib import Path

import click

from credpub import layout
from credpub.cli.common import content_option, issuer_content, keys_option, main, make_context, reports_errors
from credpub.errors import UsageError


@main.command("publish")
@click.option("--dir", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="The built site.")
@click.option("--repo", "remote", default="origin", show_default=True,
              help="Where to push: a remote of this repository, or any git URL or path (another repository).")
@click.option("--branch", default="gh-pages", show_default=True)
@click.option("--message", default="Publish the credential site", show_default=True)
@click.option("--private-repo", is_flag=True,
              help="The repository is private: also publish `link` layer claim pages (their credentials are in plain).")
@keys_option
@reports_errors
def publish_command(site_dir: Path, remote: str, branch: str, message: str, private_repo: bool, keys_dir: Path) -> None:
    """Push the built site to a branch of a git repository (GitHub Pages: "Deploy from a branch").

    Pushes exactly the files the last `credpub build` wrote (its record in the key folder), as
    the branch's one commit: each publish replaces the branch (force push), so nothing earlier
    stays on it. Uses your own git credentials; writes none anywhere. Refuses a site with `link`
    layer claim pages unless --private-repo, and a branch that holds anything but a credpub site."""
    from credpub.build.incremental import shown
    from credpub.context import CACHE
    from credpub.ops.publish import PublishError, publish

    try:
        report = publish(site_dir, remote, branch, state_dir=keys_dir / CACHE, message=message, private_repo=private_repo)
    except PublishError as e:
        if "not a git repository" not in str(e):
            raise
        # --repo names a remote of the repository here; outside one, say what to pass instead
        raise PublishError(f"{e}\nhint: --repo {remote} names a remote of the git repository you are in, and "
                           f"{Path.cwd()} is in none: run `credpub publish` inside your site's repository, or pass "
                           f"--repo with a git URL or path (e.g. --repo git@github.com:ORG/REPO.git)") from None
    if report.left_out:
        click.echo(f"left out {len(report.left_out)} files in {site_dir} that the build did not write: "
                   + ", ".join(shown(p) for p in report.left_out[:5]) + (" …" if len(report.left_out) > 5 else ""))
    if report.commit is None:
        click.echo(f"{report.remote} {report.branch} already holds this site ({report.files} files): nothing pushed")
    else:
        click.echo(f"pushed {report.files} files to {report.remote} {report.branch} as one commit {report.commit[:12]}"
                   + (f" (replacing {report.replaced[:12]} and all before it)" if report.replaced else " (new branch)"))


@main.command("serve")
@click.option("--dir", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True)
@click.option("--port", default=8000, show_default=True, help="0 picks a free port.")
@click.option("--links", "show_links", is_flag=True, help="Also print each graduate's claim link on this server, to preview their page.")
@content_option
@keys_option
@reports_errors
def serve_command(site_dir: Path, port: int, show_links: bool, content_dir: Path | None, keys_dir: Path) -> None:
    """Preview site/ on http://127.0.0.1:PORT/ with the headers a static host sends."""
    from credpub.rules import printable
    from credpub.site.serve import base_url, make_server, run

    rows = _local_claim_links(content_dir, keys_dir) if show_links else []
    try:
        server = make_server(site_dir, port, verbose=True)  # requests are logged on stderr
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
    from credpub.build.pipeline import plan_content

    the_plan = plan_content(make_context(issuer_content(content_dir), keys_dir))
    return [(p.award.name, p.award.learner_id, p.award.achievement, p.claim_link) for p in the_plan.awards]


@main.command("bake")
@click.argument("credential", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@reports_errors
def bake_command(credential: Path, image: Path, out: Path) -> None:
    """Bake CREDENTIAL (JSON) into IMAGE (PNG or SVG), writing OUT (OB 3.0 baking)."""
    from credpub.credentials.bake import bake_file

    bake_file(credential, image, out)
    click.echo(f"wrote {out}")


@main.command("registry-entry")
@content_option
@click.option("--format", "form", type=click.Choice(["dcc", "oidf"]), default="dcc", show_default=True,
              help="dcc: the entry for a DCC registry.json (community or sandbox registry); oidf: the "
              "federation_entity metadata (with the logo) an OpenID Federation registry asks for.")
@reports_errors
def registry_entry_command(content_dir: Path | None, form: str) -> None:
    """Print the issuer registry entry for this site's DID, as JSON ready to paste.

    Wallets (the Learner Credential Wallet, VerifierPlus) call an issuer "not in a registry"
    until its DID is listed in one they know: see README, "Getting into wallets"."""
    import json

    from credpub.ops.registry import entry_for

    entry = entry_for(issuer_content(content_dir), form)
    click.echo(json.dumps(entry, ensure_ascii=False, indent=2))
    if form == "dcc":
        click.echo('Add it inside "registry" in registry.json (and update meta.updated) by pull request; '
                   "see README, \"Getting into wallets\", for which registry takes whom.", err=True)
