"""The build clock: the system's UTC day, or the day SOURCE_DATE_EPOCH pins (reproducible
builds), and a clear refusal of a value that is not one — through the CLI, as CI sets it."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from credpub import clock
from credpub.cli import main
from credpub.errors import UsageError

PINNED = dt.datetime(2026, 9, 30, 23, 59, tzinfo=dt.timezone.utc)  # late in the day: UTC, not local time


def test_without_source_date_epoch_the_build_day_is_the_system_day_in_utc(monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 2, 23, 30, tzinfo=dt.timezone.utc))
    assert clock.today() == dt.date(2026, 12, 2)
    monkeypatch.setenv(clock.ENV, "")  # set but empty: as unset
    assert clock.today() == dt.date(2026, 12, 2)


def test_source_date_epoch_pins_the_build_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, str(int(PINNED.timestamp())))
    assert clock.today() == dt.date(2026, 9, 30)
    assert clock.now() > PINNED  # only the build day: the moment stays the real one


@pytest.mark.parametrize("value", ["yesterday", "1.5", "-1", " 1790000000", "1790000000\n", "0x6a", "1e9",
                                   "9" * 40])
def test_a_source_date_epoch_that_is_not_whole_seconds_is_refused(monkeypatch, value):
    monkeypatch.setenv(clock.ENV, value)
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH=.* is not a number of seconds since 1970-01-01"):
        clock.today()


def test_a_source_date_epoch_after_today_is_refused(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 2, 8, tzinfo=dt.timezone.utc))
    monkeypatch.setenv(clock.ENV, str(int(dt.datetime(2026, 12, 3, tzinfo=dt.timezone.utc).timestamp())))
    with pytest.raises(UsageError, match=r"is 2026-12-03, after today \(2026-12-02, UTC\)"):
        clock.today()


def test_the_cli_builds_as_of_the_day_source_date_epoch_pins(content_dir):
    """`credpub check` judges the content as of the pinned day: awards dated after it are held back."""
    env = {clock.ENV: str(int(PINNED.timestamp()))}
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)], env=env)
    assert result.exit_code == 0, result.output
    assert "(7 scheduled)" in result.output and "today is 2026-09-30, UTC" in result.output


@pytest.mark.parametrize("value", ["2026-09-30", "1790000000.0"])
def test_the_cli_refuses_an_invalid_source_date_epoch_in_one_line(content_dir, value):
    result = CliRunner().invoke(main, ["check", "--content", str(content_dir)], env={clock.ENV: value})
    assert result.exit_code == 2
    assert f"error: SOURCE_DATE_EPOCH={value!r} is not a number of seconds" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_a_cli_build_signs_on_the_pinned_day_and_a_rerun_gives_the_same_site(content_dir, tmp_path):
    """CI reruns: the same SOURCE_DATE_EPOCH, the same bytes; what is signed is dated that day."""
    import json

    with (content_dir / "awards" / "2026-spring.csv").open("a", encoding="utf-8") as f:
        f.write("BP-2026-099,Nieuwe Cursist,nieuw@example.org,dimensional-metrology,2026-04-17,B,,no\n")
    env = {clock.ENV: str(int(PINNED.timestamp()))}
    runner = CliRunner()
    assert runner.invoke(main, ["keygen", "--keys", str(tmp_path / "k")]).exit_code == 0
    args = ["build", "--content", str(content_dir), "--keys", str(tmp_path / "k"), "--full"]
    sites = []
    for out in ("one", "two"):
        result = runner.invoke(main, [*args, "--out", str(tmp_path / out)], env=env)
        assert result.exit_code == 0, result.output
        sites.append({p.relative_to(tmp_path / out).as_posix(): p.read_bytes()
                      for p in sorted((tmp_path / out).rglob("*")) if p.is_file()})
    assert sites[0] == sites[1]
    created = {json.loads(b)["proof"][0]["created"] for k, b in sites[0].items()
               if k.startswith("s/") and k.endswith("credential.json")}
    assert "2026-09-30T00:00:00Z" in created  # the new award, signed on the pinned day
