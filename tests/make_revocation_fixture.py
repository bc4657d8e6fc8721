"""Writes verifier-js/test/fixtures/revocation-list.json: the three badges of the 1EdTech OB 3.0
displayer test (valid, expired, revoked), with a 1EdTechRevocationList status, signed by a fixed
did:key, with the list they point to and the verdict per check both verifiers must give
(tests/verify/test_status.py checks the file is still current and Python's verdicts; the browser
side's are checked by verifier-js/test/revocationlist.test.js).

    python -m tests.make_revocation_fixture
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.credentials.dataintegrity import sign
from credpub.credentials.keys import multikey_from_public

FIXTURE = Path(__file__).resolve().parent.parent / "verifier-js" / "test" / "fixtures" / "revocation-list.json"
NOW = "2026-11-29T12:00:00Z"
LIST_URL = "https://badges.example.org/revocations"


def _credential(number: int, valid_until: str) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                     "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],
        "id": f"https://badges.example.org/credentials/{number}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "", "type": ["Profile"], "name": "Example Academy"},
        "validFrom": "2024-01-01T00:00:00Z",
        "validUntil": valid_until,
        "name": "Teamwork Badge",
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", "type": ["AchievementSubject"],
                              "achievement": {"id": "https://badges.example.org/achievements/teamwork", "type": ["Achievement"],
                                              "criteria": {"narrative": "Nominated by peers."},
                                              "description": "Collaborates within a group.", "name": "Teamwork"}},
        "credentialStatus": {"id": LIST_URL, "type": "1EdTechRevocationList"},
    }


def fixture() -> dict:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(100, 132)))
    mk = multikey_from_public(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    did = f"did:key:{mk}"
    cases = {"valid": (1, "2030-01-01T00:00:00Z"), "expired": (2, "2025-01-01T00:00:00Z"),
             "revoked": (3, "2030-01-01T00:00:00Z"), "listed-not-revoked": (4, "2030-01-01T00:00:00Z")}
    out: dict = {"now": NOW, "listUrl": LIST_URL, "cases": {}}
    for name, (number, until) in cases.items():
        doc = _credential(number, until)
        doc["issuer"]["id"] = did
        signed = sign(doc, key, verification_method=f"{did}#{mk}", created="2024-01-01T00:00:00Z")
        expired, revoked = name == "expired", name == "revoked"
        out["cases"][name] = {"credential": signed, "checks": {
            "format": "pass", "proof": "pass", "issuer": "pass", "dates": "fail" if expired else "pass",
            "status": "fail" if revoked else "pass"}, "verified": not (expired or revoked)}
    out["list"] = {"id": LIST_URL, "issuer": did, "revokedCredentials": [
        {"id": "https://badges.example.org/credentials/3", "revocationReason": "Issued in error"},
        {"id": "https://badges.example.org/credentials/4", "revoked": False}]}
    return out


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(fixture(), indent=1, ensure_ascii=False) + "\n")
    print(FIXTURE)
