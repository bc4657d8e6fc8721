"""Incremental builds (incremental.py, writers.py, write.write_changes): only changed awards are
signed, rendered and written; the result is byte for byte a full build's; a change to any input
every page depends on makes a full build; a failed build leaves the previous site as it was."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub import paths
from credpub.build import incremental
from credpub.build import pipeline
from credpub.build import write
from credpub.credentials.keys import Keys
from credpub.errors import BuildError

from tests.conftest import context
from tests.golden import issuer

ROW = "BP-2026-005,Jürgen Müller,juergen.mueller@example.de,dimensional-metrology,2026-04-17,B,,no"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _stats(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def _full(content_dir, keys, tmp_path, name="full", bundle: Path | None = None) -> dict[str, bytes]:
    """A full build without a state folder: nothing of the previous builds is reused."""
    out = tmp_path / name
    pipeline.build(context(content_dir, keys=keys, bundle_dir=bundle), pipeline.BuildOptions(out, full=True))
    return _tree(out)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def inc(content_dir, keys, tmp_path):
    """A site built once with a manifest; returns build() for the next builds."""
    site, state = tmp_path / "site", tmp_path / "state"

    def build(keys=keys, bundle=None, **options):
        ctx = context(content_dir, keys=keys, state_dir=state, bundle_dir=bundle)
        return pipeline.build(ctx, pipeline.BuildOptions(site, **options))

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


def _other_signing_key(keys: Keys) -> Keys:
    return Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33))), keys.site_secret)


def _other_site_secret(keys: Keys) -> Keys:
    return Keys(keys.signing_key, b"\x43" * 32)


def _another_python(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(incremental.sys, "version", sys.version + " (another build)")


def _another_library(monkeypatch, tmp_path) -> None:
    real = importlib.metadata.version
    monkeypatch.setattr(incremental.importlib.metadata, "version",
                        lambda lib: "0.0-another" if lib == "jinja2" else real(lib))


def _changed_code(monkeypatch, tmp_path) -> None:
    code = tmp_path / "credpub-code"
    shutil.copytree(paths.PACKAGE, code, ignore=shutil.ignore_patterns("__pycache__"))
    (code / "clock.py").write_text((code / "clock.py").read_text("utf-8") + "# changed\n", "utf-8")
    monkeypatch.setattr(paths, "PACKAGE", code)  # only the fingerprint reads the package tree


def _changed_theme(monkeypatch, tmp_path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(paths.theme_dir(), theme)
    (theme / "NOTES.txt").write_text("a file the theme did not have\n", "utf-8")
    monkeypatch.setattr(paths, "theme_dir", lambda: theme)


#: Each input of incremental.global_fingerprint besides the bundle and content/, changed in place.
_ENVIRONMENT = {"python": _another_python, "library": _another_library, "code": _changed_code, "theme": _changed_theme}
_KEYS = {"signing key": _other_signing_key, "site secret": _other_site_secret}


@pytest.mark.parametrize("change", [*_ENVIRONMENT, "bundle", "content", *_KEYS])
def test_each_global_input_makes_a_full_build_equal_to_a_full_build(change, content_dir, keys, tmp_path, inc, monkeypatch):
    site, _, build = inc
    bundle = tmp_path / "bundle"  # a copy of the placeholder bundle, that "bundle" changes
    shutil.copytree(issuer.BUNDLE, bundle)
    assert not build(bundle=bundle).incremental  # another bundle than the first build's: a full build
    assert build(bundle=bundle).incremental  # the same inputs again: the manifest is reused
    if change in _ENVIRONMENT:
        _ENVIRONMENT[change](monkeypatch, tmp_path)
    elif change == "bundle":
        (bundle / "credpub.js").write_text((bundle / "credpub.js").read_text("utf-8") + "\n// changed\n", "utf-8")
    elif change == "content":  # a page: content/ outside awards/, revocations and the status lock
        page = content_dir / "pages" / "privacy.md"
        page.write_text(page.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    else:
        keys = _KEYS[change](keys)
    report = build(keys=keys, bundle=bundle)
    assert not report.incremental and report.redone == report.awards
    assert _tree(site) == _full(content_dir, keys, tmp_path, bundle=bundle)


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


# --- site/ is checked against the manifest, never trusted ---------------------------------------


def _revoke(content_dir, learner_id="BP-2026-002", achievement="surface-metrology"):
    with (content_dir / "revocations.yml").open("a") as f:
        f.write(f"- learner_id: {learner_id}\n  achievement: {achievement}\n  reason: test\n  date: 2026-11-01\n")


def _old_status_list(site, content_dir, build):
    """A genuine status list of an earlier build, put back after a revocation."""
    status = sorted(site.glob("status/*.json"))[0]
    old = status.read_bytes()
    _revoke(content_dir)
    build()
    assert status.read_bytes() != old
    status.write_bytes(old)
    return status.relative_to(site).as_posix()


def _defaced_claim_page(site, content_dir, build):
    page = sorted(site.glob("c/*/index.html"))[0]
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>Pay here: https://evil.example/</p></body>"))
    return page.relative_to(site).as_posix()


def _deleted_share_page(site, content_dir, build):
    page = sorted(site.glob("s/*/index.html"))[3]
    page.unlink()
    return page.relative_to(site).as_posix()


@pytest.mark.parametrize("tamper", [_old_status_list, _defaced_claim_page, _deleted_share_page],
                         ids=["old status list", "defaced claim page", "deleted share page"])
def test_a_rebuild_puts_back_what_was_changed_in_site_and_says_so(tamper, content_dir, keys, tmp_path, inc):
    site, _, build = inc
    path = tamper(site, content_dir, build)
    report = build()
    assert report.repaired == [path] and report.written >= 1
    summary = report.summary(site)
    assert "1 file in site/ changed or missing since the last build: rewritten: " + incremental.shown(path) in summary
    assert _tree(site) == _full(content_dir, keys, tmp_path)  # byte for byte a full build
    again = build()  # and the next build finds nothing to repair
    assert again.incremental and again.repaired == [] and again.written == 0


def test_an_award_page_put_right_costs_only_that_award(content_dir, inc):
    site, _, build = inc
    page = sorted(site.glob("c/*/index.html"))[0]
    page.write_text("defaced")
    report = build()
    assert report.incremental and report.redone == 1 and report.written == 1


def test_files_no_build_wrote_are_removed_and_named(content_dir, keys, tmp_path, inc):
    site, _, build = inc
    (site / "age-key.txt.bak").write_text("AGE-SECRET-KEY-1...")
    (site / "c" / "extra").mkdir()
    (site / "c" / "extra" / "index.html").write_text("a page no build made")
    report = build()
    assert report.incremental and report.strays == ["age-key.txt.bak", "c/extra/index.html"]
    assert "2 files in site/ not written by any build: removed: age-key.txt.bak, c/extra…/index.html" in report.summary(site)
    assert _tree(site) == _full(content_dir, keys, tmp_path)
    assert not (site / "c" / "extra").exists()


def test_a_symlink_in_site_makes_a_full_build_that_writes_nothing_through_it(content_dir, keys, tmp_path, inc):
    site, _, build = inc
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = sorted(site.glob("c/*/"))[0]
    shutil.copytree(folder, outside / "copy")
    shutil.rmtree(folder)
    folder.symlink_to(outside / "copy")  # the same bytes, but through a symlink
    before = _tree(outside)
    report = build()
    assert not report.incremental and report.repaired
    assert _tree(site) == _full(content_dir, keys, tmp_path)
    assert not folder.is_symlink() and _tree(outside) == before


def test_a_fifo_in_place_of_a_page_is_replaced_without_blocking_the_build(content_dir, keys, tmp_path, inc):
    site, _, build = inc
    for page in (site / "verify" / "index.html", sorted(site.glob("c/*/index.html"))[0]):
        page.unlink()
        os.mkfifo(page)  # opening it to read would wait for a writer forever
    report = build()
    assert len(report.repaired) == 2
    assert _tree(site) == _full(content_dir, keys, tmp_path)


def test_a_file_unchanged_since_the_build_is_not_read_again_and_a_changed_one_always_is(inc, monkeypatch):
    """The audit trusts a file's recorded hash only while its inode, size, mtime and ctime are
    those the manifest recorded: a same-size edit with its mtime put back still changes ctime."""
    site, _, build = inc
    read = []
    real = incremental.file_entry
    monkeypatch.setattr(incremental, "file_entry", lambda path: read.append(path) or real(path))
    assert build().written == 0 and read == []  # nothing written since: no file read
    page = sorted(site.glob("c/*/index.html"))[0]
    before = page.stat()
    data = page.read_bytes()
    page.write_bytes(data.replace(b"<body", b"<BODY", 1))  # the same size
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    report = build()
    assert read == [page] and report.repaired == [page.relative_to(site).as_posix()]
    assert page.read_bytes() == data
