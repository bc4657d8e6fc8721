"""canon.py: the whole W3C RDFC-1.0 evaluation suite and the RFC 8785 test data."""

from __future__ import annotations

import csv
import json

import pytest

from credpub.credentials.canon import canonicalize_quads, jcs, parse_nquads
from credpub.errors import CanonicalizationError

from tests.conftest import VECTORS

RDFC = VECTORS / "rdf-canon-tests" / "tests"
RDFC_CASES = list(csv.DictReader((RDFC / "manifest.csv").read_text("utf-8").splitlines()))


@pytest.mark.parametrize("case", RDFC_CASES, ids=[c["test"] for c in RDFC_CASES])
def test_rdfc10_evaluation_suite(case):
    name = case["test"]
    source = (RDFC / "rdfc10" / f"{name}-in.nq").read_text("utf-8")
    expected = RDFC / "rdfc10" / f"{name}-rdfc10.nq"
    algorithm = (case["hashAlgorithm"] or "SHA256").lower()
    if not expected.exists():  # a negative test: the poison graph must fail fast
        with pytest.raises(CanonicalizationError):
            canonicalize_quads(parse_nquads(source), hash_algorithm=algorithm)
        return
    assert canonicalize_quads(parse_nquads(source), hash_algorithm=algorithm) == expected.read_text("utf-8")


def test_suite_is_complete():
    # test060 is the one pyld's URDNA2015 fails (control-character escaping).
    assert len(RDFC_CASES) >= 65 and any(c["test"] == "test060" for c in RDFC_CASES)


JCS = VECTORS / "rfc8785-jcs" / "testdata"
JCS_CASES = sorted(p.name for p in (JCS / "input").glob("*.json"))


@pytest.mark.parametrize("name", JCS_CASES)
def test_rfc8785_testdata(name):
    value = json.loads((JCS / "input" / name).read_text("utf-8"))
    expected = (JCS / "output" / name).read_bytes()
    assert jcs(value) == expected
    hexfile = JCS / "outhex" / name.replace(".json", ".txt")
    assert jcs(value).hex() == "".join(hexfile.read_text().split())


def test_rfc8785_es6_numbers():
    import struct

    lines = (VECTORS / "rfc8785-jcs" / "es6-numbers-first1000.generated.txt").read_text().splitlines()
    for line in lines:
        hex_ieee, expected = line.split(",")
        value = struct.unpack(">d", bytes.fromhex(hex_ieee.rjust(16, "0")))[0]
        assert jcs(value).decode() == expected, hex_ieee


def test_jcs_is_not_sorted_json_dumps():
    # 56.0 → 56, and keys sort by UTF-16 code units (U+1F602 before U+FB33).
    assert jcs({"a": 56.0}) == b'{"a":56}'
    assert jcs({"\ufb33": 1, "\U0001f602": 2}) == '{"\U0001f602":2,"\ufb33":1}'.encode()
