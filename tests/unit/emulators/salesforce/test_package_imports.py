"""The org store and SOQL packages import one way: no module imports one that imports it back
(directly or through others), so each can be read, and replaced, from the bottom up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import emulators.salesforce

SALESFORCE = Path(emulators.salesforce.__file__).parent


def _imports(package: str) -> dict[str, set[str]]:
    """Module name → names of the modules of the same package it imports (type-only ones included)."""
    prefix = f"emulators.salesforce.{package}"
    graph: dict[str, set[str]] = {}
    for path in sorted((SALESFORCE / package).glob("*.py")):
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == prefix:
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(prefix + "."):
                imported.add(str(node.module)[len(prefix) + 1 :].split(".")[0])
        graph[path.stem] = imported - {path.stem}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import path that leads from a module back to itself."""
    found: list[list[str]] = []

    def walk(path: list[str]) -> None:
        for following in sorted(graph.get(path[-1], set())):
            if following == path[0]:
                found.append([*path, following])
            elif following not in path and following in graph:
                walk([*path, following])

    for module in graph:
        walk([module])
    return found


def test_the_circle_finder_sees_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c", "a"],
        ["b", "c", "a", "b"],
        ["c", "a", "b", "c"],
    ]


@pytest.mark.parametrize("package", ["org", "soql"])
def test_no_import_circle(package: str) -> None:
    graph = _imports(package)
    assert len(graph) > 10  # the package was read
    assert _circles(graph) == []
