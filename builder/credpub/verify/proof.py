"""The proof and issuer checks (verifier-js/src/verify.js): every proof of a suite credpub
supports (credentials/dataintegrity.SUITES) must hold, and the issuer must list a valid
proof's key for issuing credentials."""

from __future__ import annotations

from typing import Any

from credpub.dates import leading_day
from credpub.credentials.contexts import OFFLINE_MESSAGE
from credpub.credentials.dataintegrity import Canonicalizer, proofs_of, suite_for, suite_of, supported_names, verify_signature
from credpub.errors import CredpubError
from credpub.verify.did import KeyNotResolved, resolve_key
from credpub.verify.resolver import Resolver
from credpub.verify.result import Check
from credpub.verify.values import id_of

SUPPORTED = supported_names()


def _proof_kind(proof: dict[str, Any]) -> str:
    return str(proof.get("cryptosuite") or proof.get("type") or "untyped")


def check_proof_and_issuer(doc: dict[str, Any], resolver: Resolver, canon: Canonicalizer) -> list[Check]:
    """Every supported proof must hold (a bad one is never outweighed by a good one); the issuer
    check asks whether a valid proof's key is one the issuer lists for issuing credentials.
    Unsupported proofs are "not checked", never a verdict on the signature."""
    proofs = proofs_of(doc)
    if not proofs:
        return [Check("proof", "fail", "not signed: the credential has no proof"),
                Check("issuer", "skipped", "not checked: the credential has no proof")]
    supported = [p for p in proofs if suite_for(p)]
    others = [_proof_kind(p) for p in proofs if p not in supported]
    if not supported:
        return [Check("proof", "skipped", f"not checked: {', '.join(others)} proofs are not supported (credpub checks {SUPPORTED})"),
                Check("issuer", "skipped", "not checked: no proof credpub can check")]
    issuer_id = id_of(doc.get("issuer"))
    results: list[dict[str, Any]] = []
    for proof in supported:
        r: dict[str, Any] = {"proof": proof}
        try:
            r["key"] = resolve_key(proof.get("verificationMethod"), resolver)
        except KeyNotResolved as e:
            r["key_error"] = str(e)
        if "key" in r:
            try:
                r["valid"] = verify_signature(doc, proof, r["key"].public, canon)
            except CredpubError as e:
                r["sig_error"] = f"the signature cannot be checked: {e}"
                r["unknown_context"] = OFFLINE_MESSAGE in str(e)
            except RecursionError:
                r["sig_error"] = "the signature cannot be checked: the document is nested too deeply"
        results.append(r)

    notes = [f"also carries {', '.join(others)}, not checked"] if others else []
    unresolved = [r for r in results if "key_error" in r]
    bad = next((r for r in results if "sig_error" in r or r.get("valid") is False), None)
    good = next((r for r in results if r.get("valid") is True), None)
    if bad and bad.get("unknown_context") and not any(r.get("valid") is False for r in results):
        proof_check = Check("proof", "skipped", "not checked: " + bad["sig_error"].removeprefix("the signature cannot be checked: "))
    elif bad:
        proof_check = Check("proof", "fail", bad.get("sig_error") or "the signature does not match: the document was changed after signing")
    elif good:
        if unresolved and len(results) > 1:
            notes.append(f"{len(unresolved)} other proof(s) not checked: key not resolved")
        created = good["proof"].get("created")
        signed = f", signed {leading_day(created)}" if isinstance(created, str) else ""
        proof_check = Check("proof", "pass", f"the signature is valid ({suite_of(good['proof'])}{signed})" + (f"; {'; '.join(notes)}" if notes else ""))
    else:
        proof_check = Check("proof", "skipped", "not checked: the issuer key cannot be resolved")

    def bound(r: dict[str, Any]) -> bool:
        k = r.get("key")
        return bool(k and k.controller == issuer_id and k.authorized and r["proof"].get("proofPurpose") == "assertionMethod")

    bound_good = next((r for r in results if r.get("valid") is True and bound(r)), None)
    resolved = next((r for r in results if r.get("key") and (r.get("valid") is True or not bound_good)), None) \
        or next((r for r in results if r.get("key")), None)
    if bound_good:
        k = bound_good["key"]
        issuer_check = Check("issuer", "pass", f"signed with {k.id}, a key the issuer {issuer_id} lists for issuing credentials")
    elif resolved:
        k, p = resolved["key"], resolved["proof"]
        if k.controller != issuer_id:
            issuer_check = Check("issuer", "fail", f"the key is not the issuer's: {k.id} belongs to {k.controller}, but the issuer is {issuer_id}")
        elif not k.authorized:
            issuer_check = Check("issuer", "fail", f"the key is not the issuer's for issuing: {k.controller} does not list {k.id} under assertionMethod")
        elif p.get("proofPurpose") != "assertionMethod":
            issuer_check = Check("issuer", "fail", f'the proof\'s purpose is "{p.get("proofPurpose")}", not "assertionMethod"')
        else:
            issuer_check = Check("issuer", "pass", f"{k.id} is a key the issuer {issuer_id} lists for issuing credentials")
    else:
        issuer_check = Check("issuer", "fail", f"issuer key cannot be resolved: {unresolved[0]['key_error']}")
    return [proof_check, issuer_check]
