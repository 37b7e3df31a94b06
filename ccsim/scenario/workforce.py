"""Parsing the workforce parts of a scenario: shifts and rosters, activities (planned
shrinkage), absence (unplanned shrinkage), adherence, and forecast error."""

from __future__ import annotations

from ..calendar import parse_day_spec
from ..limits import LIMITS
from ..schedules import DAY, Activity, Adherence, Lapse, Shift
from .files import shown
from .source import At
from .spec import ForecastError

__all__ = ["WORKFORCE_KEYS", "clock", "fraction", "working_days", "parse_shifts", "parse_adherence",
           "parse_forecast_error", "check_rosters"]

WORKFORCE_KEYS = ("shifts", "absence", "adherence", "finish_contact")
SHIFT_KEYS = ("start", "length", "count", "agents", "days", "activities", "description")
ACTIVITY_KEYS = ("name", "at", "length", "paid", "window")
LAPSE_KEYS = ("probability", "by")


def clock(at: At) -> float:
    """``"07:00"`` (or a duration) as seconds after midnight."""
    value = at.value
    if isinstance(value, str) and ":" in value:
        hours, _, minutes = value.partition(":")
        if hours.isdigit() and minutes.isdigit() and int(minutes) < 60 and int(hours) < 24:
            return int(hours) * 3600.0 + int(minutes) * 60.0
        raise at.error(f"expected a clock time such as '07:00' (got {value!r})")
    return at.duration()


def fraction(at: At) -> float:
    """A share as ``0.08`` or ``"8%"``, between 0 and 1 (``ccsim.units.parse_share``)."""
    from ..units import UnitError, parse_share

    if isinstance(at.value, str):
        try:
            return parse_share(at.value)
        except UnitError as exc:
            raise at.error(str(exc)) from None
    return at.number(low=0, high=1)


def working_days(at: At) -> frozenset:
    """The weekdays (0 = Monday) of a shift's ``days:`` key (``mon-fri``, ``sat,sun``, ...),
    every day when it is absent."""
    if not at.has("days"):
        return frozenset(range(7))
    try:
        return frozenset(parse_day_spec(at.child("days").string()))
    except ValueError as exc:
        raise at.child("days").error(str(exc)) from None


def parse_shifts(at: At) -> tuple[Shift, ...]:
    """``{early: {start: '07:00', length: 8h, count: 6, days: mon-fri, activities: [...]}}``."""
    at.mapping()
    if not at.value:
        raise at.error("needs at least one shift (got none)")
    return tuple(_shift(str(name), child) for name, child in at.items())


def _shift(name: str, at: At) -> Shift:
    at.mapping(SHIFT_KEYS, required=("start", "length"))
    length = at.child("length").duration(strict_low=True)
    if length > DAY:
        raise at.child("length").error(f"a shift lasts at most 24h (got {at.child('length').value!r})")
    if at.has("count") == at.has("agents"):
        raise at.error("give either count (a number of agents) or agents (a roster of names)")
    agents = ()
    if at.has("agents"):
        items = at.child("agents").sequence(min_length=1)
        if len(items) > LIMITS.agents_per_group:
            raise at.child("agents").error(f"{len(items):,} agents, more than the limit of "
                                           f"{LIMITS.agents_per_group:,} per group")
        agents = tuple(item.string() for item in items)
        seen = set()
        for agent, item in zip(agents, items):
            if agent in seen:
                raise item.error(f"agent {shown(agent)} is listed twice in this shift")
            seen.add(agent)
    count = (at.child("count").number(low=0, high=LIMITS.agents_per_group, integer=True)
             if at.has("count") else len(agents))
    days = working_days(at)
    activities = ()
    if at.has("activities"):
        activities = tuple(_activity(item, length) for item in
                           at.child("activities").sequence())
        ordered = sorted(zip(activities, at.child("activities").sequence()),
                         key=lambda pair: pair[0].start)
        for (first, _), (second, place) in zip(ordered, ordered[1:]):
            if second.start < first.start + first.window + first.length:
                raise place.error(f"activity {second.name!r} starts before {first.name!r} ends")
    return Shift(name=name, start=clock(at.child("start")), length=length, count=count,
                 agents=agents, days=days, activities=activities)


def _activity(at: At, shift_length: float) -> Activity:
    at.mapping(ACTIVITY_KEYS, required=("at", "length"))
    start = at.child("at").duration()
    length = at.child("length").duration(strict_low=True)
    window = at.child("window").duration() if at.has("window") else 0.0
    if start + window + length > shift_length:
        raise at.error(f"the activity ends {(start + window + length) / 60:g}min into a shift "
                       f"of {shift_length / 60:g}min: it must lie inside the shift")
    paid = True
    if at.has("paid"):
        if not isinstance(at.child("paid").value, bool):
            raise at.child("paid").expected("true or false")
        paid = at.child("paid").value
    name = at.child("name").string() if at.has("name") else "break"
    return Activity(name=name, start=start, length=length, paid=paid, window=window)


def check_rosters(at: At, shifts: tuple[Shift, ...]) -> None:
    """A named agent cannot work two shifts that overlap on any day of the week."""
    week = 7 * DAY
    spans: dict[str, list] = {}
    for shift in shifts:
        for agent in shift.agents:
            for day in shift.days:
                begin = day * DAY + shift.start
                for other, b, e in spans.get(agent, []):
                    # compare on the weekly circle: a Sunday night shift meets Monday morning
                    for offset in (-week, 0.0, week):
                        if begin < e + offset and b + offset < begin + shift.length:
                            raise at.child(shift.name).child("agents").error(
                                f"agent {agent!r} works overlapping shifts {other!r} and "
                                f"{shift.name!r}")
                spans.setdefault(agent, []).append((shift.name, begin, begin + shift.length))


def parse_adherence(at: At, distribution) -> Adherence:
    """``{late_login: {probability: 20%, by: {dist: exponential, mean: 4min}}, ...}``."""
    at.mapping(("late_login", "early_logout", "long_breaks"))
    lapses = {}
    for key, child in at.items():
        child.mapping(LAPSE_KEYS, required=("probability", "by"))
        lapses[key] = Lapse(probability=fraction(child.child("probability")),
                            by=distribution(child.child("by")))
    return Adherence(**lapses)


def parse_forecast_error(at: At) -> ForecastError:
    """``{day: 8%, interval: 5%}``: coefficients of variation of the busyness factors."""
    at.mapping(("day", "interval"))
    return ForecastError(day=fraction(at.child("day")) if at.has("day") else 0.0,
                         interval=fraction(at.child("interval")) if at.has("interval") else 0.0)


TIME_COLUMNS = ("interval_start", "time", "interval")


def _seconds(cell: str) -> float | None:
    """``"07:30"``, ``"1999-08-01T07:30:00"`` or ``"1999-08-01 07:30"`` → seconds (None if
    not a time)."""
    import datetime as dt

    cell = cell.strip()
    try:
        moment = dt.datetime.fromisoformat(cell)
        return moment.timestamp() if moment.tzinfo else \
            (moment - dt.datetime(1970, 1, 1)).total_seconds()
    except (ValueError, OverflowError):
        pass
    hours, _, minutes = cell.partition(":")
    if hours.isdigit() and len(hours) <= 3 and minutes[:2].isdigit():
        return int(hours) * 3600.0 + int(minutes[:2]) * 60.0
    return None


def check_interval_column(file_at: At, path, header: list[str], rows: list[list[str]]) -> None:
    """A profile CSV with a time column (clock times or dates and times) must have one row per
    interval, none missing: a gap would shift every later value to the wrong interval."""
    column = next((c for c in TIME_COLUMNS if c in header), None)
    if column is None:
        return
    index = header.index(column)
    previous = step = None
    for line, row in enumerate(rows[1:], start=2):
        cell = row[index].strip() if index < len(row) else ""
        when = _seconds(cell)
        if when is None and previous is None:
            return  # not a time column after all (e.g. interval numbers)
        if when is None:
            raise file_at.error(f"{path}:{line}: column {column!r}: expected a time such as "
                                f"07:30 or 1999-08-01T07:30 (got {shown(cell)})")
        if previous is not None:
            gap = when - previous[0]
            if gap == 0:
                raise file_at.error(f"{path}:{line}: {shown(cell)} repeats the time of line "
                                    f"{line - 1}: give one row per interval, in order")
            if gap < 0 and ":" in cell and "-" not in cell:
                gap += DAY  # clock times passing midnight
            if gap <= 0:
                raise file_at.error(f"{path}:{line}: the times go backwards ({shown(cell)} "
                                    f"after {shown(previous[1])} on line {line - 1}): give one "
                                    f"row per interval, in order")
            if step is None:
                step = gap
            if gap != step:
                what = (f"{round(gap / step) - 1} interval(s) missing" if gap > step and
                        gap % step == 0 else f"uneven step ({gap / 60:g}min after "
                                             f"{step / 60:g}min)")
                raise file_at.error(f"{path}:{line}: {what} between {shown(previous[1])} (line "
                                    f"{line - 1}) and {shown(cell)}: give one row per interval")
        previous = (when, cell)
