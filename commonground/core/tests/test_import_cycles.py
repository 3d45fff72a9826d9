"""The apps import each other in one direction only.

Every ``.py`` file under ``commonground/`` is parsed (not imported); an import of
``commonground.<other app>`` anywhere in an app, at module level or inside a function,
is an edge from that app to the other. Imports under ``if TYPE_CHECKING:`` are for
annotations only and do not count; nor does test code (``tests`` packages,
``conftest.py``, ``testing.py``), which may exercise several apps together.
Cross-app hooks that would point back go through ``core.hooks`` instead
(``docs/architecture.md``, "Dependencies between apps").
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
TEST_SUPPORT = {"conftest.py", "testing.py"}


def _apps() -> set[str]:
    return {p.parent.name for p in PACKAGE.glob("*/apps.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST, package: list[str]) -> list[tuple[str, int]]:
    """Every module named by an import in ``tree`` (``from a import b`` names both ``a``
    and ``a.b``), with its line, skipping ``if TYPE_CHECKING:`` blocks."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for stmt in child.orelse:
                    visit_one(stmt)
                continue
            visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            found.extend((f"{module}.{alias.name}", node.lineno) for alias in node.names)
        visit(node)

    visit(tree)
    return found


def app_graph() -> dict[str, dict[str, list[str]]]:
    """``{app: {other app: ["file:line", ...]}}`` for every import across apps."""
    apps = _apps()
    graph: dict[str, dict[str, list[str]]] = {app: defaultdict(list) for app in apps}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in apps:
            continue
        if "tests" in parts or parts[-1] in TEST_SUPPORT:
            continue
        package = ["commonground", *parts[:-1]]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(PACKAGE.parent)
        for module, line in _imported(tree, package):
            names = module.split(".")
            if len(names) > 1 and names[0] == "commonground" and names[1] in apps:
                other = names[1]
                if other != parts[0] and f"{where}:{line}" not in graph[parts[0]][other]:
                    graph[parts[0]][other].append(f"{where}:{line}")
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in sorted(graph[app]):
            if other not in index:
                connect(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            connect(app)
    return sorted(groups)


def describe(graph: dict[str, dict[str, list[str]]], group: list[str]) -> str:
    lines = [" <-> ".join(group)]
    for app in group:
        for other in sorted(set(graph[app]) & set(group)):
            lines.append(f"  {app} -> {other}: {', '.join(graph[app][other][:3])}")
    return "\n".join(lines)


def test_the_graph_sees_imports_inside_functions_but_not_type_checking_blocks():
    source = (
        "from typing import TYPE_CHECKING\n"
        "from commonground.core import policy\n"
        "if TYPE_CHECKING:\n"
        "    from commonground.accounts.models import User\n"
        "def f():\n"
        "    from ..decisions import services\n"
        "    import commonground.meetings.models\n"
    )
    found = {m for m, _ in _imported(ast.parse(source), ["commonground", "atlas"])}
    assert "commonground.core.policy" in found
    assert "commonground.decisions.services" in found
    assert "commonground.meetings.models" in found
    assert not any(m.startswith("commonground.accounts") for m in found)


def test_cycles_are_found():
    graph = {"a": {"b": ["x"]}, "b": {"c": ["y"]}, "c": {"a": ["z"]}, "d": {"a": ["w"]}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_between_apps():
    graph = app_graph()
    found = cycles(graph)
    assert not found, "Import cycles between apps:\n" + "\n".join(
        describe(graph, group) for group in found
    )


def test_core_depends_on_no_other_app():
    graph = app_graph()
    uses = {other: where for other, where in graph["core"].items() if where}
    assert not uses, f"core imports other apps: {uses}"
