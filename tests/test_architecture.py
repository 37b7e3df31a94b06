"""Layering rules, checked on the source with ``ast`` (imports anywhere in a module count,
including those inside functions) against the layer table of docs/architecture.md."""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

import networkx
import pytest

from ccsim import _compat

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


DOC = PACKAGE.parent / "docs" / "architecture.md"


def _doc_tables() -> tuple[dict[str, int], list[tuple[str, str]]]:
    """The layer of every package or top-level module, and the pairs kept apart, as
    docs/architecture.md states them."""
    layers, apart = {}, []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].isdigit():
            for name in re.findall(r"`([^`]+)`", cells[2]):
                layers[name] = int(cells[0])
        elif len(cells) == 2 and cells[0].count("`") == 4:
            apart.append(tuple(re.findall(r"`([^`]+)`", cells[0])))
    return layers, apart


LAYERS, APART = _doc_tables()
TOP = ("ccsim", "ccsim.__main__")  # the public API and the entry point stand above the layers


def _part(module: str) -> str | None:
    """The package or top-level module of ``ccsim`` that ``module`` belongs to."""
    parts = module.split(".")
    return parts[1] if parts[0] == "ccsim" and len(parts) > 1 else None


def _ccsim_imports(names: set[str]) -> set[str]:
    """Modules of ccsim among ``names``: ``from .x import y`` names ``x.y`` too, which is a
    module only when ``x`` is a package, so names are kept only when they are modules."""
    return {n for n in names if n in MODULE_NAMES}


MODULE_NAMES = {_module_name(path) for path in MODULES}


def test_the_layer_table_is_read_from_the_doc():
    assert LAYERS["engine"] == LAYERS["routing"] and LAYERS["units"] == 0
    assert ("engine", "routing") in APART and len(APART) >= 3


def test_every_module_belongs_to_a_documented_layer():
    parts = {_part(_module_name(path)) for path in MODULES} - {None, "__main__"}
    assert sorted(parts - set(LAYERS)) == []
    assert sorted(set(LAYERS) - parts) == []   # the doc names nothing that is gone


def test_each_layer_imports_only_its_own_or_lower_layers():
    upward = {}
    for path, names in MODULES.items():
        module = _module_name(path)
        if module in TOP:
            continue
        own = LAYERS[_part(module)]
        for target in _ccsim_imports(names):
            if target not in TOP and LAYERS[_part(target)] > own:
                upward.setdefault(module, []).append(target)
    assert upward == {}


def test_the_parts_kept_apart_do_not_import_each_other():
    crossing = {}
    for path, names in MODULES.items():
        module = _module_name(path)
        for a, b in APART:
            for mine, other in ((a, b), (b, a)):
                if _part(module) == mine:
                    hits = [t for t in _ccsim_imports(names) if _part(t) == other]
                    if hits:
                        crossing[module] = hits
    assert crossing == {}


def test_there_is_no_import_circle():
    graph = networkx.DiGraph()
    for path, names in MODULES.items():
        module = _module_name(path)
        graph.add_node(module)
        for target in _ccsim_imports(names):
            # a module importing its own package runs that package's __init__: not a circle
            if target != module and not module.startswith(target + "."):
                graph.add_edge(module, target)
    assert [sorted(c) for c in networkx.simple_cycles(graph)] == []


def test_only_the_engine_imports_simpy():
    assert _violations(lambda p: not _in(p, "engine"), ("simpy",)) == {}
    assert any("simpy" in names for path, names in MODULES.items() if _in(path, "engine"))


def test_engine_does_not_import_the_top_level_package():
    # ``from .. import x`` or ``import ccsim`` would run ccsim/__init__.py, which imports everything
    assert {p.relative_to(PACKAGE).as_posix(): sorted(n for n in names if n == "ccsim")
            for p, names in MODULES.items() if _in(p, "engine") and "ccsim" in names} == {}


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


@pytest.mark.parametrize("old", sorted(_compat.MOVED))
def test_old_import_paths_still_work_with_a_warning(old):
    """Modules moved into packages keep their old path for one release: same objects, and a
    DeprecationWarning that names the new path."""
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=re.escape(_compat.MOVED[old])):
        module = importlib.import_module(old)
    new = importlib.import_module(_compat.MOVED[old])
    public = getattr(new, "__all__", None) or [n for n in vars(new) if not n.startswith("_")]
    assert public and all(getattr(module, name) is getattr(new, name) for name in public)


def test_the_doc_names_every_module_and_only_modules_that_exist():
    """docs/architecture.md's "What lives where" names every module file of ccsim/, and every
    ``name.py`` it names exists: the map of the house matches the house."""
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w]+\.py)`", text)) - {"__init__.py"}
    files = {path.name for path in MODULES if path.name not in ("__init__.py", "__main__.py")}
    assert sorted(files - named) == []
    assert sorted(named - files) == []
