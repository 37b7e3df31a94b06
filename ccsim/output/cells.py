"""How one number reads on screen: percentages, counts, money and durations in the unit of
their channel.

A cell keeps its raw value (``mean``, the 95 % half-width ``half``, in the units of
``--json``: seconds, shares 0–1) beside the ``kind`` that says how to write it, so the same
table can be printed for people or written as CSV/JSON for programs. The written form never
contains a space inside a number: a table that must narrow a column wraps at the space
before ``±`` and never cuts a number.

Durations: phone and chat waits in seconds, then ``m:ss`` from a minute and ``h:mm:ss`` from
an hour; email and social waits (deferrable channels, answered within hours) as ``2h05m``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Cell", "estimate", "text", "duration", "KINDS"]

#: count, pct (a share written as %), sec (a duration of a phone or chat), hours (a
#: duration of email or social), money, num (a plain number), text
KINDS = ("count", "pct", "sec", "hours", "money", "num", "int", "text")


@dataclass(frozen=True)
class Cell:
    """One value of a table: ``mean`` (or text), its 95 % half-width, how to write it and an
    optional ``suffix`` written after it (a verdict such as ✓, a paired difference)."""

    mean: object
    half: float | None = None
    kind: str = "num"
    suffix: str = ""


def estimate(value: dict | None, kind: str, ci: bool = True) -> Cell:
    """A cell from a ``{"mean", "ci95"}`` estimate of ``Results.summary()``."""
    if value is None:
        return Cell(None, None, kind)
    return Cell(value.get("mean"), value.get("ci95") if ci else None, kind)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and (math.isnan(value)
                                                           or math.isinf(value)))


def duration(seconds: float, deferrable: bool = False) -> str:
    """``42.3s``, ``6:04`` or ``1:02:07`` (phone, chat); ``45m`` or ``9h11m`` (email, social)."""
    if deferrable:
        minutes = int(round(seconds / 60))
        hours, minute = divmod(minutes, 60)
        return f"{hours}h{minute:02d}m" if hours else f"{minute}m"
    if seconds < 59.95:
        return f"{seconds:.1f}s"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minute, second = divmod(rest, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute}:{second:02d}"


def _one(value: float, kind: str, half: bool = False) -> str:
    if kind == "pct":
        return f"{100 * value:.1f}" if half else f"{100 * value:.1f}%"
    if kind in ("sec", "hours"):
        return duration(value, kind == "hours")
    if kind == "count":
        return f"{value:,.1f}"
    if kind == "int":
        return f"{value:,.0f}"
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "num":
        return f"{value:,.2f}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def text(cell) -> str:
    """The written form of a cell (a plain string is written as it is)."""
    if not isinstance(cell, Cell):
        return "" if cell is None else str(cell)
    if cell.kind == "text":
        body = "" if cell.mean is None else str(cell.mean)
    elif _missing(cell.mean):
        body = "–"
    else:
        body = _one(float(cell.mean), cell.kind)
        if not _missing(cell.half) and cell.kind != "count":
            body += f" ±{_one(float(cell.half), cell.kind, half=True)}"
    return f"{body} {cell.suffix}" if cell.suffix else body


def raw(cell):
    """The machine form: (mean, half) with None for what is missing (text as it is)."""
    if not isinstance(cell, Cell):
        return cell, None
    if cell.kind == "text":
        return cell.mean, None
    mean = None if _missing(cell.mean) else float(cell.mean)
    half = None if _missing(cell.half) else float(cell.half)
    return mean, half
