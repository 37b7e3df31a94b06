"""Routing policies, registered by name. A policy is one small class; see ``base.py``."""

from __future__ import annotations

import ast
import importlib.util
import sys
from contextlib import contextmanager
from pathlib import Path

from .base import Router, RouterBase
from .expected_delay import ExpectedDelay
from .least_loaded import LeastLoaded
from .least_occupied import LeastOccupied
from .longest_idle import LongestIdle
from .priority import Priority
from .random import Random
from .segment_priority import SegmentPriority
from .specialists_first import SpecialistsFirst
from .threshold_reservation import ThresholdReservation
from .time_overflow import TimeOverflow
from .weighted_wait import WeightedWait

__all__ = ["Router", "RouterBase", "REGISTRY", "get_router", "register", "policy_code",
           "is_policy_file"]

REGISTRY: dict[str, type] = {}


def register(cls: type) -> type:
    """Add a policy class to the registry under ``cls.name`` (usable as a decorator)."""
    REGISTRY[cls.name] = cls
    return cls


for _cls in (LongestIdle, Priority, TimeOverflow, WeightedWait, SegmentPriority, LeastOccupied,
             SpecialistsFirst, ThresholdReservation, ExpectedDelay, Random, LeastLoaded):
    register(_cls)


def get_router(name: str, base_dir: str | Path = ".") -> type:
    """The policy class registered as ``name``, or a user's class given as ``"file.py:Class"``
    (the file relative to ``base_dir``, usually the scenario's folder).

    Raises ValueError with a message fit for the user when the policy cannot be found."""
    if name in REGISTRY:
        return REGISTRY[name]
    if ":" not in name:
        raise ValueError(f"unknown routing policy {name!r} (known: {', '.join(REGISTRY)}, or "
                         f"'file.py:ClassName' for your own)")
    file, _, class_name = name.rpartition(":")
    path = Path(base_dir) / file
    if not path.is_file():
        raise ValueError(f"routing policy file not found: {path}")
    if _CODE["mode"] == "parse":
        return _not_imported(path, class_name)
    if _CODE["mode"] == "folder" and not path.resolve().is_relative_to(
            Path(base_dir).resolve()):
        raise ValueError(f"routing policy file {path} is outside the scenario's folder "
                         f"{Path(base_dir)}: a policy file is Python code and runs with your "
                         f"rights; pass --allow-code to run it from there")
    key = f"ccsim_user_policy_{abs(hash(str(path.resolve())))}"
    module = sys.modules.get(key)
    if module is None:
        spec = importlib.util.spec_from_file_location(key, path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # the user's code: report, do not crash
            raise ValueError(f"cannot load {path}: {type(exc).__name__}: {exc}") from None
        sys.modules[key] = module
    cls = getattr(module, class_name, None)
    if not isinstance(cls, type):
        raise ValueError(f"{path} has no class {class_name!r}")
    missing = [m for m in ("select_agent", "select_contact") if not callable(getattr(cls, m, None))]
    if missing:
        raise ValueError(f"{name}: a routing policy needs the methods select_agent and "
                         f"select_contact (missing: {', '.join(missing)})")
    if not hasattr(cls, "check_params"):
        raise ValueError(f"{name}: derive the class from ccsim.routing.RouterBase")
    return cls


# --- policy files are code ----------------------------------------------------------------
# A "file.py:Class" policy is imported, i.e. executed. What get_router may do with one:
#   "allow"  import it from anywhere (the Python API, and any command given --allow-code)
#   "folder" import it only from inside the scenario's folder (the commands that simulate)
#   "parse"  never import: check the file parses as Python and defines the class, and stand
#            in a placeholder that accepts any parameters and cannot route (read-only commands)
_CODE = {"mode": "allow"}
_POLICY_BYTES = 5_000_000


def policy_code_mode() -> str:
    """How policy files are treated now: "allow", "folder" or "parse" (see ``policy_code``)."""
    return _CODE["mode"]


def is_policy_file(name: str) -> bool:
    """Whether a policy name points at a user's Python file (``file.py:Class``)."""
    return name not in REGISTRY and ":" in name


@contextmanager
def policy_code(mode: str):
    """While active, policy files are treated by ``mode`` ("allow", "folder" or "parse")."""
    if mode not in ("allow", "folder", "parse"):
        raise ValueError(f"unknown policy-code mode {mode!r}")
    previous, _CODE["mode"] = _CODE["mode"], mode
    try:
        yield
    finally:
        _CODE["mode"] = previous


def _not_imported(path: Path, class_name: str) -> type:
    """A stand-in for the class ``class_name`` of ``path``, after checking without running
    it that the file is Python and defines the class."""
    try:
        if path.stat().st_size > _POLICY_BYTES:
            raise ValueError(f"{path}: a policy file of more than {_POLICY_BYTES:,} bytes")
        tree = ast.parse(path.read_bytes(), str(path))
    except SyntaxError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not valid Python: {exc.msg}") from None
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    if not any(isinstance(node, ast.ClassDef) and node.name == class_name for node in tree.body):
        raise ValueError(f"{path} has no class {class_name!r}")

    class NotImported(RouterBase):
        name = f"{path.name}:{class_name}"
        imported = False

        @classmethod
        def check_params(cls, params: dict) -> dict:
            return params  # the class itself, not imported, would check them

        def select_agent(self, contact, view):
            raise RuntimeError(f"the policy file {path} was not imported (--allow-code)")

        select_contact = select_agent

    NotImported.source = path
    return NotImported
