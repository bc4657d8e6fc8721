"""Issue 11: publishing from a public repository without anyone's data in it — the HMAC-keyed
status lock, sealed awards, `credpub new`, `publish`, `doctor` and the workflows."""

from __future__ import annotations

import json
import re

from credpub import pipeline
from credpub.load import STATUS_LOCK_FILE
from credpub.plan import lock_key


# --- point 2: status-lock.json names nobody ---------------------------------------------------

def _learner_ids(content_dir):
    ids = set()
    for f in (content_dir / "awards").glob("*.csv"):
        ids.update(line.split(",")[0] for line in f.read_text().splitlines()[1:] if line.strip())
    return ids


def test_old_status_lock_migrates_in_place_with_positions_unchanged(content_dir, keys, tmp_path):
    lock_path = content_dir / STATUS_LOCK_FILE
    old = json.loads(lock_path.read_text())["entries"]
    assert any("|" in k for k in old), "the demo lock is in the first format (slug|learner_id)"
    pipeline.build(content_dir, tmp_path / "site", keys=keys)
    text = lock_path.read_text()
    new = json.loads(text)["entries"]
    expected = {lock_key(keys.site_secret, k.split("|")[1], k.split("|")[0]): v for k, v in old.items()}
    assert {k: new[k] for k in expected} == expected  # every old entry, at the same position
    for learner_id in _learner_ids(content_dir):
        assert learner_id not in text
    assert not re.search(r"BP-\d{4}-\d{3}", text)
    # the credentials still carry the old positions
    positions = {json.loads(p.read_text())["credentialStatus"]["statusListIndex"]
                 for p in (tmp_path / "site").glob("c/*/credential.json")}
    assert positions <= {str(v % 131072) for v in old.values()}
    # a second build leaves the migrated file as it is
    pipeline.build(content_dir, tmp_path / "site", keys=keys)
    assert lock_path.read_text() == text


def test_lock_keys_depend_on_the_site_secret():
    a = lock_key(b"\x01" * 32, "BP-1", "x")
    assert a != lock_key(b"\x02" * 32, "BP-1", "x") and a != lock_key(b"\x01" * 32, "BP-2", "x")
    assert "BP-1" not in a and "|" not in a


# --- point 1: sealed awards -------------------------------------------------------------------

import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from credpub import seal  # noqa: E402
from credpub.cli import main  # noqa: E402
from credpub.errors import ContentErrors  # noqa: E402


def _tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def sealed_content(content_dir, tmp_path):
    """The demo content with its awards sealed under a fresh age key in tmp/keys."""
    keys_dir = tmp_path / "keys"
    plain = {p.name: p.read_bytes() for p in (content_dir / "awards").glob("*.csv")}
    report = seal.seal(content_dir, keys_dir)
    assert report.key_made and len(report.sealed) == len(plain) == 2
    return content_dir, keys_dir, plain


def test_seal_encrypts_every_award_file_and_removes_the_plain_ones(sealed_content):
    content_dir, keys_dir, plain = sealed_content
    assert not list((content_dir / "awards").glob("*.csv"))
    for name, data in plain.items():
        sealed = (content_dir / "awards" / (name + ".age")).read_bytes()
        assert sealed.startswith(b"age-encryption.org/v1\n")
        assert b"Jankauskien" not in sealed and b"@example" not in sealed and b"BP-2026" not in sealed
    assert oct((keys_dir / "age-key.txt").stat().st_mode & 0o777) == "0o600"
    # sealing again with nothing to seal is an error; unseal gives the very bytes back
    runner = CliRunner()
    r = runner.invoke(main, ["unseal", "--content", str(content_dir), "--keys", str(keys_dir)])
    assert r.exit_code == 0, r.output
    assert {p.name: p.read_bytes() for p in (content_dir / "awards").glob("*.csv")} == plain
    before = {p.name: p.read_bytes() for p in (content_dir / "awards").glob("*.age")}
    r = runner.invoke(main, ["seal", "--content", str(content_dir), "--keys", str(keys_dir)])
    assert r.exit_code == 0 and r.output.count("unchanged") == 2, r.output
    assert {p.name: p.read_bytes() for p in (content_dir / "awards").glob("*.age")} == before  # no git churn


def test_a_sealed_repository_builds_the_same_site_from_the_environment_alone(sealed_content, keys, tmp_path, monkeypatch):
    content_dir, keys_dir, plain = sealed_content
    plain_copy = tmp_path / "plain"
    shutil.copytree(content_dir, plain_copy)
    for name, data in plain.items():
        (plain_copy / "awards" / (name + ".age")).unlink()
        (plain_copy / "awards" / name).write_bytes(data)
    pipeline.build(plain_copy, tmp_path / "site-plain", keys=keys)
    # no key folder at all: only CREDPUB_AGE_KEY, as in the Pages workflow
    age_key = [ln for ln in (keys_dir / "age-key.txt").read_text().splitlines() if ln.startswith("AGE-SECRET-KEY-1")][0]
    shutil.rmtree(keys_dir)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentErrors, match="age key"):
        pipeline.build(content_dir, tmp_path / "site-sealed", keys=keys)
    monkeypatch.setenv("CREDPUB_AGE_KEY", age_key)
    report = pipeline.build(content_dir, tmp_path / "site-sealed", keys=keys)
    assert report.awards == 28
    assert _tree(tmp_path / "site-sealed") == _tree(tmp_path / "site-plain")


def test_errors_in_sealed_awards_name_the_sealed_file_and_the_csv_line(sealed_content, tmp_path):
    content_dir, keys_dir, plain = sealed_content
    runner = CliRunner()
    assert runner.invoke(main, ["unseal", "--content", str(content_dir), "--keys", str(keys_dir)]).exit_code == 0
    spring = content_dir / "awards" / "2026-spring.csv"
    lines = spring.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace("@example.lv", "-at-example.lv")
    spring.write_text("".join(lines))
    r = runner.invoke(main, ["check", "--content", str(content_dir), "--keys", str(keys_dir)])
    assert "differs from 2026-spring.csv.age" in r.output  # edited but not sealed again
    assert runner.invoke(main, ["seal", "--content", str(content_dir), "--keys", str(keys_dir)]).exit_code == 0
    r = runner.invoke(main, ["check", "--content", str(content_dir), "--keys", str(keys_dir)])
    assert r.exit_code == 1
    assert f"{content_dir}/awards/2026-spring.csv.age:3: email: is not a valid email address" in r.output
    # a wrong key is a clear message too, not a traceback
    other = tmp_path / "other-keys"
    seal.ensure_identity(other)
    r = runner.invoke(main, ["check", "--content", str(content_dir), "--keys", str(other)])
    assert r.exit_code == 1 and "cannot unseal" in r.output and "Traceback" not in r.output


def test_links_and_send_read_sealed_awards(sealed_content, keys, tmp_path, monkeypatch):
    content_dir, keys_dir, plain = sealed_content
    from credpub.keys import generate_keys
    from credpub.send import run_send

    generate_keys(keys_dir)
    r = CliRunner().invoke(main, ["links", "--csv", "--content", str(content_dir), "--keys", str(keys_dir)])
    assert r.exit_code == 0, r.output
    assert "aiste.jankauskiene@example.lt" in r.output and len(r.output.splitlines()) == 29
    site = tmp_path / "site"
    pipeline.build(content_dir, site, keys_dir=keys_dir)
    report = run_send(content_dir, keys_dir=keys_dir, site_dir=site, journal=tmp_path / "j.jsonl",
                      dry_run=tmp_path / "eml", env={})
    assert report.ok and len(report.sent) == 27


def _git(cwd, *args):
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


@pytest.mark.parametrize("remote, warns", [
    ("git@github.com:someone/certs.git", True),
    ("https://github.com/someone/certs", True),
    ("https://git.example.org/someone/certs.git", False),
])
def test_check_warns_when_a_plain_csv_is_tracked_in_a_github_repository(content_dir, remote, warns):
    repo = content_dir.parent
    _git(repo, "init", "-q")
    _git(repo, "remote", "add", "origin", remote)
    _git(repo, "add", "content")
    _git(repo, "commit", "-qm", "content")
    r = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert r.exit_code == 0, r.output
    assert ("content/awards/2026-spring.csv is tracked by git" in r.output) is warns
    _git(repo, "rm", "-q", "--cached", "content/awards/2026-spring.csv", "content/awards/2026-autumn.csv")
    r = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert "tracked by git" not in r.output
