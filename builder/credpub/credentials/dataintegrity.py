"""W3C Data Integrity proofs with the EdDSA cryptosuites (vc-di-eddsa v1.0).

eddsa-rdfc-2022 (§3.3): RDFC-1.0 canonical N-Quads of the document and of the proof options
(which take the document's @context); eddsa-jcs-2022 (§3.4): RFC 8785 of both, the proof
carrying the document's @context. Either way the signed data is
SHA-256(proof config) ‖ SHA-256(document), and proofValue is "z" + base58btc(signature).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.credentials.canon import canonicalize_quads, jcs
from credpub.errors import SigningError
from credpub.credentials.keys import verify_ed25519
from credpub.credentials.rdf import QuadCache

SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022")
LEGACY_RDFC = ("eddsa-2022",)  # name used before the suite was renamed (1EdTech samples)
# Ed25519Signature2020 (W3C CCG, used by many OB 3.0 wallets and DCC) signs the same data as
# eddsa-rdfc-2022: URDNA2015 = RDFC-1.0 of proof options (with the document's @context) and
# document. credpub verifies it; it never signs with it.
ED25519_2020 = "Ed25519Signature2020"


def suite_of(proof: dict[str, Any]) -> str | None:
    if proof.get("type") == ED25519_2020:
        return ED25519_2020
    if proof.get("type") == "DataIntegrityProof":
        return proof.get("cryptosuite")
    return None


@dataclass
class Canonicalizer:
    """Canonical bytes of documents; one per build, so shapes are compiled once (rdf.QuadCache)."""

    cache: QuadCache

    @classmethod
    def offline(cls) -> Canonicalizer:
        return cls(QuadCache())

    def rdfc(self, doc: dict[str, Any]) -> bytes:
        return canonicalize_quads(self.cache.to_quads(doc)).encode("utf-8")


def _proof_config(doc: dict[str, Any], proof: dict[str, Any], suite: str) -> dict[str, Any]:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    if suite in ("eddsa-rdfc-2022", ED25519_2020, *LEGACY_RDFC):
        config["@context"] = doc.get("@context")
    return config


def hash_data(unsecured: dict[str, Any], proof: dict[str, Any], canon: Canonicalizer) -> bytes:
    """The bytes signed for `proof` over `unsecured` (the document as signed: without its
    proofs, or with the previous proofs of a chain)."""
    suite = suite_of(proof)
    unsecured = dict(unsecured)
    config = _proof_config(unsecured, proof, suite)
    if suite == "eddsa-jcs-2022":
        proof_ctx = proof.get("@context")
        if proof_ctx is not None:
            doc_ctx = unsecured.get("@context")
            doc_list = doc_ctx if isinstance(doc_ctx, list) else [doc_ctx]
            proof_list = proof_ctx if isinstance(proof_ctx, list) else [proof_ctx]
            if doc_list[: len(proof_list)] != proof_list:
                raise SigningError("the proof's @context does not match the start of the document's @context")
            unsecured["@context"] = proof_ctx
        config_bytes, doc_bytes = jcs(config), jcs(unsecured)
    elif suite in ("eddsa-rdfc-2022", ED25519_2020, *LEGACY_RDFC):
        config_bytes, doc_bytes = canon.rdfc(config), canon.rdfc(unsecured)
    else:
        raise SigningError(f"unsupported cryptosuite {suite!r}: credpub supports {', '.join(SUITES)}")
    return hashlib.sha256(config_bytes).digest() + hashlib.sha256(doc_bytes).digest()


def sign(
    doc: dict[str, Any],
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    cryptosuite: str = "eddsa-rdfc-2022",
    canon: Canonicalizer | None = None,
) -> dict[str, Any]:
    """A copy of `doc` with a DataIntegrityProof appended to its `proof` array."""
    if cryptosuite not in SUITES:
        raise SigningError(f"unsupported cryptosuite {cryptosuite!r}: use one of {', '.join(SUITES)}")
    canon = canon or Canonicalizer.offline()
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": cryptosuite,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    if cryptosuite == "eddsa-jcs-2022" and "@context" in doc:
        proof["@context"] = copy.deepcopy(doc["@context"])
    data = hash_data({k: v for k, v in doc.items() if k != "proof"}, proof, canon)
    proof["proofValue"] = "z" + base58.b58encode(key.sign(data)).decode("ascii")
    signed = {k: v for k, v in doc.items() if k != "proof"}
    signed["proof"] = [proof]
    return signed


def proofs_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    proof = doc.get("proof")
    if proof is None:
        return []
    return [p for p in (proof if isinstance(proof, list) else [proof]) if isinstance(p, dict)]


def verify_signature(doc: dict[str, Any], proof: dict[str, Any], public_raw: bytes, canon: Canonicalizer | None = None) -> bool:
    """True if `proof` is a valid signature by `public_raw` over `doc` (other proofs of a set ignored).

    Raises SigningError when the proof cannot be checked at all (unknown suite, undefined terms).
    """
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return False
    try:
        signature = base58.b58decode(value[1:])
    except ValueError:
        return False
    if len(signature) != 64:
        return False
    # In a proof set each proof signs the document without any proof; in a proof chain
    # (vc-data-integrity §4.5) a proof also signs the proofs named by its previousProof.
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    previous = proof.get("previousProof")
    if previous:
        wanted = {previous} if isinstance(previous, str) else set(previous)
        chained = [p for p in proofs_of(doc) if p.get("id") in wanted]
        if len(chained) != len(wanted):
            return False  # a previous proof the chain names is missing
        unsecured["proof"] = chained[0] if len(chained) == 1 else chained
    data = hash_data(unsecured, proof, canon or Canonicalizer.offline())
    return verify_ed25519(public_raw, signature, data)
