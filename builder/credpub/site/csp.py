"""The Content-Security-Policy of the site's pages, defined once: the pages carry it in a
<meta> (render.py; it also holds from file:// and on hosts that send no headers) and
`credpub serve` sends it as a header (serve.py)."""

from __future__ import annotations

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src {connect}; base-uri 'none'; form-action 'none'; object-src 'none'"
)

#: every page but the verifier stays on the site.
PAGE_CSP = CSP.format(connect="'self'")
#: the verify page fetches other issuers' documents (did:web, status lists, ?url=).
VERIFY_CSP = CSP.format(connect="'self' https:")
