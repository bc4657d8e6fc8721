"""The import graph of builder/credpub is one-way (issue 9, point 9): stages above, helpers
below, no module reaching back up — lazy imports inside functions included, since they are
cycles just the same (only `if TYPE_CHECKING:` blocks are left out)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "builder" / "credpub"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):  # `if TYPE_CHECKING:` bodies are annotations only
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom) or node.level != 1:
            continue
        if node.module:
            out.add(node.module.split(".")[0])
        else:  # from . import a, b
            out.update(alias.name for alias in node.names)
    return out


def graph() -> dict[str, set[str]]:
    mods = {p.stem: p for p in PACKAGE.glob("*.py")}
    return {name: {m for m in _imports(path) if m in mods and m != name} for name, path in mods.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(n: str) -> None:
        state[n] = "open"
        stack.append(n)
        for m in sorted(g[n]):
            if state.get(m) == "open":
                found.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = "done"

    for n in sorted(g):
        if n not in state:
            visit(n)
    return found


def test_the_package_has_no_import_cycles():
    assert cycles(graph()) == []


def test_the_detector_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_shared_settings_sit_below_their_users():
    g = graph()
    assert "render" not in g["serve"] and "csp" in g["serve"]  # the CSP without the renderer
    assert "render" not in g["pdf"] and "chromium" in g["pdf"]
    assert "mkdocs_plugin" not in g["render"] and "issuer_pages" in g["render"]
    assert not g["issuer_pages"] & {"render", "mkdocs_plugin", "pipeline"}
