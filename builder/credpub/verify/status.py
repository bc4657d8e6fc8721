"""The status check (verifier-js/src/statuslist.js): each credentialStatus entry read against
its status list, which must itself verify; a list by another issuer is believed only when it
says "revoked". A 1EdTechRevocationList entry (the 1EdTech Revocation List Status Method, which
the OB 3.0 displayer conformance test uses) is read from the unsigned list of revoked credential
ids at its URL: the signed credential names that URL, so the list speaks for its issuer."""

from __future__ import annotations

import re
from typing import Any, Callable

from credpub.dates import leading_day
from credpub import rules
from credpub.credentials import statuslist
from credpub.verify.fetch import malformed
from credpub.verify.resolver import Resolver, Unavailable
from credpub.verify.result import Check, Result
from credpub.verify.values import as_list, id_of, js_json, types_of

#: Verifies a status list itself (format, proof, issuer, dates): the verdict module passes its own.
ListVerifier = Callable[[dict[str, Any]], Result]

ENTRY_TYPES = {
    "BitstringStatusListEntry": ("BitstringStatusListCredential", "BitstringStatusList"),
    "StatusList2021Entry": ("StatusList2021Credential", "StatusList2021"),
}


def _parse_index(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53:
        return value
    if isinstance(value, str) and re.fullmatch(r"0|[1-9][0-9]{0,15}", value):
        return int(value)
    raise ValueError(f"statusListIndex {js_json(value)} is not a non-negative base-10 integer")


def _check_entry(entry: Any, doc: dict[str, Any], resolver: Resolver, verify_list: ListVerifier) -> Check:
    kind = ENTRY_TYPES.get(entry.get("type")) if isinstance(entry, dict) else None
    if kind is None:
        kind_name = entry.get("type") if isinstance(entry, dict) else None
        return Check("status", "skipped", f'not checked: the status type "{kind_name}" is not supported')
    purpose = entry.get("statusPurpose")
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not re.match(r"^https?://", url):
        return Check("status", "fail", "the status entry names no status list URL")
    if malformed(url):
        return Check("status", "fail", f"the status entry's list URL {js_json(url)} is {malformed(url)}")
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
    if kind[0] not in types_of(lst):
        return Check("status", "fail", f"the status list is not a {kind[0]}")
    verdict = verify_list(lst)
    for name in ("format", "proof", "dates"):
        c = verdict.check(name)
        if c.status == "fail":
            return Check("status", "fail", f"the status list is not valid: {c.message}")
    if verdict.check("proof").status != "pass" or verdict.check("issuer").status != "pass":
        c = verdict.check("proof") if verdict.check("issuer").status == "pass" else verdict.check("issuer")
        return Check("status", "skipped", f"not checked: the status list's signature could not be checked ({c.message.removeprefix('not checked: ')})")
    list_issuer, cred_issuer = id_of(lst.get("issuer")), id_of(doc.get("issuer"))
    # A list by someone else is believed when it says "revoked" (fail safe), never "not revoked".
    foreign = list_issuer if list_issuer != cred_issuer else None
    subjects = as_list(lst.get("credentialSubject"))
    subject = next((s for s in subjects if isinstance(s, dict) and purpose in as_list(s.get("statusPurpose"))), subjects[0] if subjects else None)
    if not isinstance(subject, dict) or kind[1] not in types_of(subject):
        return Check("status", "fail", f"the status list's subject is not a {kind[1]}")
    if purpose not in as_list(subject.get("statusPurpose")):
        return Check("status", "fail", f'the status list is for "{", ".join(map(str, as_list(subject.get("statusPurpose"))))}", the credential\'s entry for "{purpose}"')
    try:
        bits = statuslist.decode(subject.get("encodedList"))
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
    date = leading_day(str(lst.get("validFrom") or lst.get("issuanceDate") or ""))
    if resolver.is_local(url):
        # The local build is a copy: it says what the list was when built, not what it is now.
        snapshot = rules.words("statusSnapshot", word=word, date=date, place=f"the site folder {resolver.site_dir}")
        if is_set:
            return Check("status", "fail", f"{word} (the list in the site folder {resolver.site_dir}, of {date})")
        return Check("status", "pass", snapshot, snapshot=True)
    when = f"checked against the issuer's list{f' of {date}' if date else ''}"
    return Check("status", "fail", f"{word} ({when})") if is_set else Check("status", "pass", f"not {word} ({when})")


#: The 1EdTech Revocation List Status Method: `{"id": URL, "type": REVOCATION_LIST}`.
REVOCATION_LIST = "1EdTechRevocationList"


def _check_revocation_list(entry: dict[str, Any], doc: dict[str, Any], resolver: Resolver) -> Check:
    """GET the entry's URL: a JSON object whose revokedCredentials lists {id, revoked?,
    revocationReason?}; the credential is revoked when its id is listed and revoked is not false
    (as the 1EdTech validator reads it). The words are the Bitstring check's (statuslist.js
    reuses its catalogue entries)."""
    url = entry.get("id")
    if not isinstance(url, str) or not re.match(r"^https?://", url):
        return Check("status", "fail", "the status entry names no status list URL")
    cred_id = doc.get("id")
    if not isinstance(cred_id, str):
        return Check("status", "skipped", "not checked: the credential has no id for its revocation list to name")
    try:
        lst = resolver.get_json(url)
    except Unavailable as e:
        why = "offline" if str(e) == "offline" else f"the status list could not be loaded ({e})"
        return Check("status", "skipped", f"not checked: {why}")
    listed = lst.get("revokedCredentials") if isinstance(lst, dict) else None
    if not isinstance(listed, list):
        return Check("status", "fail", f"the status list is not a {REVOCATION_LIST}")
    hit = next((r for r in listed if isinstance(r, dict) and r.get("id") == cred_id and r.get("revoked", True) is not False), None)
    when = "checked against the issuer's list"
    if hit is None:
        return Check("status", "pass", f"not revoked ({when})")
    reason = hit.get("revocationReason")
    note = reason.strip()[:200] if isinstance(reason, str) else ""
    return Check("status", "fail", f"revoked ({when})" + (f"; {note}" if note else ""))


def check_status(doc: dict[str, Any], resolver: Resolver, verify_list: ListVerifier) -> Check:
    """The credential's status entries, each read from its list; the first failure, else the
    first "not checked", else every entry's message."""
    entries = as_list(doc.get("credentialStatus"))
    if not entries:
        return Check("status", "skipped", "no status list: the issuer cannot revoke this credential")
    results = [_check_revocation_list(e, doc, resolver) if isinstance(e, dict) and e.get("type") == REVOCATION_LIST
               else _check_entry(e, doc, resolver, verify_list) for e in entries]
    failed = next((r for r in results if r.status == "fail"), None)
    if failed:
        return failed
    skipped = next((r for r in results if r.status == "skipped"), None)
    if skipped:
        return skipped
    return Check("status", "pass", "; ".join(r.message for r in results), snapshot=any(r.snapshot for r in results))
