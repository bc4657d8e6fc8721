"""What every `credpub` command shares: the group, the error wrapper, the common options, and
the one place a command makes its build context (context.py)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from credpub import clock
from credpub.context import DEFAULT_KEYS, BuildContext
from credpub.errors import ContentErrors, CredpubError, UsageError

DEMO_KEYS = Path(".credpub-demo")
#: What a command did not do because its content has problems: said only where it was meant to
#: be done (revoke, serve --links … were not going to build anything).
CONTENT_OUTCOMES = {"build": "nothing was built", "check": "nothing was built", "revoke": "nothing was revoked",
                    "send": "nothing was sent"}


def reports_errors(fn):
    """Turn credpub's typed errors into a message and an exit code; no tracebacks for users."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ContentErrors as e:
            from credpub.rules import printable

            for err in e.errors:  # messages quote content (an SVG's href, a page's tag)
                click.echo(printable(err), err=True)
            ctx = click.get_current_context(silent=True)
            outcome = CONTENT_OUTCOMES.get(ctx.command.name if ctx else "")
            click.secho(e.summary(outcome), fg="red", err=True)
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


def make_context(content_dir: Path, keys_dir: Path | None, **kw) -> BuildContext:
    """The build context of one command: today's date (UTC) read once, keys read when first needed."""
    from credpub.content.seal import load_identity
    from credpub.credentials.keys import load_keys

    return BuildContext(today=clock.today(), content_dir=content_dir, keys_dir=keys_dir,
                        load_keys=load_keys, load_age_key=load_identity, **kw)


def issuer_content(content_dir: Path | None) -> Path:
    """The issuer's content folder: never the bundled demo by accident (built with the
    issuer's own key, it would be published as theirs). Only `credpub demo` uses the demo."""
    if content_dir is not None:
        return content_dir
    if Path("content").is_dir():
        return Path("content")
    raise UsageError("no ./content folder here: run `credpub new DIR` to start an issuer's content, "
                     "`credpub demo` to build and serve the demo, or pass --content DIR")
