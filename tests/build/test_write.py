"""Writing site/ (write.py) when a build is killed: a real `credpub build` subprocess stopped at
the dangerous moment (CREDPUB_TEST_PAUSE) and killed with SIGKILL. site/ is always a whole
site, what the killed build left beside it is removed by the next build, git ignores it
meanwhile, and publish refuses the half-written site."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from credpub.build import incremental, pipeline, write
from credpub.credentials.keys import generate_keys
from credpub.ops.publish import PublishError, publish

from tests.conftest import REPO, context

ROW = "BP-2026-005,Jürgen Müller,juergen.mueller@example.de,dimensional-metrology,2026-04-17,B,,no"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _work_folders(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site."))


@pytest.fixture
def issuer(content_dir, tmp_path):
    """Content, a key folder and a site built once with its manifest, as `credpub build` does."""
    keys_dir = tmp_path / "keys"
    generate_keys(keys_dir)
    site = tmp_path / "site"

    def build(**options):
        return pipeline.build(context(content_dir, keys_dir=keys_dir), pipeline.BuildOptions(site, **options))

    build()
    return content_dir, keys_dir, site, build


def _killed_build(content_dir, keys_dir, site, point, *args):
    """Run `credpub build` in a subprocess until it reaches `point`, then SIGKILL it; its pid."""
    pid_file = site.parent / f"paused-{point}"
    env = {**os.environ, "PYTHONPATH": str(REPO / "builder"), write.PAUSE_ENV: f"{point}:{pid_file}"}
    log = site.parent / f"build-{point}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "credpub", "build", "--content", str(content_dir), "--keys",
                                 str(keys_dir), "--out", str(site), *args], env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300  # a bound on waiting, not a timed assertion
    while not pid_file.exists():
        if proc.poll() is not None:
            pytest.fail(f"the build ended before {point}: {log.read_text()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the build never reached {point}")
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return proc.pid


def test_a_build_killed_just_before_the_swap_leaves_the_old_site_whole(issuer):
    content_dir, keys_dir, site, build = issuer
    before = _tree(site)
    pid = _killed_build(content_dir, keys_dir, site, "swap", "--full")
    assert _tree(site) == before  # site/ is the old site, whole
    assert _work_folders(site) == [f".site.new-{pid}"]  # the new one, written beside it
    report = build()
    assert _work_folders(site) == []
    assert _tree(site) == before and report.awards


def test_a_build_killed_just_after_the_swap_leaves_the_new_site_whole(issuer):
    content_dir, keys_dir, site, build = issuer
    spring = content_dir / "awards" / "2026-spring.csv"
    spring.write_text(spring.read_text("utf-8").replace(ROW, ROW.replace("Jürgen Müller", "Jürgen Mueller")), "utf-8")
    before = _tree(site)
    pid = _killed_build(content_dir, keys_dir, site, "swapped", "--full")
    after = _tree(site)
    assert after != before and after["index.html"]  # the new site is in place, whole
    stale = site.parent / f".site.new-{pid}"
    assert _tree(stale) == before  # the previous site, plain claim credentials and all
    assert any(p.startswith("c/") for p in _tree(stale))
    build()
    assert _work_folders(site) == [] and _tree(site) == after


def test_a_killed_incremental_build_is_refused_by_publish_and_cleaned_up_by_the_next(issuer, tmp_path):
    content_dir, keys_dir, site, build = issuer
    spring = content_dir / "awards" / "2026-spring.csv"
    spring.write_text(spring.read_text("utf-8").replace(ROW, ROW.replace(",B,", ",A,")), "utf-8")
    pid = _killed_build(content_dir, keys_dir, site, "replace")
    assert _work_folders(site) == [f".site.backup-{pid}", f".site.stage-{pid}"]
    bare = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    with pytest.raises(PublishError, match="interrupted"):
        publish(site, str(bare), state_dir=keys_dir / "cache", private_repo=True)
    report = build()
    assert not report.incremental  # the dirty mark: a full build
    assert _work_folders(site) == []
    full = tmp_path / "full"
    pipeline.build(context(content_dir, keys_dir=keys_dir), pipeline.BuildOptions(full))
    assert _tree(site) == _tree(full)
    assert publish(site, str(bare), state_dir=keys_dir / "cache", private_repo=True).commit


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_without_a_lock_only_the_work_folders_of_dead_processes_are_removed(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = _dead_pid()
        for kind in write.WORK_KINDS[1:]:
            write.work_folder(site, kind, dead).mkdir()
        write.work_folder(site, "new", alive.pid).mkdir()
        (tmp_path / ".site.new-notapid").mkdir()  # not one of ours
        write.remove_stale_work(site, locked=False)
        assert _work_folders(site) == [f".site.new-{alive.pid}", ".site.new-notapid"]
        write.remove_stale_work(site, locked=True)  # holding the build lock: no build is running
        assert _work_folders(site) == [".site.new-notapid"]
    finally:
        alive.kill()
        alive.wait()


def test_a_kill_between_the_two_renames_of_the_fallback_swap_gets_site_back(issuer, monkeypatch):
    content_dir, keys_dir, site, build = issuer
    before = _tree(site)
    old = write.work_folder(site, "old", _dead_pid())
    os.rename(site, old)  # as the fallback swap (no rename-exchange) leaves it when killed in between
    write.remove_stale_work(site, locked=True)
    assert _tree(site) == before and not old.exists()
    # and a build on a file system without rename-exchange still gives a whole site
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    build(full=True)
    assert _tree(site) == before and _work_folders(site) == []


@pytest.mark.parametrize("gitignore", [REPO / ".gitignore", REPO / "builder" / "credpub" / "ops" / "scaffold" / "gitignore"],
                         ids=["repository", "scaffold"])
def test_git_ignores_every_work_folder_beside_site(tmp_path, gitignore):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shutil.copy(gitignore, repo / ".gitignore")
    for kind in write.WORK_KINDS:
        folder = write.work_folder(repo / "site", kind, 12345)
        (folder / "c" / "tok").mkdir(parents=True)
        (folder / "c" / "tok" / "credential.json").write_text("{}")
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True, check=True).stdout
    assert status.split() == ["??", ".gitignore"]


def test_the_manifest_dirty_mark_is_what_publish_checks(issuer):
    content_dir, keys_dir, site, build = issuer
    manifest = incremental.manifest_path(keys_dir / "cache", site.resolve())
    assert manifest.is_file() and not incremental.dirty_mark(manifest).exists()
