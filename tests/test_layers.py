"""Claim layers are defined once: builder/credpub/data/claim_layers.json, read by
layers.py and verifier-js/src/layers.js; no code compares a layer's name."""

from __future__ import annotations

import json
import re
from pathlib import Path

from credpub import layers
from credpub.content.load import CLAIM_SECURITY

REPO = Path(__file__).resolve().parent.parent


def test_the_layers_and_what_each_does():
    assert layers.NAMES == CLAIM_SECURITY == ("link", "encrypted", "passphrase")
    link, enc, pas = (layers.layer(n) for n in layers.NAMES)
    assert not link.encrypted and not link.key_in_link and link.share_name == "plain"
    assert enc.encrypted and enc.key_in_link and not enc.passphrase and enc.share_name_hashed
    assert pas.encrypted and pas.key_in_link and pas.passphrase and pas.share_name_hashed
    # Nothing on the host says more than the credential at rest: a reason in plain only for link.
    assert [x.revocation_reason_on_claim_page for x in (link, enc, pas)] == [True, False, False]


def test_every_layer_defines_every_property():
    doc = json.loads(layers.FILE.read_text(encoding="utf-8"))
    assert set(doc["layers"]) == set(doc["order"])
    for name, props in doc["layers"].items():
        assert set(props) == set(doc["properties"]), name


def test_no_code_compares_layer_names():
    """`claim_security == "link"` and the like: ask the layer what it does instead."""
    pattern = re.compile(r"""(claim_security|security|layer)\s*[!=]==?\s*['"](link|encrypted|passphrase)['"]"""
                         r"""|['"](link|encrypted|passphrase)['"]\s*[!=]==?\s*\w*(security|layer)""")
    files = [*(REPO / "builder" / "credpub").glob("*.py"), *(REPO / "verifier-js" / "src").rglob("*.js"),
             *(REPO / "theme").rglob("*.html"), *(REPO / "theme").rglob("*.txt")]
    found = [f"{f.relative_to(REPO)}:{n}" for f in files
             for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []


def test_strength_follows_the_order_of_the_shared_file():
    order = json.loads(layers.FILE.read_text("utf-8"))["order"]
    assert sorted(order, key=layers.strength) == order
    assert [layers.strength(name) for name in order] == list(range(len(order)))
