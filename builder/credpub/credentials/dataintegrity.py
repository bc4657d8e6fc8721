"""W3C Data Integrity proofs with the EdDSA cryptosuites (vc-di-eddsa v1.0).

Each cryptosuite is a small object in SUITES, as in Digital Bazaar's suites: its name, the
proof type that carries it, how it turns the document and the proof options into canonical
bytes, and whether credpub signs with it. The list itself is data/verifier.json's
`cryptosuites`, which the browser verifier (verifier-js/src/crypto/dataintegrity.js) reads too.
Signing, verification, the `cryptosuite:` values site.yml may choose and the verifier's
"supported" message all read that table.

eddsa-rdfc-2022 (§3.3): RDFC-1.0 canonical N-Quads of the document and of the proof options
(which take the document's @context); eddsa-jcs-2022 (§3.4): RFC 8785 of both, the proof
carrying the document's @context. Either way the signed data is
SHA-256(proof config) ‖ SHA-256(document), and proofValue is "z" + base58btc(signature).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any, Callable

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.credentials.canon import jcs
from credpub.errors import SigningError
from credpub.credentials.keys import verify_ed25519
from credpub.credentials.rdf import QuadCache
from credpub.rules import CRYPTOSUITE_ALIASES, CRYPTOSUITES

DATA_INTEGRITY = "DataIntegrityProof"


@dataclass
class Canonicalizer:
    """Canonical bytes of documents; one per build, so shapes are compiled once (rdf.QuadCache)."""

    cache: QuadCache

    @classmethod
    def offline(cls) -> Canonicalizer:
        return cls(QuadCache())

    def rdfc(self, doc: dict[str, Any]) -> bytes:
        return self.cache.canonical(doc).encode("utf-8")


@dataclass(frozen=True)
class Suite:
    """One cryptosuite. `name` is the proof's `cryptosuite` (or, for a suite that predates Data
    Integrity, its `type`); `alias_of` names the suite this is an older name of."""

    name: str
    proof_type: str = DATA_INTEGRITY
    signs: bool = False  # credpub signs with it (else it only verifies it)
    alias_of: str | None = None
    hash: Callable[[bytes], Any] = hashlib.sha256

    def new_proof(self, doc: dict[str, Any], *, created: str, verification_method: str) -> dict[str, Any]:
        """A proof of this suite for `doc`, all but its proofValue."""
        proof: dict[str, Any] = {"type": self.proof_type}
        if self.proof_type == DATA_INTEGRITY:
            proof["cryptosuite"] = self.name
        proof.update(created=created, verificationMethod=verification_method, proofPurpose="assertionMethod")
        return proof

    def canonical(self, unsecured: dict[str, Any], config: dict[str, Any], canon: Canonicalizer) -> tuple[bytes, bytes]:
        """(proof configuration, document) as the bytes that are hashed."""
        raise NotImplementedError

    def signed_data(self, unsecured: dict[str, Any], proof: dict[str, Any], canon: Canonicalizer) -> bytes:
        """hash(proof configuration) ‖ hash(document): the bytes the signature covers."""
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        config_bytes, doc_bytes = self.canonical(dict(unsecured), config, canon)
        return self.hash(config_bytes).digest() + self.hash(doc_bytes).digest()


@dataclass(frozen=True)
class RdfcSuite(Suite):
    """RDFC-1.0 of the proof options, which take the document's @context, and of the document.
    Ed25519Signature2020 (URDNA2015 = RDFC-1.0) signs the same data."""

    def canonical(self, unsecured: dict[str, Any], config: dict[str, Any], canon: Canonicalizer) -> tuple[bytes, bytes]:
        config["@context"] = unsecured.get("@context")
        return canon.rdfc(config), canon.rdfc(unsecured)


@dataclass(frozen=True)
class JcsSuite(Suite):
    """RFC 8785 of the proof options and of the document; a proof's @context, which must
    start the document's, stands in for the document's own."""

    def new_proof(self, doc: dict[str, Any], *, created: str, verification_method: str) -> dict[str, Any]:
        proof = super().new_proof(doc, created=created, verification_method=verification_method)
        if "@context" in doc:
            proof["@context"] = copy.deepcopy(doc["@context"])
        return proof

    def canonical(self, unsecured: dict[str, Any], config: dict[str, Any], canon: Canonicalizer) -> tuple[bytes, bytes]:
        proof_ctx = config.get("@context")
        if proof_ctx is not None:
            doc_ctx = unsecured.get("@context")
            doc_list = doc_ctx if isinstance(doc_ctx, list) else [doc_ctx]
            proof_list = proof_ctx if isinstance(proof_ctx, list) else [proof_ctx]
            if doc_list[: len(proof_list)] != proof_list:
                raise SigningError("the proof's @context does not match the start of the document's @context")
            unsecured["@context"] = proof_ctx
        return jcs(config), jcs(unsecured)


#: How each canonicalization of the shared table makes its bytes. An ldsig suite predates Data
#: Integrity: its proof type is its name, and credpub verifies it but never signs with it
#: (Ed25519Signature2020, W3C CCG, used by many OB 3.0 wallets and DCC; it signs what RDFC does).
#: An older name (eddsa-2022, in 1EdTech samples) verifies as the suite it names. The others sign.
_CANON: dict[str, type[Suite]] = {"rdfc": RdfcSuite, "jcs": JcsSuite, "ldsig": RdfcSuite}


def _suite(name: str, canon: str) -> Suite:
    legacy, alias_of = canon == "ldsig", CRYPTOSUITE_ALIASES.get(name)
    return _CANON[canon](name, proof_type=name if legacy else DATA_INTEGRITY,
                         signs=not legacy and alias_of is None, alias_of=alias_of)


#: Every suite credpub knows, by name; the first one signs by default.
SUITES: dict[str, Suite] = {name: _suite(name, canon) for name, canon in CRYPTOSUITES.items()}
#: The suites credpub signs with: the values site.yml's `cryptosuite:` may take.
SIGNING = tuple(name for name, s in SUITES.items() if s.signs)
DEFAULT_SUITE = SIGNING[0]


def supported_names() -> str:
    """The suites credpub checks, for messages: "a, b and c" (older names of a suite left out)."""
    names = [name for name, s in SUITES.items() if s.alias_of is None]
    return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else names[0]


def suite_of(proof: dict[str, Any]) -> Any:
    """The suite a proof names: its `type` for a suite that predates Data Integrity, else its
    `cryptosuite` (whatever that holds; unknown to SUITES when credpub cannot check it)."""
    kind = proof.get("type")
    if kind != DATA_INTEGRITY and any(s.proof_type == kind for s in SUITES.values()):
        return kind
    if kind == DATA_INTEGRITY:
        return proof.get("cryptosuite")
    return None


def suite_for(proof: dict[str, Any]) -> Suite | None:
    """The suite object that checks `proof`, or None when credpub does not support it (a
    suite is carried by its own proof type only: no DataIntegrityProof "Ed25519Signature2020")."""
    name = suite_of(proof)
    suite = SUITES.get(name) if isinstance(name, str) else None
    return suite if suite is not None and suite.proof_type == proof.get("type") else None


def hash_data(unsecured: dict[str, Any], proof: dict[str, Any], canon: Canonicalizer) -> bytes:
    """The bytes signed for `proof` over `unsecured` (the document as signed: without its
    proofs, or with the previous proofs of a chain)."""
    suite = suite_for(proof)
    if suite is None:
        raise SigningError(f"unsupported cryptosuite {suite_of(proof)!r}: credpub supports {', '.join(SIGNING)}")
    return suite.signed_data(unsecured, proof, canon)


def prove(
    doc: dict[str, Any],
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    cryptosuite: str = DEFAULT_SUITE,
    canon: Canonicalizer | None = None,
) -> dict[str, Any]:
    """The DataIntegrityProof of `doc` (its own proofs left out), proofValue included."""
    suite = SUITES.get(cryptosuite) if isinstance(cryptosuite, str) else None
    if suite is None or not suite.signs:
        raise SigningError(f"unsupported cryptosuite {cryptosuite!r}: use one of {', '.join(SIGNING)}")
    canon = canon or Canonicalizer.offline()
    proof = suite.new_proof(doc, created=created, verification_method=verification_method)
    data = suite.signed_data({k: v for k, v in doc.items() if k != "proof"}, proof, canon)
    proof["proofValue"] = "z" + base58.b58encode(key.sign(data)).decode("ascii")
    return proof


def with_proof(doc: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """A copy of `doc` whose `proof` array is `proof` alone (a signing pool makes the proofs,
    the documents stay in the parent process)."""
    signed = {k: v for k, v in doc.items() if k != "proof"}
    signed["proof"] = [proof]
    return signed


def sign(
    doc: dict[str, Any],
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    cryptosuite: str = DEFAULT_SUITE,
    canon: Canonicalizer | None = None,
) -> dict[str, Any]:
    """A copy of `doc` with a DataIntegrityProof appended to its `proof` array."""
    return with_proof(doc, prove(doc, key, verification_method=verification_method, created=created,
                                 cryptosuite=cryptosuite, canon=canon))


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
