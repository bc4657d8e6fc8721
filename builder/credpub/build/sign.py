"""Sign: Plan → Signed. Builds every document (credential.py) and signs it (dataintegrity.py)."""

from __future__ import annotations

import dataclasses
import gc
import json
import multiprocessing
import os
from pathlib import Path
from typing import Any, Callable

from credpub.content import statuslock
from credpub.credentials import claimcrypto
from credpub.credentials import statuslist
from credpub.credentials.credential import achievement_document, credential_document, status_list_document
from credpub.credentials.dataintegrity import Canonicalizer, prove, with_proof
from credpub.credentials.did import did_document
from credpub.credentials.keys import Keys
from credpub.dates import day_of, xsd_datetime
from credpub.layers import layer
from credpub.model import Plan, PlannedAward, Signed, SignedAward
from credpub.build.plan import award_identity


def to_json(doc: Any) -> bytes:
    """Compact UTF-8 JSON: every byte counts against GitHub Pages' 1 GB."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


PARALLEL_FROM = 2000  # below this, starting worker processes costs more than it saves


def _proof(plan: Plan, keys: Keys, canon: Canonicalizer, doc: dict[str, Any], day: str) -> dict[str, Any]:
    """The proof of `doc` with the issuer's key in the site's cryptosuite, `created` on `day`
    (the day it was really signed, as the lock records it: rebuilds are byte-identical)."""
    return prove(doc, keys.signing_key, verification_method=plan.verification_method,
                 created=xsd_datetime(day_of(day)), cryptosuite=plan.content.site.cryptosuite, canon=canon)


def _signed(plan: Plan, keys: Keys, canon: Canonicalizer, doc: dict[str, Any], day: str) -> dict[str, Any]:
    """`doc` signed (see _proof)."""
    return with_proof(doc, _proof(plan, keys, canon, doc, day))


def _dated(plan: Plan, keys: Keys, canon: Canonicalizer, doc: dict[str, Any], day: str, recorded: str,
           sign_one: Callable[..., dict] = _signed) -> tuple[dict, str, str]:
    """`doc` signed (or its proof, by `sign_one`), dated the day the lock records for it while it
    is what was signed then, else today (statuslock.signing_day): (signed, its day, its fingerprint)."""
    fp = statuslock.document_fingerprint(keys.site_secret, doc, plan.verification_method, plan.content.site.cryptosuite)
    day = statuslock.signing_day(day, recorded, fp, plan.today)
    return sign_one(plan, keys, canon, doc, day), day, fp


Pair = tuple[dict, dict, tuple[str, str, str, str]]  # claim and share credential, signed; their days (the lock's row)


def _sign_range(plan: Plan, todo: tuple[PlannedAward, ...], keys: Keys, canon: Canonicalizer,
                start: int, stop: int, sign_one: Callable[..., dict] = _signed) -> list[Pair]:
    out = []
    for p in todo[start:stop]:
        row = plan.status_lock.signed.get(p.lock_key, statuslock.NO_DAYS)
        cred, day, fp = _dated(plan, keys, canon, credential_document(plan, p, keys.site_secret, share=False),
                               row[0], row[1], sign_one)
        share, share_day, share_fp = _dated(plan, keys, canon, credential_document(plan, p, keys.site_secret, share=True),
                                            row[2], row[3], sign_one)
        out.append((cred, share, (day, fp, share_day, share_fp)))
    return out


_WORK: tuple[Plan, tuple[PlannedAward, ...], Keys, Canonicalizer] | None = None  # handed to forked workers without pickling


def _worker(bounds: tuple[int, int]) -> list[Pair]:
    """The proofs only: the parent makes the documents again (cheap), so little is pickled back."""
    assert _WORK is not None
    plan, todo, keys, canon = _WORK
    return _sign_range(plan, todo, keys, canon, *bounds, sign_one=_proof)


def _first_of_each_kind(todo: tuple[PlannedAward, ...]) -> list[int]:
    """Indexes of one award per achievement, graded or not: signed before the workers fork, so
    that they inherit the document shapes compiled (rdf.QuadCache) instead of each compiling them."""
    first: dict[tuple[str, bool], int] = {}
    for i, p in enumerate(todo):
        first.setdefault((p.achievement.slug, bool(p.award.grade)), i)
    return sorted(first.values())


def _sign_awards(plan: Plan, todo: tuple[PlannedAward, ...], keys: Keys, canon: Canonicalizer,
                 cache_dir: Path | None) -> tuple[list[SignedAward], dict[str, tuple[str, str, str, str]]]:
    global _WORK
    n = len(todo)
    workers = min(os.cpu_count() or 1, 8)
    if n < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        pairs = _sign_range(plan, todo, keys, canon, 0, n)
    else:
        # Ed25519 signing and canonicalization are CPU-bound Python: one process per core.
        warm = {i: _sign_range(plan, todo, keys, canon, i, i + 1)[0] for i in _first_of_each_kind(todo)}
        rest = tuple(p for i, p in enumerate(todo) if i not in warm)
        step = -(-len(rest) // (workers * 4))
        chunks = [(i, min(i + step, len(rest))) for i in range(0, len(rest), step)]
        _WORK = (plan, rest, keys, canon)
        gc.freeze()  # the workers' collector then leaves the inherited objects alone (no copy-on-write)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                proofs = iter([proof for part in pool.map(_worker, chunks) for cred, share, _row in part for proof in (cred, share)])
        finally:
            _WORK = None
            gc.unfreeze()
        signed = iter(_sign_range(plan, rest, keys, canon, 0, len(rest),
                                  sign_one=lambda _plan, _keys, _canon, doc, _day: with_proof(doc, next(proofs))))
        pairs = [warm[i] if i in warm else next(signed) for i in range(n)]
    out, days = [], {}
    for p, (cred, share, row) in zip(todo, pairs, strict=True):
        cred_json = to_json(cred)
        out.append(SignedAward(p, cred, share, cred_json, to_json(share), claim_at_rest(p, cred_json, keys, cache_dir)))
        days[p.lock_key] = row
    return out, days


def claim_at_rest(p: PlannedAward, cred_json: bytes, keys: Keys, cache_dir: Path | None) -> bytes:
    """What the host stores at c/<token>/credential.json (SPEC "Claim security")."""
    how = layer(p.achievement)
    if not how.encrypted:
        return cred_json
    identity = award_identity(p.award.learner_id, p.award.achievement)
    fragment = claimcrypto.fragment_secret(keys.site_secret, identity)
    if not how.passphrase:
        return claimcrypto.envelope_json(claimcrypto.encrypt(cred_json, fragment))
    salt = claimcrypto.salt_for(keys.site_secret, identity)
    key = claimcrypto.aes_key(fragment, claimcrypto.passphrase_key(p.passphrase, salt, cache_dir))
    return claimcrypto.envelope_json(claimcrypto.encrypt(cred_json, key, salt=salt))


def sign_all(plan: Plan, keys: Keys, canon: Canonicalizer | None = None, cache_dir: Path | None = None,
             only: tuple[PlannedAward, ...] | None = None) -> Signed:
    """Every document of the site. `only`: sign just these awards (an incremental build keeps
    the others' published files); status lists, DID document and achievements are always whole."""
    canon = canon or Canonicalizer.offline()
    awards, days = _sign_awards(plan, plan.awards if only is None else only, keys, canon, cache_dir)

    lists: dict[int, bytearray] = {1: statuslist.new_bits()}
    for p in plan.awards:
        bits = lists.setdefault(p.status_list, statuslist.new_bits())
        if p.revocation is not None:
            statuslist.set_bit(bits, p.status_index)
    for index in plan.superseded_indexes:  # corrected credentials: the earlier ones are revoked
        statuslist.set_bit(lists.setdefault(index // statuslist.LIST_SIZE + 1, statuslist.new_bits()),
                           index % statuslist.LIST_SIZE)
    # A list is valid from the day its bits last changed and signed on the day it was signed
    # (both recorded in the lock), never after today.
    status_lists, list_days = {}, {}
    for n, bits in sorted(lists.items()):
        row = plan.status_lock.lists.get(str(n), statuslock.NO_DAYS)
        digest = statuslock.bits_digest(bits)
        day = statuslock.signing_day(row[0], row[1], digest, plan.today)
        status_lists[n], signed_day, fp = _dated(plan, keys, canon, status_list_document(plan, n, bits, day), row[2], row[3])
        list_days[str(n)] = (day, digest, signed_day, fp)
    lock = dataclasses.replace(plan.status_lock, signed={**plan.status_lock.signed, **days}, lists=list_days)
    achievements = {
        slug: achievement_document(plan, a, with_context=True) for slug, a in sorted(plan.content.achievements.items())
    }
    return Signed(plan, tuple(awards), did_document(plan.did, keys), status_lists, achievements, lock)
