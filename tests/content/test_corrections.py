"""Corrections (statuslock.py): a changed name, grade or date re-issues the award at the same
URLs with a new credential id; the previous credential is revoked ("superseded") in the same
status list; `credpub check` shows it beforehand; `credpub send --changed` mails only those."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from credpub.build import pipeline
from credpub.content import statuslock
from credpub.cli import main
from credpub.errors import ContentError
from credpub.content.load import STATUS_LOCK_FILE
from credpub.mail.send import run_send
from credpub.verify import Resolver, verify_document

from tests.conftest import context

ROW = "BP-2026-005,Jürgen Müller,juergen.mueller@example.de,dimensional-metrology,2026-04-17,B,,no"


def _claim(site: Path, signed, learner: str, slug: str) -> tuple[Path, dict]:
    p = next(s.planned for s in signed.awards if s.planned.award.key == (learner, slug))
    path = site / p.claim_path / "credential.json"
    return path, json.loads(path.read_text())


def _status(site: Path, cred: dict) -> str:
    result = verify_document(cred, Resolver(site, offline=True))
    checks = {c.name: c.status for c in result.checks}
    assert checks["proof"] == "pass", result.checks
    return checks["status"]


@pytest.mark.parametrize("new_row", [
    ROW.replace("Jürgen Müller", "Jürgen Mueller"),  # name
    ROW.replace(",B,", ",A,"),  # grade
    ROW.replace("2026-04-17", "2026-04-18"),  # date
])
def test_a_correction_reissues_at_the_same_urls_and_supersedes_the_old_credential(content_dir, keys, tmp_path, new_row):
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    signed = pipeline.sign_content(context(content_dir, keys=keys))
    path, old = _claim(site, signed, "BP-2026-005", "dimensional-metrology")
    untouched_path, untouched = _claim(site, signed, "BP-2026-004", "dimensional-metrology")
    spring = content_dir / "awards" / "2026-spring.csv"
    spring.write_text(spring.read_text().replace(ROW, new_row))

    check = CliRunner().invoke(main, ["check", "--content", str(content_dir), "--keys", str(_keys_dir(tmp_path, keys))])
    assert check.exit_code == 0, check.output
    assert "would re-issue BP-2026-005 dimensional-metrology" in check.output
    assert check.output.count("would re-issue") == 1

    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    new = json.loads(path.read_text())  # the same claim URL
    assert new["id"] != old["id"]
    assert new["credentialStatus"]["statusListIndex"] != old["credentialStatus"]["statusListIndex"]
    assert new["credentialStatus"]["statusListCredential"] == old["credentialStatus"]["statusListCredential"]
    assert _status(site, new) == "pass"
    assert _status(site, old) == "fail"  # the learner's earlier copy: revoked as superseded
    assert json.loads(untouched_path.read_text()) == untouched  # nobody else is touched
    lock = json.loads((content_dir / STATUS_LOCK_FILE).read_text())
    [entry] = lock["superseded"]
    assert entry["reason"] == "superseded" and entry["index"] == int(old["credentialStatus"]["statusListIndex"])
    from credpub.build.plan import lock_key

    assert lock["revisions"] == {lock_key(keys.site_secret, "BP-2026-005", "dimensional-metrology"): 1}

    # the next build changes nothing more; a second correction is a second revision
    again = CliRunner().invoke(main, ["check", "--content", str(content_dir), "--keys", str(_keys_dir(tmp_path, keys))])
    assert "nothing to re-issue" in again.output


def test_send_changed_emails_only_corrected_graduates_once(content_dir, keys, tmp_path):
    site = tmp_path / "site"
    env = {"CREDPUB_SMTP_FROM": "credentials@bpes.example.org"}
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    journal = tmp_path / "journal.jsonl"
    # everybody was mailed once (a journal as `credpub send` leaves it)
    first = run_send(context(content_dir, keys=keys), site_dir=site, journal=journal, dry_run=tmp_path / "eml0", env=env)
    lines = [json.dumps({"v": 1, "learner_id": d.learner_id, "achievement": d.achievement, "email": d.email,
                         "message_id": d.message_id, "reply": "250", "credential_id": cid})
             for d, cid in zip(first.sent, _credential_ids(content_dir, keys, first.sent))]
    journal.write_text("\n".join(lines) + "\n")
    nothing = run_send(context(content_dir, keys=keys), site_dir=site, journal=journal, dry_run=tmp_path / "eml1", env=env, changed=True)
    assert nothing.sent == []
    spring = content_dir / "awards" / "2026-spring.csv"
    spring.write_text(spring.read_text().replace(ROW, ROW.replace(",B,", ",A,")))
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    report = run_send(context(content_dir, keys=keys), site_dir=site, journal=journal, dry_run=tmp_path / "eml2", env=env, changed=True)
    assert [(d.learner_id, d.achievement) for d in report.sent] == [("BP-2026-005", "dimensional-metrology")]


def _credential_ids(content_dir, keys, sent):

    by_key = {p.award.key: p.credential_id for p in pipeline.plan_content(context(content_dir, keys=keys)).awards}
    return [by_key[(d.learner_id, d.achievement)] for d in sent]


def _keys_dir(tmp_path: Path, keys) -> Path:
    """The fixture's keys written as a key folder, for the CLI."""
    from cryptography.hazmat.primitives import serialization

    d = tmp_path / "keys"
    if not d.is_dir():
        d.mkdir()
        (d / "signing-key.pem").write_bytes(keys.signing_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        (d / "site-secret").write_text(keys.site_secret.hex())
    return d


def test_lock_update_keeps_indexes_and_never_reuses_superseded_ones():
    secret = b"\x07" * 32
    lock, re = statuslock.update(statuslock.StatusLock(), {"a|1": "f1", "a|2": "f2"}, secret, dt.date(2026, 11, 1))
    assert re == [] and set(lock.entries) == {"a|1", "a|2"}
    lock2, re = statuslock.update(lock, {"a|1": "f1-changed", "a|2": "f2"}, secret, dt.date(2026, 12, 1))
    assert re == ["a|1"] and lock2.entries["a|2"] == lock.entries["a|2"]
    assert lock2.entries["a|1"] != lock.entries["a|1"] and lock2.superseded_indexes == (lock.entries["a|1"],)
    assert lock2.revision("a|1") == 1
    errors: list[ContentError] = []
    path = Path("/nonexistent")
    assert statuslock.load(path, errors) == statuslock.StatusLock() and not errors


def test_a_lock_without_fingerprints_reissues_nothing(content_dir, keys, tmp_path):
    """Sites built before corrections existed: the first build records fingerprints only."""
    before = json.loads((content_dir / STATUS_LOCK_FILE).read_text())
    assert "facts" not in before
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(tmp_path / "site"))
    after = json.loads((content_dir / STATUS_LOCK_FILE).read_text())
    assert "superseded" not in after and "revisions" not in after and len(after["facts"]) == len(after["entries"])
    assert set(before["entries"].values()) == set(after["entries"].values())  # positions kept (keys migrate to HMACs)


def test_lock_text_is_json_with_one_entry_a_line():
    """dump() writes what json.dumps(indent=1) would (through the C encoder), and load() reads it back."""
    import dataclasses

    lock = statuslock.StatusLock({"b|1": 5, "a|2": 7, "é|3": 9}, {"a|2": "ff"}, {"a|2": 1},
                                 (statuslock.Superseded("a|2", 3, 0, "2026-12-01"),))
    body = {"comment": statuslock.COMMENT, "entries": dict(sorted(lock.entries.items())), "facts": lock.facts,
            "revisions": lock.revisions, "superseded": [dataclasses.asdict(s) for s in lock.superseded]}
    text = statuslock.dump(lock)
    assert text.decode() == json.dumps(body, ensure_ascii=False, indent=1) + "\n"
    errors: list[ContentError] = []
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "status-lock.json"
        path.write_bytes(text)
        assert statuslock.load(path, errors) == lock and not errors


def test_lock_days_are_read_back_and_malformed_ones_refused(tmp_path):
    """The signed days and the lists' days (statuslock.signed, .lists) survive dump → load, one
    award a line; a day that is not YYYY-MM-DD, or a row of the wrong shape, is refused."""
    lock = statuslock.StatusLock({"k1": 5}, {"k1": "ff"}, signed={"k1": ("2026-11-02", "ab" * 8, "2026-11-02", "cd" * 8)},
                                 lists={"1": ("2026-12-03", "ef" * 8, "2026-12-03", "01" * 8)})
    path = tmp_path / "status-lock.json"
    path.write_bytes(statuslock.dump(lock))
    assert '  "k1": ["2026-11-02", "abababababababab", "2026-11-02", "cdcdcdcdcdcdcdcd"]' in path.read_text()
    errors: list[ContentError] = []
    assert statuslock.load(path, errors) == lock and not errors
    for bad in ({"signed": {"k1": ["2026-13-02", "", "", ""]}}, {"signed": {"k1": "2026-11-02"}},
                {"lists": {"x": ["2026-11-02", "", "2026-11-02", ""]}}, {"lists": {"1": ["2026-11-02", ""]}}):
        path.write_text(json.dumps({"entries": {"k1": 5}, **bad}))
        errors = []
        assert statuslock.load(path, errors) == statuslock.StatusLock()
        assert errors and "is not a valid status lock" in str(errors[0])
