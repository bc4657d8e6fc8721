"""verify_document: the five checks of a credential, in order — format → proof → issuer →
dates → status — and the warning that a credential is not the --site issuer's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credpub import clock, rules
from credpub.credentials.dataintegrity import Canonicalizer
from credpub.verify.dates import check_dates
from credpub.verify.format import check_format
from credpub.verify.proof import check_proof_and_issuer
from credpub.verify.resolver import Resolver
from credpub.verify.result import CHECK_NAMES, Check, Result
from credpub.verify.status import check_status
from credpub.verify.values import id_of


def verify_document(doc: Any, resolver: Resolver, *, now: dt.datetime | None = None,
                    canon: Canonicalizer | None = None, check_status_list: bool = True) -> Result:
    """The five checks of `doc`, each reported, never raised: `now` is the moment dates and
    status are judged at (the system clock unless given); a status list is verified with
    check_status_list=False, since it has no status of its own."""
    now = now or clock.now()
    canon = canon or Canonicalizer.offline()

    def verify_list(lst: dict[str, Any]) -> Result:
        return verify_document(lst, resolver, now=now, canon=canon, check_status_list=False)

    result = Result(credential=doc)
    fmt = check_format(doc)
    result.checks.append(fmt)
    if not isinstance(doc, dict):
        result.checks += [Check(n, "skipped", "not checked: not a credential") for n in CHECK_NAMES[1:]]
        return result
    result.checks += check_proof_and_issuer(doc, resolver, canon)
    result.checks.append(check_dates(doc, now))
    result.checks.append(check_status(doc, resolver, verify_list) if check_status_list
                         else Check("status", "skipped", "not checked: a status list has no status of its own"))
    return result


def foreign_issuer_notice(result: Result, resolver: Resolver) -> str | None:
    """With --site: the plain warning that a validly signed credential is NOT this site's, whatever
    name it gives itself (verifier.json "foreignIssuer", the verify page says the same)."""
    if resolver.site_did is None or not isinstance(result.credential, dict):
        return None
    issuer = id_of(result.credential.get("issuer"))
    if issuer == resolver.site_did or result.check("proof").status != "pass":
        return None
    return rules.words("foreignIssuer", site=resolver.site_issuer_name() or resolver.site_did, issuer=str(issuer))
