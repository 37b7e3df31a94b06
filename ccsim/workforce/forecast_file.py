"""A forecast CSV for the Erlang calculator: one row per interval with its start, the contacts
expected in it and, optionally, its mean handle time.

``ccsim erlang c --forecast FILE.csv`` staffs every row on its own (the per-interval method
planners use) and adds the agent-hours up. The file is read with the same checks as every CSV
ccsim takes (size, encoding, field length, via ``ccsim.workforce.importer.read_rows``), and a
mistake is an ``IntervalFileError`` naming the file, the line and the column.

Columns (names match without regard to case, spaces and punctuation):

- ``interval_start`` (or ``start``, ``interval``, ``time``): ``08:00``, ``8:30``, or a date and
  time such as ``2026-03-02 08:00`` / ``2026-03-02T08:00``;
- ``volume`` (or ``offered``, ``contacts``, ``calls``, ``forecast``): contacts in the interval;
- ``aht`` (optional; or ``aht_s``, ``handle_time``): seconds, or a duration (``5min``, ``320s``).

Rows follow each other by one interval; its length is the step between the first two rows
unless given.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from ..limits import LIMITS
from ..units import UnitError, format_clock, parse_duration
from .importer import IntervalFileError, parse_start, read_rows, stamp
from ..scenario.files import shown

__all__ = ["ForecastInterval", "Forecast", "IntervalStaffing", "read_forecast", "staff_forecast"]

_NAMES = {
    "start": ("interval start", "start", "interval", "time", "interval start time"),
    "volume": ("volume", "offered", "contacts", "calls", "forecast", "forecast volume"),
    "aht": ("aht", "aht s", "handle time", "mean handle time"),
}
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


@dataclass(frozen=True)
class ForecastInterval:
    line: int          # line of the file, for messages
    label: str         # the start as shown: 08:30, or 2026-03-02 08:30
    volume: float      # contacts expected in the interval
    aht: float | None  # seconds; None: the command's --aht


@dataclass(frozen=True)
class Forecast:
    path: str
    interval: float  # seconds
    rows: tuple      # ForecastInterval, in file order


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _start(text: str) -> tuple[float | datetime, str]:
    """(seconds after midnight or a datetime, label) of an interval start."""
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = (int(g or 0) for g in clock.groups())
        if minutes < 60 and seconds < 60 and hours <= 48:
            value = hours * 3600.0 + minutes * 60 + seconds
            return value, format_clock(value)
    when = parse_start(text.strip())
    return when, stamp(when).replace("T", " ")


def _columns(path, header: list) -> dict:
    known = {_key(name): field for field, names in _NAMES.items() for name in names}
    columns = {}
    for index, name in enumerate(header):
        field = known.get(_key(name))
        if field and field not in columns:
            columns[field] = index
    missing = [f for f in ("start", "volume") if f not in columns]
    if missing:
        wanted = {"start": "interval_start", "volume": "volume"}
        raise IntervalFileError(path, 1, f"expected columns interval_start and volume (and "
                                f"optionally aht); no column for "
                                f"{', '.join(wanted[m] for m in missing)} in "
                                f"{shown(', '.join(header))[:80]}")
    return columns


def read_forecast(path, interval: float | None = None) -> Forecast:
    """Read and check a forecast CSV (see the module); ``interval`` in seconds, or None to
    take the step between the first two rows."""
    header, lines = read_rows(path)
    header = [cell.strip() for cell in header]
    columns = _columns(path, header)
    if len(lines) > LIMITS.intervals:
        raise IntervalFileError(path, lines[LIMITS.intervals][0], f"more than "
                                f"{LIMITS.intervals:,} intervals (the limit)")
    starts, rows = [], []
    for line, cells in lines:
        def cell(field):
            index = columns.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        text = cell("start")
        try:
            start, label = _start(text)
        except ValueError:
            raise IntervalFileError(path, line, f"{header[columns['start']]}: expected a start "
                                    f"such as 08:30 or 2026-03-02 08:30, got {shown(text)}") \
                from None
        volume = _number(path, line, header[columns["volume"]], cell("volume"))
        aht = None
        if "aht" in columns and cell("aht"):
            try:
                aht = parse_duration(cell("aht"))
            except UnitError:
                aht = math.nan
            if not (math.isfinite(aht) and aht > 0):
                raise IntervalFileError(path, line, f"{header[columns['aht']]}: expected a "
                                        f"handle time > 0 such as 300 or 5min, got "
                                        f"{shown(cell('aht'))}")
        starts.append(start)
        rows.append(ForecastInterval(line, label, volume, aht))
    step = _step(path, lines, starts, interval)
    return Forecast(str(path), step, tuple(rows))


def _number(path, line, column, text) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if len(text) > LIMITS.number_digits or not (math.isfinite(value) and value >= 0):
        raise IntervalFileError(path, line, f"{column}: expected a number of contacts ≥ 0, got "
                                f"{shown(text)}")
    return value


def _seconds_between(a, b) -> float:
    if isinstance(a, datetime) != isinstance(b, datetime):
        raise TypeError
    return (b - a).total_seconds() if isinstance(a, datetime) else b - a


def _step(path, lines, starts, interval) -> float:
    """The interval length: given, or the first step; every step must equal it."""
    try:
        steps = [_seconds_between(a, b) for a, b in zip(starts, starts[1:])]
    except TypeError:
        raise IntervalFileError(path, lines[1][0], "mixes clock times and dates: write every "
                                "start the same way") from None
    if interval is None:
        if not steps:
            raise IntervalFileError(path, lines[0][0], "one interval only: give its length "
                                    "with --interval")
        interval = steps[0]
        if not interval > 0:
            raise IntervalFileError(path, lines[1][0], "expected rows in time order, one per "
                                    "interval; this start is not after the one before")
    for k, step in enumerate(steps):
        if step != interval:
            raise IntervalFileError(path, lines[k + 1][0], f"expected the next interval, "
                                    f"{interval / 60:g} min after the one before, got a step "
                                    f"of {step / 60:g} min (rows in order, none missing)")
    return interval


@dataclass(frozen=True)
class IntervalStaffing:
    """One interval of a forecast staffed on its own: ``figures`` is None when no contact is
    expected (no agent needed)."""

    row: ForecastInterval
    rate: float       # contacts per second
    aht: float        # seconds
    figures: object   # ccsim.theory.Staffing or None

    @property
    def agents(self) -> int:
        return self.figures.agents if self.figures is not None else 0


def staff_forecast(forecast: Forecast, aht: float | None, **targets) -> list[IntervalStaffing]:
    """``ccsim.theory.agents_for`` on every interval (its AHT, or ``aht``), with ``targets``
    (target_sl, threshold, patience, asa, max_abandon, max_occupancy)."""
    from .. import theory

    plan = []
    for row in forecast.rows:
        handle = row.aht if row.aht is not None else aht
        if handle is None:
            raise IntervalFileError(forecast.path, row.line, "no aht in this row: give --aht "
                                    "(the handle time of rows without one)")
        rate = row.volume / forecast.interval
        plan.append(IntervalStaffing(row, rate, handle, theory.agents_for(
            arrival_rate=rate, aht=handle, **targets) if rate > 0 else None))
    return plan
