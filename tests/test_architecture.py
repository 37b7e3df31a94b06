"""Layering rules, checked on the source with ``ast`` (imports anywhere in a module count,
including those inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ccsim"
MAX_LINES = 400
NEAR_LIMIT = 0.85  # modules above this share of the limit are reported


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module a file imports (``from a import b`` gives a and a.b)."""
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


MODULES = {path: _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def _in(path: Path, *folders: str) -> bool:
    relative = path.relative_to(PACKAGE).as_posix()
    return any(relative == f or relative.startswith(f.rstrip("/") + "/") for f in folders)


def _hits(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))


def _violations(select, forbidden):
    return {path.relative_to(PACKAGE).as_posix(): hits for path, names in MODULES.items()
            if select(path) and (hits := _hits(names, forbidden))}


def test_the_import_parser_resolves_relative_imports():
    names = _imports(PACKAGE / "engine" / "center.py")
    assert "simpy" in names and "ccsim.arrivals" in names and "ccsim.engine.entities" in names
    assert "ccsim.theory" in _imports(PACKAGE / "__init__.py")   # from . import theory


def test_only_the_engine_imports_simpy():
    assert _violations(lambda p: not _in(p, "engine"), ("simpy",)) == {}
    assert any("simpy" in names for path, names in MODULES.items() if _in(path, "engine"))


def test_engine_knows_no_policy_statistics_or_presentation():
    forbidden = ("ccsim.routing", "ccsim.observers", "ccsim.kpis", "ccsim.results", "ccsim.cli")
    assert _violations(lambda p: _in(p, "engine"), forbidden) == {}


def test_engine_does_not_import_the_top_level_package():
    # ``from .. import x`` or ``import ccsim`` would run ccsim/__init__.py, which imports everything
    assert {p.relative_to(PACKAGE).as_posix(): sorted(n for n in names if n == "ccsim")
            for p, names in MODULES.items() if _in(p, "engine") and "ccsim" in names} == {}


def test_routing_knows_no_engine_or_statistics():
    forbidden = ("ccsim.engine", "ccsim.observers", "ccsim.kpis")
    assert _violations(lambda p: _in(p, "routing"), forbidden) == {}


def test_statistics_know_no_engine_or_routing():
    forbidden = ("ccsim.engine", "ccsim.routing")
    assert _violations(lambda p: _in(p, "observers.py", "kpis.py", "records.py"), forbidden) == {}


def _line_counts():
    return {path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
            for path in MODULES}


def test_no_module_is_longer_than_the_limit():
    counts = _line_counts()
    near = {name: n for name, n in counts.items() if NEAR_LIMIT * MAX_LINES <= n <= MAX_LINES}
    if near:
        print(f"modules close to the {MAX_LINES}-line limit: {near}")
    too_long = {name: n for name, n in counts.items() if n > MAX_LINES}
    assert too_long == {}, f"modules longer than {MAX_LINES} lines: {too_long}"


@pytest.mark.parametrize("path", sorted(MODULES), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_module_parses(path):
    compile(path.read_text(encoding="utf-8"), str(path), "exec")
