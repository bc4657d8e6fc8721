"""Claim security layers 2 and 3 (SPEC "Claim security"): the claim credential at rest is
AES-256-GCM ciphertext; the key travels only in the URL fragment (#k=…), which browsers never
send to the host. With a passphrase, the fragment alone is not enough: the AES key is
HMAC-SHA256(key = PBKDF2-SHA256(passphrase, salt, 600,000), message = fragment secret).

Everything is derived from the site secret, so rebuilds are byte-identical: the GCM nonce is
synthetic (HMAC of the key and the plaintext), so a nonce never repeats for two different
plaintexts under one key. The browser side is verifier-js/src/claimcrypto.js.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from credpub.credentials.keys import derive

PBKDF2_ITERATIONS = 600_000  # OWASP 2023 minimum for PBKDF2-HMAC-SHA256
ENVELOPE_TYPE = "credpub-encrypted-claim"
# Pronounceable syllables for generated passphrases: 15 consonants × 5 vowels = 75 per
# syllable (6.2 bits); ten syllables in five hyphenated words ≈ 62 bits.
_CONSONANTS = "bdfgjklmnprstvz"
_VOWELS = "aeiou"
PASSPHRASE_SYLLABLES = 10


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(secret: bytes, label: str, identity: bytes, n: int = 32) -> bytes:
    return derive(secret, label, identity)[:n]


def fragment_secret(secret: bytes, identity: bytes) -> bytes:
    """The 256 bits that travel in #k=…: for `encrypted`, the AES key itself."""
    return _derive(secret, "claim-key", identity)


def salt_for(secret: bytes, identity: bytes) -> bytes:
    return _derive(secret, "claim-salt", identity, 16)


def generated_passphrase(secret: bytes, identity: bytes) -> str:
    """A readable passphrase (≈62 bits) for an award whose row gives none; stable per award."""
    n = int.from_bytes(_derive(secret, "passphrase", identity), "big")
    syllables = []
    for _ in range(PASSPHRASE_SYLLABLES):
        n, r = divmod(n, len(_CONSONANTS) * len(_VOWELS))
        syllables.append(_CONSONANTS[r // len(_VOWELS)] + _VOWELS[r % len(_VOWELS)])
    return "-".join("".join(syllables[i:i + 2]) for i in range(0, PASSPHRASE_SYLLABLES, 2))


def passphrase_key(passphrase: str, salt: bytes, cache_dir: Path | None = None) -> bytes:
    """PBKDF2-SHA256(passphrase, salt, 600,000): ~0.3 s each, so kept in a cache beside the
    keys (never in site/) to keep rebuilds fast."""
    normalized = passphrase.strip().encode("utf-8")
    cache_file = None
    if cache_dir is not None:
        name = hashlib.sha256(b"credpub/pbkdf2-cache/v1\0" + salt + b"\0" + normalized).hexdigest()
        cache_file = cache_dir / name
        if cache_file.is_file():
            return bytes.fromhex(cache_file.read_text().strip())
    key = hashlib.pbkdf2_hmac("sha256", normalized, salt, PBKDF2_ITERATIONS, 32)
    if cache_file is not None:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        cache_file.write_text(key.hex())
    return key


def aes_key(fragment: bytes, pass_key: bytes | None) -> bytes:
    if pass_key is None:
        return fragment
    return hmac.new(pass_key, fragment, hashlib.sha256).digest()


def encrypt(plaintext: bytes, key: bytes, *, salt: bytes | None = None) -> dict[str, Any]:
    """The envelope stored as c/<token>/credential.json."""
    nonce = hmac.new(key, b"credpub/claim-nonce/v1\0" + plaintext, hashlib.sha256).digest()[:12]
    envelope: dict[str, Any] = {
        "type": ENVELOPE_TYPE,
        "version": 1,
        "cipher": "AES-256-GCM",
        "kdf": "none" if salt is None else "PBKDF2-SHA256",
    }
    if salt is not None:
        envelope.update({"iterations": PBKDF2_ITERATIONS, "salt": b64u(salt)})
    envelope.update({"iv": b64u(nonce), "ciphertext": b64u(AESGCM(key).encrypt(nonce, plaintext, ENVELOPE_TYPE.encode()))})
    return envelope


def decrypt(envelope: dict[str, Any], key: bytes) -> bytes:
    """For tests and `credpub verify` of an envelope with its key; raises InvalidTag if wrong."""
    return AESGCM(key).decrypt(unb64u(envelope["iv"]), unb64u(envelope["ciphertext"]), ENVELOPE_TYPE.encode())


def envelope_json(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, separators=(",", ":")).encode("ascii")
