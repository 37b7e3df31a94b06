"""Durations and rates written with units, the only place units are interpreted.

Scenario files say ``"20s"``, ``"4.5min"``, ``"8h"`` or ``"240/h"``; the engine works in seconds
and per-second rates. A bare number is a duration in seconds; a rate must carry its unit,
because a bare rate is too easily misread (per hour? per interval?).
"""

from __future__ import annotations

import math
import re

from .limits import LIMITS

__all__ = ["UnitError", "parse_duration", "parse_rate", "format_duration", "format_clock",
           "DURATION_UNITS"]

DURATION_UNITS = {
    "s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0,
    "min": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
}

_QUANTITY = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$")


_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|min|s)(?![a-z])")
_COMPOUND = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*(?:d|h|min|s)(?![a-z])\s*){2,4}$")


class UnitError(ValueError):
    """A value that is not a valid duration or rate; the message says what was expected."""


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # a whole number beyond any float
            raise UnitError(f"the number {str(value)[:20]}... is too large") from None
    return None


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:55] + "...'"


def _digits(text: str) -> None:
    """Refuse numbers written with more digits than ``LIMITS.number_digits``."""
    digits = sum(c.isdigit() for c in text)
    if digits > LIMITS.number_digits:
        raise UnitError(f"a number with {digits} digits: at most {LIMITS.number_digits} are "
                        f"allowed (the limit)")


def parse_duration(value: object) -> float:
    """Seconds from ``"20s"``, ``"5min"``, ``"1.5h"``, ``"2d"``, ``"inf"`` or a number of seconds."""
    number = _number(value)
    if number is not None:
        return number
    if not isinstance(value, str):
        raise UnitError(f"expected a duration such as '20s', '5min' or '8h' (got {_shown(value)})")
    if value.strip().lower() in ("inf", "infinite", "never"):
        return math.inf
    _digits(value)
    match = _QUANTITY.match(value)
    if not match:
        compound = _COMPOUND.match(value)
        if compound:  # "8h30min", "1min30s": largest unit first, each once
            parts = _PART.findall(value)
            scales = [DURATION_UNITS[unit] for _, unit in parts]
            if all(a > b for a, b in zip(scales, scales[1:])):
                return sum(float(amount) * scale for (amount, _), scale in zip(parts, scales))
        raise UnitError(f"expected a duration such as '20s', '5min', '8h' or '8h30min' "
                        f"(got {_shown(value)})")
    amount, unit = match.groups()
    if unit == "":
        return float(amount)
    if unit not in DURATION_UNITS:
        raise UnitError(f"unknown time unit {unit!r} in {_shown(value)}; use s, min, h or d")
    return float(amount) * DURATION_UNITS[unit]


def parse_rate(value: object) -> float:
    """Events per second from ``"240/h"``, ``"4/min"``, ``"0.5/s"`` or ``"1000/d"``."""
    if not isinstance(value, str) or "/" not in value:
        raise UnitError(f"expected a rate with its unit such as '240/h' or '4/min' (got {_shown(value)})")
    amount, _, unit = value.partition("/")
    _digits(amount)
    unit = unit.strip()
    if unit not in DURATION_UNITS:
        raise UnitError(f"unknown time unit {unit!r} in rate {_shown(value)}; use /s, /min, /h or /d")
    try:
        count = float(amount)
    except ValueError:
        raise UnitError(f"expected a number before '/' in rate {_shown(value)}") from None
    return count / DURATION_UNITS[unit]


def format_duration(seconds: float) -> str:
    """A short human form: 45s, 4.5min, 2h."""
    if math.isinf(seconds):
        return "inf"
    for unit, size in (("h", 3600.0), ("min", 60.0)):
        if abs(seconds) >= size:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def format_clock(seconds: float) -> str:
    """Seconds after midnight as hh:mm; hours go on past 24 up to 48 (24:00 is midnight at the
    end of the day), later days are written d2 hh:mm, d3 hh:mm, ..."""
    minutes = int(round(seconds / 60))
    hours, minute = divmod(minutes, 60)
    if hours < 48:
        return f"{hours:02d}:{minute:02d}"
    day, hours = divmod(hours, 24)
    return f"d{day} {hours:02d}:{minute:02d}"
