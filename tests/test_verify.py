"""verify.py (`credpub verify`): the 1EdTech validator samples, W3C vectors, and bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from credpub.verify import Resolver, Unavailable, verify_document

from .conftest import VECTORS

OB = VECTORS / "ob-v3p0-1edtech-validator"
NOW = dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)


def _load(name: str) -> dict:
    return json.loads((OB / name).read_text())


def _resolver_for(doc: dict, extra: dict[str, dict] | None = None) -> Resolver:
    """Serves, FOR THE TEST ONLY, a controller document built from the key in the fragment of
    each sample's verificationMethod (https://x/issuers/1#z6Mk…). Real verification never
    takes a key from a URL fragment; the 1EdTech samples were made for a validator that does."""
    served: dict[str, dict] = dict(extra or {})
    proofs = doc.get("proof") or []
    for p in proofs if isinstance(proofs, list) else [proofs]:
        vm = p.get("verificationMethod", "") if isinstance(p, dict) else ""
        if vm.startswith("https://") and "#" in vm:
            controller, key = vm.split("#", 1)
            served[controller] = {
                "id": controller,
                "verificationMethod": [{"id": vm, "type": "Multikey", "controller": controller, "publicKeyMultibase": key}],
                "assertionMethod": [vm],
            }

    def fetch(url: str) -> bytes:
        if url in served:
            return json.dumps(served[url]).encode()
        raise Unavailable(f"{url} not served in this test")

    return Resolver(fetch=fetch)


def _verdict(result) -> dict[str, str]:
    return {c.name: c.status for c in result.checks}


POSITIVE = ["simple.json", "simple-context-alias.json", "simple-context-version.json", "simple-did-web-method.json",
            "simple-multiple-proofs.json", "complete.json", "endorsement-valid.json", "simple-eddsa-2022.json"]


@pytest.mark.parametrize("name", POSITIVE)
def test_signed_samples_verify_with_a_test_controller_document(name):
    doc = _load(name)
    result = verify_document(doc, _resolver_for(doc), now=NOW)
    v = _verdict(result)
    assert v["proof"] == "pass" and v["issuer"] == "pass", result.checks
    assert v["format"] == "pass"


@pytest.mark.parametrize("name", POSITIVE)
def test_without_the_controller_document_the_key_cannot_be_resolved(name):
    doc = _load(name)
    result = verify_document(doc, Resolver(fetch=lambda url: (_ for _ in ()).throw(Unavailable(url))), now=NOW)
    assert not result.verified
    issuer = next(c for c in result.checks if c.name == "issuer")
    assert issuer.status == "fail" and "issuer key cannot be resolved" in issuer.message


def test_did_key_sample_signature_verifies_but_key_is_not_the_issuers():
    # simple-did-key-method.json names issuer urn:uuid:… but is signed by a did:key: the
    # signature is sound, yet nothing binds that key to the named issuer.
    result = verify_document(_load("simple-did-key-method.json"), Resolver(offline=True), now=NOW)
    v = _verdict(result)
    assert v["proof"] == "pass" and v["issuer"] == "fail"
    assert not result.verified


@pytest.mark.parametrize("name, check, words", [
    ("simple-err-proof-value.json", "proof", "does not match"),
    ("simple-err-proof-method.json", "issuer", "cannot be resolved"),
    ("simple-err-type.json", "proof", "cannot be checked"),
    ("simple-err-context.json", "format", "the first @context must be"),
    ("simple-err-expired.json", "dates", "expired on 2010-01-01"),
    ("simple-err-issued.json", "dates", "not valid yet"),
    ("simple-noproof.json", "proof", "not signed"),
])
def test_negative_samples_fail_for_the_right_reason(name, check, words):
    doc = _load(name)
    result = verify_document(doc, _resolver_for(doc), now=NOW)
    assert not result.verified
    failed = next(c for c in result.checks if c.name == check)
    assert failed.status == "fail" and words in failed.message, result.checks


@pytest.mark.parametrize("name", ["bsl-credential-status-revoked.json", "bsl-credential-status-revoked-blank-nodes.json"])
def test_bitstring_status_list_revoked(name):
    doc = _load(name)
    status_list = _load("bsl-testlist.json")
    extra = {doc["credentialStatus"]["statusListCredential"]: status_list}
    resolver = _resolver_for(doc, extra)
    # The list is signed by the same (test-served) controller.
    resolver_list = _resolver_for(status_list, extra)
    resolver.fetch = lambda url, a=resolver.fetch, b=resolver_list.fetch: _either(a, b, url)
    result = verify_document(doc, resolver, now=NOW)
    v = _verdict(result)
    assert v["proof"] == "pass" and v["status"] == "fail", result.checks
    assert "revoked" in next(c.message for c in result.checks if c.name == "status")
    assert not result.verified


def _either(a, b, url):
    try:
        return a(url)
    except Unavailable:
        return b(url)


def test_offline_status_is_not_checked_never_pass():
    doc = _load("bsl-credential-status-revoked.json")
    resolver = _resolver_for(doc)
    resolver.offline = False
    result = verify_document(doc, resolver, now=NOW)
    status = next(c for c in result.checks if c.name == "status")
    assert status.status == "skipped" and "not checked" in status.message


def test_w3c_vectors_signature_valid_issuer_not_bound():
    for path in (VECTORS / "vc-di-eddsa" / "TestVectors" / "eddsa-rdfc-2022" / "signedDataInt.json",
                 VECTORS / "vc-di-eddsa" / "TestVectors" / "eddsa-jcs-2022" / "signedJCS.json"):
        result = verify_document(json.loads(path.read_text()), Resolver(offline=True), now=NOW)
        v = _verdict(result)
        # The vectors' issuer is https://vc.example/issuers/5678, the key a did:key: not bound.
        assert v["proof"] == "pass" and v["issuer"] == "fail"


@pytest.mark.parametrize("doc, words", [
    ([1, 2, 3], "expected a JSON object"),
    ({"hello": "world"}, '"type" must include "VerifiableCredential"'),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}, '"issuer" is missing'),
])
def test_not_a_credential(doc, words):
    result = verify_document(doc, Resolver(offline=True), now=NOW)
    assert not result.verified and words in result.checks[0].message


def test_unknown_cryptosuite_and_context():
    doc = _load("simple.json")
    doc["proof"][0]["cryptosuite"] = "ecdsa-foo-2099"
    result = verify_document(doc, _resolver_for(doc), now=NOW)
    # Unsupported is "not checked" (as in verifier-js), never a verdict on the signature.
    assert not result.verified and result.checks[1].status == "skipped" and "not supported" in result.checks[1].message
    doc = _load("simple.json")
    doc["@context"].append("https://example.org/not-bundled/v1")
    result = verify_document(doc, _resolver_for(doc), now=NOW)
    assert not result.verified and "not available offline" in result.checks[1].message
