"""Old import paths of modules that moved into packages, kept working for one release.

``import ccsim.stats`` (now ``ccsim.measure.stats``) still works and warns once with a
``DeprecationWarning`` naming the new path; the old name is a thin module that hands every
attribute to the new one. The list is also in CHANGELOG.md.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types
import warnings

__all__ = ["MOVED", "install", "moved_names"]

# old module → new module (release 0.2 moved the flat top level into packages)
MOVED = {
    "ccsim.observers": "ccsim.measure.observers",
    "ccsim.stats": "ccsim.measure.stats",
    "ccsim.kpis": "ccsim.measure.kpis",
    "ccsim.costs": "ccsim.measure.costs",
    "ccsim.results": "ccsim.measure.results",
    "ccsim.records": "ccsim.measure.records",
    "ccsim.experiment": "ccsim.study.experiment",
    "ccsim.runner": "ccsim.study.runner",
    "ccsim.executors": "ccsim.study.executors",
    "ccsim.compare": "ccsim.study.compare",
    "ccsim.sweep": "ccsim.study.sweep",
    "ccsim.whatif": "ccsim.study.whatif",
    "ccsim.trace": "ccsim.study.trace",
    "ccsim.staff": "ccsim.workforce.staff",
    "ccsim.stress": "ccsim.workforce.stress",
    "ccsim.history": "ccsim.workforce.history",
    "ccsim.importer": "ccsim.workforce.importer",
    "ccsim.tables": "ccsim.output.tables",
    "ccsim.plots": "ccsim.output.plots",
    "ccsim.plots_staffing": "ccsim.output.plots_staffing",
    "ccsim.report": "ccsim.output.report",
    "ccsim.animate": "ccsim.output.animate",
    "ccsim.cli_run": "ccsim.cli.run",
    "ccsim.cli_workforce": "ccsim.cli.workforce",
    "ccsim.cli_import": "ccsim.cli.imports",
}
# old modules split in two: where the names that left the new module went
ALSO = {"ccsim.observers": ("ccsim.measure.interval_sums",)}


def _warn(old: str, new: str) -> None:
    warnings.warn(f"{old} moved to {new}; the old path goes away in the next release",
                  DeprecationWarning, stacklevel=3)


class _Forward(types.ModuleType):
    """A module standing for a moved one: every attribute is read from the new module."""

    def __init__(self, old: str, new: str):
        super().__init__(old, f"moved to {new}")
        self.__dict__["_targets"] = [importlib.import_module(name)
                                     for name in (new, *ALSO.get(old, ()))]

    def __getattr__(self, name):
        for target in self.__dict__["_targets"]:
            if hasattr(target, name):
                return getattr(target, name)
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __dir__(self):
        return sorted({n for target in self.__dict__["_targets"] for n in dir(target)})


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        _warn(spec.name, MOVED[spec.name])
        return _Forward(spec.name, MOVED[spec.name])

    def exec_module(self, module) -> None:
        pass


def install() -> None:
    """Put the finder of old paths on ``sys.meta_path`` (once), after the ordinary finders."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.append(_Finder())


def moved_names(package: str, names: dict[str, str]):
    """A module ``__getattr__`` for ``package`` giving names that now live in other modules."""

    def __getattr__(name):
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        _warn(f"{package}.{name}", f"{names[name]}.{name}")
        value = getattr(importlib.import_module(names[name]), name)
        setattr(sys.modules[package], name, value)  # warned once; later reads are plain
        return value

    return __getattr__
