"""The built site against its host's limits (build/hostcheck.py, data/hosts.json, site.yml `host:`)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from credpub.build.hostcheck import host_report
from credpub.cli import main
from credpub.content import hosts


def _site(root, awards: int, award_bytes: int = 1000, fixed_bytes: int = 5000):
    """A site of `awards` awards: a claim and a share folder each, and some fixed files."""
    (root / "assets").mkdir(parents=True)
    (root / "assets/credpub.js").write_bytes(b"x" * fixed_bytes)
    (root / "index.html").write_bytes(b"<p>")
    for i in range(awards):
        for kind in ("c", "s"):
            page = root / kind / f"tok{i}"
            page.mkdir(parents=True)
            (page / "index.html").write_bytes(b"y" * (award_bytes // 4))
            (page / "credential.json").write_bytes(b"z" * (award_bytes // 4))
    return root


def test_the_table_names_the_hosts_and_github_pages_is_the_default():
    assert set(hosts.names()) == {"github-pages", "cloudflare-pages", "netlify", "other"}
    assert hosts.default() == "github-pages"
    assert hosts.host("github-pages")["max_site_bytes"] == 1_000_000_000
    assert hosts.host("cloudflare-pages")["max_files"] == 20_000
    assert hosts.host("netlify")["max_files_per_folder"] == 54_000


def test_a_site_far_from_the_limit_gets_a_line_and_no_warning(tmp_path):
    site = _site(tmp_path / "site", 10)
    report = host_report(site, 10, "github-pages")
    assert report.line.startswith("host: GitHub Pages — 15.0 KB of 1.0 GB (0.0%, room for about ")
    assert not report.warnings


def test_it_warns_near_a_byte_limit_with_the_award_count_where_it_stops_fitting(tmp_path):
    site = _site(tmp_path / "site", 10)  # 5,003 fixed bytes + 1,000 per award = 15,003 bytes
    report = host_report(site, 10, "x", {"name": "Tiny host", "max_site_bytes": 18_000})
    assert "15.0 KB of 18.0 KB (83.4%, room for about 12 awards)" in report.line
    assert report.warnings == ["the site has 15.0 KB of Tiny host's limit of 18.0 KB (83%): it stops fitting at "
                               "about 12 awards; plan another host (site.yml `host:`) before then"]


def test_it_says_a_deploy_will_fail_over_a_file_count_limit(tmp_path):
    site = _site(tmp_path / "site", 10)  # 2 fixed files + 4 per award
    report = host_report(site, 10, "x", {"name": "Tiny host", "max_files": 30})
    assert "42 files of 30 files (140.0%, room for about 7 awards)" in report.line
    assert any("over Tiny host's limit of 30 files: a deploy there will fail" in w for w in report.warnings)


def test_a_per_folder_limit_is_reached_by_the_award_folders(tmp_path):
    site = _site(tmp_path / "site", 10)
    report = host_report(site, 10, "x", {"name": "Tiny host", "max_files_per_folder": 12})
    assert "10 entries in c/ of 12 entries in c/" in report.line and "room for about 12 awards" in report.line
    assert any("stops fitting at about 12 awards" in w for w in report.warnings)


def test_a_file_over_a_per_file_limit_is_named(tmp_path):
    site = _site(tmp_path / "site", 1, fixed_bytes=3000)
    report = host_report(site, 1, "x", {"name": "Tiny host", "max_file_bytes": 2000})
    assert report.warnings == ["a file of 3.0 KB is over Tiny host's limit of 2.0 KB per file: a deploy there will fail"]


def test_build_reports_the_host_site_yml_names_and_warns_before_it_is_full(content_dir, tmp_path, monkeypatch):
    keys_dir = tmp_path / "keys"
    assert CliRunner().invoke(main, ["keygen", "--keys", str(keys_dir)]).exit_code == 0
    site_yml = content_dir / "site.yml"
    site_yml.write_text(site_yml.read_text("utf-8") + "host: cloudflare-pages\n", "utf-8")
    out = tmp_path / "site"
    run = CliRunner().invoke(main, ["build", "--content", str(content_dir), "--out", str(out), "--keys", str(keys_dir)])
    assert run.exit_code == 0, run.output
    assert "host: Cloudflare Pages (free plan) — " in run.output and "of 20,000 files" in run.output
    assert "warning:" not in run.output
    # The same build against a small injected limit: a warning with the award count.
    table = {"default": "github-pages", "hosts": {**hosts._table()["hosts"],
             "cloudflare-pages": {"name": "Cloudflare Pages (free plan)", "max_files": 200}}}
    monkeypatch.setattr(hosts, "_table", lambda: table)
    run = CliRunner().invoke(main, ["build", "--content", str(content_dir), "--out", str(out), "--keys", str(keys_dir)])
    assert run.exit_code == 0, run.output
    assert "warning: the site has 1" in run.output and "of Cloudflare Pages (free plan)'s limit of 200 files" in run.output
    assert "it stops fitting at about " in run.output


def test_an_unknown_host_is_refused_naming_the_choices(content_dir):
    site_yml = content_dir / "site.yml"
    site_yml.write_text(site_yml.read_text("utf-8") + "host: geocities\n", "utf-8")
    run = CliRunner().invoke(main, ["check", "--content", str(content_dir)])
    assert run.exit_code == 1  # a content problem, as every other one
    assert "site.yml" in run.output and "host: must be one of github-pages, cloudflare-pages, netlify, other" in run.output
