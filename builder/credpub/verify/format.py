"""The format check (verifier-js/src/format.js): a VC 1.1 or 2.0 credential, and for an Open
Badge or a status list the fields OB 3.0 and Bitstring Status List require. Every problem is
collected; the message names the first three."""

from __future__ import annotations

import re
from typing import Any

from credpub.verify.dates import parse_date
from credpub.verify.result import Check
from credpub.verify.values import as_list, id_of, js_json, types_of

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"

_DATE_TIME_STAMP = re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$")
_DATE_TIME = re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$")
_URI = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$", re.I)
OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")
LIST_TYPES = ("BitstringStatusListCredential", "StatusList2021Credential")


def _is_date_time(value: Any, vc2: bool) -> bool:
    return isinstance(value, str) and bool((_DATE_TIME_STAMP if vc2 else _DATE_TIME).match(value)) and parse_date(value) is not None


def _check_open_badge(c: dict[str, Any], problems: list[str]) -> None:
    def need(cond: Any, msg: str) -> bool:
        if not cond:
            problems.append(msg)
        return bool(cond)

    need(isinstance(c.get("id"), str) and _URI.match(c["id"]), 'an Open Badge needs an "id" URI')
    if isinstance(c.get("issuer"), dict):
        need("Profile" in types_of(c["issuer"]), "the issuer's type must include \"Profile\"")
    subjects = as_list(c.get("credentialSubject"))
    for i, s in enumerate(subjects):
        at = f"credentialSubject[{i}]" if len(subjects) > 1 else "credentialSubject"
        if not isinstance(s, dict):
            continue
        need("AchievementSubject" in types_of(s), f'{at}.type must include "AchievementSubject"')
        a = s.get("achievement")
        if not need(isinstance(a, dict), f"{at}.achievement is missing"):
            continue
        need(isinstance(a.get("id"), str) and _URI.match(a["id"]), f'{at}.achievement needs an "id" URI')
        need("Achievement" in types_of(a), f'{at}.achievement.type must include "Achievement"')
        need(isinstance(a.get("name"), str) and a["name"].strip(), f'{at}.achievement needs a "name"')
        need(isinstance(a.get("description"), str), f'{at}.achievement needs a "description"')
        need(isinstance(a.get("criteria"), dict), f'{at}.achievement needs "criteria"')
        if "creditsAvailable" in a:
            ca = a["creditsAvailable"]
            need(isinstance(ca, (int, float)) and not isinstance(ca, bool) and ca >= 0,
                 f"{at}.achievement.creditsAvailable must be a number")
        for j, ident in enumerate(as_list(s.get("identifier"))):
            need(isinstance(ident, dict) and ident.get("type") == "IdentityObject" and isinstance(ident.get("identityType"), str)
                 and isinstance(ident.get("identityHash"), str) and isinstance(ident.get("hashed"), bool),
                 f"{at}.identifier[{j}] must be an IdentityObject with identityType, identityHash and hashed")
        for j, r in enumerate(as_list(s.get("result"))):
            need("Result" in types_of(r), f'{at}.result[{j}].type must include "Result"')
    for j, e in enumerate(as_list(c.get("evidence"))):
        need("Evidence" in types_of(e), f'evidence[{j}].type must include "Evidence"')


def check_format(doc: Any) -> Check:
    if not isinstance(doc, dict):
        return Check("format", "fail", "not a credential: expected a JSON object")
    problems: list[str] = []
    ctx = as_list(doc.get("@context"))
    vc2, vc1 = bool(ctx) and ctx[0] == VC_V2, bool(ctx) and ctx[0] == VC_V1
    if not ctx:
        problems.append('"@context" is missing')
    elif not vc2 and not vc1:
        problems.append(f"the first @context must be {VC_V2} (found {js_json(ctx[0])})")
    types = as_list(doc.get("type"))
    if "VerifiableCredential" not in types:
        problems.append('"type" must include "VerifiableCredential"')
    if "issuer" not in doc:
        problems.append('"issuer" is missing')
    elif not (isinstance(id_of(doc["issuer"]), str) and _URI.match(id_of(doc["issuer"]) or "")):
        problems.append('"issuer" must be a URI or an object with an "id" URI')
    subjects = as_list(doc.get("credentialSubject"))
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
            problems.append(f'"{name}" {js_json(doc[name])} is not a date-time' + (" with a time zone (e.g. 2026-06-12T00:00:00Z)" if stamp else ""))

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
