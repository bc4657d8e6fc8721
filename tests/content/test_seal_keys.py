"""Keys an issuer cannot lose: seal writes no key when it fails, removes nothing before the sealed
copy opens back byte-equal, seals to the extra recipients of site.yml, and `check`/`doctor` say
whether the key at hand opens every sealed file."""

from __future__ import annotations

import pyrage
import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.cli import main
from credpub.content import seal
from credpub.content.load import seal_recipients
from credpub.errors import ContentErrors
from credpub.ops.doctor import check_sealed_keys


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch):
    monkeypatch.delenv("CREDPUB_AGE_KEY", raising=False)


def _plain(content_dir):
    return {p.name: p.read_bytes() for p in (content_dir / "awards").glob("*.csv")}


def _ssh_key():
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())
    return public + " maintainer@example.org", pyrage.ssh.Identity.from_buffer(private)


def _with_recipients(content_dir, *lines):
    site = content_dir / "site.yml"
    site.write_text(site.read_text() + "seal:\n  recipients:\n" + "".join(f"    - {line}\n" for line in lines))


def test_seal_with_nothing_to_seal_writes_no_key(content_dir, tmp_path):
    for p in (content_dir / "awards").glob("*.csv"):
        p.unlink()
    r = CliRunner().invoke(main, ["seal", "--content", str(content_dir), "--keys", str(tmp_path / "keys")])
    assert r.exit_code == 2 and "no plain *.csv, *.xlsx or *.ods to seal" in r.output
    assert not (tmp_path / "keys").exists()


def test_seal_removes_nothing_and_writes_no_key_when_the_sealed_copy_does_not_open(content_dir, tmp_path, monkeypatch):
    before = _plain(content_dir)
    monkeypatch.setattr(seal.pyrage, "encrypt", lambda data, recipients: b"age-encryption.org/v1\n-> X25519 broken\n---")
    r = CliRunner().invoke(main, ["seal", "--content", str(content_dir), "--keys", str(tmp_path / "keys")])
    assert r.exit_code == 2 and "did not open back" in r.output and "nothing was removed" in r.output, r.output
    assert _plain(content_dir) == before and not list((content_dir / "awards").glob("*.age"))
    assert not (tmp_path / "keys" / "age-key.txt").exists()


def test_seal_refuses_a_new_key_that_would_leave_sealed_files_unreadable(content_dir, tmp_path):
    first = tmp_path / "first-keys"
    seal.seal(content_dir, first, keep=True)
    (content_dir / "awards" / "2026-spring.csv").unlink()  # its only copy is now the sealed one
    r = CliRunner().invoke(main, ["seal", "--content", str(content_dir), "--keys", str(tmp_path / "lost")])
    assert r.exit_code == 2 and "2026-spring.csv.age is sealed with one" in r.output, r.output
    assert not (tmp_path / "lost").exists() and (content_dir / "awards" / "2026-autumn.csv").is_file()


def test_awards_sealed_to_a_backup_age_key_and_an_ssh_key_open_with_each(content_dir, tmp_path):
    backup = pyrage.x25519.Identity.generate()
    ssh_public, ssh_identity = _ssh_key()
    _with_recipients(content_dir, str(backup.to_public()), ssh_public)
    before = _plain(content_dir)
    r = CliRunner().invoke(main, ["seal", "--content", str(content_dir), "--keys", str(tmp_path / "keys")])
    assert r.exit_code == 0 and "2 more key(s)" in r.output, r.output
    for name, data in before.items():
        sealed = (content_dir / "awards" / (name + ".age")).read_bytes()
        assert pyrage.decrypt(sealed, [backup]) == data and pyrage.decrypt(sealed, [ssh_identity]) == data
    # the issuer's own key is lost: the backup opens every file, as check and doctor's key check say
    (tmp_path / "backup").mkdir()
    seal.write_identity(tmp_path / "backup", backup)
    assert [f.status for f in check_sealed_keys(content_dir, tmp_path / "backup")] == ["pass"]
    r = CliRunner().invoke(main, ["check", "--content", str(content_dir), "--keys", str(tmp_path / "backup")])
    assert r.exit_code == 0 and "opens all 3 sealed file(s); each opens with 3 key(s)" in r.output, r.output
    r = CliRunner().invoke(main, ["unseal", "--content", str(content_dir), "--keys", str(tmp_path / "backup")])
    assert r.exit_code == 0 and _plain(content_dir) == before


def test_changed_recipients_reseal_unchanged_awards_and_the_key_check_sees_a_stale_file(content_dir, tmp_path):
    keys = tmp_path / "keys"
    seal.seal(content_dir, keys, keep=True)
    assert seal.seal(content_dir, keys, keep=True).unchanged  # same text, same keys: left as it is
    backup = pyrage.x25519.Identity.generate()
    _with_recipients(content_dir, str(backup.to_public()))
    findings = check_sealed_keys(content_dir, keys)
    assert [f.status for f in findings] == ["warn", "pass"] and "not sealed to exactly" in findings[0].message
    report = seal.seal(content_dir, keys, recipients=seal_recipients(content_dir))
    assert len(report.sealed) == 3 and not report.unchanged  # the two rosters and revocations.yml.age
    assert [f.status for f in check_sealed_keys(content_dir, keys)] == ["pass"]


def test_the_key_check_fails_for_a_key_that_opens_nothing(content_dir, tmp_path):
    seal.seal(content_dir, tmp_path / "keys")
    seal.ensure_identity(tmp_path / "other")
    findings = check_sealed_keys(content_dir, tmp_path / "other")
    assert [f.status for f in findings] == ["fail"] and "does not open 2026-autumn.csv.age, 2026-spring.csv.age" in findings[0].message
    assert check_sealed_keys(content_dir.parent / "nothing-sealed") == []


@pytest.mark.parametrize("value, words", [
    ("age1xyz", "not a valid age recipient"),
    ("AGE-SECRET-KEY-1QQQ", "this is a secret key"),
    ("ssh-dss AAAAB3NzaC1kc3M", "must be an age public key"),
    ("[1, 2]", "must be a public key as text"),
])
def test_site_yml_seal_recipients_are_checked_with_their_line(content_dir, tmp_path, value, words):
    _with_recipients(content_dir, value)
    with pytest.raises(ContentErrors) as e:
        seal_recipients(content_dir)
    line = len((content_dir / "site.yml").read_text().splitlines())
    assert f"site.yml:{line}: seal.recipients[1]: {words}" in str(e.value)
    r = CliRunner().invoke(main, ["seal", "--content", str(content_dir), "--keys", str(tmp_path / "keys")])
    assert r.exit_code != 0 and words in r.output and not (tmp_path / "keys").exists()
    assert len(_plain(content_dir)) == 2


def test_keygen_says_what_to_back_up_and_where(tmp_path):
    r = CliRunner().invoke(main, ["keygen", "--keys", str(tmp_path / "k")])
    assert r.exit_code == 0, r.output
    for name in ("signing-key.pem", "site-secret", "age-key.txt"):
        assert f"{tmp_path / 'k'}/{name}" in r.output
    assert "Back up the folder" in r.output and "seal: recipients:" in r.output
