"""cli/publishing.py: what `credpub publish` says when it cannot push."""

from __future__ import annotations

from click.testing import CliRunner

from credpub.cli import main


def test_publish_outside_a_git_repository_says_to_pass_repo(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html></html>")
    (site / "did.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # never the repository around the tests
    r = CliRunner().invoke(main, ["publish", "--dir", str(site)])
    assert r.exit_code != 0 and "not a git repository" in r.output, r.output
    assert "hint: --repo origin names a remote of the git repository you are in" in r.output
    assert "pass --repo with a git URL or path" in r.output
