"""Truthful dates and ids in what a build signs: a proof is `created` on the day the credential
was really signed and a status list is valid from the day its bits last changed — both recorded
in status-lock.json (keyed, naming nobody), so rebuilds are byte-identical and nothing unchanged
is signed again — and every revision of a credential has its own id."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.build import pipeline
from credpub.build.plan import lock_key, token
from credpub.content.load import STATUS_LOCK_FILE
from credpub.credentials.keys import Keys
from credpub.verify import Resolver, verify_document

from tests.conftest import context

NEW = "BP-2026-099,Nieuwe Cursist,nieuw@example.org,dimensional-metrology,2026-04-17,B,,no\n"
SPRING = ("awards", "2026-spring.csv")


def _build(content: Path, keys: Keys, site: Path, day: dt.date) -> None:
    pipeline.build(context(content, keys=keys, today=day), pipeline.BuildOptions(site, full=True))


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _cred(site: Path, keys: Keys, learner: str, slug: str, share: bool = False) -> dict:
    folder = "s" if share else "c"
    return json.loads((site / folder / token(keys.site_secret, "share" if share else "claim", learner, slug)
                       / "credential.json").read_text())


def _created(doc: dict) -> str:
    return doc["proof"][0]["created"]


def _lists(site: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((site / "status").glob("*.json"))]


def test_a_credential_is_dated_the_day_it_was_first_signed_and_keeps_that_day(content_dir, keys, tmp_path):
    with content_dir.joinpath(*SPRING).open("a", encoding="utf-8") as f:
        f.write(NEW)
    site = tmp_path / "site"
    _build(content_dir, keys, site, dt.date(2026, 11, 2))
    new = _cred(site, keys, "BP-2026-099", "dimensional-metrology")
    assert new["validFrom"] == "2026-04-17T00:00:00Z"  # issued: the award's date
    assert _created(new) == "2026-11-02T00:00:00Z"  # signed: the build that first signed it
    assert _created(_cred(site, keys, "BP-2026-099", "dimensional-metrology", share=True)) == "2026-11-02T00:00:00Z"
    lock_text = (content_dir / STATUS_LOCK_FILE).read_text()
    lock = json.loads(lock_text)
    assert lock["signed"][lock_key(keys.site_secret, "BP-2026-099", "dimensional-metrology")][::2] == ["2026-11-02"] * 2
    assert "BP-2026-099" not in lock_text and "Nieuwe" not in lock_text  # keyed: the lock names nobody

    first = _tree(site)
    _build(content_dir, keys, site, dt.date(2026, 11, 20))  # a later day, nothing changed
    assert _tree(site) == first  # byte for byte: nothing was signed again
    assert (content_dir / STATUS_LOCK_FILE).read_text() == lock_text

    rows = content_dir.joinpath(*SPRING)
    rows.write_text(rows.read_text().replace("Nieuwe Cursist", "Nieuwe Cursiste"))  # a correction
    _build(content_dir, keys, site, dt.date(2026, 12, 1))
    corrected = _cred(site, keys, "BP-2026-099", "dimensional-metrology")
    assert _created(corrected) == "2026-12-01T00:00:00Z" and corrected["validFrom"] == "2026-04-17T00:00:00Z"
    untouched = _cred(site, keys, "BP-2026-004", "dimensional-metrology")
    assert untouched == json.loads(first[f"c/{token(keys.site_secret, 'claim', 'BP-2026-004', 'dimensional-metrology')}"
                                         "/credential.json"])


def test_credentials_published_before_days_were_recorded_keep_their_date_and_bytes(content_dir, keys, tmp_path):
    """A lock without days (every existing site): the date credpub signed with then, the issue
    date, is recorded — nothing already published is signed again."""
    assert "signed" not in json.loads((content_dir / STATUS_LOCK_FILE).read_text())
    site = tmp_path / "site"
    _build(content_dir, keys, site, dt.date(2026, 12, 2))
    creds = [json.loads(p.read_text()) for p in sorted(site.glob("[cs]/*/credential.json"))]
    creds = [c for c in creds if "proof" in c]  # encrypted claims are envelopes
    assert creds and all(_created(c) == c["validFrom"] for c in creds)
    lock = json.loads((content_dir / STATUS_LOCK_FILE).read_text())
    assert set(lock["signed"]) == set(lock["entries"])
    assert all(len(fp) == 16 for row in lock["signed"].values() for fp in row[1::2])  # fingerprints adopted


def test_a_new_signing_key_signs_everything_again_on_the_build_day(content_dir, keys, tmp_path):
    site = tmp_path / "site"
    _build(content_dir, keys, site, dt.date(2026, 11, 2))
    before = _lists(site)
    rotated = Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33))), keys.site_secret, retired=(keys.public_multikey,))
    _build(content_dir, rotated, site, dt.date(2026, 11, 20))
    cred = _cred(site, rotated, "BP-2026-004", "dimensional-metrology")
    assert _created(cred) == "2026-11-20T00:00:00Z" and cred["validFrom"] == "2026-04-17T00:00:00Z"
    after = _lists(site)
    assert [_created(x) for x in after] == ["2026-11-20T00:00:00Z"]  # the list is signed again, now
    assert [x["validFrom"] for x in after] == [x["validFrom"] for x in before]  # its bits did not change


def test_a_status_list_is_dated_the_day_its_bits_last_changed(content_dir, keys, tmp_path):
    site = tmp_path / "site"
    _build(content_dir, keys, site, dt.date(2026, 11, 2))
    [old] = _lists(site)
    assert old["validFrom"] <= "2026-11-02T00:00:00Z"
    with (content_dir / "revocations.yml").open("a", encoding="utf-8") as f:  # revoked on 3 December, dated earlier
        f.write("- learner_id: BP-2026-001\n  achievement: dimensional-metrology\n  reason: x\n  date: 2026-11-30\n")
    _build(content_dir, keys, site, dt.date(2026, 12, 3))
    [new] = _lists(site)
    assert new["validFrom"] == "2026-12-03T00:00:00Z" and _created(new) == "2026-12-03T00:00:00Z"
    kept = _cred(site, keys, "BP-2026-004", "dimensional-metrology")
    later = dt.datetime(2026, 12, 9, tzinfo=dt.timezone.utc)
    status = {c.name: c for c in verify_document(kept, Resolver(site, offline=True), now=later).checks}["status"]
    assert status.status == "pass" and "2026-12-03" in status.message, status.message  # "not revoked as of" that day
    _build(content_dir, keys, site, dt.date(2026, 12, 9))  # nothing changed since: the same list
    assert _lists(site) == [new]


def test_every_revision_of_a_share_credential_has_its_own_id_at_the_same_url(content_dir, keys, tmp_path):
    site = tmp_path / "site"
    _build(content_dir, keys, site, dt.date(2026, 11, 2))
    share_token = token(keys.site_secret, "share", "BP-2026-005", "dimensional-metrology")
    first = _cred(site, keys, "BP-2026-005", "dimensional-metrology", share=True)
    assert first["id"].endswith(f"/s/{share_token}/credential.json")  # the first keeps the id it was published with
    rows = content_dir.joinpath(*SPRING)
    rows.write_text(rows.read_text().replace("Jürgen Müller", "Jürgen Mueller"))
    _build(content_dir, keys, site, dt.date(2026, 11, 20))
    second = _cred(site, keys, "BP-2026-005", "dimensional-metrology", share=True)  # the same share URL
    assert second["id"] != first["id"] and second["id"].startswith("urn:uuid:")
    assert _created(second) == "2026-11-20T00:00:00Z"
    rows.write_text(rows.read_text().replace("Jürgen Mueller", "Juergen Mueller"))
    _build(content_dir, keys, site, dt.date(2026, 11, 21))
    third = _cred(site, keys, "BP-2026-005", "dimensional-metrology", share=True)
    claim = _cred(site, keys, "BP-2026-005", "dimensional-metrology")
    assert len({first["id"], second["id"], third["id"], claim["id"]}) == 4


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the pool forks")
def test_the_signing_pool_signs_what_one_process_signs(content_dir, keys, monkeypatch):
    from credpub.build import sign

    plan = pipeline.plan_content(context(content_dir, keys=keys))
    one = sign.sign_all(plan, keys)
    monkeypatch.setattr(sign, "PARALLEL_FROM", 1)
    monkeypatch.setattr(sign.os, "cpu_count", lambda: 2)
    pooled = sign.sign_all(plan, keys)
    assert len(sign._first_of_each_kind(plan.awards)) < len(plan.awards)  # some awards went to the workers
    assert [(a.credential_json, a.share_json, a.claim_json) for a in pooled.awards] == \
           [(a.credential_json, a.share_json, a.claim_json) for a in one.awards]
    assert pooled.status_lock == one.status_lock  # and records the same days
