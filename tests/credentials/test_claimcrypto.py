"""claimcrypto.py and the encrypted / passphrase claim layers in a real build: nothing
personal of those awards reaches site/ in plain; the right key (and passphrase) opens the
credential, which verifies; a wrong one does not."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from cryptography.exceptions import InvalidTag

from credpub.credentials import claimcrypto
from credpub.build import pipeline
from credpub.credentials.credential import normalize_name
from credpub.build.plan import award_identity
from credpub.verify import Resolver, verify_document

from tests.conftest import context


def test_round_trip_and_wrong_key():
    key = bytes(range(32))
    env = claimcrypto.encrypt(b'{"hello":"world"}', key)
    assert claimcrypto.decrypt(env, key) == b'{"hello":"world"}'
    with pytest.raises(InvalidTag):
        claimcrypto.decrypt(env, bytes(32))
    assert claimcrypto.encrypt(b'{"hello":"world"}', key) == env  # deterministic: builds are byte-identical
    assert claimcrypto.encrypt(b'{"hello":"there"}', key)["iv"] != env["iv"]  # never the same nonce twice


def test_generated_passphrases_are_readable_and_long_enough():
    words = {claimcrypto.generated_passphrase(b"s" * 32, f"id{i}".encode()) for i in range(200)}
    assert len(words) == 200
    for w in words:
        assert re.fullmatch(r"([a-z]{4}-){4}[a-z]{4}", w)
    bits = claimcrypto.PASSPHRASE_SYLLABLES * (len(claimcrypto._CONSONANTS) * len(claimcrypto._VOWELS)).bit_length()
    assert bits >= 60


def test_passphrase_key_is_pbkdf2_600k_and_cached(tmp_path):
    salt = b"0123456789abcdef"
    expected = hashlib.pbkdf2_hmac("sha256", b"open sesame", salt, 600_000, 32)
    assert claimcrypto.PBKDF2_ITERATIONS >= 600_000
    assert claimcrypto.passphrase_key("open sesame", salt, tmp_path) == expected
    assert len(list(tmp_path.iterdir())) == 1
    assert claimcrypto.passphrase_key("open sesame", salt, tmp_path) == expected  # from the cache


@pytest.fixture
def layered(content_dir, keys, tmp_path):
    """The demo content with cnc-five-axis `encrypted` and surface-metrology `passphrase`
    (one row gives its passphrase, the others get generated ones)."""
    for slug, layer in (("cnc-five-axis", "encrypted"), ("surface-metrology", "passphrase")):
        f = content_dir / "achievements" / f"{slug}.yml"
        f.write_text(f.read_text().replace("claim_security: link", f"claim_security: {layer}"))
    # the pathway over surface-metrology: at least as strong as its components
    pw = content_dir / "pathways" / "precision-metrology.yml"
    pw.write_text(pw.read_text().replace("claim_security: link", "claim_security: passphrase"))
    csv = content_dir / "awards" / "2026-autumn.csv"
    text = csv.read_text().replace("evidence_url,share_grade,language", "evidence_url,share_grade,language,passphrase")
    text = text.replace("92 %,,yes,en\n", "92 %,,yes,en,lemon-tree-orbit-42\n")
    csv.write_text(text)
    out = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(out))
    content, _ = pipeline.check(content_dir) if hasattr(pipeline, "check") else (None, None)
    return out, content_dir


def _awards(content_dir, keys):
    return pipeline.plan_content(context(content_dir, keys=keys)).awards


def test_no_personal_data_of_encrypted_awards_in_site(layered, keys):
    out, content_dir = layered
    awards = _awards(content_dir, keys)
    protected = [p for p in awards if p.achievement.claim_security != "link"]
    assert len(protected) == 14  # 6 cnc-five-axis, 6 surface-metrology, 2 of the pathway over it
    # Someone who also holds a `link` award is named in that one by the issuer's choice.
    public_people = {p.award.learner_id for p in awards if p.achievement.claim_security == "link"}
    protected = [p for p in protected if p.award.learner_id not in public_people]
    assert len(protected) == 11
    blobs = {str(f.relative_to(out)): f.read_bytes() for f in out.rglob("*") if f.is_file()}
    for p in protected:
        for secret_text in (p.award.name, p.award.email, p.award.learner_id):
            for variant in {secret_text, json.dumps(secret_text)[1:-1]}:
                hits = [path for path, data in blobs.items() if variant.encode() in data]
                assert not hits, f"{variant!r} of an encrypted award appears in {hits}"


def test_encrypted_claim_opens_with_its_fragment(layered, keys):
    out, content_dir = layered
    p = next(p for p in _awards(content_dir, keys) if p.achievement.claim_security == "encrypted")
    env = json.loads((out / p.claim_path / "credential.json").read_text())
    assert env["type"] == "credpub-encrypted-claim" and env["kdf"] == "none"
    key = claimcrypto.unb64u(p.claim_fragment.removeprefix("#k="))
    cred = json.loads(claimcrypto.decrypt(env, key))
    assert cred["credentialSubject"]["identifier"][0]["identityHash"] == p.award.name
    assert verify_document(cred, Resolver(out, offline=True)).checks[1].status == "pass"
    with pytest.raises(InvalidTag):
        claimcrypto.decrypt(env, bytes(32))


def test_passphrase_claim_needs_fragment_and_passphrase(layered, keys):
    out, content_dir = layered
    awards = [p for p in _awards(content_dir, keys) if p.achievement.claim_security == "passphrase"]
    given = next(p for p in awards if not p.passphrase_generated)
    assert given.passphrase == "lemon-tree-orbit-42"
    assert sum(p.passphrase_generated for p in awards) == len(awards) - 1
    for p in (given, next(p for p in awards if p.passphrase_generated)):
        env = json.loads((out / p.claim_path / "credential.json").read_text())
        assert env["kdf"] == "PBKDF2-SHA256" and env["iterations"] >= 600_000
        fragment = claimcrypto.unb64u(p.claim_fragment.removeprefix("#k="))
        salt = claimcrypto.unb64u(env["salt"])
        key = claimcrypto.aes_key(fragment, claimcrypto.passphrase_key(p.passphrase, salt))
        cred = json.loads(claimcrypto.decrypt(env, key))
        assert verify_document(cred, Resolver(out, offline=True)).checks[1].status == "pass"
        with pytest.raises(InvalidTag):
            claimcrypto.decrypt(env, fragment)  # the fragment alone is not enough
        wrong = claimcrypto.aes_key(fragment, claimcrypto.passphrase_key("wrong", salt))
        with pytest.raises(InvalidTag):
            claimcrypto.decrypt(env, wrong)


def test_share_credential_of_encrypted_award_hashes_the_name(layered, keys):
    out, content_dir = layered
    p = next(p for p in _awards(content_dir, keys) if p.achievement.claim_security == "encrypted")
    share = json.loads((out / p.share_path / "credential.json").read_text())
    ident = share["credentialSubject"]["identifier"][0]
    assert ident["hashed"] is True and ident["identityType"] == "name"
    expected = hashlib.sha256((normalize_name("  " + p.award.name.upper() + " ") + ident["salt"]).encode()).hexdigest()
    assert ident["identityHash"] == f"sha256${expected}"  # anyone who knows the name can check it
    result = verify_document(share, Resolver(out, offline=True))
    assert result.verified or result.checks[-1].message.startswith("revoked")
    assert award_identity(p.award.learner_id, p.award.achievement)


def test_browser_fixture_is_current():
    """verifier-js/test/claimcrypto.test.js opens these Python-made envelopes."""
    from tests.make_claim_fixture import FIXTURE, fixture

    assert json.loads(FIXTURE.read_text()) == fixture()
