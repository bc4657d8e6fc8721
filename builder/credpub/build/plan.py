"""Plan: decide every identifier before anything is signed — tokens, ids, status indexes, dates.

Everything is derived from the content and the site secret, so a rebuild gives the same site.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import uuid

from credpub.credentials import claimcrypto
from credpub import layout
from credpub.dates import day_of, valid_until, xsd_datetime
from credpub.credentials import statuslist
from credpub.content import pathways, statuslock
from credpub.credentials.did import did_web_from_url, verification_method_id
from credpub.credentials.keys import Keys, derive
from credpub.layers import layer
from credpub.model import Achievement, Award, Content, EarnedComponent, Plan, PlannedAward

TOKEN_BYTES = 20  # 160 bits (≥128 required), 27 URL-safe characters


def award_identity(learner_id: str, slug: str) -> bytes:
    return f"{slug}\0{learner_id}".encode("utf-8")


def token(secret: bytes, label: str, learner_id: str, slug: str) -> str:
    """HMAC-SHA256(site secret, label ‖ award identity), base64url: unguessable without the secret."""
    mac = derive(secret, label, award_identity(learner_id, slug))
    return base64.urlsafe_b64encode(mac[:TOKEN_BYTES]).rstrip(b"=").decode("ascii")


def credential_uuid(secret: bytes, learner_id: str, slug: str, revision: int = 0, label: str = "credential-id") -> str:
    # Each correction (revision) is a new credential, so a new id; revision 0 keeps the first id.
    data = award_identity(learner_id, slug) + (f"\0r{revision}".encode() if revision else b"")
    mac = bytearray(derive(secret, label, data)[:16])
    mac[6] = (mac[6] & 0x0F) | 0x80  # UUIDv8 (RFC 9562: custom, here HMAC-derived)
    mac[8] = (mac[8] & 0x3F) | 0x80
    return f"urn:uuid:{uuid.UUID(bytes=bytes(mac))}"


def share_credential_id(secret: bytes, site_url: str, share_token: str, learner_id: str, slug: str, revision: int) -> str:
    """The share credential's id: every revision its own. The first is the URL it is published
    at (as before revisions existed: already published credentials keep it); a correction's is a
    urn:uuid of its own. The share page and its credential.json stay at the same URL, holding the
    newest revision, so a shared link or a LinkedIn entry (certUrl: the share page; certId: its
    token) never changes — only the credential's id does."""
    if not revision:
        return site_url + layout.credential_file(layout.share_page(share_token))
    return credential_uuid(secret, learner_id, slug, revision, label="share-credential-id")


LEGACY_LOCK_SEP = "|"  # the first lock format keyed entries "slug|learner_id" (personal data)


def lock_key(secret: bytes, learner_id: str, slug: str) -> str:
    """The key of an award in content/status-lock.json: an HMAC of the award identity, so that
    the lock, committed to a possibly public repository, names nobody. The one place
    that says how lock entries are keyed."""
    mac = derive(secret, "status-lock", award_identity(learner_id, slug))
    return base64.urlsafe_b64encode(mac[:16]).rstrip(b"=").decode("ascii")


def migrate_lock(lock: dict, secret: bytes) -> dict:
    """Rekeys entries of the first format ("slug|learner_id") by lock_key; values (positions, and
    whatever else an entry holds) are kept as they are. Already-migrated entries pass through."""
    out = {}
    for key, value in lock.items():
        if LEGACY_LOCK_SEP in key:
            slug, learner_id = key.split(LEGACY_LOCK_SEP, 1)  # a slug never contains "|"
            key = lock_key(secret, learner_id, slug)
        out[key] = value
    return out


def scheduled_awards(content: Content, today: dt.date) -> list[Award]:
    """Awards whose `issued_on` is after `today`: held back (not built, linked or emailed) until
    a build on or after that date, so that nothing published is "not yet valid"."""
    return sorted((a for a in content.awards if a.issued_on > today), key=lambda a: (a.issued_on, a.achievement, a.learner_id))


def legacy_list_day(content: Content, lock: statuslock.StatusLock, today: dt.date) -> str:
    """The day a status list is dated by when the lock records none (statuslock.with_days): as
    credpub dated lists before it recorded days — the newest date of what is published — but
    no earlier than a correction the lock records (its bits changed then), never after the
    build day (a list dated in the future fails every credential that points at it)."""
    dates = [a.issued_on for a in content.awards if a.issued_on <= today] + [r.date for r in content.revocations]
    dates += [day_of(s.date) for s in lock.superseded]
    return min(max(dates), today).isoformat() if dates else today.isoformat()


def make_plan(content: Content, keys: Keys, today: dt.date) -> Plan:
    """Every identifier of the site. `today` is the build day (UTC date): later awards are held back."""
    site = content.site
    did, did_path = did_web_from_url(site.url)
    secret = keys.site_secret
    published = [a for a in content.awards if a.issued_on <= today]
    keys_of = {a.key: lock_key(secret, a.learner_id, a.achievement) for a in published}  # each once: 10,000s
    until = {a.key: valid_until(a, content.achievements[a.achievement]) for a in published}
    facts = {keys_of[a.key]: statuslock.fingerprint(secret, a, until[a.key]) for a in published}
    before = statuslock.rekeyed(content.status_lock, lambda d: migrate_lock(d, secret))
    issued = {keys_of[a.key]: a.issued_on.isoformat() for a in published}
    locked, reissued_keys = statuslock.update(statuslock.with_days(before, issued, legacy_list_day(content, before, today)),
                                              facts, secret, today)
    reissued = set(reissued_keys)
    lock = locked.entries
    revocations = {(r.learner_id, r.achievement): r for r in content.revocations}
    planned = []
    for award in sorted(published, key=lambda a: (a.achievement, a.learner_id)):
        achievement: Achievement = content.achievements[award.achievement]
        share_token = token(secret, "share", award.learner_id, award.achievement)
        key = keys_of[award.key]
        index = lock[key]
        identity = award_identity(award.learner_id, award.achievement)
        fragment = passphrase = ""
        generated = False
        if layer(achievement).key_in_link:
            fragment = "#k=" + claimcrypto.b64u(claimcrypto.fragment_secret(secret, identity))
        if layer(achievement).passphrase:
            passphrase = award.passphrase or claimcrypto.generated_passphrase(secret, identity)
            generated = not award.passphrase
        planned.append(PlannedAward(
            award=award,
            achievement=achievement,
            claim_token=token(secret, "claim", award.learner_id, award.achievement),
            share_token=share_token,
            lock_key=key,
            credential_id=credential_uuid(secret, award.learner_id, award.achievement, locked.revision(key)),
            revision=locked.revision(key),
            share_id=share_credential_id(secret, site.url, share_token, award.learner_id, award.achievement,
                                         locked.revision(key)),
            status_list=index // statuslist.LIST_SIZE + 1,
            status_index=index % statuslist.LIST_SIZE,
            valid_from=xsd_datetime(award.issued_on),
            valid_until=until[award.key],
            revocation=revocations.get(award.key),
            claim_fragment=fragment,
            passphrase=passphrase,
            passphrase_generated=generated,
        ))
    return Plan(
        content=content,
        did=did,
        did_path=did_path,
        verification_method=verification_method_id(did, keys.public_multikey),
        awards=with_components(planned, revocations),
        status_lock=locked,
        reissued=tuple(p.award.key for p in planned if reissued and keys_of[p.award.key] in reissued),
        today=today,
        scheduled=tuple(scheduled_awards(content, today)),
    )


def with_components(planned: list[PlannedAward], revoked: dict) -> tuple[PlannedAward, ...]:
    """The planned awards, each pathway award naming the learner's published component
    credentials it stands on (pathways.basis), which its credential lists as evidence."""
    mine: dict[str, dict[str, PlannedAward]] = {}
    for p in planned:
        if not p.award.automatic:
            mine.setdefault(p.award.learner_id, {})[p.award.achievement] = p
    out = []
    for p in planned:
        if p.achievement.is_pathway:
            held = mine.get(p.award.learner_id, {})
            stands_on = pathways.basis(p.achievement, {s: q.award for s, q in held.items()}, revoked)
            p = dataclasses.replace(p, components=tuple(
                EarnedComponent(c.achievement, held[c.achievement].credential_id, held[c.achievement].valid_from)
                for c in stands_on))
        out.append(p)
    return tuple(out)
