"""Writes verifier-js/test/fixtures/claim-envelopes.json: envelopes made by the Python side,
which the browser side must open (and tests/credentials/test_claimcrypto.py checks it is still current).

    python -m tests.make_claim_fixture
"""

from __future__ import annotations

import json
from pathlib import Path

from credpub.credentials import claimcrypto

FIXTURE = Path(__file__).resolve().parent.parent / "verifier-js" / "test" / "fixtures" / "claim-envelopes.json"


def fixture() -> dict:
    plaintext = json.dumps({"name": "Zoë O'Connor 🎓", "ok": True}, ensure_ascii=False).encode()
    secret = bytes(range(32))
    salt = bytes(range(16))
    passphrase = "lemon-tree-orbit-42"
    key = claimcrypto.aes_key(secret, claimcrypto.passphrase_key(passphrase, salt))
    return {
        "plaintext": plaintext.decode(),
        "fragment": "#k=" + claimcrypto.b64u(secret),
        "passphrase": passphrase,
        "encrypted": claimcrypto.encrypt(plaintext, secret),
        "passphraseProtected": claimcrypto.encrypt(plaintext, key, salt=salt),
    }


if __name__ == "__main__":
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(fixture(), ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {FIXTURE}")
