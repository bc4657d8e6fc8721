"""Sign: Plan → Signed. Builds every document (credential.py) and signs it (dataintegrity.py)."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from pathlib import Path
from typing import Any, Callable

from credpub.credentials import claimcrypto
from credpub.credentials import statuslist
from credpub.credentials.credential import achievement_document, credential_document, status_list_document
from credpub.credentials.dataintegrity import Canonicalizer, prove, with_proof
from credpub.credentials.did import did_document
from credpub.credentials.keys import Keys
from credpub.layers import layer
from credpub.model import Plan, PlannedAward, Signed, SignedAward
from credpub.build.plan import award_identity


def to_json(doc: Any) -> bytes:
    """Compact UTF-8 JSON: every byte counts against GitHub Pages' 1 GB."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


PARALLEL_FROM = 2000  # below this, starting worker processes costs more than it saves


def _proof(plan: Plan, keys: Keys, canon: Canonicalizer, doc: dict[str, Any], created: str) -> dict[str, Any]:
    """The proof of `doc` with the issuer's key in the site's cryptosuite. `created` comes from
    the content (issue date, newest date), not the clock: rebuilds are byte-identical."""
    return prove(doc, keys.signing_key, verification_method=plan.verification_method,
                 created=created, cryptosuite=plan.content.site.cryptosuite, canon=canon)


def _signed(plan: Plan, keys: Keys, canon: Canonicalizer, doc: dict[str, Any], created: str) -> dict[str, Any]:
    """`doc` signed (see _proof)."""
    return with_proof(doc, _proof(plan, keys, canon, doc, created))


def _sign_range(plan: Plan, todo: tuple[PlannedAward, ...], keys: Keys, canon: Canonicalizer,
                start: int, stop: int, sign_one: Callable[..., dict] = _signed) -> list[tuple[dict, dict]]:
    return [
        tuple(sign_one(plan, keys, canon, credential_document(plan, p, keys.site_secret, share=share), p.valid_from)
              for share in (False, True))
        for p in todo[start:stop]
    ]


_WORK: tuple[Plan, tuple[PlannedAward, ...], Keys, Canonicalizer] | None = None  # handed to forked workers without pickling


def _worker(bounds: tuple[int, int]) -> list[tuple[dict, dict]]:
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
                 cache_dir: Path | None) -> list[SignedAward]:
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
                proofs = iter([proof for part in pool.map(_worker, chunks) for pair in part for proof in pair])
        finally:
            _WORK = None
            gc.unfreeze()
        signed = iter(_sign_range(plan, rest, keys, canon, 0, len(rest),
                                  sign_one=lambda _plan, _keys, _canon, doc, _created: with_proof(doc, next(proofs))))
        pairs = [warm[i] if i in warm else next(signed) for i in range(n)]
    out = []
    for p, (cred, share) in zip(todo, pairs, strict=True):
        cred_json = to_json(cred)
        out.append(SignedAward(p, cred, share, cred_json, to_json(share), claim_at_rest(p, cred_json, keys, cache_dir)))
    return out


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
    awards = _sign_awards(plan, plan.awards if only is None else only, keys, canon, cache_dir)

    lists: dict[int, bytearray] = {1: statuslist.new_bits()}
    for p in plan.awards:
        bits = lists.setdefault(p.status_list, statuslist.new_bits())
        if p.revocation is not None:
            statuslist.set_bit(bits, p.status_index)
    for index in plan.superseded_indexes:  # corrected credentials: the earlier ones are revoked
        statuslist.set_bit(lists.setdefault(index // statuslist.LIST_SIZE + 1, statuslist.new_bits()),
                           index % statuslist.LIST_SIZE)
    status_lists = {n: _signed(plan, keys, canon, status_list_document(plan, n, bits), plan.build_date)
                    for n, bits in sorted(lists.items())}
    achievements = {
        slug: achievement_document(plan, a, with_context=True) for slug, a in sorted(plan.content.achievements.items())
    }
    return Signed(plan, tuple(awards), did_document(plan.did, keys), status_lists, achievements)
