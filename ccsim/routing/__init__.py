"""Routing policies, registered by name. A policy is one small class; see ``base.py``."""

from __future__ import annotations

from .base import Router, RouterBase
from .longest_idle import LongestIdle
from .priority import Priority

__all__ = ["Router", "RouterBase", "REGISTRY", "get_router", "register"]

REGISTRY: dict[str, type] = {}


def register(cls: type) -> type:
    """Add a policy class to the registry under ``cls.name`` (usable as a decorator)."""
    REGISTRY[cls.name] = cls
    return cls


for _cls in (LongestIdle, Priority):
    register(_cls)


def get_router(name: str) -> type:
    """The policy class registered as ``name``; KeyError lists the known ones."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown routing policy {name!r} (known: {', '.join(REGISTRY)})") from None
