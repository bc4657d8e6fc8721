"""The issuer's secrets: the Ed25519 signing key and the 256-bit site secret.

They live in a key folder outside git (`credpub keygen`, default `.credpub/`), the private key
as PKCS#8 PEM, encrypted when CREDPUB_KEY_PASSPHRASE is set; in CI the environment variables
CREDPUB_SIGNING_KEY (the PEM text) and CREDPUB_SITE_SECRET (hex or base64url) take precedence.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from credpub.errors import KeyMaterialError

KEY_FILE = "signing-key.pem"
SECRET_FILE = "site-secret"
RETIRED_FILE = "retired-keys.txt"  # public keys (z6Mk…) of earlier signing keys, one a line
RETIRED_DIR = "retired"  # retired/<z6Mk…>.pem: the earlier private keys, kept (`keygen --rotate`)
COMPROMISED_FILE = "compromised-keys.txt"  # retired keys no longer trusted: out of assertionMethod
DEMO_MARK = "DEMO-KEY"
ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, varint-encoded
ED25519_PRIV_PREFIX = b"\x80\x26"  # multicodec ed25519-priv


def derive(secret: bytes, label: str, data: bytes) -> bytes:
    """HMAC-SHA256(site secret, "credpub/<label>/v1" NUL data): every value credpub derives
    from the site secret (tokens, ids, salts, claim keys, status positions), one label each."""
    return hmac.digest(secret, f"credpub/{label}/v1\0".encode() + data, "sha256")  # one C call: plans derive 40,000


def multikey_from_public(raw: bytes) -> str:
    """publicKeyMultibase of a raw 32-byte Ed25519 key: "z" + base58btc(0xed01 ‖ key)."""
    if len(raw) != 32:
        raise ValueError(f"Ed25519 public key must be 32 bytes, got {len(raw)}")
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + raw).decode("ascii")


def public_from_multikey(multibase: str) -> bytes:
    """The raw 32-byte Ed25519 key of a publicKeyMultibase; ValueError if it is anything else."""
    if not multibase.startswith("z"):
        raise ValueError("publicKeyMultibase must be base58btc ('z' prefix)")
    try:
        data = base58.b58decode(multibase[1:])
    except ValueError as e:
        raise ValueError(f"publicKeyMultibase is not base58btc: {e}") from None
    if data[:2] != ED25519_PUB_PREFIX or len(data) != 34:
        raise ValueError("publicKeyMultibase is not an Ed25519 public key (multicodec 0xed01, 32 bytes)")
    return data[2:]


@dataclass(frozen=True)
class Keys:
    signing_key: Ed25519PrivateKey
    site_secret: bytes
    retired: tuple[str, ...] = ()  # publicKeyMultibase of retired keys, kept in the DID document
    demo: bool = False
    compromised: tuple[str, ...] = ()  # retired keys that may no longer sign (keygen --retire --compromised)

    @property
    def public_multikey(self) -> str:
        raw = self.signing_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return multikey_from_public(raw)


def _passphrase() -> bytes | None:
    p = os.environ.get("CREDPUB_KEY_PASSPHRASE")
    return p.encode("utf-8") if p else None


def _parse_secret(text: str, where: str) -> bytes:
    text = text.strip()
    try:
        raw = bytes.fromhex(text) if all(c in "0123456789abcdefABCDEF" for c in text) else base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, binascii.Error):
        raise KeyMaterialError(f"{where}: the site secret is neither hex nor base64url") from None
    if len(raw) < 32:
        raise KeyMaterialError(f"{where}: the site secret must be at least 256 bits (32 bytes), got {len(raw)} bytes")
    return raw


def _parse_key(pem: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=_passphrase())
    except TypeError as e:
        if "encrypted" in str(e).lower() and _passphrase() is None:
            raise KeyMaterialError(f"{where}: the signing key is encrypted: set CREDPUB_KEY_PASSPHRASE") from None
        raise KeyMaterialError(f"{where}: the signing key is not encrypted, but CREDPUB_KEY_PASSPHRASE is set: unset it") from None
    except ValueError:
        if _passphrase() is not None:
            raise KeyMaterialError(f"{where}: wrong passphrase (CREDPUB_KEY_PASSPHRASE) or not a PEM private key") from None
        raise KeyMaterialError(f"{where}: not a PEM (PKCS#8) private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyMaterialError(f"{where}: the signing key must be Ed25519, got {type(key).__name__}")
    return key


def load_keys(keys_dir: Path) -> Keys:
    """Environment variables first (CI), then the key folder."""
    env_key = os.environ.get("CREDPUB_SIGNING_KEY")
    env_secret = os.environ.get("CREDPUB_SITE_SECRET")
    key_path = keys_dir / KEY_FILE
    secret_path = keys_dir / SECRET_FILE
    if env_key:
        key = _parse_key(env_key.encode("utf-8"), "CREDPUB_SIGNING_KEY")
        demo = False
    elif key_path.is_file():
        pem = key_path.read_bytes()
        key = _parse_key(pem, str(key_path))
        demo = DEMO_MARK.encode() in pem
    else:
        raise KeyMaterialError(
            f"missing signing key: no {key_path} and no CREDPUB_SIGNING_KEY; "
            f"run `credpub keygen --keys {keys_dir}` (once, and keep the folder out of git)"
        )
    if env_secret:
        secret = _parse_secret(env_secret, "CREDPUB_SITE_SECRET")
    elif secret_path.is_file():
        secret = _parse_secret(secret_path.read_text("utf-8"), str(secret_path))
    else:
        raise KeyMaterialError(
            f"missing site secret: no {secret_path} and no CREDPUB_SITE_SECRET; run `credpub keygen --keys {keys_dir}`"
        )
    retired = _key_list(keys_dir / RETIRED_FILE)
    compromised = _key_list(keys_dir / COMPROMISED_FILE)
    keys = Keys(key, secret, retired, demo, compromised)
    if keys.public_multikey in compromised:
        raise KeyMaterialError(f"the signing key {keys.public_multikey} is listed in {keys_dir / COMPROMISED_FILE}: "
                               f"run `credpub keygen --rotate --keys {keys_dir}` (or set CREDPUB_SIGNING_KEY to the new key)")
    return keys


def _key_list(path: Path) -> tuple[str, ...]:
    """Public keys (publicKeyMultibase), one a line; # comments."""
    if not path.is_file():
        return ()
    lines = [ln.split("#", 1)[0].strip() for ln in path.read_text("utf-8").splitlines()]
    out = tuple(ln for ln in lines if ln)
    for mk in out:
        try:
            public_from_multikey(mk)
        except ValueError as e:
            raise KeyMaterialError(f"{path}: {mk}: {e}") from None
    return out


def rotate_keys(keys_dir: Path) -> tuple[str, str]:
    """A new signing key; the current one is retired: its private key moves to retired/<key>.pem
    and its public key stays in the DID document (retired-keys.txt), so that credentials it
    signed keep verifying. Returns (old, new) publicKeyMultibase."""
    key_path = keys_dir / KEY_FILE
    if not key_path.is_file():
        raise KeyMaterialError(f"no signing key at {key_path} to rotate: run `credpub keygen --keys {keys_dir}` first")
    pem = key_path.read_bytes()
    old = Keys(_parse_key(pem, str(key_path)), b"").public_multikey
    (keys_dir / RETIRED_DIR).mkdir(mode=0o700, exist_ok=True)
    kept = keys_dir / RETIRED_DIR / f"{old}.pem"
    if not kept.exists():
        _write_private(kept, pem)
    _append_line(keys_dir / RETIRED_FILE, old)
    new_key = Ed25519PrivateKey.generate()
    passphrase = _passphrase()
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    tmp = keys_dir / f".{KEY_FILE}.new"
    if tmp.exists():
        tmp.unlink()
    _write_private(tmp, new_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    os.replace(tmp, key_path)  # the old key is safe in retired/ before this
    return old, Keys(new_key, b"").public_multikey


def retire_key(keys_dir: Path, public_multikey: str, *, compromised: bool) -> None:
    """Mark a retired key compromised: the DID document drops it from assertionMethod and the
    next build re-signs every award with the current key."""
    current = load_keys(keys_dir)
    if public_multikey == current.public_multikey:
        raise KeyMaterialError(f"{public_multikey} is the current signing key: run `credpub keygen --rotate` first, then retire it")
    if public_multikey not in current.retired:
        known = ", ".join(current.retired) or "none"
        raise KeyMaterialError(f"{public_multikey} is not a retired key of {keys_dir} (retired: {known})")
    if not compromised:
        return  # retired already: it stays in the DID document so that its credentials verify
    if public_multikey not in current.compromised:
        _append_line(keys_dir / COMPROMISED_FILE, public_multikey)


def _append_line(path: Path, line: str) -> None:
    text = path.read_text("utf-8") if path.is_file() else ""
    if line in (ln.split("#", 1)[0].strip() for ln in text.splitlines()):
        return
    if text and not text.endswith("\n"):
        text += "\n"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text + line + "\n", "utf-8")
    os.replace(tmp, path)


def generate_keys(keys_dir: Path, *, demo: bool = False) -> Keys:
    """Writes a new key and site secret; refuses to overwrite either."""
    key_path = keys_dir / KEY_FILE
    secret_path = keys_dir / SECRET_FILE
    for p in (key_path, secret_path):
        if p.exists():
            raise KeyMaterialError(f"{p} exists: refusing to overwrite a signing key or site secret (delete it yourself to start over)")
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    passphrase = None if demo else _passphrase()
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    if demo:
        pem = f"# {DEMO_MARK}: made by `make demo` for the demo site only; never publish credentials with it\n".encode() + pem
    secret = secrets.token_bytes(32)
    _write_private(key_path, pem)
    _write_private(secret_path, (secret.hex() + "\n").encode())
    gitignore = keys_dir / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n")
    return Keys(key, secret, (), demo)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def verify_ed25519(public_raw: bytes, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, data)
        return True
    except (InvalidSignature, ValueError):
        return False
