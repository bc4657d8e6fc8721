"""verify.py (`credpub verify`): the 1EdTech validator samples, W3C vectors, and bad input."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import shutil
import struct
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.credentials import bake
from credpub import rules
from credpub.credentials import statuslist
from credpub.credentials.dataintegrity import sign
from credpub.credentials.did import did_web_to_url
from credpub.credentials.keys import Keys, multikey_from_public
from credpub.verify import Resolver, Unavailable, verify_document

from tests.conftest import REPO, VECTORS, context

OB = VECTORS / "ob-v3p0-1edtech-validator"
NOW = dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)


def _load(name: str) -> dict:
    return json.loads((OB / name).read_text())


def _resolver_for(doc: dict, extra: dict[str, dict] | None = None) -> Resolver:
    """Serves, FOR THE TEST ONLY, a controller document built from the key in the fragment of
    each sample's verificationMethod (https://x/issuers/1#z6Mk…). Real verification never
    takes a key from a URL fragment; the 1EdTech samples were made for a validator that does."""
    served: dict[str, dict] = dict(extra or {})
    proofs = doc.get("proof") or []
    for p in proofs if isinstance(proofs, list) else [proofs]:
        vm = p.get("verificationMethod", "") if isinstance(p, dict) else ""
        if vm.startswith("https://") and "#" in vm:
            controller, key = vm.split("#", 1)
            served[controller] = {
                "id": controller,
                "verificationMethod": [{"id": vm, "type": "Multikey", "controller": controller, "publicKeyMultibase": key}],
                "assertionMethod": [vm],
            }

    def fetch(url: str) -> bytes:
        if url in served:
            return json.dumps(served[url]).encode()
        raise Unavailable(f"{url} not served in this test")

    return Resolver(fetch=fetch)


def _verdict(result) -> dict[str, str]:
    return {c.name: c.status for c in result.checks}


POSITIVE = ["simple.json", "simple-context-alias.json", "simple-context-version.json", "simple-did-web-method.json",
            "simple-multiple-proofs.json", "complete.json", "endorsement-valid.json", "simple-eddsa-2022.json"]


@pytest.mark.parametrize("name", POSITIVE)
def test_signed_samples_verify_with_a_test_controller_document(name):
    doc = _load(name)
    result = verify_document(doc, _resolver_for(doc), now=NOW)
    v = _verdict(result)
    assert v["proof"] == "pass" and v["issuer"] == "pass", result.checks
    assert v["format"] == "pass"


@pytest.mark.parametrize("name", POSITIVE)
def test_without_the_controller_document_the_key_cannot_be_resolved(name):
    doc = _load(name)
    result = verify_document(doc, Resolver(fetch=lambda url: (_ for _ in ()).throw(Unavailable(url))), now=NOW)
    assert not result.verified
    issuer = next(c for c in result.checks if c.name == "issuer")
    assert issuer.status == "fail" and "issuer key cannot be resolved" in issuer.message


def test_did_key_sample_signature_verifies_but_key_is_not_the_issuers():
    # simple-did-key-method.json names issuer urn:uuid:… but is signed by a did:key: the
    # signature is sound, yet nothing binds that key to the named issuer.
    result = verify_document(_load("simple-did-key-method.json"), Resolver(offline=True), now=NOW)
    v = _verdict(result)
    assert v["proof"] == "pass" and v["issuer"] == "fail"
    assert not result.verified


@pytest.mark.parametrize("name, check, words", [
    ("simple-err-proof-value.json", "proof", "does not match"),
    ("simple-err-proof-method.json", "issuer", "cannot be resolved"),
    ("simple-err-type.json", "proof", "cannot be checked"),
    ("simple-err-context.json", "format", "the first @context must be"),
    ("simple-err-expired.json", "dates", "expired on 2010-01-01"),
    ("simple-err-issued.json", "dates", "not valid yet"),
    ("simple-noproof.json", "proof", "not signed"),
])
def test_negative_samples_fail_for_the_right_reason(name, check, words):
    doc = _load(name)
    result = verify_document(doc, _resolver_for(doc), now=NOW)
    assert not result.verified
    failed = next(c for c in result.checks if c.name == check)
    assert failed.status == "fail" and words in failed.message, result.checks


@pytest.mark.parametrize("name", ["bsl-credential-status-revoked.json", "bsl-credential-status-revoked-blank-nodes.json"])
def test_bitstring_status_list_revoked(name):
    doc = _load(name)
    status_list = _load("bsl-testlist.json")
    extra = {doc["credentialStatus"]["statusListCredential"]: status_list}
    resolver = _resolver_for(doc, extra)
    # The list is signed by the same (test-served) controller.
    resolver_list = _resolver_for(status_list, extra)
    resolver.fetch = lambda url, a=resolver.fetch, b=resolver_list.fetch: _either(a, b, url)
    result = verify_document(doc, resolver, now=NOW)
    v = _verdict(result)
    assert v["proof"] == "pass" and v["status"] == "fail", result.checks
    assert "revoked" in next(c.message for c in result.checks if c.name == "status")
    assert not result.verified


def _either(a, b, url):
    try:
        return a(url)
    except Unavailable:
        return b(url)


def test_offline_status_is_not_checked_never_pass():
    doc = _load("bsl-credential-status-revoked.json")
    resolver = _resolver_for(doc)
    resolver.offline = False
    result = verify_document(doc, resolver, now=NOW)
    status = next(c for c in result.checks if c.name == "status")
    assert status.status == "skipped" and "not checked" in status.message


def test_w3c_vectors_signature_valid_issuer_not_bound():
    for path in (VECTORS / "vc-di-eddsa" / "TestVectors" / "eddsa-rdfc-2022" / "signedDataInt.json",
                 VECTORS / "vc-di-eddsa" / "TestVectors" / "eddsa-jcs-2022" / "signedJCS.json"):
        result = verify_document(json.loads(path.read_text()), Resolver(offline=True), now=NOW)
        v = _verdict(result)
        # The vectors' issuer is https://vc.example/issuers/5678, the key a did:key: not bound.
        assert v["proof"] == "pass" and v["issuer"] == "fail"


@pytest.mark.parametrize("doc, words", [
    ([1, 2, 3], "expected a JSON object"),
    ({"hello": "world"}, '"type" must include "VerifiableCredential"'),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}, '"issuer" is missing'),
])
def test_not_a_credential(doc, words):
    result = verify_document(doc, Resolver(offline=True), now=NOW)
    assert not result.verified and words in result.checks[0].message


def test_unknown_cryptosuite_and_context():
    doc = _load("simple.json")
    doc["proof"][0]["cryptosuite"] = "ecdsa-foo-2099"
    result = verify_document(doc, _resolver_for(doc), now=NOW)
    # Unsupported is "not checked" (as in verifier-js), never a verdict on the signature.
    assert not result.verified and result.checks[1].status == "skipped" and "not supported" in result.checks[1].message
    doc = _load("simple.json")
    doc["@context"].append("https://example.org/not-bundled/v1")
    result = verify_document(doc, _resolver_for(doc), now=NOW)
    assert not result.verified and "not available offline" in result.checks[1].message


@pytest.mark.parametrize("cryptosuite", [["eddsa-rdfc-2022"], {"name": "eddsa-rdfc-2022"}, None])
def test_a_cryptosuite_that_is_not_a_name_is_not_checked_not_a_crash(cryptosuite):
    doc = _load("simple.json")
    doc["proof"][0]["cryptosuite"] = cryptosuite
    result = verify_document(doc, _resolver_for(doc), now=NOW)
    assert not result.verified and result.check("proof").status == "skipped"
    assert "not supported (credpub checks eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020)" in result.check("proof").message


# ---------------------------------------------------------------- hostile input


SITE_BASE = "https://baltic-precision.github.io/credentials/"
SITE_DID = "did:web:baltic-precision.github.io:credentials"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from credpub.build.pipeline import BuildOptions, build

    import shutil

    root = tmp_path_factory.mktemp("verify-site")
    shutil.copytree(REPO / "content", root / "content")
    f = root / "content" / "achievements" / "cnc-five-axis.yml"  # one encrypted claim layer
    f.write_text(f.read_text().replace("claim_security: link", "claim_security: encrypted"))
    build(context(root / "content", keys=Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(32))), b"\x42" * 32)), BuildOptions(root / "site"))
    return root / "site"


@pytest.fixture(scope="module")
def site_credential(site) -> dict:
    docs = (json.loads(f.read_text()) for f in sorted((site / "c").glob("*/credential.json")))
    return next(d for d in docs if "VerifiableCredential" in d.get("type", []))


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command, in a subprocess: what a user sees, tracebacks included."""
    return subprocess.run([sys.executable, "-m", "credpub", *args], capture_output=True, text=True, timeout=60, cwd=cwd)


def _did_key_signed(doc: dict, *, issuer: str | None = None) -> tuple[dict, str]:
    """`doc` re-signed with a fresh did:key (an attacker's key); issuer set to that DID unless given."""
    key = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization

    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    did = f"did:key:{multikey_from_public(raw)}"
    doc = {k: v for k, v in doc.items() if k != "proof"}
    doc["issuer"] = dict(doc["issuer"], id=issuer or did) if isinstance(doc["issuer"], dict) else (issuer or did)
    return sign(doc, key, verification_method=f"{did}#{did[len('did:key:'):]}", created="2026-10-01T00:00:00Z"), did


# A foreign issuer, even one naming itself as this site's issuer

def test_cli_with_site_says_first_that_a_foreign_did_key_credential_is_not_this_sites(site, site_credential, tmp_path):
    forged, did = _did_key_signed(site_credential)  # keeps the site's issuer name and badge URLs
    assert forged["issuer"]["name"] == site_credential["issuer"]["name"]
    f = tmp_path / "forged.json"
    f.write_text(json.dumps(forged))
    out = _cli("verify", str(f), "--site", str(site))
    lines = out.stdout.splitlines()
    name = site_credential["issuer"]["name"]
    assert lines[0] == f"Signature valid — but NOT issued by {name}: issuer is {did}; its name is self-declared"
    assert "NOT ISSUED BY THIS SITE" in out.stdout and "VERIFIED" not in out.stdout.replace("NOT ISSUED", "")
    assert out.returncode == 1
    as_json = json.loads(_cli("verify", str(f), "--site", str(site), "--json").stdout)
    assert as_json["issued_by_site"] is False and as_json["notice"] == lines[0]
    # the site's own credential carries no such notice
    own = tmp_path / "own.json"
    own.write_text(json.dumps(site_credential))
    mine = _cli("verify", str(own), "--site", str(site))
    assert mine.returncode == 0 and "NOT issued" not in mine.stdout and mine.stdout.strip().endswith("VERIFIED")


# Dot segments and escaped separators never reach the disk

@pytest.mark.parametrize("did", [
    "did:web:example.org:a:..:..", "did:web:example.org:a:.", "did:web:example.org:%2e%2e",
    "did:web:example.org:a%2Fb", "did:web:example.org:a%5C..", "did:web:example.org::x", "did:web:ex ample.org",
])
def test_did_web_with_dot_segments_or_separators_is_refused(did):
    with pytest.raises(ValueError):
        did_web_to_url(did)


def test_a_did_climbing_out_of_the_site_is_not_resolved(site, site_credential, tmp_path, monkeypatch):
    """did:web:<site>:x:..:.. used to map onto <site>/../did.json: a document outside the site."""
    evil_did = f"{SITE_DID}:x:..:.."
    key = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization

    mk = multikey_from_public(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    outside = site.parent / "did.json"
    outside.write_text(json.dumps({"id": evil_did, "verificationMethod": [
        {"id": f"{evil_did}#{mk}", "type": "Multikey", "controller": evil_did, "publicKeyMultibase": mk}],
        "assertionMethod": [f"{evil_did}#{mk}"]}))
    doc = {k: v for k, v in site_credential.items() if k not in ("proof", "credentialStatus")}
    doc["issuer"] = dict(doc["issuer"], id=evil_did)
    forged = sign(doc, key, verification_method=f"{evil_did}#{mk}", created="2026-10-01T00:00:00Z")
    read: list[Path] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (read.append(self), real_read(self))[1])
    result = verify_document(forged, Resolver(site))
    assert outside not in read and not any(".." in p.parts for p in read), read
    assert not result.verified
    assert result.check("issuer").status == "fail" and "invalid path segment" in result.check("issuer").message


@pytest.mark.parametrize("url", [
    SITE_BASE + "status/../../../../../etc/passwd", SITE_BASE + "status/%2e%2e/%2e%2e/etc/passwd",
    SITE_BASE + "status/..%2F..%2Fetc/passwd", SITE_BASE + "./status/1.json", SITE_BASE + "status//1.json",
])
def test_status_urls_with_dot_segments_are_refused_not_read(site, site_credential, url, monkeypatch):
    read: list[Path] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (read.append(self), real_read(self))[1])
    resolver = Resolver(site)
    read.clear()
    with pytest.raises(Unavailable, match="refused"):
        resolver.get_json(url)
    assert read == []
    doc = dict(site_credential)
    doc["credentialStatus"] = dict(site_credential["credentialStatus"], statusListCredential=url)
    status = verify_document(doc, resolver).check("status")
    assert status.status != "pass" and "refused" in status.message
    assert read == [] or all(p.name == "did.json" for p in read)


# Decompression bombs stop at the browser's cap, fast

def _png_with_itxt(text: bytes, *, compressed: bool) -> bytes:
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    data = b"openbadgecredential\0" + (b"\1\0" if compressed else b"\0\0") + b"\0\0" + text
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))
    return png[:33] + chunk + png[33:]


def test_png_itxt_bomb_is_refused_at_the_cap(tmp_path):
    bomb = zlib.compress(b" " * (rules.MAX_INFLATE * 16), 9)  # 64 MB of spaces in ~65 KB
    assert len(bomb) < 100_000
    f = tmp_path / "bomb.png"
    f.write_bytes(_png_with_itxt(bomb, compressed=True))
    data = f.read_bytes()
    tracemalloc.start()
    with pytest.raises(bake.BakeError, match="more than 4 MB"):
        bake.extract(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"{peak} bytes: inflated past the 4 MB cap"  # never the 64 MB
    out = _cli("verify", str(f))
    assert out.returncode == 2 and "more than 4 MB" in out.stderr and "Traceback" not in out.stderr


def test_ztxt_and_status_list_bombs_are_refused():
    bomb = zlib.compress(b"\0" * (rules.MAX_INFLATE + 1), 9)
    data = b"openbadgecredential\0\0" + bomb
    png = _png_with_itxt(b"", compressed=False)
    ztxt = struct.pack(">I", len(data)) + b"zTXt" + data + struct.pack(">I", zlib.crc32(b"zTXt" + data))
    with pytest.raises(bake.BakeError, match="more than 4 MB"):
        bake.extract(png[:33] + ztxt + png[33:])
    with pytest.raises(rules.InputRefused, match="more than 4 MB"):
        statuslist.decode_gzip(gzip.compress(b"\0" * (rules.MAX_INFLATE + 1)))
    assert len(statuslist.decode_gzip(gzip.compress(b"\0" * rules.MAX_INFLATE))) == rules.MAX_INFLATE


def test_the_cap_is_the_one_the_browser_reads():
    shared = json.loads((REPO / "builder" / "credpub" / "data" / "verifier.json").read_text())
    assert rules.MAX_INFLATE == shared["maxInflateBytes"] == 4 * 1024 * 1024
    js = (REPO / "verifier-js" / "src" / "verify" / "rules.js").read_text()
    assert "verifier.json" in js


# Malformed input → exit 2, one line, no traceback

def _status_list_not_json_site(site: Path, tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "status" / "1.json").write_text("<html>not json</html>")
    return copy


@pytest.mark.parametrize("case", ["deep-json", "deep-json-in-rdf", "truncated-png", "bad-zlib", "status-not-json", "not-utf8"])
def test_malformed_input_is_one_line_and_exit_2(case, site, site_credential, tmp_path):
    args: list[str] = []
    f = tmp_path / "input"
    if case == "deep-json":
        f.write_text("[" * 100_000 + "]" * 100_000)
    elif case == "deep-json-in-rdf":
        doc = dict(site_credential)
        nested: dict = {"x": "y"}
        for _ in range(rules.MAX_JSON_DEPTH + 5):
            nested = {"name": nested}
        doc["credentialSubject"] = dict(doc["credentialSubject"], evidence=nested)
        f.write_text(json.dumps(doc))
    elif case == "truncated-png":
        good = _png_with_itxt(b'{"a": 1}', compressed=False)
        f.write_bytes(good[:33 + 12 + 20])
    elif case == "bad-zlib":
        f.write_bytes(_png_with_itxt(b"\x78\x9c not zlib at all", compressed=True))
    elif case == "status-not-json":
        f.write_text(json.dumps(site_credential))
        args = ["--site", str(_status_list_not_json_site(site, tmp_path))]
    elif case == "not-utf8":
        f.write_bytes(b'{"a": "\xff\xfe"}')
    out = _cli("verify", str(f), *(args or ["--offline"]))
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert out.stderr.startswith("error: ")


def test_recursion_in_the_canonicalizer_is_a_failed_proof_not_a_crash(site, site_credential):
    """Below the depth limit, the RDF canonicalizer still recurses per level: should Python's
    stack run out (a lower limit here), the proof check fails with a reason; nothing is raised."""
    nested: dict = {"https://example.org/p": "y"}
    for _ in range(150):
        nested = {"https://example.org/p": nested}
    doc = dict(site_credential, credentialSubject=dict(site_credential["credentialSubject"], **{"https://example.org/q": nested}))
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        result = verify_document(doc, Resolver(site))
    finally:
        sys.setrecursionlimit(old)
    assert result.check("proof").status == "fail" and "nested too deeply" in result.check("proof").message


# Untrusted text cannot paint the terminal

def test_escape_and_cr_in_the_issuer_id_are_not_printed(site, site_credential, tmp_path):
    hostile = "did:key:z6Mk\x1b[2K\x0d\x1b[32m\u2713VERIFIED\x1b[0m\u202e\x9b"
    doc = dict(site_credential, issuer=dict(site_credential["issuer"], id=hostile))
    f = tmp_path / "hostile.json"
    f.write_text(json.dumps(doc))
    out = _cli("verify", str(f), "--site", str(site))
    for ch in ("\x1b", "\r", "\u202e", "\x9b"):
        assert ch not in out.stdout and ch not in out.stderr
    assert "\ufffd[32m\u2713VERIFIED" in out.stdout  # shown, defused
    assert out.returncode == 1
    assert rules.printable("a\x1b[31mb\x9bc\u2066d\re") == "a\ufffd[31mb\ufffdc\ufffdd\ufffde"


# A local build is a snapshot, said the same way as on the page

def test_status_from_a_local_build_says_snapshot_not_live(site, site_credential, tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps(site_credential))
    out = json.loads(_cli("verify", str(f), "--site", str(site), "--json").stdout)
    status = next(c for c in out["checks"] if c["name"] == "status")
    date = json.loads((site / "status" / "1.json").read_text())["validFrom"][:10]
    assert status == {"name": "status", "status": "pass", "snapshot": True,
                      "message": f"not revoked as of {date} (snapshot in the site folder {site}, not live)"}


# Encrypted claims are named as such; bake refuses what is not a credential

def _envelope(site: Path) -> Path:
    for f in (site / "c").glob("*/credential.json"):
        if json.loads(f.read_text()).get("type") == "credpub-encrypted-claim":
            return f
    raise AssertionError("no encrypted claim in the demo build")


def test_verify_names_an_encrypted_claim(site):
    out = _cli("verify", str(_envelope(site)), "--offline")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "encrypted claim" in out.stderr and "#k=" in out.stderr and "@context" not in out.stderr


def test_bake_refuses_an_encrypted_claim_and_a_non_image(site, site_credential, tmp_path):
    badge = next((site / "achievements").glob("*/badge.png"))
    out = tmp_path / "out.png"
    refused = _cli("bake", str(_envelope(site)), str(badge), str(out))
    assert refused.returncode != 0 and "encrypted claim" in refused.stderr and "Traceback" not in refused.stderr
    assert not out.exists()
    cred = tmp_path / "c.json"
    cred.write_text(json.dumps(site_credential))
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    not_image = _cli("bake", str(cred), str(text), str(out))
    assert not_image.returncode == 2 and "not a PNG or SVG" in not_image.stderr and "Traceback" not in not_image.stderr
    assert len(not_image.stderr.strip().splitlines()) == 1 and not out.exists()
    ok = _cli("bake", str(cred), str(badge), str(out))
    assert ok.returncode == 0 and json.loads(bake.extract(out.read_bytes())) == site_credential


# MIT DCC's verifier-core as a second independent verifier

@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_dcc_verifier_core_checks_every_credential_of_a_build_offline(tmp_path):
    """@digitalcredentials/verifier-core (VerifierPlus, Learner Credential Wallet) over every
    readable credential of a demo build, offline: signatures valid, expiry and revocation as
    built, and the registry check "unknown issuer" (verifier-js/test/dcc.test.js)."""
    import os
    import shutil as sh

    from credpub.build.pipeline import BuildOptions, build

    js = REPO / "verifier-js"
    if not (js / "node_modules" / "@digitalcredentials" / "verifier-core").is_dir():
        if os.environ.get("CI"):
            pytest.fail("verifier-js/node_modules is missing: `make test` runs npm ci first")
        pytest.skip("run `npm ci` in verifier-js to enable the DCC check")
    content = tmp_path / "content"
    sh.copytree(REPO / "content", content)
    f = content / "achievements" / "gd-and-t-basics.yml"  # expired by now: one day of validity
    f.write_text(f.read_text().replace("valid_for: P5Y", "valid_for: P1D"))
    out = tmp_path / "site"
    build(context(content, keys=Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(32))), b"\x42" * 32)), BuildOptions(out))
    creds = [json.loads(p.read_text()) for p in sorted(out.glob("[cs]/*/credential.json"))]
    creds = [c for c in creds if "VerifiableCredential" in c.get("type", [])]
    lists = {f"{SITE_BASE}status/{p.name}": json.loads(p.read_text()) for p in (out / "status").glob("*.json")}

    def bit(c: dict) -> bool:
        e = c["credentialStatus"]
        return statuslist.get_bit(statuslist.decode(lists[e["statusListCredential"]]["credentialSubject"]["encodedList"]),
                                  int(e["statusListIndex"]))

    revoked = sorted(c["id"] for c in creds if bit(c))
    expired = [c for c in creds if c.get("validUntil") and c["validUntil"] < dt.datetime.now(dt.timezone.utc).isoformat()]
    assert revoked and expired, "the build should hold revoked and expired credentials"
    env = {**os.environ, "CREDPUB_SITE": str(out), "CREDPUB_EXPECT_REVOKED": ",".join(revoked)}
    proc = subprocess.run(["node", "--test", "test/dcc.test.js"], cwd=js, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "# pass 1" in proc.stdout and "# skipped 0" in proc.stdout, proc.stdout[-2000:]
    n = len(creds)
    assert (f"DCC verifier-core: {n} credentials; signature valid {n}; not expired {n - len(expired)}; "
            f"revoked {len(revoked)}, not revoked {n - len(revoked)}; unknown issuer {n}") in proc.stdout, proc.stdout[-2000:]


def test_the_package_is_the_verifiers_api():
    """The CLI, doctor and the tests import from credpub.verify, not from its modules."""
    import credpub.verify as verify

    for name in ("MAX_FETCH", "Resolver", "Unavailable", "SiteFileError", "Check", "Result",
                 "load_input", "verify_document", "foreign_issuer_notice"):
        assert name in verify.__all__ and getattr(verify, name)


# URLs that are not URLs, plain http on this machine, and pages given for credentials

def test_a_status_url_with_a_space_is_a_failed_status_check_not_a_traceback(site, site_credential, tmp_path):
    for url, words in (("https://exa mple.org/status/1.json", "it contains a space"),
                       ("https://example.org/sta tus/1.json", "it contains a space"),
                       ("https://example.org:99999/status/1.json", "its port is not a number")):
        doc = dict(site_credential, credentialStatus=dict(site_credential["credentialStatus"], statusListCredential=url))
        f = tmp_path / "status-url.json"
        f.write_text(json.dumps(doc))
        out = _cli("verify", str(f), "--site", str(site))  # the DID from the site; the list is not in it
        assert "Traceback" not in out.stderr and out.returncode == 1, out.stderr
        assert f"✗ status  the status entry's list URL {json.dumps(url)} is not a valid URL: {words}" in out.stdout


@pytest.mark.parametrize("url", ["https://exa mple.org/s/x/", "https://example.org:99999/s/x/credential.json"])
def test_a_url_to_verify_that_is_not_one_is_one_line_and_exit_2(url):
    out = _cli("verify", url)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "not a valid URL" in out.stderr
    assert out.stderr.count(url.split("#")[0][:20]) == 1  # the URL named once


def test_verify_fetches_plain_http_on_this_machine_as_doctor_does(site, site_credential):
    from tests.verify.test_fetch import Hostile, _json

    with Hostile({"/s/x/credential.json": _json(site_credential)}) as host:
        out = _cli("verify", f"{host.base}s/x/", "--site", str(site))
    assert out.returncode == 0 and out.stdout.strip().endswith("VERIFIED"), (out.stdout, out.stderr)
    refused = _cli("verify", "http://example.org/s/x/")
    assert refused.returncode == 2 and "only https URLs are fetched" in refused.stderr


def test_a_page_of_the_site_given_to_verify_names_the_credential_beside_it(site, tmp_path):
    page = next((site / "s").glob("*/index.html"))
    out = _cli("verify", str(page), "--offline")
    assert out.returncode == 2 and "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert f"{page} is a page, not a credential: verify the credential beside it, {page.parent / 'credential.json'}" in out.stderr
    assert "PNG" not in out.stderr
    loose = tmp_path / "saved.html"
    loose.write_text("<!DOCTYPE html><html><body>a saved page</body></html>")
    other = _cli("verify", str(loose), "--offline")
    assert other.returncode == 2 and "is a web page, not a credential" in other.stderr and "credential.json" in other.stderr
