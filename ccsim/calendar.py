"""Hours of operation: a weekly calendar per channel, with dated exceptions.

A calendar maps days to opening hours::

    mon-fri: "08:00-20:00"
    sat: ["09:00-12:00", "13:00-17:00"]
    sun: closed
    exceptions:
      2026-12-25: closed
      2026-12-24: "08:00-13:00"

Days not mentioned are closed; a calendar that is just ``always`` is open around the clock.
``open_periods`` turns a calendar into the list of (open, close) times, in seconds from the
start of the simulation, that fall inside the horizon.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["DAYS", "Calendar", "parse_day_spec", "parse_ranges", "open_periods"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class Calendar:
    """Opening hours per weekday (0 = Monday) and per date: lists of (start, end) seconds."""

    def __init__(self, weekly: dict[int, list[tuple[float, float]]],
                 exceptions: dict[dt.date, list[tuple[float, float]]] | None = None,
                 always: bool = False):
        self.weekly, self.exceptions, self.always = weekly, exceptions or {}, always

    def __eq__(self, other):
        return (isinstance(other, Calendar) and (self.weekly, self.exceptions, self.always)
                == (other.weekly, other.exceptions, other.always))

    def __repr__(self) -> str:
        return "Calendar(always)" if self.always else f"Calendar({self.weekly}, {self.exceptions})"

    def hours_on(self, weekday: int, date: dt.date | None) -> list[tuple[float, float]]:
        if self.always:
            return [(0.0, 86400.0)]
        if date is not None and date in self.exceptions:
            return self.exceptions[date]
        return self.weekly.get(weekday, [])


def parse_day_spec(text: str) -> list[int]:
    """``mon``, ``mon-fri``, ``sat,sun``, ``daily`` → weekday numbers (ValueError if unknown)."""
    text = text.strip().lower()
    if text in ("daily", "every day", "mon-sun"):
        return list(range(7))
    days: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            first, _, last = part.partition("-")
            if first.strip() not in DAYS or last.strip() not in DAYS:
                raise ValueError(f"expected days such as mon, mon-fri or sat,sun (got {text!r})")
            a, b = DAYS.index(first.strip()), DAYS.index(last.strip())
            days += list(range(a, b + 1)) if a <= b else list(range(a, 7)) + list(range(0, b + 1))
        elif part in DAYS:
            days.append(DAYS.index(part))
        else:
            raise ValueError(f"expected days such as mon, mon-fri or sat,sun (got {text!r})")
    return days


def parse_ranges(value) -> list[tuple[float, float]]:
    """``"08:00-20:00"``, a list of such ranges, or ``closed`` → sorted (start, end) seconds."""
    if isinstance(value, str) and value.strip().lower() == "closed":
        return []
    items = value if isinstance(value, list) else [value]
    ranges = []
    for item in items:
        match = _RANGE.match(item) if isinstance(item, str) else None
        if not match:
            raise ValueError(f"expected opening hours such as '08:00-20:00', a list of them, or "
                             f"closed (got {item!r})")
        h1, m1, h2, m2 = map(int, match.groups())
        start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
        if m1 > 59 or m2 > 59 or h1 > 24 or h2 > 24 or start > 86400 or end > 86400:
            raise ValueError(f"not a time of day in {item!r}")
        if end <= start:
            raise ValueError(f"the range must end after it starts (got {item!r}); a range "
                             f"past midnight is written as two, one on each day")
        ranges.append((float(start), float(end)))
    ranges.sort()
    for (_, end), (start, _) in zip(ranges, ranges[1:]):
        if start < end:
            raise ValueError(f"opening hours overlap (got {value!r})")
    return ranges


def open_periods(calendar: Calendar, start_clock: float, start_weekday: int,
                 start_date: dt.date | None, horizon: float) -> list[tuple[float, float]]:
    """(open, close) times in simulation seconds within [0, horizon], merged when contiguous.

    Time 0 is ``start_clock`` seconds after midnight of a day that is ``start_weekday`` (and
    ``start_date``, when exceptions by date are used)."""
    periods: list[tuple[float, float]] = []
    day = 0
    while day * 86400.0 - start_clock < horizon:
        date = start_date + dt.timedelta(days=day) if start_date else None
        for start, end in calendar.hours_on((start_weekday + day) % 7, date):
            a = max(0.0, day * 86400.0 + start - start_clock)
            b = min(horizon, day * 86400.0 + end - start_clock)
            if b > a:
                if periods and periods[-1][1] >= a:
                    periods[-1] = (periods[-1][0], max(periods[-1][1], b))
                else:
                    periods.append((a, b))
        day += 1
    return periods
