"""rdf.py: safe-mode expansion, and the shape cache gives exactly the quads of a full expansion."""

from __future__ import annotations

import copy

import pytest

from credpub import clock
from credpub.credentials.canon import canonicalize_quads
from credpub.credentials.credential import credential_document
from credpub.errors import SigningError
from credpub.content.load import load_content
from credpub.build.plan import make_plan
from credpub.credentials.rdf import QuadCache, to_quads

from tests.conftest import REPO

HOSTILE = [
    '<script>alert("x")</script>',
    "Robert'); DROP TABLE students;--",
    "\u202eevil\u202c mirrored",  # right-to-left override
    "🎓 Zoë 李明 محمد",
    "line\nbreak\ttab\\backslash\"quote\x07bell",
    "x" * 500,
]


def _docs(keys):
    content, errors = load_content(REPO / "content")
    assert not errors
    p = make_plan(content, keys, clock.today())
    for a in p.awards:
        yield credential_document(p, a, keys.site_secret, share=False)
        yield credential_document(p, a, keys.site_secret, share=True)


def test_cache_equals_full_expansion(keys):
    cache = QuadCache()
    docs = list(_docs(keys))
    for i, doc in enumerate(docs):
        for text in HOSTILE:
            doc = copy.deepcopy(doc)
            doc["credentialSubject"]["identifier"][0]["identityHash"] = text + str(i)
            assert canonicalize_quads(cache.to_quads(doc)) == canonicalize_quads(to_quads(doc))
    assert len(cache.shapes) < len(docs)  # shapes were shared


def test_cache_falls_back_for_values_json_ld_rewrites(keys):
    cache = QuadCache()
    doc = next(_docs(keys))
    cache.to_quads(doc)
    odd = copy.deepcopy(doc)
    odd["id"] = "relative/id"  # not an absolute IRI: JSON-LD treats it differently
    with pytest.raises(SigningError, match="absolute IRI"):
        cache.to_quads(odd)


def test_safe_mode_names_the_dropped_term(keys):
    doc = next(_docs(keys))
    doc["credentialSubject"]["nickname"] = "Ace"
    with pytest.raises(SigningError, match="nickname"):
        QuadCache().to_quads(doc)


def test_canonical_from_a_shape_equals_rdfc_of_the_full_expansion(keys):
    """QuadCache.canonical (a shape's quads serialized and hashed as pieces) gives the N-Quads of
    canonicalize_quads(to_quads(doc)): hostile strings, equal values that make equal quads, and
    blank nodes that only the full algorithm can tell apart (equal first-degree hashes)."""
    cache = QuadCache()
    docs = list(_docs(keys))
    for i, doc in enumerate(docs):
        for text in HOSTILE:
            doc = copy.deepcopy(doc)
            doc["credentialSubject"]["identifier"][0]["identityHash"] = text + str(i)
            assert cache.canonical(doc) == canonicalize_quads(to_quads(doc))
        twice = copy.deepcopy(doc)
        twice["credentialSubject"]["achievement"]["tag"] = ["x", "x"]  # one quad twice
        twins = copy.deepcopy(doc)
        same = twins["credentialSubject"]["identifier"][0]
        twins["credentialSubject"]["identifier"] = [same, dict(same)]  # two blank nodes, one hash
        for odd in (twice, twins, twice, twins):  # a shape's first document is checked against the full path
            assert cache.canonical(odd) == canonicalize_quads(to_quads(odd))
    assert all(s.canon is not None for s in cache.shapes.values() if s.checked)  # the fast path ran


def test_shapes_tell_numbers_and_booleans_apart(keys):
    """1 and True are equal in Python but not in JSON-LD: each is a shape of its own."""
    cache = QuadCache()
    doc = next(_docs(keys))
    seen = set()
    for value in (1, True, 1.5, 1, True, 1.5):
        odd = copy.deepcopy(doc)
        odd["credentialSubject"]["identifier"][0]["hashed"] = value
        text = cache.canonical(odd)
        assert text == canonicalize_quads(to_quads(odd))
        seen.add(text)
    assert len(seen) == 3
