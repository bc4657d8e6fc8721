"""keys.py: keygen, encryption at rest, environment precedence, clear errors."""

from __future__ import annotations

import pytest

from credpub.errors import KeyMaterialError
from credpub.credentials.keys import generate_keys, load_keys, multikey_from_public, public_from_multikey


def test_keygen_writes_private_files_and_refuses_to_overwrite(tmp_path, monkeypatch):
    monkeypatch.delenv("CREDPUB_KEY_PASSPHRASE", raising=False)
    keys = generate_keys(tmp_path / "k")
    assert (tmp_path / "k" / "signing-key.pem").stat().st_mode & 0o777 == 0o600
    assert len(keys.site_secret) == 32
    assert load_keys(tmp_path / "k").public_multikey == keys.public_multikey
    with pytest.raises(KeyMaterialError, match="refusing to overwrite"):
        generate_keys(tmp_path / "k")


def test_encrypted_key_needs_the_right_passphrase(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDPUB_KEY_PASSPHRASE", "correct horse battery staple")
    keys = generate_keys(tmp_path / "k")
    assert b"ENCRYPTED" in (tmp_path / "k" / "signing-key.pem").read_bytes()
    assert load_keys(tmp_path / "k").public_multikey == keys.public_multikey
    monkeypatch.setenv("CREDPUB_KEY_PASSPHRASE", "wrong")
    with pytest.raises(KeyMaterialError, match="wrong passphrase"):
        load_keys(tmp_path / "k")
    monkeypatch.delenv("CREDPUB_KEY_PASSPHRASE")
    with pytest.raises(KeyMaterialError, match="is encrypted: set CREDPUB_KEY_PASSPHRASE"):
        load_keys(tmp_path / "k")


def test_environment_takes_precedence(tmp_path, monkeypatch):
    monkeypatch.delenv("CREDPUB_KEY_PASSPHRASE", raising=False)
    a = generate_keys(tmp_path / "a")
    b = generate_keys(tmp_path / "b")
    monkeypatch.setenv("CREDPUB_SIGNING_KEY", (tmp_path / "b" / "signing-key.pem").read_text())
    monkeypatch.setenv("CREDPUB_SITE_SECRET", b.site_secret.hex())
    loaded = load_keys(tmp_path / "a")
    assert loaded.public_multikey == b.public_multikey != a.public_multikey
    assert loaded.site_secret == b.site_secret


def test_missing_and_bad_material(tmp_path, monkeypatch):
    for var in ("CREDPUB_SIGNING_KEY", "CREDPUB_SITE_SECRET", "CREDPUB_KEY_PASSPHRASE"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(KeyMaterialError, match="missing signing key.*credpub keygen"):
        load_keys(tmp_path / "none")
    generate_keys(tmp_path / "k")
    (tmp_path / "k" / "site-secret").write_text("abcd\n")
    with pytest.raises(KeyMaterialError, match="at least 256 bits"):
        load_keys(tmp_path / "k")
    monkeypatch.setenv("CREDPUB_SIGNING_KEY", "not a pem")
    with pytest.raises(KeyMaterialError, match="not a PEM"):
        load_keys(tmp_path / "k")


def test_demo_key_is_labelled(tmp_path):
    generate_keys(tmp_path / "d", demo=True)
    assert b"DEMO-KEY" in (tmp_path / "d" / "signing-key.pem").read_bytes()
    assert load_keys(tmp_path / "d").demo


def test_multikey_round_trip_and_rejects_other_keys():
    raw = bytes(range(32))
    mk = multikey_from_public(raw)
    assert mk.startswith("z6Mk") and public_from_multikey(mk) == raw
    with pytest.raises(ValueError, match="Ed25519"):
        public_from_multikey("zDnaekGZTbQBerwcehBSXLqAg6s55hVEBms1zFy89VHXtJSa9")  # a P-256 key
