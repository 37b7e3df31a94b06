"""The ``hours:`` section of a scenario: opening hours per channel (see ccsim.calendar)."""

from __future__ import annotations

import datetime as dt

from ..calendar import DAYS, Calendar, parse_day_spec, parse_ranges
from .source import At
from .spec import CHANNELS

__all__ = ["parse_hours", "parse_date"]


def parse_date(at: At) -> dt.date:
    value = at.value
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise at.error(f"expected a date such as 2026-11-23 (got {value!r})") from None


def parse_hours(at: At, start_date) -> dict:
    """``hours: {channel: calendar}``; see ccsim.calendar for the calendar format."""
    at.mapping(CHANNELS)
    return {channel: _calendar(child, start_date) for channel, child in at.items()}


def _calendar(at: At, start_date) -> Calendar:
    if isinstance(at.value, str) and at.value.strip().lower() == "always":
        return Calendar({}, always=True)
    at.mapping()
    weekly: dict[int, list] = {}
    exceptions: dict[dt.date, list] = {}
    for key, child in at.items():
        if key == "exceptions":
            if not isinstance(child.value, dict):
                raise child.expected("a mapping of dates to opening hours")
            if start_date is None and child.value:
                raise child.error("dated exceptions need start_date (the date of the start)",
                                  key=True)
            for day, hours in child.value.items():  # YAML reads 2026-12-25 as a date
                place = At(at.source, child.path + (str(day),), hours, root=False)
                date = parse_date(At(at.source, place.path, day, root=False))
                exceptions[date] = _ranges(place)
            continue
        try:
            days = parse_day_spec(str(key))
        except ValueError as exc:
            raise child.error(str(exc), key=True) from None
        for day in days:
            if day in weekly:
                raise child.error(f"{DAYS[day]} is given twice in this calendar", key=True)
            weekly[day] = _ranges(child)
    return Calendar(weekly, exceptions)


def _ranges(at: At) -> list:
    try:
        return parse_ranges(at.value)
    except ValueError as exc:
        raise at.error(str(exc)) from None
