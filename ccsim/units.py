"""Durations and rates written with units, the only place units are interpreted.

Scenario files say ``"20s"``, ``"4.5min"``, ``"8h"`` or ``"240/h"``; the engine works in seconds
and per-second rates. A bare number is a duration in seconds; a rate must carry its unit,
because a bare rate is too easily misread (per hour? per interval?).
"""

from __future__ import annotations

import math
import re

from .limits import LIMITS

__all__ = ["UnitError", "parse_duration", "parse_rate", "parse_share", "parse_service_target",
           "format_duration", "format_clock", "DURATION_UNITS"]

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


_SHARE = re.compile(r"^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(%?)\s*$")
_LEGACY_TARGET = re.compile(r"^\s*sl\s*>=\s*(.+?)\s*@\s*(.+?)\s*$", re.I)
SHARE_EXAMPLES = "a share such as 0.8 or 80%"
TARGET_EXAMPLES = "a service-level target such as 80/20 (80 % within 20 s), 80%/30s, 80% or 0.8"


def parse_share(value: object) -> float:
    """A share in [0, 1] from ``0.8``, ``"0.8"`` or ``"80%"``. A bare number above 1 is
    refused rather than read as a percentage: ``80`` could be a typo for ``0.80`` or ``80%``."""
    number = _number(value)
    if number is None:
        if not isinstance(value, str):
            raise UnitError(f"expected {SHARE_EXAMPLES} (got {_shown(value)})")
        _digits(value)
        match = _SHARE.match(value)
        if not match:
            raise UnitError(f"expected {SHARE_EXAMPLES} (got {_shown(value)})")
        number = float(match.group(1)) / (100.0 if match.group(2) else 1.0)
        if match.group(2) and not 0.0 <= number <= 1.0:
            raise UnitError(f"expected a percentage from 0% to 100% (got {_shown(value)})")
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        hint = f"; for a percentage write {number:g}%" if 1.0 < number <= 100.0 else ""
        raise UnitError(f"expected {SHARE_EXAMPLES}, from 0 to 1 (got {_shown(value)}){hint}")
    return number


def parse_service_target(value: object) -> tuple[float, float | None]:
    """(share, threshold in seconds or None) of a service-level target as planners write it.

    ``"80/20"`` is the industry shorthand: 80 % of contacts answered within 20 s (the part
    before ``/`` is a percentage, ``%`` optional; the part after is a duration, bare seconds
    allowed: ``80/20``, ``80%/20s``, ``90/1min``). ``"80%"``, ``0.8`` or ``"0.8"`` give the
    share alone (threshold None: the caller's own). ``"sl>=0.80@20s"`` (the form of ``ccsim
    staff``) is read too. The share lies in [0, 1]; callers narrow it where they must.
    """
    if isinstance(value, str):
        legacy = _LEGACY_TARGET.match(value)
        if legacy:
            share_text, threshold_text = legacy.groups()
        elif "/" in value:
            share_text, _, threshold_text = value.partition("/")
            if not share_text.strip().endswith("%"):
                bare = _SHARE.match(share_text)
                if bare and float(bare.group(1)) < 1:
                    raise UnitError(f"expected {TARGET_EXAMPLES} (got {_shown(value)}: before "
                                    f"'/' is a percentage, so write 80/20, not 0.8/20)")
                share_text = share_text.strip() + "%"
        else:
            share_text = threshold_text = None
        if threshold_text is not None:
            try:
                share = parse_share(share_text)
                threshold = parse_duration(threshold_text)
            except UnitError:
                raise UnitError(f"expected {TARGET_EXAMPLES} (got {_shown(value)})") from None
            if not (math.isfinite(threshold) and threshold >= 0):
                raise UnitError(f"expected a finite threshold ≥ 0 after '/' in "
                                f"{_shown(value)}, such as 80/20 or 80%/30s")
            return share, threshold
    try:
        return parse_share(value), None
    except UnitError as exc:
        if "percentage" in str(exc) or "for a percentage" in str(exc):
            raise
        raise UnitError(f"expected {TARGET_EXAMPLES} (got {_shown(value)})") from None


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
