"""JSON-LD → RDF quads, in "safe mode".

JSON-LD silently drops a term that no context defines, so a signature would not cover it
(SPEC "Pitfalls"). Like jsonld.js `safe: true`, this refuses such a document and names the
term; it also refuses relative IRIs for ids and types. Expansion uses no base IRI.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Callable, NamedTuple

from pyld import jsonld

from credpub.credentials.canon import (XSD_STRING, Quad, Term, canonicalize_quads, escape_literal, from_pyld_dataset,
                                       serialize_term)
from credpub.credentials.contexts import describe_jsonld_error, offline_loader
from credpub.errors import SigningError

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _check_expanded(node: Any, path: str) -> None:
    if isinstance(node, list):
        for item in node:
            _check_expanded(item, path)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        return
    node_id = node.get("@id")
    if isinstance(node_id, str) and not (node_id.startswith("_:") or _ABSOLUTE_IRI.match(node_id)):
        raise SigningError(f"{path or 'document'}: id {node_id!r} is not an absolute IRI")
    for t in node.get("@type", []):
        if isinstance(t, str) and not (t.startswith("_:") or _ABSOLUTE_IRI.match(t)):
            raise SigningError(f"{path or 'document'}: type {t!r} is not defined by any context")
    for key, value in node.items():
        if not key.startswith("@") or key in ("@graph", "@list", "@set", "@included"):
            _check_expanded(value, key)


def expand_safe(doc: dict[str, Any], loader: Callable[..., Any] = offline_loader) -> list[Any]:
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=lambda term: dropped.append(str(term)))
    try:
        expanded = processor.expand(doc, {"documentLoader": loader, "base": None})
    except jsonld.JsonLdError as e:
        raise SigningError(f"JSON-LD expansion failed: {describe_jsonld_error(e)}") from e
    if dropped:
        names = ", ".join(sorted(set(dropped)))
        raise SigningError(
            f"the term(s) {names} are not defined by any context of the document, "
            "so a signature would not cover them: define them in a context or remove them"
        )
    _check_expanded(expanded, "")
    return expanded


def to_quads(doc: dict[str, Any], loader: Callable[..., Any] = offline_loader) -> list[Quad]:
    """The RDF dataset of a JSON-LD document (safe mode)."""
    expanded = expand_safe(doc, loader)
    try:
        dataset = jsonld.to_rdf(expanded, {"documentLoader": loader, "base": None})
    except jsonld.JsonLdError as e:
        raise SigningError(f"JSON-LD to RDF failed: {describe_jsonld_error(e)}") from e
    return from_pyld_dataset(dataset)


# --- Fast path for many documents of one shape -------------------------------------------
#
# A build signs thousands of credentials that differ only in string values (names, dates,
# ids). Expanding each through pyld costs ~10 ms; instead each *shape* (the document with its
# string values replaced by numbered placeholder IRIs) is expanded once, and the quads of a
# document are the shape's quads with the real values put back. The placeholders are absolute
# IRIs, so a value is substituted only where it is used verbatim (a literal, or an IRI that is
# itself absolute); anything else — a placeholder that vanished, was rewritten, or real values
# that JSON-LD would treat differently — falls back to the full expansion. The first document
# of every shape is also expanded in full and compared, so a difference can never pass silently.

_SLOT = "urn:x-credpub-slot:"
_SHAPE_KEYS = ("@context", "type", "@type")
# IRI values substituted into an IRI slot must be absolute with a scheme that no bundled
# context defines as a term (so JSON-LD cannot read them as compact IRIs).
_SAFE_IRI = re.compile(r"^(?:https?://|urn:|did:|mailto:)[^\s<>\"{}|\\^`]*$")


def _skeleton(value: Any, slots: list[str], keep: frozenset[int] = frozenset()) -> Any:
    """`value` with each string replaced by a numbered placeholder (collected in `slots`),
    except the strings numbered in `keep`, which stay as they are."""
    if isinstance(value, str):  # the commonest node first: this runs for every value signed
        slots.append(value)
        return value if keep and len(slots) - 1 in keep else f"{_SLOT}{len(slots) - 1}"
    if isinstance(value, dict):
        return {k: (v if k in _SHAPE_KEYS else _skeleton(v, slots, keep)) for k, v in value.items()}
    if isinstance(value, list):
        return [_skeleton(v, slots, keep) for v in value]
    return value


def _shape_key(value: Any, slots: list[str]) -> Any:
    """A hashable key of the skeleton of `value` (equal for equal skeletons), its strings
    collected in `slots` as _skeleton collects them; cheaper than building the skeleton."""
    if isinstance(value, str):
        slots.append(value)
        return None
    if isinstance(value, dict):
        return tuple((k, _verbatim(v) if k in _SHAPE_KEYS else _shape_key(v, slots)) for k, v in value.items())
    if isinstance(value, list):
        return ("[", *(_shape_key(v, slots) for v in value))
    return (type(value), value)  # 1 and True are equal in Python, not in JSON-LD


def _verbatim(value: Any) -> Any:
    """A hashable stand-in for a value the skeleton keeps as it is (@context, type)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ("l", *value)
    return ("j", json.dumps(value, sort_keys=True))


class _SlotRef(NamedTuple):
    """A term of a compiled shape whose value is the document's string number `slot`."""

    kind: str
    slot: int
    datatype: str
    language: str


class _Shape:
    __slots__ = ("quads", "iri_slots", "checked", "canon")

    def __init__(self, quads: list[tuple[Any, ...]] | None, iri_slots: frozenset[int]) -> None:
        self.quads = quads  # None: this shape always takes the full path
        self.iri_slots = iri_slots
        self.checked = False
        self.canon: _CanonPlan | None = None  # made on first use (QuadCache.canonical)


class _CanonPlan:
    """A shape's quads as N-Quads line templates, for RDFC-1.0 of a filled shape without making
    Terms: str.format fills each line with the document's serialized values.

    `refs` are the value references (slot, kind, datatype, language), serialized per document
    and numbered from 0; blank node k is argument len(refs) + k. `first_degree[k]` are the lines
    of §4.6 (Hash First Degree Quads) of blank node k ("_:a" itself, "_:z" any other), `lines`
    the dataset's lines with each blank node's argument, to be filled with canonical labels."""

    __slots__ = ("refs", "first_degree", "lines", "bnodes")

    def __init__(self, quads: list[tuple[Any, ...]]) -> None:
        refs: dict[_SlotRef, int] = {}
        bnodes: dict[str, int] = {}
        rows = []
        for parts in quads:
            row: list[Any] = []
            for t in parts:
                if t is None:
                    continue  # the default graph
                if isinstance(t, _SlotRef):
                    row.append(refs.setdefault(t, len(refs)))
                elif t.kind == "B":
                    row.append(~bnodes.setdefault(t.value, len(bnodes)))
                else:
                    row.append(serialize_term(t).replace("{", "{{").replace("}", "}}"))
            rows.append(row)
        n = len(refs)

        def template(row: list[Any], blank: Callable[[int], str]) -> str:
            return " ".join(e if isinstance(e, str) else (blank(e) if e < 0 else f"{{{e}}}") for e in row) + " .\n"

        self.refs = [(r.slot, r.kind, r.datatype if r.datatype != XSD_STRING else "", r.language) for r in refs]
        self.bnodes = len(bnodes)
        self.first_degree = [
            [template(row, lambda e, me=~k: "_:a" if e == me else "_:z") for row in rows if ~k in row]
            for k in range(len(bnodes))
        ]
        self.lines = [template(row, lambda e: f"{{{n + ~e}}}") for row in rows]

    def fill(self, slots: list[str]) -> str | None:
        """RDFC-1.0 canonical N-Quads of the shape filled with `slots`; None when the full
        algorithm must judge: two blank nodes share a first-degree hash, or equal values made
        equal quads (a dataset is a set: the hashes above would count them twice)."""
        values = []
        for slot, kind, datatype, language in self.refs:
            v = slots[slot]
            if kind == "I":
                values.append(f"<{v}>")
            elif language:
                values.append(f'"{escape_literal(v)}"@{language}')
            elif datatype:
                values.append(f'"{escape_literal(v)}"^^<{datatype}>')
            else:
                values.append(f'"{escape_literal(v)}"')
        sha256 = hashlib.sha256
        hashes = [sha256("".join(sorted(t.format(*values) for t in lines)).encode("utf-8")).hexdigest()
                  for lines in self.first_degree]
        if len(set(hashes)) != len(hashes):
            return None
        labels = [""] * self.bnodes
        for i, k in enumerate(sorted(range(self.bnodes), key=hashes.__getitem__)):
            labels[k] = f"_:c14n{i}"
        values += labels
        out = [t.format(*values) for t in self.lines]
        if len(set(out)) != len(out):
            return None
        out.sort()
        return "".join(out)


def _slot_of(text: str) -> int | None:
    if text.startswith(_SLOT):
        rest = text[len(_SLOT):]
        if rest.isdigit():
            return int(rest)
    return None


def _compile(skeleton: Any, n_slots: int, loader: Callable[..., Any]) -> _Shape:
    """The quads of `skeleton` with each placeholder term turned into a _SlotRef; n_slots is the
    number of placeholders, each of which must reach the RDF unchanged."""
    quads = to_quads(skeleton, loader)
    compiled: list[tuple[Any, ...]] = []
    kinds: dict[int, str] = {}  # a node id stands in many quads, always as the same kind of term
    iri_slots: set[int] = set()
    for q in quads:
        parts: list[Any] = []
        for t in q:
            if t is None or t.kind == "B":
                parts.append(t)
                continue
            if _SLOT in t.value or _SLOT in t.datatype:
                slot = _slot_of(t.value)
                if slot is None or _SLOT in t.datatype or kinds.setdefault(slot, t.kind) != t.kind:
                    return _Shape(None, frozenset())  # rewritten, or used two ways: not substitutable
                if t.kind == "I":
                    iri_slots.add(slot)
                parts.append(_SlotRef(t.kind, slot, t.datatype, t.language))
            else:
                parts.append(t)
        compiled.append(tuple(parts))
    if len(kinds) != n_slots:
        return _Shape(None, frozenset())  # a value did not reach the RDF: let the full path judge
    return _Shape(compiled, frozenset(iri_slots))


class QuadCache:
    """to_quads() for many documents that share shapes (see the comment above)."""

    def __init__(self, loader: Callable[..., Any] = offline_loader) -> None:
        self.loader = loader
        self.shapes: dict[Any, _Shape] = {}

    def _shape(self, doc: dict[str, Any], slots: list[str]) -> _Shape | None:
        """The compiled shape of `doc` (its strings collected in `slots`), or None when the
        document takes the full path."""
        key: Any = _shape_key(doc, slots)
        shape = self.shapes.get(key)
        if shape is None:
            shape = self.shapes[key] = _compile(_skeleton(doc, []), len(slots), self.loader)
        if shape.quads is None:
            return None
        unsafe = frozenset(i for i in shape.iri_slots if not _SAFE_IRI.match(slots[i]))
        if unsafe:
            # Values JSON-LD may rewrite (a vocabulary term such as proofPurpose
            # "assertionMethod", a relative IRI) become part of a refined shape instead.
            key = (key, tuple(sorted((i, slots[i]) for i in unsafe)))
            shape = self.shapes.get(key)
            if shape is None:
                shape = self.shapes[key] = _compile(_skeleton(doc, [], unsafe), len(slots) - len(unsafe), self.loader)
            if shape.quads is None:
                return None
        return shape

    def to_quads(self, doc: dict[str, Any]) -> list[Quad]:
        slots: list[str] = []
        shape = self._shape(doc, slots)
        if shape is None:
            return to_quads(doc, self.loader)
        out = self._filled(shape, slots)
        if not shape.checked:
            if canonicalize_quads(out) != canonicalize_quads(to_quads(doc, self.loader)):
                shape.quads = None
                return to_quads(doc, self.loader)
            shape.checked = True
        return out

    @staticmethod
    def _filled(shape: _Shape, slots: list[str]) -> list[Quad]:
        assert shape.quads is not None
        return [
            Quad(*(Term(p.kind, slots[p.slot], p.datatype, p.language) if isinstance(p, _SlotRef) else p for p in parts))
            for parts in shape.quads
        ]

    def canonical(self, doc: dict[str, Any]) -> str:
        """canonicalize_quads(to_quads(doc)), the RDFC-1.0 N-Quads, from the document's shape
        when it has one: its quads are serialized and hashed as pieces, without making Terms."""
        slots: list[str] = []
        shape = self._shape(doc, slots)
        if shape is None or not shape.checked:
            return canonicalize_quads(self.to_quads(doc))
        if shape.canon is None:
            shape.canon = _CanonPlan(shape.quads)
        text = shape.canon.fill(slots)
        return text if text is not None else canonicalize_quads(self._filled(shape, slots))
