"""status.py: the 1EdTechRevocationList status of the 1EdTech OB 3.0 displayer test (valid,
expired, revoked), judged per check as verifier-js judges it (the shared fixture
verifier-js/test/fixtures/revocation-list.json), and hostile or missing revocation lists."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from credpub.verify import Resolver, Unavailable, verify_document

from tests.make_revocation_fixture import FIXTURE, fixture

SHARED = json.loads(FIXTURE.read_text())
NOW = dt.datetime.fromisoformat(SHARED["now"].replace("Z", "+00:00"))


def _serving(body) -> Resolver:
    def fetch(url: str) -> bytes:
        if url == SHARED["listUrl"]:
            return body if isinstance(body, bytes) else json.dumps(body).encode()
        raise Unavailable(f"{url} not served in this test")

    return Resolver(fetch=fetch)


def test_the_shared_fixture_is_current():
    assert fixture() == SHARED, "run `python -m tests.make_revocation_fixture`"


@pytest.mark.parametrize("case", sorted(SHARED["cases"]))
def test_displayer_cases_are_judged_per_check_as_the_fixture_says(case):
    expect = SHARED["cases"][case]
    result = verify_document(expect["credential"], _serving(SHARED["list"]), now=NOW)
    assert {c.name: c.status for c in result.checks} == expect["checks"], result.checks
    assert result.verified is expect["verified"]


def test_revoked_names_the_issuers_reason_and_not_revoked_says_what_it_checked():
    revoked = verify_document(SHARED["cases"]["revoked"]["credential"], _serving(SHARED["list"]), now=NOW).check("status")
    assert revoked.message == "revoked (checked against the issuer's list); Issued in error"
    valid = verify_document(SHARED["cases"]["valid"]["credential"], _serving(SHARED["list"]), now=NOW).check("status")
    assert valid.message == "not revoked (checked against the issuer's list)"


def test_an_unreachable_revocation_list_is_not_checked_never_pass():
    doc = SHARED["cases"]["revoked"]["credential"]
    status = verify_document(doc, Resolver(fetch=lambda url: (_ for _ in ()).throw(Unavailable("HTTP 404"))), now=NOW).check("status")
    assert status.status == "skipped" and "could not be loaded" in status.message
    offline = verify_document(doc, Resolver(offline=True), now=NOW).check("status")
    assert offline.status == "skipped" and offline.message == "not checked: offline"


@pytest.mark.parametrize("body", [[], {"revokedCredentials": "all"}, {"revoked": []}, b"<html>", b"[" * 10_000])
def test_a_response_that_is_not_a_revocation_list_fails_or_is_not_checked_never_passes(body):
    status = verify_document(SHARED["cases"]["valid"]["credential"], _serving(body), now=NOW).check("status")
    assert status.status in ("fail", "skipped"), status


@pytest.mark.parametrize("entry, words", [
    ({"type": "1EdTechRevocationList"}, "names no status list URL"),
    ({"type": "1EdTechRevocationList", "id": "file:///etc/passwd"}, "names no status list URL"),
])
def test_an_entry_without_a_list_url_fails(entry, words):
    doc = dict(SHARED["cases"]["valid"]["credential"], credentialStatus=entry)
    status = verify_document(doc, _serving(SHARED["list"]), now=NOW).check("status")
    assert status.status == "fail" and words in status.message


def test_a_credential_without_an_id_cannot_be_looked_up():
    doc = {k: v for k, v in SHARED["cases"]["revoked"]["credential"].items() if k != "id"}
    status = verify_document(doc, _serving(SHARED["list"]), now=NOW).check("status")
    assert status.status == "skipped" and "no id" in status.message
