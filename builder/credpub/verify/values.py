"""Reading untrusted JSON values the way verifier-js does: one value or a list, an id or an
object with one, the types a node states, and JSON text as JavaScript prints it in messages."""

from __future__ import annotations

import json
from typing import Any


def id_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def as_list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def types_of(doc: Any) -> list[str]:
    return [t for t in as_list(doc.get("type")) if isinstance(t, str)] if isinstance(doc, dict) else []


def js_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
