"""Verification, the checks of SPEC "Verification", each reported separately:

format → proof → issuer → dates → status. A verifier returns, it does not throw: anything that
goes wrong becomes a failed (or, where it could not be done, skipped) check with a message.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import statuslist
from .dataintegrity import ED25519_2020, LEGACY_RDFC, SUITES, Canonicalizer, proofs_of, suite_of, verify_signature
from .did import did_web_to_url
from .contexts import OFFLINE_MESSAGE
from .errors import CredpubError
from .keys import public_from_multikey

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
MAX_FETCH = 4 * 1024 * 1024


class Unavailable(Exception):
    """A document could not be had: offline, not found, or unreachable."""


class KeyNotIssuers(Exception):
    """The controller document exists but does not let this key sign credentials."""


@dataclass
class Check:
    name: str
    status: str  # pass | fail | skipped
    message: str
    fatal: bool = field(default=True, repr=False, compare=False)  # a failed format check stops the rest

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "status": self.status, "message": self.message}


@dataclass
class Result:
    checks: list[Check] = field(default_factory=list)
    credential: Any = None

    @property
    def verified(self) -> bool:
        by_name = {c.name: c.status for c in self.checks}
        return (all(c.status != "fail" for c in self.checks)
                and by_name.get("proof") == "pass" and by_name.get("issuer") == "pass")

    def as_dict(self) -> dict[str, Any]:
        return {"verified": self.verified, "checks": [c.as_dict() for c in self.checks]}


class Resolver:
    """Fetches DID documents and status lists: from a local build (--site), else over HTTPS
    unless offline. `fetch` is injected so that tests never touch the network."""

    def __init__(self, site_dir: Path | None = None, *, offline: bool = False,
                 fetch: Callable[[str], bytes] | None = None) -> None:
        self.offline = offline
        self.fetch = fetch or _https_get
        self.local: dict[str, Path] = {}
        if site_dir is not None:
            for did_path in ("did.json", ".well-known/did.json"):
                p = site_dir / did_path
                if p.is_file():
                    did = json.loads(p.read_text("utf-8"))["id"]
                    base = did_web_to_url(did)[: -len(did_path)]
                    self.local[base] = site_dir

    @property
    def has_local(self) -> bool:
        return bool(self.local)

    def get_json(self, url: str) -> Any:
        url = url.split("#")[0]
        for base, root in self.local.items():
            if url.startswith(base):
                p = root / url[len(base):]
                if not p.is_file():
                    raise Unavailable(f"{url} is not in the local site {root}")
                return json.loads(p.read_text("utf-8"))
        if self.offline:
            raise Unavailable("offline")
        if not url.startswith("https://"):
            raise Unavailable(f"only https URLs are fetched, not {url!r}")
        try:
            return json.loads(self.fetch(url))
        except Unavailable:
            raise
        except (OSError, ValueError) as e:
            raise Unavailable(f"{url}: {e}") from None


def _https_get(url: str) -> bytes:
    req = urllib.request.Request(url, headers={"Accept": "application/json, application/did+json"})
    with urllib.request.urlopen(req, timeout=10) as r:  # noqa: S310 (https only, checked above)
        data = r.read(MAX_FETCH + 1)
    if len(data) > MAX_FETCH:
        raise Unavailable(f"{url}: larger than {MAX_FETCH} bytes")
    return data


def _id_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def _types(doc: Any) -> list[str]:
    t = doc.get("type", []) if isinstance(doc, dict) else []
    return [t] if isinstance(t, str) else [x for x in t if isinstance(x, str)] if isinstance(t, list) else []


def check_format(doc: Any) -> Check:
    if not isinstance(doc, dict):
        return Check("format", "fail", "not a credential: the JSON is not an object")
    ctx = doc.get("@context")
    ctx_list = ctx if isinstance(ctx, list) else [ctx]
    if not ctx_list or ctx_list[0] not in (VC_V2, VC_V1):
        return Check("format", "fail", "not a Verifiable Credential: @context must start with the W3C credentials context")
    types = _types(doc)
    if "VerifiableCredential" not in types:
        return Check("format", "fail", "not a Verifiable Credential: type must include VerifiableCredential")
    if not _id_of(doc.get("issuer")):
        return Check("format", "fail", "the credential names no issuer id")
    subject = doc.get("credentialSubject")
    if not isinstance(subject, (dict, list)):
        return Check("format", "fail", "the credential has no credentialSubject")
    date_key = "validFrom" if ctx_list[0] == VC_V2 else "issuanceDate"
    if ctx_list[0] == VC_V2 and "validFrom" not in doc and "issuanceDate" in doc:
        return Check("format", "fail", "a VC 2.0 credential uses validFrom, not issuanceDate")
    if ctx_list[0] == VC_V2 and date_key not in doc and ("OpenBadgeCredential" in types or "AchievementCredential" in types):
        return Check("format", "fail", "an Open Badges 3.0 credential needs validFrom")
    for key in ("validFrom", "validUntil", "issuanceDate", "expirationDate"):
        if key in doc and _parse_date(doc[key]) is None:
            return Check("format", "fail", f"{key} must be a date-time with a time zone, got {doc[key]!r}", fatal=False)
    if "OpenBadgeCredential" in types or "AchievementCredential" in types:
        subj = subject if isinstance(subject, dict) else (subject[0] if subject else {})
        if not isinstance(subj, dict) or not isinstance(subj.get("achievement"), dict):
            # Still a credential: the other checks run, but it cannot pass as an Open Badge.
            return Check("format", "fail", "an Open Badges credential needs credentialSubject.achievement", fatal=False)
        kind = "Open Badges 3.0"
    else:
        kind = "Verifiable Credential"
    version = "2.0" if ctx_list[0] == VC_V2 else "1.1"
    return Check("format", "pass", f"a well-formed {kind} (VC data model {version})")


def _resolve_key(vm_id: str, resolver: Resolver) -> tuple[bytes, str]:
    """(public key, controller) of a verification method, from its controller document.

    A key is never taken from a URL fragment: the controller document is resolved and must
    list the method under assertionMethod (SPEC "Pitfalls").
    """
    controller_id = vm_id.split("#")[0]
    if controller_id.startswith("did:key:"):
        mk = controller_id[len("did:key:"):]
        if "#" in vm_id and vm_id.split("#", 1)[1] != mk:
            raise Unavailable("a did:key verification method must name its own key")
        return public_from_multikey(mk), controller_id
    if controller_id.startswith("did:web:"):
        doc = resolver.get_json(did_web_to_url(controller_id))
    elif controller_id.startswith("https://"):
        doc = resolver.get_json(controller_id)
    else:
        raise Unavailable(f"cannot resolve {controller_id!r}: credpub resolves did:key, did:web and https controllers")
    if not isinstance(doc, dict) or doc.get("id") != controller_id:
        raise Unavailable(f"the controller document at {controller_id} does not describe {controller_id}")
    methods = [m for m in doc.get("verificationMethod", []) if isinstance(m, dict)]
    assertion = doc.get("assertionMethod", [])
    methods += [m for m in assertion if isinstance(m, dict)]
    vm = next((m for m in methods if _expand_id(m.get("id"), controller_id) == vm_id), None)
    if vm is None:
        raise Unavailable(f"the issuer's document does not list the key {vm_id}")
    listed = {_expand_id(_id_of(a), controller_id) for a in assertion}
    if vm_id not in listed:
        raise KeyNotIssuers(f"the key {vm_id} is not listed under assertionMethod: it may not sign credentials")
    if vm.get("controller") != controller_id:
        raise KeyNotIssuers("the key's controller is not the document that lists it")
    mk = vm.get("publicKeyMultibase")
    if not isinstance(mk, str):
        raise Unavailable(f"the key {vm_id} has no publicKeyMultibase (unsupported key type {vm.get('type')!r})")
    return public_from_multikey(mk), controller_id


def _expand_id(value: str | None, base: str) -> str | None:
    if value and value.startswith("#"):
        return base + value
    return value


def _check_one_proof(doc: dict[str, Any], proof: dict[str, Any], resolver: Resolver, canon: Canonicalizer) -> tuple[Check, Check]:
    """(proof check, issuer check) for one supported proof."""
    issuer_id = _id_of(doc.get("issuer"))
    vm_id = _id_of(proof.get("verificationMethod"))
    if not vm_id:
        return Check("proof", "fail", "the proof names no verificationMethod"), Check("issuer", "skipped", "not checked")
    if proof.get("proofPurpose") != "assertionMethod":
        return (Check("proof", "fail", f"proofPurpose is {proof.get('proofPurpose')!r}, a credential needs assertionMethod"),
                Check("issuer", "skipped", "not checked"))
    try:
        public, controller = _resolve_key(vm_id, resolver)
    except KeyNotIssuers as e:
        return Check("proof", "skipped", "not checked: the key is not the issuer's"), Check("issuer", "fail", f"the key is not the issuer's: {e}")
    except (Unavailable, ValueError) as e:
        return (Check("proof", "skipped", "not checked: the issuer's key cannot be had"),
                Check("issuer", "fail", f"issuer key cannot be resolved: {e}"))
    try:
        ok = verify_signature(doc, proof, public, canon)
    except CredpubError as e:
        if OFFLINE_MESSAGE in str(e):
            return Check("proof", "skipped", f"not checked: {str(e).split(': ', 1)[-1]}"), Check("issuer", "skipped", "not checked")
        return Check("proof", "fail", f"the proof cannot be checked: {e}"), Check("issuer", "skipped", "not checked")
    if not ok:
        return (Check("proof", "fail", "the signature does not match: the document was changed after signing"),
                Check("issuer", "skipped", "not checked: the signature is invalid"))
    valid = Check("proof", "pass", f"valid {suite_of(proof)} signature")
    if controller != issuer_id:
        return valid, Check("issuer", "fail", f"the key is not the issuer's: it belongs to {controller}, the credential names {issuer_id}")
    return valid, Check("issuer", "pass", f"signed with a key of {issuer_id}, listed for assertions")


def check_proof_and_issuer(doc: dict[str, Any], resolver: Resolver, canon: Canonicalizer) -> list[Check]:
    """Every supported proof must hold (a bad one is never outweighed by a good one), and at
    least one must be by a key of the issuer; unsupported proofs of a set are ignored."""
    proofs = proofs_of(doc)
    if not proofs:
        return [Check("proof", "fail", "the credential is not signed (no proof)"),
                Check("issuer", "skipped", "not checked: nothing is signed")]
    supported = [p for p in proofs if suite_of(p) in (*SUITES, *LEGACY_RDFC, ED25519_2020)]
    if not supported:
        kinds = ", ".join(sorted({str(p.get("cryptosuite") or p.get("type")) for p in proofs}))
        return [Check("proof", "fail", f"unsupported proof type {kinds}: credpub checks eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020"),
                Check("issuer", "skipped", "not checked: no supported proof")]
    results = [_check_one_proof(doc, p, resolver, canon) for p in supported]
    for proof_check, issuer_check in results:
        if proof_check.status == "fail":
            return [proof_check, issuer_check]
    for proof_check, issuer_check in results:
        if proof_check.status == "pass" and issuer_check.status == "pass":
            return [proof_check, issuer_check]
    return list(next((r for r in results if r[0].status == "pass"), results[0]))


def _parse_date(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", value):
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def check_dates(doc: dict[str, Any], now: dt.datetime) -> Check:
    start_key, end_key = ("validFrom", "validUntil") if "validFrom" in doc or "issuanceDate" not in doc else ("issuanceDate", "expirationDate")
    start, end = doc.get(start_key), doc.get(end_key)
    if start is not None and _parse_date(start) is None:
        return Check("dates", "fail", f"{start_key} is not a date-time: {start!r}")
    if end is not None and _parse_date(end) is None:
        return Check("dates", "fail", f"{end_key} is not a date-time: {end!r}")
    if start is not None and _parse_date(start) > now:
        return Check("dates", "fail", f"not valid yet: valid from {start[:10]}")
    if end is not None and _parse_date(end) < now:
        return Check("dates", "fail", f"expired on {end[:10]}")
    if end is not None:
        return Check("dates", "pass", f"valid from {str(start)[:10]} until {end[:10]}")
    return Check("dates", "pass", f"valid from {str(start)[:10]}, no expiry")


def check_status(doc: dict[str, Any], resolver: Resolver, canon: Canonicalizer, now: dt.datetime) -> Check:
    status = doc.get("credentialStatus")
    if status is None:
        return Check("status", "skipped", "the credential has no status entry (cannot be revoked)")
    entries = status if isinstance(status, list) else [status]
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            kind = entry.get("type") if isinstance(entry, dict) else entry
            return Check("status", "skipped", f"not checked: unsupported status type {kind!r}")
        url = entry.get("statusListCredential")
        try:
            index = int(str(entry.get("statusListIndex")))
        except ValueError:
            return Check("status", "fail", f"statusListIndex is not a number: {entry.get('statusListIndex')!r}")
        if not isinstance(url, str):
            return Check("status", "fail", "the status entry names no statusListCredential")
        try:
            list_cred = resolver.get_json(url)
        except Unavailable as e:
            reason = "offline" if str(e) == "offline" else f"the status list cannot be fetched ({e})"
            return Check("status", "skipped", f"not checked: {reason}")
        if "BitstringStatusListCredential" not in _types(list_cred):
            return Check("status", "fail", "the status list is not a BitstringStatusListCredential")
        inner = verify_document(list_cred, resolver, now=now, canon=canon, check_status_list=False)
        if not inner.verified:
            bad = next((c for c in inner.checks if c.status == "fail"), None)
            if bad is None:  # e.g. its context is not available offline: unknown, not invalid
                why = next((c.message for c in inner.checks if c.status == "skipped"), "")
                return Check("status", "skipped", f"not checked: the status list cannot be verified ({why})")
            return Check("status", "fail", f"the status list is not valid: {bad.message}")
        foreign = _id_of(list_cred.get("issuer")) != _id_of(doc.get("issuer"))
        subject = list_cred.get("credentialSubject", {})
        purpose = entry.get("statusPurpose", "revocation")
        if subject.get("statusPurpose") != purpose:
            return Check("status", "fail", f"the status list is for {subject.get('statusPurpose')!r}, the entry for {purpose!r}")
        try:
            bits = statuslist.decode(subject.get("encodedList", ""))
            is_set = statuslist.get_bit(bits, index)
        except (ValueError, IndexError, OSError) as e:
            return Check("status", "fail", f"the status list cannot be read: {e}")
        if is_set:
            return Check("status", "fail", f"{'revoked' if purpose == 'revocation' else 'suspended'} (checked against the list of {str(list_cred.get('validFrom', ''))[:10]})")
        if foreign:
            # A list by someone else may say "revoked" (that can only hurt the holder), never "fine".
            return Check("status", "skipped", f"not checked: the status list was issued by {_id_of(list_cred.get('issuer'))}, not by the credential's issuer")
    return Check("status", "pass", "not revoked")


def verify_document(doc: Any, resolver: Resolver, *, now: dt.datetime | None = None,
                    canon: Canonicalizer | None = None, check_status_list: bool = True) -> Result:
    now = now or dt.datetime.now(dt.timezone.utc)
    canon = canon or Canonicalizer.offline()
    result = Result(credential=doc)
    fmt = check_format(doc)
    result.checks.append(fmt)
    if fmt.status == "fail" and fmt.fatal:
        for name in ("proof", "issuer", "dates", "status"):
            result.checks.append(Check(name, "skipped", "not checked: not a credential"))
        return result
    result.checks += check_proof_and_issuer(doc, resolver, canon)
    result.checks.append(check_dates(doc, now))
    if check_status_list:
        result.checks.append(check_status(doc, resolver, canon, now))
    return result


def load_input(source: str, resolver: Resolver) -> Any:
    """A credential from a file (JSON or a baked PNG/SVG) or an https URL."""
    if source.startswith("https://") or source.startswith("http://"):
        if resolver.offline and not resolver.has_local:
            raise CredpubError("cannot fetch a URL with --offline")
        url = source.split("#")[0].split("?")[0]
        if url.endswith("/"):
            url += "credential.json"  # a claim or share page: its credential sits beside it
        try:
            return resolver.get_json(url)
        except Unavailable as e:
            raise CredpubError(f"cannot fetch {url}: {e}") from None
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CredpubError(f"{source}: {e.strerror}") from None
    if len(data) > 16 * 1024 * 1024:
        raise CredpubError(f"{source}: larger than 16 MB: not a credential")
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data.lstrip()[:1] == b"<":
        from .bake import extract

        return json.loads(extract(data))
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CredpubError(f"{source}: not JSON ({e})") from None
