"""The work a scenario asks for, estimated before anything is simulated.

``estimate_work`` adds up what one replication will hold and create: agents (the peak of all
groups logged in at once, and agent-hours), intervals, and the expected contacts (arrivals of
every contact type and of the IVR over the horizon, plus the initial backlog). ``work_problem``
compares the estimate with the documented ``LIMITS``; ``check_scenario`` refuses a scenario
that exceeds them, so whatever ``validate`` accepts runs in bounded memory. Redials, callbacks
and transfers add contacts on top of the estimate; they are bounded by the contacts they
follow.
"""

from __future__ import annotations

import attrs
import numpy as np

from ..limits import LIMITS
from ..schedules import shift_profile

__all__ = ["Work", "estimate_work", "work_problem"]


@attrs.frozen
class Work:
    intervals: int
    agents_peak: float        # all groups together, in the busiest interval
    agent_hours: float        # paid agent-hours of all groups over the horizon
    contacts: float           # expected contacts of one replication
    group_peaks: dict = attrs.field(factory=dict, eq=False)   # group → its peak
    type_contacts: dict = attrs.field(factory=dict, eq=False)  # contact type → expected

    def describe(self) -> str:
        return (f"work per replication: {self.intervals:,} intervals, up to "
                f"{self.agents_peak:,.0f} agents at once ({self.agent_hours:,.1f} agent-hours), "
                f"about {self.contacts:,.0f} contacts")


def _expected(rates, n: int, interval: float) -> float:
    """Expected arrivals of a cyclic per-interval rate profile over ``n`` intervals."""
    cycles, rest = divmod(n, len(rates))
    return (cycles * float(sum(rates)) + float(sum(rates[:rest]))) * interval


def _paid(scenario, group) -> np.ndarray:
    n = scenario.n_intervals
    if group.shifts:
        return np.asarray(shift_profile(group.shifts, n, scenario.interval, scenario.start,
                                        scenario.start_day)[1], dtype=float)
    return np.resize(np.asarray(group.headcount, dtype=float), n)


def estimate_work(scenario) -> Work:
    n = scenario.n_intervals
    total = np.zeros(n)
    peaks = {}
    for group in scenario.agent_groups:
        paid = _paid(scenario, group)
        peaks[group.name] = float(paid.max()) if n else 0.0
        total += paid
    types = {t.name: _expected(t.arrival_rates, n, scenario.interval) + t.initial_backlog
             for t in scenario.contact_types}
    ivr = (_expected(scenario.ivr.arrival_rates, n, scenario.interval)
           if scenario.ivr is not None else 0.0)
    return Work(intervals=n, agents_peak=float(total.max()) if n else 0.0,
                agent_hours=float(total.sum()) * scenario.interval / 3600.0,
                contacts=sum(types.values()) + ivr, group_peaks=peaks, type_contacts=types)


def work_problem(scenario, work: Work | None = None) -> tuple[tuple, str] | None:
    """(YAML path to blame, message) when the scenario asks for more than ``LIMITS``."""
    if scenario.n_intervals > LIMITS.intervals:
        return ("horizon",), (f"{scenario.n_intervals:,} intervals, more than the limit of "
                              f"{LIMITS.intervals:,}")
    work = work or estimate_work(scenario)
    for group in scenario.agent_groups:
        if work.group_peaks[group.name] > LIMITS.agents_per_group + 1e-9:
            key = "shifts" if group.shifts else "headcount"
            return (("agent_groups", group.name, key),
                    f"up to {work.group_peaks[group.name]:,.0f} agents of this group at once, "
                    f"more than the limit of {LIMITS.agents_per_group:,} per group")
    if work.agents_peak > LIMITS.agents + 1e-9:
        return (("agent_groups",), f"up to {work.agents_peak:,.0f} agents at once in all "
                                   f"groups, more than the limit of {LIMITS.agents:,}")
    if not work.contacts <= LIMITS.contacts:  # also catches an infinite or NaN estimate
        largest = max(work.type_contacts, key=work.type_contacts.get)
        ivr = scenario.ivr is not None and work.type_contacts[largest] < work.contacts / 2
        path = ("ivr", "arrivals") if ivr else ("contact_types", largest, "arrivals")
        return (path, f"about {work.contacts:,.3g} contacts expected in one replication, more "
                      f"than the limit of {LIMITS.contacts:,.0f}: check the arrival rates "
                      f"(a digit too many?) and the horizon")
    return None
