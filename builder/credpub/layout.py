"""Where everything lives in a built site: the one table, data/layout.json, read once.

verifier-js reads the same table, so the pages' scripts and the build agree on every path.
All paths are relative to the site's URL (which ends in "/"); a page's path ends in "/" and its
files sit beside its index.html. Nothing else in credpub writes these paths by hand.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from credpub.errors import BuildError
from credpub.paths import DATA

FILE = DATA / "layout.json"
_TABLE: dict = json.loads(FILE.read_text(encoding="utf-8"))


def _template(key: str, placeholder: str) -> str:
    value = _TABLE.get(key)
    if not isinstance(value, str) or placeholder not in value:
        raise BuildError(f"{FILE}: {key!r} must be a path with {placeholder}")  # a broken install
    return value


_CLAIM = _template("claim_page", "{token}")
_SHARE = _template("share_page", "{token}")
_ACHIEVEMENT = _template("achievement_page", "{slug}")
_STATUS = _template("status_list", "{n}")
_VARIANT = _template("language_variant", "{lang}")

#: The folders of the per-award pages, and of the other kinds ("c/", "s/", "achievements/", "status/").
CLAIM_PAGES = _CLAIM.split("{token}")[0]
SHARE_PAGES = _SHARE.split("{token}")[0]
ACHIEVEMENT_PAGES = _ACHIEVEMENT.split("{slug}")[0]
STATUS_LISTS = _STATUS.split("{n}")[0]
#: The file names beside a page.
CREDENTIAL_FILE: str = _TABLE["credential_file"]
ACHIEVEMENT_FILE: str = _TABLE["achievement_file"]
BADGE_PNG: str = _TABLE["badge_png"]
BADGE_SVG: str = _TABLE["badge_svg"]
FACTS_FILE: str = _TABLE["facts_file"]
#: Site-wide pages (each also in the site's other languages, see in_language).
VERIFY_PAGE: str = _TABLE["verify_page"]
CERTIFICATE_PAGE: str = _TABLE["certificate_page"]
ASSETS: str = _TABLE["assets"]
#: The DID document: below a path (https://org.github.io/certs/did.json), or at the root of its
#: host (https://certs.example.org/.well-known/did.json), as did:web resolves them.
DID_SUB_PATH: str = _TABLE["did_document"]["sub_path"]
DID_HOST_ROOT: str = _TABLE["did_document"]["host_root"]
DID_DOCUMENTS = (DID_SUB_PATH, DID_HOST_ROOT)
#: Folders kept out of search engines and sitemaps: robots.txt, _headers' noindex, noindex pages.
PRIVATE_PREFIXES: tuple[str, ...] = tuple(_TABLE["private_prefixes"])


def claim_page(token: str) -> str:
    """The graduate's claim page: "c/<token>/"."""
    return _CLAIM.replace("{token}", token)


def share_page(token: str) -> str:
    """The public share page: "s/<token>/"."""
    return _SHARE.replace("{token}", token)


def credential_file(page: str) -> str:
    """The credential beside a claim or share page (a site path or a URL ending in "/")."""
    return page + CREDENTIAL_FILE


def achievement_page(slug: str) -> str:
    return _ACHIEVEMENT.replace("{slug}", slug)


def achievement_file(slug: str) -> str:
    """The public Achievement JSON of a slug."""
    return achievement_page(slug) + ACHIEVEMENT_FILE


def badge_png(slug: str, lang: str | None = None, default: str | None = None) -> str:
    """An achievement's badge PNG in `lang` (in its page's language folder; the default
    language's, which credentials name, beside the page itself)."""
    return in_language(achievement_page(slug), lang, default) + BADGE_PNG


def badge_svg(slug: str, lang: str | None = None, default: str | None = None) -> str:
    return in_language(achievement_page(slug), lang, default) + BADGE_SVG


def facts_file(slug: str) -> str:
    """The card's structured values of an achievement (pages' scripts read them)."""
    return achievement_page(slug) + FACTS_FILE


def status_list(n: int | str) -> str:
    """Status list n (1, 2, …): "status/<n>.json"."""
    return _STATUS.replace("{n}", str(n))


def did_document(site_url: str) -> str:
    """Where the DID document of a site at `site_url` lives, relative to that URL."""
    return DID_SUB_PATH if urlsplit(site_url).path.strip("/") else DID_HOST_ROOT


def is_private(path: str) -> bool:
    """A claim or share page, or a file beside one."""
    return path.startswith(PRIVATE_PREFIXES)


def language_variant(path: str, lang: str) -> str:
    """A site-wide page in another language, one folder deeper: "verify/" → "verify/en/"."""
    return _VARIANT.replace("{path}", path).replace("{lang}", lang)


def in_language(path: str, lang: str | None, default: str | None = None) -> str:
    """`path` in language `lang`: the page itself in the site's default language (or with no
    language given), else its variant."""
    return path if not lang or lang == default else language_variant(path, lang)
