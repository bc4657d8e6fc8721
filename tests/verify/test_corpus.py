"""The corpus of 128 credentials published by others (../shared/corpus): `credpub verify`
judges each as its source expects, or says plainly that it cannot. The table of expectations,
tests/corpus-expectations.json, is the one verifier-js/test/corpus.test.js reads: the Python
and the browser verifier are held to the same verdicts."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from credpub.credentials.contexts import make_loader
from credpub.credentials.dataintegrity import Canonicalizer
from credpub.credentials.rdf import QuadCache
from credpub.verify import Resolver, Unavailable, verify_document

from tests.conftest import REPO, SHARED

CORPUS = SHARED / "corpus"
TABLE = json.loads((REPO / "tests" / "corpus-expectations.json").read_text())
NOW = dt.datetime.fromisoformat(TABLE["now"].replace("Z", "+00:00"))
pytestmark = pytest.mark.skipif(not (CORPUS / "MANIFEST.md").exists(), reason="no ../shared/corpus")


def _documents() -> tuple[dict, dict]:
    contexts, docs = {}, {}
    for url, v in json.loads((CORPUS / "contexts" / "INDEX.json").read_text()).items():
        contexts[url] = json.loads((CORPUS / "contexts" / v["file"]).read_text())
    for url, f in json.loads((CORPUS / "status" / "INDEX.json").read_text()).items():
        docs[url] = json.loads((CORPUS / "status" / f).read_text())
    for f in sorted((CORPUS / "dids").glob("*.json")):
        d = json.loads(f.read_text())
        docs[d["id"]] = d
    return contexts, docs


def _test_controllers(doc) -> dict:
    """Controller documents BUILT FOR THE TEST for `https://…#z6Mk…` keys (the 1EdTech
    convention); credpub itself never takes a key from a URL fragment."""
    keys: dict[str, set] = {}

    def walk(x):
        if isinstance(x, dict):
            vm = x.get("verificationMethod")
            m = isinstance(vm, str) and re.match(r"^(https://[^#]+)#(z6Mk[1-9A-HJ-NP-Za-km-z]+)$", vm)
            if m:
                keys.setdefault(m.group(1), set()).add(m.group(2))
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(doc)
    out = {}
    for url, ks in keys.items():
        vms = [{"id": f"{url}#{k}", "type": "Multikey", "controller": url, "publicKeyMultibase": k} for k in sorted(ks)]
        out[url] = {"id": url, "verificationMethod": vms, "assertionMethod": [v["id"] for v in vms]}
    return out


def _resolver(docs: dict) -> Resolver:
    def fetch(url: str) -> bytes:
        from credpub.credentials.did import did_web_to_url

        for key, doc in docs.items():
            if key == url or (key.startswith("did:web:") and did_web_to_url(key) == url):
                return json.dumps(doc).encode()
        raise Unavailable(f"{url} is not in the corpus")

    return Resolver(fetch=fetch)


def _verify(path: Path, docs: dict, canon: Canonicalizer):
    data = path.read_bytes()
    if path.suffix == ".jwt":
        return None  # VC-JWT: credpub verifies Data Integrity proofs only
    return verify_document(json.loads(data), _resolver(docs), now=NOW, canon=canon)


def _judge(expect: dict, result) -> str | None:
    c = {x.name: x for x in result.checks}
    if expect.get("verified"):
        if not result.verified:
            return f"expected verified, got {[x for x in result.checks if x.status != 'pass']}"
        if expect.get("status") and c["status"].status != expect["status"]:
            return f"expected status {expect['status']}, got {c['status']}"
        return None
    if expect.get("revoked"):
        ok = not result.verified and c["status"].status == "fail" and c["status"].message.startswith("revoked")
        return None if ok else f"expected revoked, got {c.get('status')}"
    if expect.get("signature"):
        return None if c["proof"].status == "pass" else f"expected a valid signature, got {c['proof']}"
    if expect.get("fail"):
        if result.verified:
            return f"expected not verified ({expect['fail']}), got verified"
        got = c.get(expect["fail"])
        return None if got and got.status == "fail" else f"expected {expect['fail']} to fail, got {got}"
    return "no expectation"


def test_corpus_verdicts_match_their_sources():
    files = sorted(p.name for p in (CORPUS / "credentials").iterdir())
    assert [f for f in files if f not in TABLE["expect"]] == [], "corpus files without an expectation"
    contexts, docs = _documents()
    canon = Canonicalizer(QuadCache(make_loader(contexts)))
    mismatches, judged, skipped = [], 0, []
    for name in files:
        expect = TABLE["expect"][name]
        path = CORPUS / "credentials" / name
        doc = json.loads(path.read_text()) if path.suffix == ".json" else None
        if expect.get("skip"):
            result = _verify(path, docs, canon)
            assert result is None or not result.verified, f"{name}: listed as not judgeable, yet verified"
            skipped.append(name)
            continue
        judged += 1
        extra = dict(docs)
        if expect.get("tc"):
            plain = _verify(path, docs, canon)
            assert not plain.verified, f"{name}: verified without a controller document"
            extra.update(_test_controllers(doc))
        result = _verify(path, extra, canon)
        problem = _judge(expect, result)
        if problem:
            mismatches.append(f"{name}: {problem}")
    assert mismatches == [], "\n".join(mismatches)
    assert judged >= 100, judged


CHECKS = ("format", "proof", "issuer", "dates", "status")


def test_corpus_every_check_matches_the_shared_table():
    """All five checks of every corpus file, as recorded in the table verifier-js is held to
    too: one verdict per check in both languages (the VC-JWT files, which neither reads, aside)."""
    files = sorted(p.name for p in (CORPUS / "credentials").iterdir())
    contexts, docs = _documents()
    canon = Canonicalizer(QuadCache(make_loader(contexts)))
    differ, compared = [], 0
    for name in files:
        expect = TABLE["expect"][name]
        path = CORPUS / "credentials" / name
        if path.suffix == ".jwt":
            assert "checks" not in expect, name
            continue
        assert set(expect["checks"]) == set(CHECKS), f"{name}: the table must record all five checks"
        extra = dict(docs)
        if expect.get("tc"):
            extra.update(_test_controllers(json.loads(path.read_text())))
        result = _verify(path, extra, canon)
        got = {c.name: c.status for c in result.checks}
        compared += 1
        for check in CHECKS:
            if got[check] != expect["checks"][check]:
                message = next(c.message for c in result.checks if c.name == check)
                differ.append(f"{name} {check}: table {expect['checks'][check]}, credpub {got[check]} ({message})")
    assert differ == [], "\n".join(differ)
    assert compared >= 120, compared
