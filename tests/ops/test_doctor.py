"""doctor.py against a hostile host on this machine: JSON that is not an object or has fields of
the wrong kind, a host answering every status/<n>, a drip on every path, a URL that is not one,
and a local preview checked without --site-url. Every run ends, with findings, never a
traceback; the limits are small here, injected."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from credpub.cli import main
from credpub.ops.doctor import MAX_STATUS_LISTS, doctor
from credpub.verify.fetch import Limits

from tests.verify.test_fetch import Hostile, _drip_body, _json

SITE = "https://hostile.example/"
DID = "did:web:hostile.example"
SMALL = Limits(max_bytes=100_000, request_seconds=0.3, run_seconds=3, max_requests=200)


def _page(h) -> None:  # noqa: ANN001
    h.send_response(200)
    h.send_header("Content-Length", "6")
    h.end_headers()
    h.wfile.write(b"<html>")


def _failed(report, name: str) -> list[str]:
    return [f.message for f in report.findings if f.name == name and f.status == "fail"]


@pytest.mark.parametrize("did_doc, words", [
    ([], "is not a JSON object"),
    ("did", "is not a JSON object"),
    ({"id": DID, "verificationMethod": 5, "assertionMethod": "x"}, "lists no key under assertionMethod"),
    ({"id": DID, "verificationMethod": [{"id": "k", "publicKeyMultibase": 7}], "assertionMethod": ["k"]},
     "lists no key under assertionMethod"),
    ({"id": ["not", "a", "string"]}, "is the document of"),
])
def test_a_did_document_that_is_not_one_is_a_failed_check(did_doc, words):
    with Hostile({"/": _page, "/.well-known/did.json": _json(did_doc)}) as host:
        report = doctor(host.base, site_url=SITE, limits=SMALL)
    assert any(words in m for m in _failed(report, "did")), report.findings


@pytest.mark.parametrize("status_doc", [[], {"type": 5}, {"type": "BitstringStatusListCredential", "proof": 3}])
def test_a_status_list_of_the_wrong_kind_is_a_failed_check(status_doc):
    with Hostile({"/": _page, "/status/1.json": _json(status_doc)}) as host:
        report = doctor(host.base, site_url=SITE, limits=SMALL)
    assert _failed(report, "status") and not report.ok


def test_a_host_answering_every_status_list_is_read_no_further_than_the_cap():
    with Hostile({"/": _page, "*": _json({"type": ["BitstringStatusListCredential"]})}) as host:
        report = doctor(host.base, site_url=SITE, limits=Limits(request_seconds=1, run_seconds=60, max_requests=200))
        lists = [p for p in host.hits if p.startswith("/status/")]
    assert len(lists) == MAX_STATUS_LISTS
    assert any(f"{MAX_STATUS_LISTS} status lists answer, and more may" in m for m in _failed(report, "status"))
    # with fewer requests allowed, the run stops there, and says which checks are not finished
    with Hostile({"/": _page, "*": _json({"type": ["BitstringStatusListCredential"]})}) as host:
        report = doctor(host.base, site_url=SITE, limits=Limits(max_bytes=100_000, request_seconds=1, run_seconds=30,
                                                                 max_requests=10))
        assert len(host.hits) == 10
    assert any("has made its 10 requests" in m for m in _failed(report, "status"))
    assert any("not known whether they are published" in m for m in _failed(report, "private"))
    assert not any(f.name == "private" and f.status == "pass" for f in report.findings)


def test_a_host_dripping_every_answer_is_left_at_the_runs_deadline():
    with Hostile({"/": _page, "*": _drip_body}) as host:
        report = doctor(host.base, site_url=SITE, limits=Limits(max_bytes=100_000, request_seconds=0.2, run_seconds=1,
                                                                 max_requests=200))
    messages = " ".join(f.message for f in report.findings)
    assert "no complete answer within 0.2 s" in messages and "1 s are used up" in messages
    assert not report.ok and report.fetched


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/cred entials/", "https://example.org:99999/", "https:///x/"])
def test_a_url_that_is_not_one_is_one_line_and_exit_2(url, tmp_path):
    for args in (["doctor", url], ["doctor", SITE, "--site-url", url]):
        r = CliRunner().invoke(main, [*args, "--site", str(tmp_path / "none"), "--content", str(tmp_path / "none"),
                                      "--keys", str(tmp_path / "none")])
        assert r.exit_code == 2, r.output
        assert r.exception is None or isinstance(r.exception, SystemExit)
        assert len(r.output.strip().splitlines()) == 1 and "not a valid URL" in r.output


def test_a_local_preview_without_site_url_says_to_pass_it():
    routes = {"/": _page, "/did.json": _json({"id": "did:web:org.example:certs"})}
    with Hostile(routes) as host:
        report = doctor(host.base)
        r = CliRunner().invoke(main, ["doctor", host.base, "--site", "/nonexistent", "--content", "/nonexistent"])
    assert [f.name for f in report.findings if f.status == "fail"] == ["site-url"]
    assert "pass --site-url" in report.findings[-1].message
    assert "--site-url https://org.example/certs/" in report.findings[-1].message
    assert r.exit_code == 1 and re.search(r"✗ site-url .*--site-url https://org.example/certs/", r.output), r.output
    assert r.output.count("✗") == 1


def test_host_text_in_a_finding_cannot_paint_the_terminal():
    def bad_status_line(h) -> None:  # noqa: ANN001
        h.wfile.write(b"HTTP/1.1 \x1b[2J\x1b[32mall good\r\n\r\n")

    with Hostile({"/": bad_status_line}) as host:
        r = CliRunner().invoke(main, ["doctor", host.base, "--site-url", SITE, "--site", "/nonexistent",
                                      "--content", "/nonexistent"], color=True)  # as on a terminal: escapes kept
    line = next(x for x in r.output.splitlines() if "unreachable" in x)
    assert "\ufffd[2J\ufffd[32mall good" in line and "\x1b[2J" not in line, r.output
