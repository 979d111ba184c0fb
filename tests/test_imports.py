"""The package's modules import one way (foundation <- stages <- run <- cli): no cycle, counting the imports made
inside functions (lazy ones) too, read from the source of every module of `pipeline/`."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"


def _module(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))
    return node.module or ""


def import_graph() -> dict[str, set[str]]:
    """Module -> the pipeline modules it imports (anywhere in its source)."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):  # `from . import x`: module x, else a name of the package
                base = _resolve(name, is_package, node)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for t in targets:
                while t and t not in modules:  # `from . import lexicon` names a module; `from .x import f` its module
                    t = t.rpartition(".")[0]
                if t and t != name and t.startswith("pipeline"):
                    graph[name].add(t)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_no_import_cycle():
    # a package's __init__ re-exporting on first use (pipeline/__init__.py's lazy API) is no edge of the flow
    graph = {m: {n for n in deps if n != "pipeline"} for m, deps in import_graph().items()}
    graph["pipeline"] = set()
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_graph_sees_lazy_imports():
    graph = import_graph()
    assert "pipeline.emit.database" in graph["pipeline.run"]  # imported inside a function
