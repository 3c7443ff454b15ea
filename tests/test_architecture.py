"""The layer contract (docs/architecture.md §2), read from the source: every import statement of
every module — including the ones inside functions — becomes an arrow between modules, and

* no two modules import each other, directly or round a circle;
* the packages (storage's shared modules, each domain package of storage, printing, ui, cli)
  import each other without a circle, and only downward;
* ``storage`` and ``printing`` never import PySide6, ``ui`` or ``cli``.

(``tests/storage/test_layers.py`` proves the same Qt rule at run time, in a fresh interpreter.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("storage", "printing", "ui", "cli")
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
DOMAINS = ("petitions", "mediation", "screening", "leadership", "sync", "integrity", "demo",
           "ledger", "statistics", "bulk")

# What each layer may import (besides itself and the standard library / third parties).
# "storage" is the shared top of storage: register, db, audit, deadlines, validation, …
ALLOWED: dict[str, set[str]] = {
    "storage": set(),
    "storage.mediation": {"storage"},
    "storage.petitions": {"storage", "storage.mediation"},
    "storage.screening": {"storage", "storage.mediation", "storage.petitions"},
    "storage.leadership": {"storage", "storage.mediation", "storage.petitions",
                           "storage.screening"},
    "storage.sync": {"storage", "storage.mediation", "storage.petitions", "storage.screening",
                     "storage.leadership"},
    "storage.integrity": {"storage", "storage.sync"},
    # the old 台账 in: written through the petitions write path
    "storage.ledger": {"storage", "storage.petitions"},
    # the figures read every domain; at the county a township through its view (storage.sync)
    "storage.statistics": {"storage", "storage.mediation", "storage.petitions",
                           "storage.screening", "storage.leadership", "storage.sync"},
    # the demo's 督办 comes from a county register through a real bundle (storage.sync)
    "storage.demo": {"storage", "storage.mediation", "storage.petitions", "storage.screening",
                     "storage.leadership", "storage.sync"},
    # benchmark registers: the station set up by the demo builder, matters generated in bulk
    "storage.bulk": {"storage", "storage.petitions", "storage.demo"},
    "printing": {"storage", *(f"storage.{d}" for d in DOMAINS)},
    "ui": {"storage", "printing", *QT, *(f"storage.{d}" for d in DOMAINS)},
    # cli's own __init__ starts the GUI when no sub-command is given (a lazy import of ui.app)
    "cli": {"storage", "printing", "ui", *(f"storage.{d}" for d in DOMAINS)},
    "main": {"cli"},  # main.py only dispatches
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    found = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    found["main"] = ROOT / "main.py"
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_names(tree: ast.AST, this: str, is_package: bool) -> Iterable[str]:
    """Every module name an import statement asks for (``from a import b`` gives ``a.b`` as
    well as ``a``: ``b`` may be a submodule); imports for type checkers only are skipped."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = this.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets = set(imported_names(tree, name, path.name == "__init__.py"))
        # arrows to our own modules only; a package's own __init__ re-exporting its
        # submodules is how a package shows its face, not a circle
        graph[name] = {t for t in targets if t in modules and t != name
                       and not (t.startswith(name + ".") and path.name == "__init__.py")
                       and not name.startswith(t + ".")}
        graph[name] |= {t for t in targets if t.split(".")[0] in QT}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "storage" and len(parts) > 1 and parts[1] in DOMAINS:
        return f"storage.{parts[1]}"
    return parts[0]


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    layers: dict[str, set[str]] = {}
    for module, targets in graph.items():
        here = layer_of(module)
        layers.setdefault(here, set()).update(
            layer_of(t) for t in targets if layer_of(t) != here)
    return layers


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_no_module_imports_round_a_circle(graph: dict[str, set[str]]) -> None:
    assert circles(graph) == []


def test_packages_import_only_downward(graph: dict[str, set[str]]) -> None:
    layers = package_graph(graph)
    wrong = {layer: sorted(targets - ALLOWED[layer] - {layer})
             for layer, targets in layers.items() if targets - ALLOWED[layer] - {layer}}
    assert wrong == {}
    assert circles(layers) == []


def test_the_core_never_imports_qt_ui_or_cli(graph: dict[str, set[str]]) -> None:
    offending = sorted((m, t) for m, targets in graph.items()
                       if layer_of(m).split(".")[0] in ("storage", "printing")
                       for t in targets if t.split(".")[0] in (*QT, "ui", "cli"))
    assert offending == []


def test_only_the_entry_of_cli_reaches_the_gui(graph: dict[str, set[str]]) -> None:
    """The commands stay headless: of cli/, only its __init__ (starting the GUI) imports ui."""
    reaching = sorted(m for m, targets in graph.items() if layer_of(m) == "cli"
                      and any(layer_of(t) == "ui" or t.split(".")[0] in QT for t in targets))
    assert reaching == ["cli"]


def test_the_walk_sees_every_package_and_lazy_imports(graph: dict[str, set[str]]) -> None:
    assert {"storage.register", "storage.petitions", "printing.layout", "ui.app",
            "cli", "main"} <= set(graph)
    # an import inside a function is an arrow too
    tree = ast.parse("def f():\n    from storage import audit\n")
    assert "storage.audit" in set(imported_names(tree, "x", False))


def test_the_checks_can_fail() -> None:
    """Fed a circle and an upward arrow, the same functions report them."""
    fake = {"storage.register": {"storage.petitions.matters"},
            "storage.petitions.matters": {"storage.register"},
            "printing.layout": {"ui.app", "PySide6.QtCore"}, "ui.app": set()}
    assert circles(fake) == [["storage.petitions.matters", "storage.register"]]
    layers = package_graph(fake)
    assert "storage.petitions" in layers["storage"]
    assert "ui" in layers["printing"]
