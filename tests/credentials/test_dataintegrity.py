"""dataintegrity.py: the W3C vc-di-eddsa vectors and the OB implementation-guide vector,
byte for byte; round trips; every single-field change fails; undefined terms are refused."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import subprocess

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub import clock
from credpub.credentials.canon import jcs
from credpub.credentials.dataintegrity import (
    SIGNING, SUITES as SUITE_TABLE, Canonicalizer, hash_data, sign, suite_for, suite_of, supported_names, verify_signature,
)
from credpub.errors import SigningError
from credpub.credentials.keys import multikey_from_public, public_from_multikey

from tests.conftest import VECTORS, shared

TV = VECTORS / "vc-di-eddsa" / "TestVectors"
KEYPAIR = json.loads((TV / "keyPair.json").read_text())
SEED = base58.b58decode(KEYPAIR["privateKeyMultibase"][1:])[2:]
W3C_KEY = Ed25519PrivateKey.from_private_bytes(SEED)
W3C_PUB = public_from_multikey(KEYPAIR["publicKeyMultibase"])
UNSIGNED = json.loads((TV / "unsigned.json").read_text())

SUITES = {
    "eddsa-rdfc-2022": ("eddsa-rdfc-2022", "DataInt"),
    "eddsa-jcs-2022": ("eddsa-jcs-2022", "JCS"),
}


def _text(suite: str, name: str) -> str:
    folder, tag = SUITES[suite]
    return (TV / folder / f"{name}{tag}.txt").read_text("utf-8")


def _expected_signed(suite: str) -> dict:
    folder, tag = SUITES[suite]
    name = "signedDataInt.json" if tag == "DataInt" else "signedJCS.json"
    return json.loads((TV / folder / name).read_text())


@pytest.mark.parametrize("suite", SUITES)
def test_w3c_vector_canonical_forms_and_hashes(suite):
    canon = Canonicalizer.offline()
    proof = {k: v for k, v in _expected_signed(suite)["proof"].items() if k != "proofValue"}
    if suite == "eddsa-rdfc-2022":
        doc_bytes = canon.rdfc(UNSIGNED)
        cfg_bytes = canon.rdfc({**proof, "@context": UNSIGNED["@context"]})
    else:
        doc_bytes, cfg_bytes = jcs(UNSIGNED), jcs(proof)
    assert doc_bytes.decode() == _text(suite, "canonDoc")
    assert cfg_bytes.decode() == _text(suite, "proofCanon")
    assert hashlib.sha256(doc_bytes).hexdigest() == _text(suite, "docHash").strip()
    assert hashlib.sha256(cfg_bytes).hexdigest() == _text(suite, "proofHash").strip()
    assert hash_data(UNSIGNED, proof, canon).hex() == _text(suite, "combinedHash").strip()


@pytest.mark.parametrize("suite", SUITES)
def test_w3c_vector_signature_byte_for_byte(suite):
    expected = _expected_signed(suite)
    p = expected["proof"]
    signed = sign(UNSIGNED, W3C_KEY, verification_method=p["verificationMethod"], created=p["created"], cryptosuite=suite)
    assert signed["proof"] == [p]  # the vectors carry proof as an object; OB 3.0 wants an array
    assert base58.b58decode(p["proofValue"][1:]).hex() == _text(suite, "sigHex").strip()
    assert p["proofValue"] == _text(suite, "sigBTC58").strip()
    assert verify_signature(expected, p, W3C_PUB)


def test_multikey_encoding_of_the_w3c_key():
    raw = W3C_KEY.public_key().public_bytes_raw()
    assert multikey_from_public(raw) == KEYPAIR["publicKeyMultibase"]
    assert raw.hex() == "b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f"


def test_ob_implementation_guide_vector():
    path = shared("ob-v3p0-impl-guide", "ob-eddsa-rdfc-2022-vector.json")
    v = json.loads(path.read_text())
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(v["keyPair"]["privateKeyHex_seedPlusPublic64"])[:32])
    assert multikey_from_public(key.public_key().public_bytes_raw()) == v["keyPair"]["publicKeyMultibase"]
    canon = Canonicalizer.offline()
    doc_canon = canon.rdfc(v["unsignedCredential"])
    assert doc_canon.decode() == (path.parent / v["documentCanonFile"]).read_text("utf-8")
    assert hashlib.sha256(doc_canon).hexdigest() == v["documentHashHex"]
    opts = v["proofOptions"]
    assert hash_data(v["unsignedCredential"], opts, canon).hex() == v["dataToSignHex"]
    signed = sign(v["unsignedCredential"], key, verification_method=opts["verificationMethod"],
                  created=opts["created"], cryptosuite="eddsa-rdfc-2022")
    assert signed["proof"][0]["proofValue"] == v["proofValue"]


def test_refuses_a_term_no_context_defines():
    doc = copy.deepcopy(UNSIGNED)
    doc["@context"] = ["https://www.w3.org/ns/credentials/v2"]  # no @vocab: examples terms undefined
    doc["credentialSubject"] = {"id": "did:example:1", "favouriteColour": "blue"}
    with pytest.raises(SigningError, match="favouriteColour"):
        sign(doc, W3C_KEY, verification_method="did:key:x#y", created="2024-01-01T00:00:00Z")


def test_refuses_an_undefined_type():
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "MadeUpCredential"],
           "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2"}}
    with pytest.raises(SigningError, match="MadeUpCredential"):
        sign(doc, W3C_KEY, verification_method="did:key:x#y", created="2024-01-01T00:00:00Z")


def test_refuses_unknown_context_offline():
    doc = {**UNSIGNED, "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/unknown/v1"]}
    with pytest.raises(SigningError, match="expansion failed"):
        sign(doc, W3C_KEY, verification_method="did:key:x#y", created="2024-01-01T00:00:00Z")


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaf_paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaf_paths(v, path + (i,))
    else:
        yield path


def _mutate(doc, path):
    out = copy.deepcopy(doc)
    target = out
    for p in path[:-1]:
        target = target[p]
    old = target[path[-1]]
    if isinstance(old, bool):
        target[path[-1]] = not old
    elif isinstance(old, (int, float)):
        target[path[-1]] = old + 1
    elif isinstance(old, str) and old.startswith(("http", "did:", "urn:")):
        target[path[-1]] = old + "x"
    else:
        target[path[-1]] = f"{old}!"
    return out


@pytest.mark.parametrize("suite", SUITES)
def test_every_single_field_change_fails(suite, keys, tmp_path):
    """The tamper matrix on a real credential of the demo issuer."""
    from credpub.content.load import load_content
    from credpub.build.plan import make_plan
    from credpub.build.sign import sign_all

    from tests.conftest import REPO

    content, errors = load_content(REPO / "content")
    assert not errors and content is not None
    import dataclasses

    content = dataclasses.replace(content, site=dataclasses.replace(content.site, cryptosuite=suite))
    signed = sign_all(make_plan(content, keys, clock.today()), keys)
    cred = next(s.credential for s in signed.awards if s.planned.award.grade)
    pub = keys.signing_key.public_key().public_bytes_raw()
    proof = cred["proof"][0]
    assert verify_signature(cred, proof, pub)
    canon = Canonicalizer.offline()
    paths = [p for p in _leaf_paths({k: v for k, v in cred.items() if k != "proof"})]
    assert len(paths) > 40
    for path in paths:
        changed = _mutate(cred, path)
        try:
            ok = verify_signature(changed, changed["proof"][0], pub, canon)
        except SigningError:
            ok = False  # e.g. a changed @context or type no context defines: refused outright
        assert not ok, f"changing {'.'.join(map(str, path))} was not detected"
    for field in ("created", "verificationMethod", "proofPurpose", "cryptosuite"):
        changed = copy.deepcopy(cred)
        changed["proof"][0][field] = _mutate(changed["proof"][0], (field,))[field]
        try:
            ok = verify_signature(changed, changed["proof"][0], pub, canon)
        except SigningError:
            ok = False
        assert not ok, f"changing proof.{field} was not detected"


# ---------------------------------------------------------------- the table of suites


def test_one_table_names_the_suites_everywhere():
    """site.yml's choices, the verifier's message and the browser's table are the same suites,
    read from verifier.json's one list; no suite name is written in the browser's code."""
    from credpub.content.load import CRYPTOSUITES
    from credpub.rules import CRYPTOSUITES as SHARED
    from credpub.verify.proof import SUPPORTED
    from tests.conftest import REPO

    assert list(SUITE_TABLE) == list(SHARED)
    assert CRYPTOSUITES == SIGNING == ("eddsa-rdfc-2022", "eddsa-jcs-2022")
    assert SUPPORTED == supported_names() == "eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020"
    src = REPO / "verifier-js" / "src"
    js = subprocess.run(["node", "--input-type=module", "-e",
                         f"import {{SUPPORTED}} from {json.dumps((src / 'crypto' / 'dataintegrity.js').as_uri())};"
                         "process.stdout.write(SUPPORTED)"], capture_output=True, text=True, check=True).stdout
    assert js == SUPPORTED
    for path in src.rglob("*.js"):
        assert not re.search(r"['\"](eddsa-(rdfc|jcs)-2022|eddsa-2022)['\"]", path.read_text()), path


@pytest.mark.parametrize("name", list(SUITE_TABLE))
def test_every_suite_of_the_table_verifies_what_it_signs(name):
    suite, canon = SUITE_TABLE[name], Canonicalizer.offline()
    proof = suite.new_proof(UNSIGNED, created="2024-01-01T00:00:00Z", verification_method="did:key:x#y")
    assert proof["type"] == suite.proof_type and suite_of(proof) == name and suite_for(proof) is suite
    proof["proofValue"] = "z" + base58.b58encode(W3C_KEY.sign(hash_data(UNSIGNED, proof, canon))).decode()
    signed = {**UNSIGNED, "proof": [proof]}
    assert verify_signature(signed, proof, W3C_PUB, canon)
    tampered = {**signed, "validFrom": "2025-01-01T00:00:00Z"}
    assert not verify_signature(tampered, proof, W3C_PUB, canon)
    if suite.alias_of:  # an older name canonicalizes as the suite it names
        assert type(suite) is type(SUITE_TABLE[suite.alias_of])


def test_rdfc_suites_sign_the_same_document_bytes_and_jcs_others():
    canon = Canonicalizer.offline()
    doc_hashes = {}
    for name, suite in SUITE_TABLE.items():
        proof = suite.new_proof(UNSIGNED, created="2024-01-01T00:00:00Z", verification_method="did:key:x#y")
        doc_hashes[name] = hash_data(UNSIGNED, proof, canon)[32:]
    assert doc_hashes["eddsa-rdfc-2022"] == doc_hashes["eddsa-2022"] == doc_hashes["Ed25519Signature2020"]
    assert doc_hashes["eddsa-rdfc-2022"] == hashlib.sha256(canon.rdfc(UNSIGNED)).digest()
    assert doc_hashes["eddsa-jcs-2022"] == hashlib.sha256(jcs(UNSIGNED)).digest()


@pytest.mark.parametrize("cryptosuite", [*(n for n, s in SUITE_TABLE.items() if not s.signs), "ecdsa-rdfc-2019", ["eddsa-rdfc-2022"]])
def test_credpub_signs_only_with_its_signing_suites(cryptosuite):
    with pytest.raises(SigningError, match="use one of eddsa-rdfc-2022, eddsa-jcs-2022"):
        sign(UNSIGNED, W3C_KEY, verification_method="did:key:x#y", created="2024-01-01T00:00:00Z", cryptosuite=cryptosuite)


@pytest.mark.parametrize("proof", [
    {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019"},
    {"type": "DataIntegrityProof", "cryptosuite": ["eddsa-rdfc-2022"]},  # not a name: never looked up
    {"type": "DataIntegrityProof"},
    {"type": "MerkleProof2019"},
    {"type": "DataIntegrityProof", "cryptosuite": "Ed25519Signature2020"},  # that suite has a type of its own
    {},
])
def test_a_proof_of_no_known_suite_is_refused_not_guessed(proof):
    assert suite_for(proof) is None
    with pytest.raises(SigningError, match="unsupported cryptosuite"):
        hash_data(UNSIGNED, proof, Canonicalizer.offline())
