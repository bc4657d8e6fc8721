"""The files a static host reads besides the pages — `robots.txt` and `_headers` — and the
response headers `credpub serve` sends: one table of header rules for both.

`_headers` is the Netlify / Cloudflare Pages format (a URL path pattern, then indented
`Name: value` lines). GitHub Pages reads neither `_headers` nor a robots.txt below the host
root, which is why pages also carry their own meta CSP, a noindex meta tag, and the claim
and verify pages refuse to run inside a frame (verifier-js/src/site/framing.js).

Paths. A host reads `_headers` and `robots.txt` only at the root of the host (RFC 9309 for
robots.txt), and both match URL paths. A site published under a path (a GitHub Pages project
site, `https://org.github.io/credentials/`) therefore gets rules that carry that path
(`/credentials/c/*`), and the files must sit at the root of what is published — for such a
site `credpub build` says so (`publish_notes`).
"""

from __future__ import annotations

import fnmatch
from urllib.parse import urlsplit

from credpub import layout
from credpub.site.csp import FRAME_CSP

#: Every page carries its full policy in a meta tag, and several policies apply together, so
#: the header sends only frame-ancestors: it does not repeat — or contradict, for the verify
#: page — the page's own.

SECURITY = {
    "Content-Security-Policy": FRAME_CSP,
    "X-Frame-Options": "DENY",  # browsers without frame-ancestors
    "Referrer-Policy": "no-referrer",  # claim tokens are in the URL
    "X-Content-Type-Options": "nosniff",
}
NOINDEX = {"X-Robots-Tag": "noindex"}  # claim and share pages and their credential JSON
CORS = {"Access-Control-Allow-Origin": "*"}  # other verifiers fetch the DID document and status lists, wallets the credentials

#: (pattern relative to the site root, headers). No header appears in two rules that can
#: match one path: the hosts join repeated headers with commas.
RULES: tuple[tuple[str, dict[str, str]], ...] = (
    ("*", SECURITY),
    *((f"{prefix}*", NOINDEX) for prefix in layout.PRIVATE_PREFIXES),
    *((path, CORS) for path in layout.DID_DOCUMENTS),
    (f"{layout.STATUS_LISTS}*", CORS),
    *((f"{prefix}*/{layout.CREDENTIAL_FILE}", CORS) for prefix in layout.PRIVATE_PREFIXES),
)


def site_path(site_url: str) -> str:
    """The URL path the site is published under: "/" or "/credentials/"."""
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def headers_for(rel_path: str) -> dict[str, str]:
    """The headers of RULES for a path relative to the site root ("c/abc/index.html")."""
    out: dict[str, str] = {}
    for pattern, headers in RULES:
        if fnmatch.fnmatchcase(rel_path.lstrip("/"), pattern):
            out.update(headers)
    return out


def headers_file(site_url: str) -> str:
    base = site_path(site_url)
    lines = [
        "# Response headers for Netlify and Cloudflare Pages, written by credpub build.",
        "# GitHub Pages ignores this file. Paths are URL paths from the root of the host:",
        f"# the site lives under {base}, so this file must be at the root of what you publish.",
    ]
    for pattern, headers in RULES:
        lines.append(base + pattern)
        lines.extend(f"  {name}: {value}" for name, value in headers.items())
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str) -> str:
    base = site_path(site_url)
    return ("User-agent: *\n"
            + "".join(f"Disallow: {base}{prefix}\n" for prefix in layout.PRIVATE_PREFIXES)
            + f"Sitemap: {site_url}sitemap.xml\n")


def publish_notes(site_url: str) -> list[str]:
    """What an issuer publishing under a path must know: crawlers and hosts read these files
    only at the host root."""
    base = site_path(site_url)
    if base == "/":
        return []
    root = f"{urlsplit(site_url).scheme}://{urlsplit(site_url).netloc}/"
    return [
        f"robots.txt is written at {base}robots.txt, but crawlers read only {root}robots.txt (RFC 9309): "
        "claim and share pages stay out of search engines through their noindex meta tags (and X-Robots-Tag "
        f"where the host reads _headers); if you control {root}, copy its Disallow lines there",
        f"_headers (Netlify, Cloudflare Pages) has rules for {base}…: the host reads it only at the root of "
        "what you publish, so move it there; GitHub Pages ignores it",
    ]
