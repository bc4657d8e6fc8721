"""Sign: Plan → Signed. Builds every document (credential.py) and signs it (dataintegrity.py)."""

from __future__ import annotations

import json
from typing import Any

from . import statuslist
from .credential import achievement_document, credential_document, status_list_document
from .dataintegrity import Canonicalizer, sign
from .did import did_document
from .keys import Keys
from .model import Plan, Signed, SignedAward


def to_json(doc: Any) -> bytes:
    """Compact UTF-8 JSON: every byte counts against GitHub Pages' 1 GB."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign_all(plan: Plan, keys: Keys, canon: Canonicalizer | None = None) -> Signed:
    canon = canon or Canonicalizer.offline()
    suite = plan.content.site.cryptosuite
    secret = keys.site_secret

    def signed(doc: dict[str, Any], created: str) -> dict[str, Any]:
        return sign(doc, keys.signing_key, verification_method=plan.verification_method,
                    created=created, cryptosuite=suite, canon=canon)

    awards = []
    for p in plan.awards:
        # The proof's `created` is the issue date, not the clock: rebuilds are byte-identical.
        cred = signed(credential_document(plan, p, secret, share=False), p.valid_from)
        share = signed(credential_document(plan, p, secret, share=True), p.valid_from)
        awards.append(SignedAward(p, cred, share, to_json(cred), to_json(share)))

    lists: dict[int, bytearray] = {1: statuslist.new_bits()}
    for p in plan.awards:
        bits = lists.setdefault(p.status_list, statuslist.new_bits())
        if p.revocation is not None:
            statuslist.set_bit(bits, p.status_index)
    status_lists = {n: signed(status_list_document(plan, n, bits), plan.build_date) for n, bits in sorted(lists.items())}
    achievements = {
        slug: achievement_document(plan, a, with_context=True) for slug, a in sorted(plan.content.achievements.items())
    }
    return Signed(plan, tuple(awards), did_document(plan.did, keys), status_lists, achievements)
