"""The Content-Security-Policy of the site's pages, defined and chosen once: the pages carry it
in a <meta> (render.py; it also holds from file:// and on hosts that send no headers) and
`credpub serve` sends it as a header (serve.py), with what only a header can say."""

from __future__ import annotations

from credpub import layout

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src {connect}; base-uri 'none'; form-action 'none'; object-src 'none'"
)

#: every page but the verifier stays on the site.
PAGE_CSP = CSP.format(connect="'self'")
#: the verify page fetches other issuers' documents (did:web, status lists, ?url=).
VERIFY_CSP = CSP.format(connect="'self' https:")
#: Only what a meta CSP cannot say (frame-ancestors is ignored in <meta>, CSP3 §6.1): the
#: `_headers` file sends it for every path (hostfiles.py).
FRAME_CSP = "frame-ancestors 'none'"


def page_csp(rel_path: str) -> str:
    """The policy of the page at `rel_path`, relative to the site root ("verify/en/index.html")."""
    return VERIFY_CSP if rel_path.lstrip("/").startswith(layout.VERIFY_PAGE) else PAGE_CSP


def served_csp(rel_path: str) -> str:
    """The policy a server sends as a header for `rel_path`: the page's, and frame-ancestors."""
    return page_csp(rel_path) + "; " + FRAME_CSP
