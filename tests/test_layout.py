"""The package's shape: no import cycles, no code in ``__init__.py`` files, a registry that
imports no stage, and a test folder for every package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from presslens.registry import STAGE_MODULES

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "presslens"
TESTS = Path(__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = ["presslens", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that running ``path`` imports, at module level or inside a
    function (only imports for type checkers are left out). Importing ``a.b.c`` also runs
    ``a`` and ``a.b``, so each import counts for its parent packages too; all but the top
    one, ``presslens``, whose ``__init__`` re-exports the public API from its modules and is
    running already when any of them is imported."""
    tree = ast.parse(path.read_text("utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if _type_checking_only(node, parents):
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            if base == "presslens":  # ``from presslens import X`` runs the package itself
                found.add(base)
        for target in targets:
            parts = target.split(".")
            for k in range(2, len(parts) + 1):
                prefix = ".".join(parts[:k])
                if prefix in known and prefix != name:
                    found.add(prefix)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, set(known)) for name, path in known.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (as the list of modules around it), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_layout_finds_a_cycle_when_there_is_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_layout_has_no_import_cycle() -> None:
    assert find_cycle(import_graph()) is None


def test_layout_registry_imports_no_stage() -> None:
    graph = import_graph()
    assert not {m for m in graph["presslens.registry"] if m.startswith("presslens.stages")}
    for stage in STAGE_MODULES:
        assert stage in graph, f"{stage} is listed in STAGE_MODULES but does not exist"
        assert "presslens.registry" in graph[stage]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("__init__.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layout_init_files_hold_no_code(path: Path) -> None:
    """A package's ``__init__.py`` holds its docstring and, at most, re-exports."""
    tree = ast.parse(path.read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Assign) and all(
                isinstance(t, ast.Name) and t.id in ("__all__", "__version__")
                for t in node.targets):
            continue
        pytest.fail(f"{path.relative_to(PACKAGE)}:{node.lineno} holds code")


@pytest.mark.parametrize("package", sorted({p.parent for p in PACKAGE.rglob("*.py")
                                            if p.parent != PACKAGE}),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layout_tests_mirror_each_package(package: Path) -> None:
    mirror = TESTS / package.relative_to(PACKAGE)
    assert list(mirror.glob("test_*.py")), f"no tests in {mirror.relative_to(TESTS.parent)}"
