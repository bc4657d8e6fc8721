"""The verifier's former single module, kept only so that callers not yet moved to
`credpub.verify` (the CLI) still import; everything is defined in the package's modules."""

from credpub.verify import (  # noqa: F401 (re-exported)
    MAX_FETCH, Check, KeyNotResolved, Resolver, Result, SiteFileError, Unavailable, foreign_issuer_notice,
    load_input, verify_document,
)
