"""cli/common.py: how every command reports content problems — each problem, then a count, and
"nothing was built" only from the commands that were going to build (build, check)."""

from __future__ import annotations

from click.testing import CliRunner

from credpub.cli import main


def _break(content_dir) -> None:
    f = content_dir / "awards" / "2026-spring.csv"
    f.write_text(f.read_text() + "BP-2026-999,Nobody,nobody@example.org,no-such-badge,2026-04-17,,,,\n")


def test_content_problems_say_nothing_was_built_only_where_a_build_was_meant(content_dir, tmp_path):
    _break(content_dir)
    keys = str(tmp_path / "keys")
    runner = CliRunner()
    for args in (["build", "--out", str(tmp_path / "site")], ["check"]):
        r = runner.invoke(main, [*args, "--content", str(content_dir)])
        assert r.exit_code == 1 and "no-such-badge" in r.output, r.output
        assert "1 problem found in content; nothing was built." in r.output
    for args, words in ((["revoke", "BP-2026-001", "dimensional-metrology", "--reason", "x"], "nothing was revoked"),
                        (["serve", "--links", "--keys", keys, "--port", "0"], None)):
        r = runner.invoke(main, [*args, "--content", str(content_dir)])
        assert r.exit_code == 1 and "no-such-badge" in r.output, r.output
        assert "nothing was built" not in r.output
        assert (f"1 problem found in content; {words}." if words else "1 problem found in content.") in r.output
