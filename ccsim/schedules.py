"""Workforce plans: shifts with activities, absence and adherence, laid out on the horizon.

A group staffed by shifts has no headcount of its own: its plan per interval is derived here
from the shifts (how many agents are paid, how many are planned on the phones once breaks,
lunches and other activities are taken out). Each replication then *realises* the plan: every
agent-day is drawn absent or present (unplanned shrinkage) and, if present, may log in late,
log out early or overrun its breaks (adherence). The draws come from the group's own streams
in a fixed order, so compared policies see the same absences and the same late log-ins.
"""

from __future__ import annotations

import math
from functools import lru_cache

import attrs

from .distributions import Distribution

__all__ = ["Activity", "Shift", "Lapse", "Adherence", "Duty", "shift_profile", "realise",
           "absent_slots", "DAY"]

DAY = 86400.0


@attrs.frozen
class Activity:
    """Planned time off the phones inside a shift: a break, lunch, meeting, training (planned
    shrinkage). ``start`` is the offset from the start of the shift; with a ``window``, the
    shift's agents take it one after another, their starts spread evenly over the window (so
    a team does not all go to lunch at once)."""

    name: str
    start: float
    length: float
    paid: bool = True
    window: float = 0.0

    def start_for(self, agent: int, agents: int) -> float:
        """Offset at which the shift's ``agent``-th of ``agents`` agents starts it."""
        return self.start + (self.window * agent / agents if agents else 0.0)


@attrs.frozen
class Shift:
    """``count`` agents (or the named ``agents`` of a roster) working from ``start`` (clock
    seconds after midnight) for ``length`` seconds on the given weekdays (0 = Monday)."""

    name: str
    start: float
    length: float
    count: int
    agents: tuple[str, ...] = ()
    days: frozenset = frozenset(range(7))
    activities: tuple[Activity, ...] = ()

    def agent_names(self) -> tuple[str, ...]:
        return self.agents or tuple(f"{self.name}-{i + 1}" for i in range(self.count))


@attrs.frozen
class Lapse:
    """One kind of non-adherence: with ``probability`` per agent-day, off schedule by a draw of
    ``by`` seconds."""

    probability: float
    by: Distribution


@attrs.frozen
class Adherence:
    late_login: Lapse | None = None
    early_logout: Lapse | None = None
    long_breaks: Lapse | None = None  # per activity: it lasts longer than planned


@attrs.define
class Duty:
    """One agent's realised day: log-in and log-out times and activities (start, length, name),
    times in simulation seconds; ``end`` is the scheduled end of the shift (the log-off the
    plan pays for, which an early log-out does not move)."""

    agent: str
    login: float
    logout: float
    activities: list
    end: float


def _instances(shift: Shift, start_clock: float, start_day: int, horizon: float):
    """(day start in simulation seconds) for every day the shift works that overlaps the
    horizon, including the day before t = 0 for shifts running past midnight."""
    days = math.ceil((start_clock + horizon) / DAY)
    for d in range(-1, days + 1):
        if (start_day + d) % 7 not in shift.days:
            continue
        begin = d * DAY - start_clock + shift.start
        if begin < horizon and begin + shift.length > 0:
            yield begin


def _spread(area: list, begin: float, end: float, interval: float, weight: float) -> None:
    """Add ``weight`` agents over [begin, end) to the per-interval agent-seconds ``area``."""
    n = len(area)
    begin, end = max(begin, 0.0), min(end, n * interval)
    k = int(begin // interval)
    while begin < end and k < n:
        stop = min(end, (k + 1) * interval)
        area[k] += weight * (stop - begin)
        begin, k = stop, k + 1


@lru_cache(maxsize=128)
def shift_profile(shifts: tuple, n_intervals: int, interval: float, start_clock: float,
                  start_day: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Mean agents per interval (planned on the phones, paid) implied by ``shifts``."""
    planned, paid = [0.0] * n_intervals, [0.0] * n_intervals
    horizon = n_intervals * interval
    for shift in shifts:
        count = len(shift.agents) or shift.count
        for begin in _instances(shift, start_clock, start_day, horizon):
            _spread(planned, begin, begin + shift.length, interval, count)
            _spread(paid, begin, begin + shift.length, interval, count)
            for activity in shift.activities:
                # agents who take the activity at the same offset, by offset
                takers = ({activity.start: count} if not activity.window else
                          {activity.start_for(i, count): 1 for i in range(count)})
                for offset, agents in takers.items():
                    a = begin + offset
                    _spread(planned, a, a + activity.length, interval, -agents)
                    if not activity.paid:
                        _spread(paid, a, a + activity.length, interval, -agents)
    return (tuple(v / interval for v in planned), tuple(v / interval for v in paid))


def _lapse(lapse: Lapse | None, rng) -> float:
    """Seconds off schedule for one agent-day. Both draws are made whatever happens, so the
    stream stays aligned between scenarios that differ only in probability."""
    if lapse is None:
        return 0.0
    hit, by = rng.random(), float(lapse.by.sample(rng, 1)[0])
    return by if hit < lapse.probability else 0.0


def realise(scenario, group, absence_rng, adherence_rng) -> list[Duty]:
    """The duties of ``group``'s agents over the horizon, with absence and adherence drawn."""
    adherence = group.adherence or Adherence()
    duties = []
    for shift in group.shifts:
        for begin in _instances(shift, scenario.start, scenario.start_day, scenario.horizon):
            names = shift.agent_names()
            for i, name in enumerate(names):
                absent = absence_rng.random() < group.absence
                late = _lapse(adherence.late_login, adherence_rng)
                early = _lapse(adherence.early_logout, adherence_rng)
                overruns = [_lapse(adherence.long_breaks, adherence_rng)
                            for _ in shift.activities]
                if absent:
                    continue
                login = begin + min(late, shift.length)
                logout = max(login, begin + shift.length - early)
                activities = [(begin + a.start_for(i, len(names)), a.length + extra, a.name)
                              for a, extra in zip(shift.activities, overruns)]
                duties.append(Duty(name, login, logout, activities, begin + shift.length))
    return duties


def absent_slots(group, n_days: int, rng) -> list[list[bool]]:
    """Headcount groups: for each day, whether each agent position is absent (the first k
    positions make up a headcount of k, so absence is a share of whoever is planned)."""
    size = max(group.headcount)
    return [[u < group.absence for u in rng.random(size)] for _ in range(n_days)]
