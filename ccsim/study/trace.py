"""A trace of one replication: how queues and agent groups moved over time, change by change.

``Statistics`` keeps only sums per interval; a ``Trace`` keeps the path itself, as step series
``(time, value)`` — the value holds from its time until the next one:

- ``queue[type]``: contacts waiting of each contact type (from ``queue_changed``);
- ``busy[group]``: contacts in service with each group (+1 at ``answer``, −1 at ``complete``):
  its busy agents, or for a chat group whose agents hold several chats at once, the chats held;
- ``staffed[group]``: agents of each group logged in (from ``staffing``).

Times are seconds from the start of the horizon (add ``scenario.start`` for clock time). Changes
at the same instant are collapsed into one point, keeping the last value.

Memory: one pair of floats per change of one series, so it grows with the number of changes in
ONE replication — about four points per contact (queue up and down, busy up and down) plus two
per staffing change; a day of 5,000 calls is ~20,000 points, well under a megabyte. Trace one
replication for a picture; use ``Statistics`` / ``Results`` for figures over many.
"""

from __future__ import annotations

from array import array

import numpy as np

from ..engine.center import simulate_replication
from ..measure.observers import Observer, Observers
from ..measure.interval_sums import Statistics
from ..routing import get_router
from ..skills import SkillGraph
from ..streams import Streams

__all__ = ["Trace", "StepSeries", "trace_replication"]


class StepSeries:
    """A piecewise-constant series, stored as two growing arrays of doubles."""

    __slots__ = ("_times", "_values")

    def __init__(self, value: float = 0.0, time: float = 0.0):
        self._times = array("d", [time])
        self._values = array("d", [value])

    def set(self, time: float, value: float) -> None:
        if self._times[-1] == time:  # same instant: only the last value is seen
            self._values[-1] = value
        elif self._values[-1] != value:
            self._times.append(time)
            self._values.append(value)

    def add(self, time: float, change: float) -> None:
        self.set(time, self._values[-1] + change)

    @property
    def times(self) -> np.ndarray:
        return np.frombuffer(self._times, dtype=float).copy()

    @property
    def values(self) -> np.ndarray:
        return np.frombuffer(self._values, dtype=float).copy()

    @property
    def last(self) -> float:
        return self._values[-1]

    def __len__(self) -> int:
        return len(self._times)

    def integral(self, until: float) -> float:
        """∫ value dt from the first point to ``until`` (at or after the last point)."""
        times, values = self.times, self.values
        widths = np.diff(np.append(times, until))
        return float(np.sum(values * widths))

    def mean(self, until: float) -> float:
        """Time average from the first point to ``until``."""
        span = until - self._times[0]
        return self.integral(until) / span if span > 0 else float(self._values[-1])

    def maximum(self) -> float:
        return float(max(self._values))


class Trace(Observer):
    """Records queue lengths per contact type, and contacts in service and staffed agents per
    agent group, for one replication (see the module docstring). ``end_time`` is when the
    replication ended."""

    def __init__(self, scenario, seed: int | None = None, replication: int = 0):
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self.type_names = [t.name for t in scenario.contact_types]
        self.group_names = [g.name for g in scenario.agent_groups]
        self.queue = {name: StepSeries() for name in self.type_names}
        self.busy = {name: StepSeries() for name in self.group_names}
        self.staffed = {name: StepSeries() for name in self.group_names}
        self.end_time = None
        self.statistics = None  # set by trace_replication: the same replication's sums

    def queue_changed(self, type_index, length, now):
        self.queue[self.type_names[type_index]].set(now, length)

    def answer(self, contact, agent, now, duration):
        self.busy[self.group_names[agent.group_index]].add(now, 1)

    def complete(self, contact, agent, factor, now):
        self.busy[self.group_names[agent.group_index]].add(now, -1)

    def staffing(self, group_index, staffed, now):
        self.staffed[self.group_names[group_index]].set(now, staffed)

    def end(self, now, center):
        self.end_time = max(now, self.scenario.horizon)

    def points(self) -> int:
        """Number of stored (time, value) points over all series (what memory grows with)."""
        return sum(len(s) for series in (self.queue, self.busy, self.staffed)
                   for s in series.values())


def trace_replication(scenario, seed: int | None = None, replication: int = 0) -> Trace:
    """Run replication ``replication`` of ``scenario`` with master ``seed`` (default: the
    scenario's) and return its trace. The replication draws from the same streams as in
    ``simulate``, so it is the very replication ``replication`` of a run with that seed;
    ``trace.statistics`` holds its interval sums (a ``Statistics`` observer run alongside)."""
    seed = scenario.seed if seed is None else seed
    graph = SkillGraph(scenario)
    streams = Streams(seed, replication)
    router_class = get_router(scenario.routing.policy, scenario.base_dir)
    router = router_class(graph, scenario.routing.params, rng=streams("routing"))
    statistics = Statistics(scenario)
    trace = Trace(scenario, seed=seed, replication=replication)
    simulate_replication(scenario, graph, router, Observers([statistics, trace]), streams)
    trace.statistics = statistics
    return trace
