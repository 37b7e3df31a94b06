"""Routing policies, registered by name. A policy is one small class; see ``base.py``."""

from __future__ import annotations

import importlib.util
import sys
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

__all__ = ["Router", "RouterBase", "REGISTRY", "get_router", "register"]

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
