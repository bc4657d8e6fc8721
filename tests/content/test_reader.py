"""reader.py: every file of content/ is a regular file inside content/ (inside pages/ for pages);
links out, FIFOs and devices are refused by `check` and `build`, naming them, and nothing of
them reaches the site or a message."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from credpub.build import pipeline
from credpub.cli import main
from credpub.content import reader
from credpub.errors import ContentError, ContentErrors

from tests.conftest import context

SECRET = "s3cret-marker-that-must-never-be-published"
AWARDS_CSV = ("learner_id,name,email,achievement,issued_on\n"
              f"X-1,{SECRET},x@example.org,cnc-five-axis,2026-03-01\n")


def _env_page(content_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("CREDPUB_SITE_SECRET", SECRET)  # what CI holds in the environment
    os.symlink("/proc/self/environ", content_dir / "pages" / "env.md")
    return content_dir / "pages" / "env.md"


def _key_page(content_dir, tmp_path, monkeypatch):
    keys = tmp_path / ".credpub"
    keys.mkdir()
    (keys / "signing-key.pem").write_text(f"-----BEGIN PRIVATE KEY-----\n{SECRET}\n-----END PRIVATE KEY-----\n")
    os.symlink("../../.credpub/signing-key.pem", content_dir / "pages" / "key.md")
    return content_dir / "pages" / "key.md"


def _outside_awards(content_dir, tmp_path, monkeypatch):
    (tmp_path / "outside.csv").write_text(AWARDS_CSV)
    os.symlink(tmp_path / "outside.csv", content_dir / "awards" / "x.csv")
    return content_dir / "awards" / "x.csv"


def _awards_published_from_pages(content_dir, tmp_path, monkeypatch):
    (content_dir / "awards" / "x.csv").write_text(AWARDS_CSV)
    os.symlink("../awards/x.csv", content_dir / "pages" / "list.csv")  # inside content/, but pages/ is published
    return content_dir / "pages" / "list.csv"


def _pages_folder_linked_to_awards(content_dir, tmp_path, monkeypatch):
    (content_dir / "awards" / "x.csv").write_text(AWARDS_CSV)
    for page in (content_dir / "pages").iterdir():
        os.replace(page, content_dir / "awards" / page.name)
    (content_dir / "pages").rmdir()
    os.symlink("awards", content_dir / "pages")
    return content_dir / "pages"


def _fifo(content_dir, tmp_path, monkeypatch):
    os.mkfifo(content_dir / "notes")  # read by nothing but the build's tree digest: it must not block
    return content_dir / "notes"


def _fifo_page(content_dir, tmp_path, monkeypatch):
    os.mkfifo(content_dir / "pages" / "pipe.md")
    return content_dir / "pages" / "pipe.md"


def _device_site_file(content_dir, tmp_path, monkeypatch):
    (content_dir / "site.yml").unlink()
    os.symlink("/dev/zero", content_dir / "site.yml")
    return content_dir / "site.yml"


def _outside_folder(content_dir, tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.csv").write_text(AWARDS_CSV)
    os.symlink(tmp_path / "elsewhere", content_dir / "awards" / "more")
    return content_dir / "awards" / "more"


def _outside_badge(content_dir, tmp_path, monkeypatch):
    (tmp_path / "badge.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><title>{SECRET}</title></svg>')
    os.symlink(tmp_path / "badge.svg", content_dir / "assets" / "badge.svg")
    path = content_dir / "achievements" / "cnc-five-axis.yml"
    path.write_text(path.read_text("utf-8") + "image: assets/badge.svg\n", "utf-8")
    return content_dir / "assets" / "badge.svg"


CASES = [_env_page, _key_page, _outside_awards, _awards_published_from_pages, _pages_folder_linked_to_awards, _fifo_page, _device_site_file,
         _outside_folder, _outside_badge]


@pytest.mark.parametrize("make", CASES + [_fifo], ids=lambda f: f.__name__.strip("_"))
def test_check_refuses_naming_the_file(content_dir, tmp_path, monkeypatch, make):
    path = make(content_dir, tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1, result.output
    assert str(path) in result.output, result.output
    assert SECRET not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("make", CASES, ids=lambda f: f.__name__.strip("_"))
def test_build_refuses_and_publishes_nothing(content_dir, keys, tmp_path, monkeypatch, make):
    path = make(content_dir, tmp_path, monkeypatch)
    site = tmp_path / "site"
    with pytest.raises(ContentErrors) as e:
        pipeline.build(context(content_dir, keys=keys), pipeline.BuildOptions(site))
    assert str(path) in str(e.value) and SECRET not in str(e.value)
    assert not site.exists()


def test_links_that_stay_inside_content_are_read(content_dir):
    os.symlink("about.md", content_dir / "pages" / "over.md")
    assert reader.scan(content_dir) == []
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert result.exit_code == 0, result.output


def test_read_bytes_refuses_a_fifo_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(ContentError, match="FIFO"):
        reader.read_bytes(tmp_path / "pipe")
    (tmp_path / "plain.txt").write_bytes(b"ok")
    assert reader.read_bytes(tmp_path / "plain.txt", tmp_path) == b"ok"


def test_write_bytes_never_writes_through_a_link(tmp_path):
    root = tmp_path / "content"
    root.mkdir()
    os.symlink(tmp_path / "outside.csv", root / "x.csv")
    with pytest.raises(ContentError, match="symlink") as e:
        reader.write_bytes(root / "x.csv", b"secret", root)
    assert str(root / "x.csv") in str(e.value)
    assert not (tmp_path / "outside.csv").exists()
    reader.write_bytes(root / "y.csv", b"data", root)
    assert (root / "y.csv").read_bytes() == b"data" and oct((root / "y.csv").stat().st_mode & 0o777) == "0o600"
