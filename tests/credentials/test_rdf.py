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
