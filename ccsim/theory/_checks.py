"""Argument checks shared by the formulas: a ValueError names the argument and the value."""

from __future__ import annotations

import math
import numbers

# ---------------------------------------------------------------------------
# argument checks
# ---------------------------------------------------------------------------

def _check_agents(name: str, value) -> int:
    """Return ``value`` as an int if it is an integral number >= 1."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if isinstance(value, numbers.Integral):
        ivalue = int(value)
    elif isinstance(value, numbers.Real) and math.isfinite(value) and float(value).is_integer():
        ivalue = int(value)
    else:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if ivalue < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return ivalue


def _as_real(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    fvalue = float(value)
    if math.isnan(fvalue):
        raise ValueError(f"{name} must not be NaN, got {value!r}")
    return fvalue


def _check_nonneg(name: str, value, allow_inf: bool = False) -> float:
    fvalue = _as_real(name, value)
    if fvalue < 0 or (math.isinf(fvalue) and not allow_inf):
        kind = "a non-negative number" if allow_inf else "a finite non-negative number"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return fvalue


def _check_positive(name: str, value, allow_inf: bool = False) -> float:
    fvalue = _as_real(name, value)
    if fvalue <= 0 or (math.isinf(fvalue) and not allow_inf):
        kind = "a positive number" if allow_inf else "a finite positive number"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return fvalue


def _check_target(name: str, value) -> float:
    fvalue = _as_real(name, value)
    if not 0.0 <= fvalue < 1.0:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return fvalue
