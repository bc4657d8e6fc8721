"""Bundled JSON-LD contexts and the offline document loader.

Nothing is fetched from the network to sign or verify: a context that is not bundled is an
error that names the URL (SPEC "Standards": contexts are bundled and loaded offline).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from pyld import jsonld


VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


@cache
def _index() -> dict[str, str]:
    return json.loads(resources.files(__package__).joinpath("contexts/index.json").read_text("utf-8"))


@cache
def _load(url: str) -> Any:
    name = _index().get(url)
    if name is None:
        raise KeyError(url)
    return json.loads(resources.files(__package__).joinpath(f"contexts/{name}").read_text("utf-8"))


def bundled_urls() -> list[str]:
    return sorted(_index())


def get_context(url: str) -> Any:
    return _load(url)


def make_loader(extra: dict[str, Any] | None = None):
    """A pyld document loader serving bundled contexts, plus `extra` {url: document}."""
    extra = extra or {}

    def loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if url in extra:
            doc = extra[url]
        else:
            try:
                doc = _load(url)
            except KeyError:
                raise jsonld.JsonLdError(
                    f"context not available offline: {url}", "jsonld.LoadDocumentError",
                    code="loading document failed",
                ) from None
        return {"contextUrl": None, "documentUrl": url, "document": doc}

    return loader


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    return _default_loader(url, options)


_default_loader = make_loader()


def describe_jsonld_error(e: Exception) -> str:
    """pyld errors nest their cause; dig out the most useful sentence."""
    msg = str(e).split("\n")[0]
    cause = getattr(e, "cause", None)
    while cause is not None:
        msg = str(cause).split("\n")[0]
        cause = getattr(cause, "cause", None)
    return msg
