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
OFFLINE_MESSAGE = "context not available offline (credpub loads bundled contexts only)"


@cache
def _index() -> dict[str, str]:
    return json.loads(resources.files("credpub").joinpath("data/contexts/index.json").read_text("utf-8"))


@cache
def _load(url: str) -> Any:
    name = _index().get(url)
    if name is None:
        raise KeyError(url)
    return json.loads(resources.files("credpub").joinpath(f"data/contexts/{name}").read_text("utf-8"))


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
                    f"{OFFLINE_MESSAGE}: {url}", "jsonld.LoadDocumentError",
                    code="loading document failed",
                ) from None
        return {"contextUrl": None, "documentUrl": url, "document": doc}

    return loader


def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    return _default_loader(url, options)


_default_loader = make_loader()


def describe_jsonld_error(e: BaseException) -> str:
    """pyld wraps errors several levels deep; the innermost says what really went wrong."""
    seen: set[int] = set()
    current: BaseException | None = e
    messages = []
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = current.args[0] if getattr(current, "args", None) and isinstance(current.args[0], str) else str(current)
        messages.append(text.split("\n")[0])
        current = getattr(current, "cause", None) or current.__cause__ or current.__context__
    ours = [m for m in messages if m.startswith(OFFLINE_MESSAGE)]
    return ours[0] if ours else messages[-1]
