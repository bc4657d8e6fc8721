"""sign.py: the signing pool gives the bytes one process gives."""

from __future__ import annotations

import multiprocessing

import pytest

from credpub.build import pipeline, sign

from tests.conftest import context


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the pool forks")
def test_the_signing_pool_signs_what_one_process_signs(content_dir, keys, monkeypatch):
    plan = pipeline.plan_content(context(content_dir, keys=keys))
    one = sign.sign_all(plan, keys)
    monkeypatch.setattr(sign, "PARALLEL_FROM", 1)
    monkeypatch.setattr(sign.os, "cpu_count", lambda: 2)
    pooled = sign.sign_all(plan, keys)
    assert len(sign._first_of_each_kind(plan.awards)) < len(plan.awards)  # some awards went to the workers
    assert [(a.credential_json, a.share_json, a.claim_json) for a in pooled.awards] == \
           [(a.credential_json, a.share_json, a.claim_json) for a in one.awards]
