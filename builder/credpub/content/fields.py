"""The YAML reader of content files: every value with its file and line, typed field by field
(`Doc.text`, `Doc.number`, `Doc.localized`, …), every problem collected, none raised.

Also the value forms more than one content file uses (slugs, email addresses)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from credpub.content import reader
from credpub.errors import ContentError

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# A pragmatic address check: one @, a dot in the domain, no spaces or angle brackets.
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]{2,}$")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 20× faster
    """SafeLoader without YAML's implicit timestamps: dates stay text and are parsed here, so
    that an impossible date gets a message with its line instead of a crash."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Doc:
    """A YAML mapping with the line of each key, so that errors can name it."""

    def __init__(self, path: Path, data: dict[str, Any], lines: dict[str, int], errors: list[ContentError], prefix: str = "") -> None:
        self.path, self.data, self.lines, self.errors, self.prefix = path, data, lines, errors, prefix

    def line(self, key: str) -> int:
        return self.lines.get(key, self.lines.get("", 0))

    def error(self, key: str, message: str) -> None:
        self.errors.append(ContentError(self.path, self.line(key), self.prefix + key, message))

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "is required")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.error(key, f"must be text, got {type(value).__name__}")
            return default
        return value.strip()

    def number(self, key: str, *, required: bool = False, integer: bool = False, lo: float = 0, hi: float = 1e6) -> Any:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key, f"must be a number, got {value!r}")
            return None
        if integer and not float(value).is_integer():
            self.error(key, f"must be a whole number, got {value!r}")
            return None
        if not lo <= value <= hi:
            self.error(key, f"must be between {lo:g} and {hi:g}, got {value!r}")
            return None
        return int(value) if integer else float(value)

    def text_list(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, "is required (a list)")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(key, "must be a list of non-empty texts")
            return ()
        if required and not value:
            self.error(key, "must list at least one item")
        return tuple(v.strip() for v in value)

    def localized(self, key: str, languages: tuple[str, ...], *, as_list: bool = False, required: bool = True) -> tuple[Any, dict[str, Any]]:
        """A text (or list of texts) given once or per language (`{nl: …, en: …}`): (the default
        language's value, {other language: value}). A per-language value must give every language."""
        read = self.text_list if as_list else self.text
        value = self.data.get(key)
        if not isinstance(value, dict):
            return read(key, required=required), {}
        unknown = [str(k) for k in value if k not in languages]
        missing = [lang for lang in languages if lang not in value]
        if unknown or missing:
            detail = (f"unknown language(s) {', '.join(unknown)}" if unknown else "") + \
                     ("; " if unknown and missing else "") + (f"missing {', '.join(missing)}" if missing else "")
            self.error(key, f"per-language text must give exactly the site's languages ({', '.join(languages)}): {detail}; "
                       "or write one text for all languages")
        texts = {}
        sub = Doc(self.path, value, self.lines.get(f"{key}/") or {"": self.line(key)}, self.errors, f"{self.prefix}{key}.")
        for lang in languages:
            if lang in value:
                texts[lang] = sub.text_list(lang, required=required) if as_list else sub.text(lang, required=required)
        default = texts.pop(languages[0], () if as_list else "")
        return default, texts

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.data.get(key, default)
        if value not in choices:
            self.error(key, f"must be one of {', '.join(choices)}, got {value!r}")
            return default
        return value

    def mapping(self, key: str, node_lines: dict[str, int]) -> Doc:
        value = self.data.get(key)
        if value is None:
            self.error(key, "is required")
            value = {}
        elif not isinstance(value, dict):
            self.error(key, "must be a mapping of fields")
            value = {}
        return Doc(self.path, value, node_lines or {"": self.line(key)}, self.errors, f"{self.prefix}{key}.")

    def unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.error(str(key), f"unknown field; known fields are: {', '.join(sorted(allowed))}")


def read_yaml(path: Path, errors: list[ContentError], root: Path | None = None) -> tuple[Any, dict[str, Any]]:
    """(data, lines) where lines maps top-level keys to line numbers and nested mappings to their own.
    `root`: the content folder, which the file must not lead out of (reader.py)."""
    try:
        text = reader.read_text(path, root)
    except ContentError as e:
        errors.append(e)
        return None, {}
    except UnicodeDecodeError as e:
        errors.append(ContentError(path, 0, "", f"is not UTF-8 text ({e.reason} at byte {e.start})"))
        return None, {}
    return parse_yaml(text, path, errors)


def parse_yaml(text: str, path: Path, errors: list[ContentError]) -> tuple[Any, dict[str, Any]]:
    """read_yaml of a text already read (a sealed file, decrypted); `path` names it in messages."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(e, "problem", None) or str(e)
        errors.append(ContentError(path, line, "", f"malformed YAML: {problem}; check indentation and quoting"))
        return None, {}
    return data, _lines(node)


def read_fields(path: Path, errors: list[ContentError], expected: str, root: Path | None = None) -> Doc | None:
    """A YAML file that must be a mapping of fields (`expected` names a few, for the message);
    None, with the problem in `errors`, when it is not."""
    data, lines = read_yaml(path, errors, root)
    if data is None:
        return None
    if not isinstance(data, dict):
        errors.append(ContentError(path, 1, "", f"must be a mapping of fields ({expected})"))
        return None
    return Doc(path, data, lines, errors)


def _lines(node: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(node, yaml.MappingNode):
        out[""] = node.start_mark.line + 1
        for k, v in node.value:
            out[str(k.value)] = k.start_mark.line + 1
            if isinstance(v, (yaml.MappingNode, yaml.SequenceNode)):
                out[f"{k.value}/"] = _lines(v)
    elif isinstance(node, yaml.SequenceNode):
        out[""] = node.start_mark.line + 1
        for i, item in enumerate(node.value):
            out[f"[{i}]"] = _lines(item) if isinstance(item, yaml.MappingNode) else {"": item.start_mark.line + 1}
    return out
