"""Discovery's modules import each other in one direction only, deferred imports included."""

import ast
from pathlib import Path

import stames_sf.discovery

PACKAGE = "stames_sf.discovery"
ROOT = Path(stames_sf.discovery.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join([PACKAGE, *(part for part in parts if part != "__init__")])


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Discovery modules that `path` imports anywhere, inside functions too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found & modules


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path of module names, or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for imported in sorted(graph[module]):
            cycle = visit(imported, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    return next((cycle for module in sorted(graph) if (cycle := visit(module, []))), None)


def test_no_import_cycle_among_discovery_modules():
    paths = sorted(ROOT.rglob("*.py"))
    modules = {_module_name(path) for path in paths}
    graph = {_module_name(path): _imports(path, modules) for path in paths}
    for module, imported in graph.items():
        # A package's __init__ importing its own submodules is how packages work, not a cycle.
        imported -= {name for name in imported if name == module or name.startswith(module + ".")}
    assert "stames_sf.discovery.report" in graph["stames_sf.discovery.sections"]
    assert _cycle(graph) is None, _cycle(graph)


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
