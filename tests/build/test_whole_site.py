"""The whole-site golden (tests/golden/issuer): a complete build, byte for byte.

Regenerate after an intended change with `make golden`, and review the diff."""

from __future__ import annotations

from tests.golden import issuer


def test_a_complete_build_is_the_golden_byte_for_byte(tmp_path):
    content, out = issuer.build(tmp_path)
    have, want = issuer.tree(out), issuer.tree(issuer.SITE)
    missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
    assert not missing and not extra, f"files differ: missing {missing[:5]}, extra {extra[:5]} (make golden)"
    differing = [rel for rel in sorted(want) if have[rel] != want[rel]]
    assert not differing, f"{len(differing)} files differ from the golden, first: {differing[0]} (make golden)"
    # The correction is already recorded: the build leaves the committed status lock as it is.
    assert (content / "status-lock.json").read_bytes() == (issuer.CONTENT / "status-lock.json").read_bytes()


def test_the_golden_covers_every_kind_of_award():
    import json

    files = issuer.tree(issuer.SITE)
    claims = [json.loads(v) for k, v in files.items() if k.startswith("c/") and k.endswith("credential.json")]
    kinds = {c.get("kdf", "plain") if c.get("type") == "credpub-encrypted-claim" else "plain" for c in claims}
    assert kinds == {"plain", "none", "PBKDF2-SHA256"}  # link, encrypted, passphrase
    assert any(k.startswith("achievements/precision-metrology/") for k in files)  # the pathway
    assert "achievements/dimensional-metrology/en/index.html" in files and "privacy/en/index.html" in files
    status = [k for k in files if k.startswith("status/")]
    assert status
