"""Incremental builds (incremental.py, write.write_changes): only changed awards are signed,
rendered and written; the result is byte for byte a full build's; a failed build leaves the
previous site as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from credpub.build import incremental
from credpub.build import pipeline
from credpub.build import write
from credpub.errors import BuildError

ROW = "BP-2026-005,Jürgen Müller,juergen.mueller@example.de,dimensional-metrology,2026-04-17,B,,no"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _stats(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def _full(content_dir, keys, tmp_path, name="full") -> dict[str, bytes]:
    out = tmp_path / name
    pipeline.build(content_dir, out, keys=keys, full=True)
    return _tree(out)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def inc(content_dir, keys, tmp_path):
    """A site built once with a manifest; returns build() for the next builds."""
    site, state = tmp_path / "site", tmp_path / "state"

    def build(**kw):
        return pipeline.build(content_dir, site, keys=keys, state_dir=state, **kw)

    first = build()
    assert not first.incremental
    return site, state, build


def test_one_changed_award_rewrites_only_its_files_and_equals_a_full_build(content_dir, keys, tmp_path, inc):
    site, _, build = inc
    before_bytes, before_stats = _tree(site), _stats(site)
    spring = content_dir / "awards" / "2026-spring.csv"
    _edit(spring, ROW, ROW.replace("Jürgen Müller", "Jürgen Mueller"))
    report = build()
    assert report.incremental and report.redone == 1
    after = _tree(site)
    assert after == _full(content_dir, keys, tmp_path)  # byte-identical to a full build
    after_stats = _stats(site)
    rewritten = {f for f in after if after_stats[f] != before_stats.get(f)}
    changed = {f for f in after if after[f] != before_bytes.get(f)}
    assert rewritten == changed  # nothing with the same bytes was written again
    assert report.written == len(changed) <= 8  # its 4 files, the status list, the verify page (pinned list)
    assert report.summary(site).endswith(f"{report.written} files written, 0 removed")


def test_nothing_changed_writes_nothing(inc):
    site, _, build = inc
    before = _stats(site)
    report = build()
    assert report.incremental and report.redone == 0 and report.written == 0
    assert _stats(site) == before


def test_added_removed_and_revoked_awards(content_dir, keys, tmp_path, inc):
    site, _, build = inc
    spring = content_dir / "awards" / "2026-spring.csv"
    text = spring.read_text("utf-8")
    removed = "BP-2026-013"
    spring.write_text("".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith(removed))
                      + "BP-2026-100,Alba Ruiz,alba@example.es,cnc-five-axis,2026-11-02,,,no\n", "utf-8")
    with (content_dir / "revocations.yml").open("a") as f:  # breaks BP-2026-002's pathway too
        f.write("- learner_id: BP-2026-002\n  achievement: surface-metrology\n  reason: test\n  date: 2026-11-01\n")
    report = build()
    assert report.incremental and report.removed == 4  # the removed award's claim and share files
    assert _tree(site) == _full(content_dir, keys, tmp_path)
    assert not any(p.is_dir() and not any(p.iterdir()) for p in site.rglob("*"))  # no empty folders left


def test_global_changes_make_a_full_build(content_dir, inc):
    _, _, build = inc
    _edit(content_dir / "achievements" / "cnc-five-axis.yml", "ects: 4", "ects: 5")
    assert not build().incremental


def test_failed_render_leaves_site_and_manifest_untouched(content_dir, inc, monkeypatch):
    site, state, build = inc
    before = _tree(site)
    manifest = next(state.glob("build-manifest-*.json")).read_bytes()
    _edit(content_dir / "awards" / "2026-spring.csv", ROW, ROW.replace(",B,", ",A,"))

    def boom(signed):
        raise BuildError("render failed")

    monkeypatch.setattr(pipeline, "render_award_files", boom)
    with pytest.raises(BuildError):
        build()
    assert _tree(site) == before and next(state.glob("build-manifest-*.json")).read_bytes() == manifest


def test_failure_while_replacing_files_rolls_every_file_back(content_dir, keys, tmp_path, inc, monkeypatch):
    site, state, build = inc
    before = _tree(site)
    spring = content_dir / "awards" / "2026-spring.csv"
    spring.write_text(spring.read_text("utf-8").replace(ROW, ROW.replace(",B,", ",A,"))
                      + "BP-2026-100,Alba Ruiz,alba@example.es,cnc-five-axis,2026-11-02,,,no\n", "utf-8")
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(write.os, "replace", flaky)
    with pytest.raises(OSError):
        build()
    monkeypatch.setattr(write.os, "replace", real)
    assert _tree(site) == before  # the files replaced or added before the error are gone or back
    assert not list(state.glob("*.dirty"))
    report = build()  # and the next build picks up from the old manifest
    assert report.incremental
    assert _tree(site) == _full(content_dir, keys, tmp_path)


def test_a_killed_write_makes_the_next_build_full(content_dir, keys, tmp_path, inc):
    site, state, build = inc
    manifest = next(state.glob("build-manifest-*.json"))
    incremental.dirty_mark(manifest).write_bytes(b"")  # as a process killed mid-write leaves it
    (site / "verify" / "index.html").write_text("half-written")
    report = build()
    assert not report.incremental
    assert _tree(site) == _full(content_dir, keys, tmp_path)
    assert not incremental.dirty_mark(manifest).exists()


def test_the_manifest_stays_out_of_the_site(inc):
    site, state, _ = inc
    assert list(state.glob("build-manifest-*.json"))
    assert not any("manifest" in p.name for p in site.rglob("*"))
