"""Verification, the checks of SPEC "Verification", each reported separately:

format → proof → issuer → dates → status. A verifier returns, it does not throw: anything that
goes wrong becomes a failed (or, where it could not be done, skipped) check with a message.

Each check gives the same result as verifier-js/src/verify.js for the same input
(tests/corpus-expectations.json holds both to every check of every corpus file): a failed
format check does not stop the others, an unsupported proof or status type is "not checked"
with why, and the issuer binding is judged whether or not the signature holds.

The modules, as verifier-js/src is split: input (file, URL, baked image → document), resolver
(documents from a site folder or the network), format, did (the key behind a proof), proof
(signature and issuer), dates, status, and verdict (verify_document, in that order); result
holds the Check and Result they return, values the JSON helpers they share. Callers import
from this package.
"""

from credpub.verify.did import KeyNotResolved
from credpub.verify.input import load_input
from credpub.verify.resolver import MAX_FETCH, Resolver, SiteFileError, Unavailable
from credpub.verify.result import CHECK_NAMES, Check, Result
from credpub.verify.verdict import foreign_issuer_notice, verify_document

__all__ = [
    "CHECK_NAMES", "MAX_FETCH", "Check", "KeyNotResolved", "Resolver", "Result", "SiteFileError",
    "Unavailable", "foreign_issuer_notice", "load_input", "verify_document",
]
