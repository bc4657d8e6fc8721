"""Where credpub's own files are: inside the installed wheel, or in a source checkout."""

from __future__ import annotations

from pathlib import Path

from credpub.errors import BuildError

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parent.parent  # builder/credpub → repository root, in a checkout
#: Data that Python and the browser bundle both read: claim layers, verifier rules, JSON-LD
#: contexts, message catalogues (verifier-js/build.mjs reads this folder too).
DATA = PACKAGE / "data"


def _first(*candidates: Path) -> Path | None:
    return next((c for c in candidates if c.exists()), None)


def theme_dir() -> Path:
    found = _first(PACKAGE / "_theme", REPO / "theme")
    if found is None:
        raise BuildError("the credpub theme is missing (theme/ in a checkout, credpub/_theme in the wheel)")
    return found


def demo_content_dir() -> Path:
    found = _first(PACKAGE / "_demo_content", REPO / "content")
    if found is None:
        raise BuildError("the demo content is missing: pass --content DIR")
    return found


def js_bundle_dir() -> Path:
    """The verifier's browser bundle: the wheel's, else verifier-js/dist in a checkout."""
    found = _first(PACKAGE / "_static" / "js", REPO / "verifier-js" / "dist")
    return checked_js_bundle(found or REPO / "verifier-js" / "dist")


def checked_js_bundle(folder: Path) -> Path:
    """`folder`, if it holds the browser bundle; else the one error for a missing bundle."""
    if not (Path(folder) / "credpub.js").is_file():
        raise BuildError(
            f"the browser bundle is missing ({Path(folder) / 'credpub.js'}): run `npm ci && npm run build` "
            "in verifier-js/ (or `make`), or install credpub from a wheel, which ships it"
        )
    return Path(folder)
