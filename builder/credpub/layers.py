"""Claim security layers (`claim_security` of an achievement), defined once in
`claim_layers.json`, which the browser side (verifier-js/src/layers.js) reads too. Code asks a
layer what it does (`layer(a).share_name == "hashed"`), never compares its name."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from credpub.paths import DATA

FILE = DATA / "claim_layers.json"


@dataclass(frozen=True)
class Layer:
    name: str
    claim_at_rest: str  # "plain" | "aes-256-gcm"
    key_in_link: bool
    passphrase: bool
    claim_page_names_achievement: bool
    share_name: str  # "plain" | "hashed"
    revocation_reason_on_claim_page: bool

    @property
    def encrypted(self) -> bool:
        return self.claim_at_rest != "plain"

    @property
    def share_name_hashed(self) -> bool:
        return self.share_name == "hashed"


@lru_cache(maxsize=1)
def _load() -> dict[str, Layer]:
    doc: dict[str, Any] = json.loads(FILE.read_text(encoding="utf-8"))
    return {name: Layer(name=name, **doc["layers"][name]) for name in doc["order"]}


#: the layer names, in order (link, encrypted, passphrase): what content may write.
NAMES: tuple[str, ...] = tuple(_load())
DEFAULT = NAMES[0]


def strength(value: Any) -> int:
    """How strongly a layer (or an achievement's) protects a claim: its place in the file's
    `order`, weakest first."""
    return NAMES.index(layer(value).name)


def layer(value: Any) -> Layer:
    """The layer of an achievement (anything with `claim_security`) or of a layer name."""
    name = getattr(value, "claim_security", value)
    return _load()[name]
