"""The shift-scheduling integer programme: variables, constraints, HiGHS.

Implicit formulation (after Bechtold & Jacobs 1990 and Aykin 1996): an integer variable per
*shift* (group, shift type, start, length) = agents working it, and an integer variable per
(shift, activity, placement) = how many of them take that activity there; each activity's
placements add up to the shift's agents. Because every activity of a type has a window of
its own (the catalogue checks it), any placement of one combines with any placement of the
others, so counts per placement always make a schedule. This has a sum, not a product, of
placements per shift, and far less symmetry than one column per full break pattern, which
is what lets HiGHS close the gap on a day of 30-minute intervals in seconds.

Coverage of an interval = mean agents on the phones there, computed by
``schedules.shift_profile`` (the function the simulation lays shifts out with), so the
programme sees the schedule exactly as it will be simulated. When the catalogue's limits
(max counts, part-time share) cannot cover every interval, the programme is solved again with
a shortfall variable per coverage constraint, priced above any shift, so that what cannot be
covered comes back as a shortfall to report. (It is not there from the start: such big-M
variables weaken the relaxation and made HiGHS several times slower on a bank's day.)
"""

from __future__ import annotations

import math

import attrs
import numpy as np

from ...limits import LIMITS
from ...schedules import DAY, Activity, Shift, shift_profile

__all__ = ["Candidate", "candidates", "solve", "Solution", "instances"]


@attrs.frozen(eq=False)
class Candidate:
    """A shift the plan may use: its coverage without activities, and what each placement of
    each activity takes out of it (one array per offset, per activity)."""

    group: str
    shift_type: object  # catalogue.ShiftType
    start: float  # clock seconds
    length: float
    coverage: np.ndarray  # one agent, activities not taken out
    placements: tuple  # per activity: tuple of (offset, np.ndarray taken off the phones)
    days_worked: int
    paid_hours: float  # per agent over the horizon
    cost: float  # per agent over the horizon

    def shift(self, name: str, count: int, offsets: tuple = ()) -> Shift:
        activities = tuple(Activity(name=a.name, start=o, length=a.length, paid=a.paid)
                           for a, o in zip(self.shift_type.activities, offsets))
        return Shift(name=name, start=self.start, length=self.length, count=count,
                     days=self.shift_type.days, activities=activities)


def instances(shift: Shift, start_clock: float, start_day: int, horizon: float) -> int:
    """Days on which ``shift`` is worked within the horizon (as ``schedules`` lays them out,
    including a shift begun the evening before t = 0 that runs into it)."""
    count = 0
    for d in range(-1, math.ceil((start_clock + horizon) / DAY) + 1):
        begin = d * DAY - start_clock + shift.start
        if (start_day + d) % 7 in shift.days and begin < horizon and begin + shift.length > 0:
            count += 1
    return count


def candidates(scenario, catalogue, groups, too_many) -> list[Candidate]:
    """Every shift of the catalogue for ``groups`` that is worked within the horizon;
    ``too_many(n)`` (a located error) is raised once the variables would pass
    ``LIMITS.shift_columns``."""
    n, interval = scenario.n_intervals, scenario.interval

    def profile(shift):
        return np.asarray(shift_profile.__wrapped__((shift,), n, interval, scenario.start,
                                                    scenario.start_day)[0])

    variables = sum((1 + sum(len(a.offsets()) for a in kind.activities))
                    * len(kind.starts) * len(kind.lengths)
                    for group in groups for kind in catalogue.types_for(group))
    if variables > LIMITS.shift_columns:  # counted before anything is laid out
        raise too_many(variables)
    out = []
    for group in groups:
        rate = scenario.costs.agent_rate(group) if scenario.costs is not None else 1.0
        for kind in catalogue.types_for(group):
            for start in kind.starts:
                for length in kind.lengths:
                    bare = Shift("candidate", start, length, 1, days=kind.days)
                    days = instances(bare, scenario.start, scenario.start_day, scenario.horizon)
                    if not days:
                        continue
                    offsets = [a.offsets() for a in kind.activities]
                    coverage = profile(bare)
                    placements = tuple(
                        tuple((o, coverage - profile(attrs.evolve(bare, activities=(
                            Activity(a.name, o, a.length, a.paid),)))) for o in options)
                        for a, options in zip(kind.activities, offsets))
                    paid = days * kind.paid_length(length) / 3600.0
                    cost = (days * kind.cost if kind.cost is not None else
                            paid * (kind.cost_per_hour if kind.cost_per_hour is not None
                                    else rate))
                    out.append(Candidate(group, kind, start, length, coverage, placements,
                                         days, paid, cost))
    return out


@attrs.frozen
class Solution:
    counts: tuple[int, ...]  # agents per candidate
    placements: tuple  # per candidate, per activity: agents per offset
    status: str  # "optimal" or "time limit"
    gap: float  # relative gap between the plan's cost and the best bound
    message: str


def solve(cands: list[Candidate], requirements: dict, catalogue,
          shortfall: bool = False) -> Solution | None:
    """Cheapest integer plan covering ``requirements`` (group → per-interval floats); None
    when there is none. With ``shortfall``, coverage may fall short at a price above any
    shift (for when the catalogue's limits cannot cover everything); None then means the
    catalogue's own rules (min counts against the part-time share) admit no plan.

    No constraint links two groups, so each group is its own, smaller programme (with its
    own time limit): HiGHS closes those much faster than one programme of them all."""
    counts, placements = [0] * len(cands), [()] * len(cands)
    status, gap, messages = "optimal", 0.0, []
    for group, needed in requirements.items():
        mine = [i for i, c in enumerate(cands) if c.group == group]
        part = _solve_group([cands[i] for i in mine], {group: needed}, catalogue, shortfall)
        if part is None or part.status == "no plan":
            return part
        for i, n, p in zip(mine, part.counts, part.placements):
            counts[i], placements[i] = n, p
        if part.status != "optimal":
            status = part.status
        gap = max(gap, part.gap)
        messages.append(part.message)
    return Solution(tuple(counts), tuple(placements), status, gap, "; ".join(messages))


def _solve_group(cands, requirements, catalogue, shortfall) -> Solution | None:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    cost, upper = [], []  # variables: shifts, then placements, then shortfalls

    def variable(price, high):
        cost.append(price)
        upper.append(high)
        return len(cost) - 1

    shift_var, place_vars = [], []
    for c in cands:
        high = c.shift_type.max if c.shift_type.max is not None else LIMITS.agents_per_group
        shift_var.append(variable(c.cost, high))
        place_vars.append([[variable(0.0, high) for _ in options] for options in c.placements])
    n_integer = len(cost)
    worst = max((c.cost for c in cands), default=1.0)
    penalty = 10.0 * max(worst, 1.0) + 1.0  # one agent short anywhere costs more than a shift
    entries, low, high = [], [], []  # (row, variable, value)

    def row(terms, lo, hi):
        r = len(low)
        entries.extend((r, j, v) for j, v in terms)
        low.append(lo)
        high.append(hi)

    for g, needed in requirements.items():
        mine = [i for i, c in enumerate(cands) if c.group == g]
        for k, need in enumerate(needed):
            if need <= 1e-9:
                continue
            terms = [(variable(penalty, np.inf), 1.0)] if shortfall else []
            for i in mine:
                if cands[i].coverage[k] > 0:
                    terms.append((shift_var[i], cands[i].coverage[k]))
                    for options, vars_ in zip(cands[i].placements, place_vars[i]):
                        terms += [(j, -taken[k]) for (_, taken), j in zip(options, vars_)
                                  if taken[k] > 0]
            row(terms, need, np.inf)
        for kind in catalogue.types_for(g):
            if kind.min or kind.max is not None:
                row([(shift_var[i], 1.0) for i in mine if cands[i].shift_type is kind],
                    kind.min, np.inf if kind.max is None else kind.max)
        share = catalogue.part_time_share.get(g, 1.0)
        if share < 1 and any(cands[i].shift_type.part_time for i in mine):
            # part-time hours - share × all hours <= 0
            row([(shift_var[i], cands[i].paid_hours *
                  ((1.0 if cands[i].shift_type.part_time else 0.0) - share)) for i in mine],
                -np.inf, 0.0)
    for i in range(len(cands)):
        for vars_ in place_vars[i]:  # each activity's placements share out the shift's agents
            row([(shift_var[i], -1.0)] + [(j, 1.0) for j in vars_], 0.0, 0.0)
    n = len(cost)
    constraints = []
    if low:
        r, j, v = zip(*entries)
        constraints = [LinearConstraint(coo_matrix((v, (r, j)), shape=(len(low), n)).tocsr(),
                                        low, high)]
    integrality = np.concatenate([np.ones(n_integer), np.zeros(n - n_integer)])
    result = milp(np.asarray(cost), constraints=constraints, integrality=integrality,
                  bounds=Bounds(np.zeros(n), np.asarray(upper, dtype=float)),
                  options={"time_limit": catalogue.time_limit, "mip_rel_gap": catalogue.gap,
                           "disp": False})
    if result.x is None:
        return None if result.status == 2 else Solution((), (), "no plan", math.inf,
                                                        result.message)
    x = np.round(result.x).astype(int)
    counts = tuple(int(x[j]) for j in shift_var)
    placements = tuple(tuple(tuple(int(x[j]) for j in vars_) for vars_ in per)
                       for per in place_vars)
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    return Solution(counts, placements, "optimal" if result.status == 0 else "time limit",
                    gap, result.message)
