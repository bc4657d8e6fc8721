"""The import graph of builder/credpub is one-way: stages above, helpers below, no module
reaching back up — lazy imports inside functions included, since they are cycles just the same
(only `if TYPE_CHECKING:` blocks are left out).

Every module is named by its dotted path (`content.load`); the sub-packages are stacked in
LAYERS, and no import may run from a lower layer to a higher one."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "builder" / "credpub"

#: The package's floors, bottom first. A module may import its own floor and those below.
LAYERS = (
    {"errors", "clock", "model", "paths", "i18n", "layers", "rules", "csvsafe", "layout", "dates", "context"},
    {"credentials"},
    {"content"},
    {"site"},
    {"build"},
    {"verify"},
    {"mail"},
    {"ops"},
    {"cli", "mkdocs_plugin", "__main__", "__init__"},
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):  # `if TYPE_CHECKING:` bodies are annotations only
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith("credpub.")]
            out.update(n.removeprefix("credpub.") for n in names)
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:  # relative: resolve against this module's package
            base = package[: len(package) - node.level + 1] if node.level > 1 else package
            prefix = ".".join(base + ([node.module] if node.module else []))
        elif node.module and (node.module == "credpub" or node.module.startswith("credpub.")):
            prefix = node.module.removeprefix("credpub").lstrip(".")
        else:
            continue
        for alias in node.names:  # `from credpub.site import render` names a module
            candidate = f"{prefix}.{alias.name}" if prefix else alias.name
            out.add(candidate if candidate in modules else prefix)
    return {m for m in out if m}


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    mods = set(files)
    return {name: {m for m in _imports(path, mods) if m in mods and m != name} for name, path in files.items()}


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


def floor(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, names in enumerate(LAYERS) if top in names)


def upward(g: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(a, b) for a, targets in g.items() for b in targets if floor(b) > floor(a)}


def test_the_package_has_no_import_cycles():
    assert cycles(graph()) == []


def test_the_detector_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_every_module_has_a_floor():
    for module in graph():
        floor(module)  # StopIteration: a new sub-package needs its place in LAYERS


def test_no_import_runs_back_up():
    assert upward(graph()) == set()


def test_the_walker_reads_the_sub_packages():
    g = graph()
    assert "build.pipeline" in g and "content.load" in g["build.pipeline"]
    assert "credentials.keys" in g["content.statuslock"]


def test_at_most_fifteen_modules_at_the_top():
    top = [p for p in PACKAGE.glob("*.py")]
    assert len(top) <= 15, sorted(p.name for p in top)


def test_shared_settings_sit_below_their_users():
    g = graph()
    assert "site.render" not in g["site.serve"] and "site.csp" in g["site.serve"]  # the CSP without the renderer
    assert "site.render" not in g["site.pdf"] and "site.chromium" in g["site.pdf"]
    assert "mkdocs_plugin" not in g["site.render"] and "site.issuer_pages" in g["site.render"]
    assert not g["site.issuer_pages"] & {"site.render", "mkdocs_plugin", "build.pipeline"}
