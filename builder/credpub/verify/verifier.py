"""Verification, the checks of SPEC "Verification", each reported separately:

format → proof → issuer → dates → status. A verifier returns, it does not throw: anything that
goes wrong becomes a failed (or, where it could not be done, skipped) check with a message.

Each check gives the same result as verifier-js/src/verify.js for the same input
(tests/corpus-expectations.json holds both to every check of every corpus file): a failed
format check does not stop the others, an unsupported proof or status type is "not checked"
with why, and the issuer binding is judged whether or not the signature holds.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from credpub import layout, rules
from credpub.credentials import statuslist
from credpub.credentials.bake import BakeError
from credpub.credentials.claimcrypto import ENVELOPE_TYPE
from credpub.credentials.contexts import OFFLINE_MESSAGE
from credpub.credentials.dataintegrity import ED25519_2020, LEGACY_RDFC, SUITES, Canonicalizer, proofs_of, suite_of, verify_signature
from credpub.credentials.did import did_web_to_url
from credpub.errors import CredpubError, UsageError
from credpub.credentials.keys import public_from_multikey

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
MAX_FETCH = 4 * 1024 * 1024
CHECK_NAMES = ("format", "proof", "issuer", "dates", "status")
SUPPORTED = "eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020"


class Unavailable(Exception):
    """A document could not be had: offline, not found, or unreachable."""


class KeyNotResolved(Exception):
    """The key behind a proof cannot be found or tied to a controller document."""


class SiteFileError(UsageError):
    """A file of the local build given with --site cannot be read: the input is broken (exit 2)."""


@dataclass
class Check:
    name: str
    status: str  # pass | fail | skipped
    message: str
    snapshot: bool = field(default=False, compare=False)  # status read from a copy, not live

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "status": self.status, "message": self.message}
        if self.snapshot:
            out["snapshot"] = True
        return out


@dataclass
class Result:
    checks: list[Check] = field(default_factory=list)
    credential: Any = None

    @property
    def verified(self) -> bool:
        by_name = {c.name: c.status for c in self.checks}
        return (all(by_name.get(n) == "pass" for n in ("format", "proof", "issuer", "dates"))
                and by_name.get("status") != "fail")

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {"verified": self.verified, "checks": [c.as_dict() for c in self.checks]}


def _safe_relative(rel: str) -> bool:
    """A path inside a site folder: no empty, `.` or `..` segment, no backslash or %-escape."""
    segments = rel.split("/")
    return bool(rel) and "%" not in rel and "\\" not in rel and all(s not in ("", ".", "..") for s in segments)


class Resolver:
    """Fetches DID documents and status lists: from a local build (--site), else over HTTPS
    unless offline. `fetch` is injected so that tests never touch the network."""

    def __init__(self, site_dir: Path | None = None, *, offline: bool = False,
                 fetch: Callable[[str], bytes] | None = None) -> None:
        self.offline = offline
        self.fetch = fetch or _https_get
        self.local: dict[str, Path] = {}
        self.site_did: str | None = None
        self.site_dir = site_dir
        if site_dir is not None:
            for did_path in layout.DID_DOCUMENTS:
                p = site_dir / did_path
                if p.is_file():
                    doc = rules.loads(p.read_bytes(), what=str(p))
                    did = doc.get("id") if isinstance(doc, dict) else None
                    if not isinstance(did, str) or not did.startswith("did:web:"):
                        raise SiteFileError(f"{p}: not a did:web DID document")
                    try:
                        base = did_web_to_url(did)[: -len(did_path)]
                    except ValueError as e:
                        raise SiteFileError(f"{p}: {e}") from None
                    self.local[base] = site_dir
                    self.site_did = did

    @property
    def has_local(self) -> bool:
        return bool(self.local)

    def is_local(self, url: str) -> bool:
        return any(url.split("#")[0].startswith(base) for base in self.local)

    def site_issuer_name(self) -> str | None:
        """The issuer's name as the local build states it (the #credpub-site block of its pages)."""
        if self.site_dir is None:
            return None
        page = self.site_dir / "verify" / "index.html"
        m = re.search(r'<script type="application/json" id="credpub-site">(.*?)</script>',
                      page.read_text("utf-8", "replace") if page.is_file() else "", re.S)
        try:
            name = rules.loads(m.group(1), what="credpub-site").get("issuer") if m else None
        except (rules.InputRefused, AttributeError):
            return None
        return name if isinstance(name, str) else None

    def get_json(self, url: str) -> Any:
        url = url.split("#")[0]
        for base, root in self.local.items():
            if url.startswith(base):
                rel = url[len(base):]
                if not _safe_relative(rel):
                    # Never map ../, ./ or %2e%2e onto the disk: that reads outside the site.
                    raise Unavailable(f"{url} is not a plain path inside the site: refused")
                p = root / rel
                if not p.is_file():
                    raise Unavailable(f"{url} is not in the local site {root}")
                try:
                    return rules.loads(p.read_bytes(), what=str(p))
                except rules.InputRefused as e:
                    raise SiteFileError(str(e)) from None
        if self.offline:
            raise Unavailable("offline")
        if not url.startswith("https://"):
            raise Unavailable(f"only https URLs are fetched, not {url!r}")
        if not _safe_relative(url[len("https://"):].split("?")[0].split("/", 1)[-1] or "x"):
            raise Unavailable(f"{url} has dot segments or escaped separators: refused")
        try:
            return rules.loads(self.fetch(url), what=url)
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


def _as_list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _types(doc: Any) -> list[str]:
    return [t for t in _as_list(doc.get("type")) if isinstance(t, str)] if isinstance(doc, dict) else []


# ---------------------------------------------------------------- format (verifier-js/src/format.js)

_DATE_TIME_STAMP = re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$")
_DATE_TIME = re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$")
_URI = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$", re.I)
OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")
LIST_TYPES = ("BitstringStatusListCredential", "StatusList2021Credential")


def _is_date_time(value: Any, vc2: bool) -> bool:
    return isinstance(value, str) and bool((_DATE_TIME_STAMP if vc2 else _DATE_TIME).match(value)) and _parse_date(value) is not None


def _check_open_badge(c: dict[str, Any], problems: list[str]) -> None:
    def need(cond: Any, msg: str) -> bool:
        if not cond:
            problems.append(msg)
        return bool(cond)

    need(isinstance(c.get("id"), str) and _URI.match(c["id"]), 'an Open Badge needs an "id" URI')
    if isinstance(c.get("issuer"), dict):
        need("Profile" in _types(c["issuer"]), "the issuer's type must include \"Profile\"")
    subjects = _as_list(c.get("credentialSubject"))
    for i, s in enumerate(subjects):
        at = f"credentialSubject[{i}]" if len(subjects) > 1 else "credentialSubject"
        if not isinstance(s, dict):
            continue
        need("AchievementSubject" in _types(s), f'{at}.type must include "AchievementSubject"')
        a = s.get("achievement")
        if not need(isinstance(a, dict), f"{at}.achievement is missing"):
            continue
        need(isinstance(a.get("id"), str) and _URI.match(a["id"]), f'{at}.achievement needs an "id" URI')
        need("Achievement" in _types(a), f'{at}.achievement.type must include "Achievement"')
        need(isinstance(a.get("name"), str) and a["name"].strip(), f'{at}.achievement needs a "name"')
        need(isinstance(a.get("description"), str), f'{at}.achievement needs a "description"')
        need(isinstance(a.get("criteria"), dict), f'{at}.achievement needs "criteria"')
        if "creditsAvailable" in a:
            ca = a["creditsAvailable"]
            need(isinstance(ca, (int, float)) and not isinstance(ca, bool) and ca >= 0,
                 f"{at}.achievement.creditsAvailable must be a number")
        for j, ident in enumerate(_as_list(s.get("identifier"))):
            need(isinstance(ident, dict) and ident.get("type") == "IdentityObject" and isinstance(ident.get("identityType"), str)
                 and isinstance(ident.get("identityHash"), str) and isinstance(ident.get("hashed"), bool),
                 f"{at}.identifier[{j}] must be an IdentityObject with identityType, identityHash and hashed")
        for j, r in enumerate(_as_list(s.get("result"))):
            need("Result" in _types(r), f'{at}.result[{j}].type must include "Result"')
    for j, e in enumerate(_as_list(c.get("evidence"))):
        need("Evidence" in _types(e), f'evidence[{j}].type must include "Evidence"')


def _js_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def check_format(doc: Any) -> Check:
    if not isinstance(doc, dict):
        return Check("format", "fail", "not a credential: expected a JSON object")
    problems: list[str] = []
    ctx = _as_list(doc.get("@context"))
    vc2, vc1 = bool(ctx) and ctx[0] == VC_V2, bool(ctx) and ctx[0] == VC_V1
    if not ctx:
        problems.append('"@context" is missing')
    elif not vc2 and not vc1:
        problems.append(f"the first @context must be {VC_V2} (found {_js_json(ctx[0])})")
    types = _as_list(doc.get("type"))
    if "VerifiableCredential" not in types:
        problems.append('"type" must include "VerifiableCredential"')
    if "issuer" not in doc:
        problems.append('"issuer" is missing')
    elif not (isinstance(_id_of(doc["issuer"]), str) and _URI.match(_id_of(doc["issuer"]) or "")):
        problems.append('"issuer" must be a URI or an object with an "id" URI')
    subjects = _as_list(doc.get("credentialSubject"))
    if not subjects:
        problems.append('"credentialSubject" is missing')
    elif not all(isinstance(x, dict) for x in subjects):
        problems.append('"credentialSubject" must be an object')
    ob = any(t in types for t in OB_TYPES)
    is_list = any(t in types for t in LIST_TYPES)

    def date_field(name: str, required: bool, stamp: bool) -> None:
        if name not in doc:
            if required:
                problems.append(f'"{name}" is missing')
        elif not _is_date_time(doc[name], stamp):
            problems.append(f'"{name}" {_js_json(doc[name])} is not a date-time' + (" with a time zone (e.g. 2026-06-12T00:00:00Z)" if stamp else ""))

    if vc1:
        date_field("issuanceDate", True, False)
        for name in ("expirationDate", "validFrom", "validUntil"):
            date_field(name, False, False)
    else:
        date_field("validFrom", ob, True)
        date_field("validUntil", False, True)
    if ob:
        _check_open_badge(doc, problems)
    if is_list and not any(isinstance(x, dict) and isinstance(x.get("encodedList"), str) for x in subjects):
        problems.append("the status list has no encodedList")
    kind = "Open Badge" if ob else "status list" if is_list else "credential"
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return Check("format", "fail", f"not a well-formed {kind}: {'; '.join(problems[:3])}{more}")
    version = "VC 2.0" if vc2 else "VC 1.1"
    return Check("format", "pass", f"a well-formed Open Badges 3.0 credential ({version})" if ob else f"a well-formed {kind} ({version})")


# ---------------------------------------------------------------- proof and issuer (verifier-js/src/did.js, verify.js)

@dataclass
class _Key:
    id: str
    controller: str
    public: bytes
    authorized: bool


def _expand_id(value: Any, base: str) -> Any:
    return base + value if isinstance(value, str) and value.startswith("#") else value


def _resolve_key(verification_method: Any, resolver: Resolver) -> _Key:
    """The key of a verification method, through the controller document that lists it.

    A key is never taken from a URL fragment: the controller document is resolved and must list
    the method (SPEC "Pitfalls"); `authorized` says whether it lists it under assertionMethod.
    """
    vm_id = _id_of(verification_method)
    if not vm_id:
        raise KeyNotResolved("the proof names no verification method")
    controller_id = vm_id.split("#")[0]
    if not re.match(r"^(did:[a-z0-9]+:|https://)", controller_id):
        raise KeyNotResolved(f'"{controller_id}" is neither a DID nor an https URL')
    if "#" not in vm_id:
        if not vm_id.startswith("did:key:"):
            raise KeyNotResolved(f'"{vm_id}" does not name a key (no #fragment)')
        vm_id = f"{vm_id}#{vm_id[len('did:key:'):]}"
    if controller_id.startswith("did:key:"):
        mk = controller_id[len("did:key:"):]
        try:
            public = public_from_multikey(mk)
        except ValueError as e:
            raise KeyNotResolved(f'"{controller_id}" is not an Ed25519 did:key ({e})') from None
        own = f"{controller_id}#{mk}"
        if vm_id != own:
            raise KeyNotResolved(f"{controller_id} does not list the key {vm_id}")
        return _Key(vm_id, controller_id, public, True)
    if controller_id.startswith("did:web:"):
        try:
            url = did_web_to_url(controller_id)
        except ValueError as e:
            raise KeyNotResolved(str(e)) from None
    elif controller_id.startswith("https://"):
        url = controller_id
    else:
        raise KeyNotResolved(f"did:{controller_id.split(':')[1]} is not a DID method credpub can resolve")
    try:
        doc = resolver.get_json(url)
    except Unavailable as e:
        raise KeyNotResolved(f"{controller_id} could not be loaded ({e})") from None
    if not isinstance(doc, dict):
        raise KeyNotResolved(f"{url} is not a controller document")
    if doc.get("id") != controller_id:
        raise KeyNotResolved(f'the document at {url} is for "{doc.get("id")}", not {controller_id}')
    listed = [*_as_list(doc.get("verificationMethod")), *_as_list(doc.get("assertionMethod")), *_as_list(doc.get("authentication"))]
    vm = next((m for m in listed if isinstance(m, dict) and _expand_id(m.get("id"), controller_id) == vm_id), None)
    if vm is None:
        raise KeyNotResolved(f"{controller_id} does not list the key {vm_id}")
    controller = _expand_id(vm.get("controller"), controller_id)
    if controller != controller_id:
        raise KeyNotResolved(f'the key {vm_id} is controlled by "{controller}", not by {controller_id} which lists it')
    authorized = any(_expand_id(_id_of(m), controller_id) == vm_id for m in _as_list(doc.get("assertionMethod")))
    mk = vm.get("publicKeyMultibase")
    if not isinstance(mk, str):
        raise KeyNotResolved(f"the key {vm_id} is not an Ed25519 key credpub can read (type {vm.get('type')})")
    try:
        public = public_from_multikey(mk)
    except ValueError as e:
        raise KeyNotResolved(f"the key {vm_id} is unreadable: {e}") from None
    return _Key(vm_id, controller, public, authorized)


def _proof_kind(proof: dict[str, Any]) -> str:
    return str(proof.get("cryptosuite") or proof.get("type") or "untyped")


def check_proof_and_issuer(doc: dict[str, Any], resolver: Resolver, canon: Canonicalizer) -> list[Check]:
    """Every supported proof must hold (a bad one is never outweighed by a good one); the issuer
    check asks whether a valid proof's key is one the issuer lists for issuing credentials.
    Unsupported proofs are "not checked", never a verdict on the signature."""
    proofs = proofs_of(doc)
    if not proofs:
        return [Check("proof", "fail", "not signed: the credential has no proof"),
                Check("issuer", "skipped", "not checked: the credential has no proof")]
    supported = [p for p in proofs if suite_of(p) in (*SUITES, *LEGACY_RDFC, ED25519_2020)]
    others = [_proof_kind(p) for p in proofs if p not in supported]
    if not supported:
        return [Check("proof", "skipped", f"not checked: {', '.join(others)} proofs are not supported (credpub checks {SUPPORTED})"),
                Check("issuer", "skipped", "not checked: no proof credpub can check")]
    issuer_id = _id_of(doc.get("issuer"))
    results: list[dict[str, Any]] = []
    for proof in supported:
        r: dict[str, Any] = {"proof": proof}
        try:
            r["key"] = _resolve_key(proof.get("verificationMethod"), resolver)
        except KeyNotResolved as e:
            r["key_error"] = str(e)
        if "key" in r:
            try:
                r["valid"] = verify_signature(doc, proof, r["key"].public, canon)
            except CredpubError as e:
                r["sig_error"] = f"the signature cannot be checked: {e}"
                r["unknown_context"] = OFFLINE_MESSAGE in str(e)
            except RecursionError:
                r["sig_error"] = "the signature cannot be checked: the document is nested too deeply"
        results.append(r)

    notes = [f"also carries {', '.join(others)}, not checked"] if others else []
    unresolved = [r for r in results if "key_error" in r]
    bad = next((r for r in results if "sig_error" in r or r.get("valid") is False), None)
    good = next((r for r in results if r.get("valid") is True), None)
    if bad and bad.get("unknown_context") and not any(r.get("valid") is False for r in results):
        proof_check = Check("proof", "skipped", "not checked: " + bad["sig_error"].removeprefix("the signature cannot be checked: "))
    elif bad:
        proof_check = Check("proof", "fail", bad.get("sig_error") or "the signature does not match: the document was changed after signing")
    elif good:
        if unresolved and len(results) > 1:
            notes.append(f"{len(unresolved)} other proof(s) not checked: key not resolved")
        created = good["proof"].get("created")
        signed = f", signed {created[:10]}" if isinstance(created, str) else ""
        proof_check = Check("proof", "pass", f"the signature is valid ({suite_of(good['proof'])}{signed})" + (f"; {'; '.join(notes)}" if notes else ""))
    else:
        proof_check = Check("proof", "skipped", "not checked: the issuer key cannot be resolved")

    def bound(r: dict[str, Any]) -> bool:
        k = r.get("key")
        return bool(k and k.controller == issuer_id and k.authorized and r["proof"].get("proofPurpose") == "assertionMethod")

    bound_good = next((r for r in results if r.get("valid") is True and bound(r)), None)
    resolved = next((r for r in results if r.get("key") and (r.get("valid") is True or not bound_good)), None) \
        or next((r for r in results if r.get("key")), None)
    if bound_good:
        k = bound_good["key"]
        issuer_check = Check("issuer", "pass", f"signed with {k.id}, a key the issuer {issuer_id} lists for issuing credentials")
    elif resolved:
        k, p = resolved["key"], resolved["proof"]
        if k.controller != issuer_id:
            issuer_check = Check("issuer", "fail", f"the key is not the issuer's: {k.id} belongs to {k.controller}, but the issuer is {issuer_id}")
        elif not k.authorized:
            issuer_check = Check("issuer", "fail", f"the key is not the issuer's for issuing: {k.controller} does not list {k.id} under assertionMethod")
        elif p.get("proofPurpose") != "assertionMethod":
            issuer_check = Check("issuer", "fail", f'the proof\'s purpose is "{p.get("proofPurpose")}", not "assertionMethod"')
        else:
            issuer_check = Check("issuer", "pass", f"{k.id} is a key the issuer {issuer_id} lists for issuing credentials")
    else:
        issuer_check = Check("issuer", "fail", f"issuer key cannot be resolved: {unresolved[0]['key_error']}")
    return [proof_check, issuer_check]


# ---------------------------------------------------------------- dates (verifier-js/src/dates.js)

_LOOSE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def _parse_date(value: Any) -> dt.datetime | None:
    """A date or date-time; without a time zone it is read as UTC (as verifier-js does)."""
    m = _LOOSE_DATE.match(value) if isinstance(value, str) else None
    if not m:
        return None
    y, mo, d, h, mi, sec, frac, zone = m.groups()
    try:
        out = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0),
                          int(float(frac) * 1_000_000) if frac else 0, tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        out -= sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return out


def check_dates(doc: dict[str, Any], now: dt.datetime) -> Check:
    from_field = "validFrom" if "validFrom" in doc else "issuanceDate"
    until_field = "validUntil" if "validUntil" in doc else "expirationDate"
    from_raw, until_raw = doc.get(from_field), doc.get(until_field)
    start = None if from_raw is None else _parse_date(from_raw)
    end = None if until_raw is None else _parse_date(until_raw)
    if from_raw is not None and start is None:
        return Check("dates", "fail", f"{from_field} is not a date: {_js_json(from_raw)}")
    if until_raw is not None and end is None:
        return Check("dates", "fail", f"{until_field} is not a date: {_js_json(until_raw)}")
    day = lambda t: t.strftime("%Y-%m-%d")  # noqa: E731
    if start and end and end < start:
        return Check("dates", "fail", f"{until_field} ({day(end)}) is before {from_field} ({day(start)})")
    if start and now < start:
        return Check("dates", "fail", f"not valid yet: valid from {day(start)}")
    if end and now > end:
        return Check("dates", "fail", f"expired on {day(end)}")
    if start is None and end is None:
        return Check("dates", "pass", "no validity period")
    parts = [f"issued {day(start)}"] if start else []
    parts.append(f"valid until {day(end)}" if end else "no expiry date")
    return Check("dates", "pass", ", ".join(parts))


# ---------------------------------------------------------------- status (verifier-js/src/statuslist.js)

ENTRY_TYPES = {
    "BitstringStatusListEntry": ("BitstringStatusListCredential", "BitstringStatusList"),
    "StatusList2021Entry": ("StatusList2021Credential", "StatusList2021"),
}


def _parse_index(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53:
        return value
    if isinstance(value, str) and re.fullmatch(r"0|[1-9][0-9]{0,15}", value):
        return int(value)
    raise ValueError(f"statusListIndex {_js_json(value)} is not a non-negative base-10 integer")


def _decode_list(encoded: Any) -> bytes:
    """encodedList: multibase base64url (`u…`, BSL v1.0) or plain base64url (StatusList2021),
    then gunzip, bounded by the shared inflation cap."""
    if not isinstance(encoded, str) or not encoded:
        raise ValueError("the status list has no encodedList")
    text = encoded[1:] if encoded.startswith("uH4sI") else encoded
    try:
        gz = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("the status list is not base64url-encoded") from None
    return statuslist.decode_gzip(gz)


def _check_entry(entry: Any, doc: dict[str, Any], resolver: Resolver, canon: Canonicalizer, now: dt.datetime) -> Check:
    kind = ENTRY_TYPES.get(entry.get("type")) if isinstance(entry, dict) else None
    if kind is None:
        kind_name = entry.get("type") if isinstance(entry, dict) else None
        return Check("status", "skipped", f'not checked: the status type "{kind_name}" is not supported')
    purpose = entry.get("statusPurpose")
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not re.match(r"^https?://", url):
        return Check("status", "fail", "the status entry names no status list URL")
    if "statusSize" in entry and entry["statusSize"] not in (1, "1"):
        return Check("status", "skipped", f"not checked: status entries of {entry['statusSize']} bits are not supported")
    try:
        index = _parse_index(entry.get("statusListIndex"))
    except ValueError as e:
        return Check("status", "fail", str(e))
    try:
        lst = resolver.get_json(url)
    except Unavailable as e:
        why = "offline" if str(e) == "offline" else f"the status list could not be loaded ({e})"
        return Check("status", "skipped", f"not checked: {why}")
    if kind[0] not in _types(lst):
        return Check("status", "fail", f"the status list is not a {kind[0]}")
    verdict = verify_document(lst, resolver, now=now, canon=canon, check_status_list=False)
    for name in ("format", "proof", "dates"):
        c = verdict.check(name)
        if c.status == "fail":
            return Check("status", "fail", f"the status list is not valid: {c.message}")
    if verdict.check("proof").status != "pass" or verdict.check("issuer").status != "pass":
        c = verdict.check("proof") if verdict.check("issuer").status == "pass" else verdict.check("issuer")
        return Check("status", "skipped", f"not checked: the status list's signature could not be checked ({c.message.removeprefix('not checked: ')})")
    list_issuer, cred_issuer = _id_of(lst.get("issuer")), _id_of(doc.get("issuer"))
    # A list by someone else is believed when it says "revoked" (fail safe), never "not revoked".
    foreign = list_issuer if list_issuer != cred_issuer else None
    subjects = _as_list(lst.get("credentialSubject"))
    subject = next((s for s in subjects if isinstance(s, dict) and purpose in _as_list(s.get("statusPurpose"))), subjects[0] if subjects else None)
    if not isinstance(subject, dict) or kind[1] not in _types(subject):
        return Check("status", "fail", f"the status list's subject is not a {kind[1]}")
    if purpose not in _as_list(subject.get("statusPurpose")):
        return Check("status", "fail", f'the status list is for "{", ".join(map(str, _as_list(subject.get("statusPurpose"))))}", the credential\'s entry for "{purpose}"')
    try:
        bits = _decode_list(subject.get("encodedList"))
    except (ValueError, rules.InputRefused) as e:
        return Check("status", "fail", f"the status list cannot be read: {e}")
    try:
        is_set = statuslist.get_bit(bits, index)
    except IndexError as e:
        return Check("status", "fail", f"the status entry is invalid: {e}")
    if purpose not in ("revocation", "suspension"):
        return Check("status", "skipped", f'not checked: status purpose "{purpose}" is not revocation or suspension')
    word = "revoked" if purpose == "revocation" else "suspended"
    if foreign:
        return (Check("status", "fail", f"{word} (according to a status list issued by {foreign}, not by the credential's issuer)") if is_set
                else Check("status", "skipped", f"not checked: the status list is issued by {foreign}, not by the credential's issuer"))
    date = str(lst.get("validFrom") or lst.get("issuanceDate") or "")[:10]
    if resolver.is_local(url):
        # The local build is a copy: it says what the list was when built, not what it is now.
        snapshot = rules.words("statusSnapshot", word=word, date=date, place=f"the site folder {resolver.site_dir}")
        if is_set:
            return Check("status", "fail", f"{word} (the list in the site folder {resolver.site_dir}, of {date})")
        return Check("status", "pass", snapshot, snapshot=True)
    when = f"checked against the issuer's list{f' of {date}' if date else ''}"
    return Check("status", "fail", f"{word} ({when})") if is_set else Check("status", "pass", f"not {word} ({when})")


def check_status(doc: dict[str, Any], resolver: Resolver, canon: Canonicalizer, now: dt.datetime) -> Check:
    entries = _as_list(doc.get("credentialStatus"))
    if not entries:
        return Check("status", "skipped", "no status list: the issuer cannot revoke this credential")
    results = [_check_entry(e, doc, resolver, canon, now) for e in entries]
    failed = next((r for r in results if r.status == "fail"), None)
    if failed:
        return failed
    skipped = next((r for r in results if r.status == "skipped"), None)
    if skipped:
        return skipped
    return Check("status", "pass", "; ".join(r.message for r in results), snapshot=any(r.snapshot for r in results))


def verify_document(doc: Any, resolver: Resolver, *, now: dt.datetime | None = None,
                    canon: Canonicalizer | None = None, check_status_list: bool = True) -> Result:
    now = now or dt.datetime.now(dt.timezone.utc)
    canon = canon or Canonicalizer.offline()
    result = Result(credential=doc)
    fmt = check_format(doc)
    result.checks.append(fmt)
    if not isinstance(doc, dict):
        result.checks += [Check(n, "skipped", "not checked: not a credential") for n in CHECK_NAMES[1:]]
        return result
    result.checks += check_proof_and_issuer(doc, resolver, canon)
    result.checks.append(check_dates(doc, now))
    result.checks.append(check_status(doc, resolver, canon, now) if check_status_list
                         else Check("status", "skipped", "not checked: a status list has no status of its own"))
    return result


def foreign_issuer_notice(result: Result, resolver: Resolver) -> str | None:
    """With --site: the plain warning that a validly signed credential is NOT this site's, whatever
    name it gives itself (verifier.json "foreignIssuer", the verify page says the same)."""
    if resolver.site_did is None or not isinstance(result.credential, dict):
        return None
    issuer = _id_of(result.credential.get("issuer"))
    if issuer == resolver.site_did or result.check("proof").status != "pass":
        return None
    return rules.words("foreignIssuer", site=resolver.site_issuer_name() or resolver.site_did, issuer=str(issuer))


def load_input(source: str, resolver: Resolver) -> Any:
    """A credential from a file (JSON or a baked PNG/SVG) or an https URL. UsageError (exit 2)
    with one line for anything that cannot be read."""
    if source.startswith("https://") or source.startswith("http://"):
        if resolver.offline and not resolver.has_local:
            raise UsageError("cannot fetch a URL with --offline")
        url = source.split("#")[0].split("?")[0]
        if url.endswith("/"):
            url = layout.credential_file(url)  # a claim or share page: its credential sits beside it
        try:
            doc = resolver.get_json(url)
        except Unavailable as e:
            raise UsageError(f"cannot fetch {url}: {e}") from None
        return _not_an_envelope(doc, url)
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UsageError(f"{source}: {e.strerror}") from None
    if len(data) > 16 * 1024 * 1024:
        raise UsageError(f"{source}: larger than 16 MB: not a credential")
    try:
        if data[:8] == b"\x89PNG\r\n\x1a\n" or data.lstrip()[:1] == b"<":
            from credpub.credentials.bake import extract

            data = extract(data)
        doc = rules.loads(data, what=source)
    except (BakeError, rules.InputRefused) as e:
        raise UsageError(f"{source}: {e}") from None
    return _not_an_envelope(doc, source)


def _not_an_envelope(doc: Any, source: str) -> Any:
    if isinstance(doc, dict) and doc.get("type") == ENVELOPE_TYPE:
        raise UsageError(f"{source}: {rules.words('encryptedClaim')}")
    return doc
