"""What-if variants of a scenario: more volume, longer calls, fewer agents.

Each variant is a new frozen scenario made with ``attrs.evolve``; random streams are keyed by
name, so a variant simulated with the same seed sees the same unit random numbers (arrival gaps
are stretched, handle times scaled) and comparisons across variants stay paired.
"""

from __future__ import annotations

import math

import attrs

from ..distributions import Distribution
from ..limits import LIMITS
from ..scenario.work import work_problem

__all__ = ["AXES", "Scaled", "checked_variant", "scaled", "with_headcount"]

# what-if axes as planners name them (stress tests, sweeps) → keyword of ``scaled``
AXES = {"volume": "arrivals", "aht": "handle_time", "absence": "absence",
        "headcount": "headcount", "patience": "patience"}


@attrs.frozen
class Scaled(Distribution):
    """Another distribution with every value multiplied by ``factor``."""

    base: Distribution
    factor: float = attrs.field()

    @factor.validator
    def _factor(self, attribute, value):
        if not 0 < value < math.inf:
            raise ValueError(f"factor: must be a finite number > 0 (got {value!r})")

    @property
    def mean(self) -> float:
        return self.base.mean * self.factor

    @property
    def variance(self) -> float:
        return self.base.variance * self.factor**2

    def sample(self, rng, n):
        return self.base.sample(rng, n) * self.factor


def _scale(distribution, factor):
    if distribution is None or factor == 1:
        return distribution
    if isinstance(distribution, Scaled):
        return Scaled(distribution.base, distribution.factor * factor)
    return Scaled(distribution, factor)


def scaled(scenario, arrivals: float = 1.0, handle_time: float = 1.0, headcount: float = 1.0,
           patience: float = 1.0, absence: float | None = None):
    """``scenario`` with arrival rates, handle-time parts (talk, hold, ACW), patience and
    headcounts (or shift counts) multiplied by the given factors, rounded to whole agents;
    ``absence``, if given, becomes every group's unplanned absence.

    ``arrivals`` scales all demand: every contact type's own arrivals and the calls entering
    the IVR (``ivr.arrivals``), so a center fed through its IVR gets busier too. Follow-ups
    (redials, repeats, callbacks, transfers) are not scaled themselves: they follow from the
    contacts that come."""
    for name, value in (("arrivals", arrivals), ("handle_time", handle_time),
                        ("headcount", headcount), ("patience", patience)):
        if not 0 <= value < math.inf or (value == 0 and name != "headcount"):
            raise ValueError(f"{name}: must be a finite factor > 0 (got {value!r})")
    if absence is not None and not 0 <= absence <= 1:
        raise ValueError(f"absence: must be between 0 and 1 (got {absence!r})")
    types = tuple(attrs.evolve(
        t,
        arrival_rates=tuple(r * arrivals for r in t.arrival_rates),
        talk=_scale(t.talk, handle_time), hold=_scale(t.hold, handle_time),
        acw=_scale(t.acw, handle_time), patience=_scale(t.patience, patience),
    ) for t in scenario.contact_types)
    groups = tuple(attrs.evolve(
        g, headcount=tuple(round(h * headcount) for h in g.headcount),
        shifts=tuple(_scale_shift(s, headcount) for s in g.shifts),
        absence=g.absence if absence is None else absence,
    ) for g in scenario.agent_groups)
    ivr = scenario.ivr
    if ivr is not None and arrivals != 1:
        ivr = attrs.evolve(ivr, arrival_rates=tuple(r * arrivals for r in ivr.arrival_rates))
    return attrs.evolve(scenario, contact_types=types, agent_groups=groups, ivr=ivr)


def _scale_shift(shift, factor: float):
    if factor == 1:
        return shift
    count = round(shift.count * factor)
    if shift.agents:  # a roster shrinks from its end and grows with numbered extra agents
        extra = tuple(f"{shift.name}-extra-{i + 1}" for i in range(count - len(shift.agents)))
        return attrs.evolve(shift, agents=(shift.agents + extra)[:count], count=count)
    return attrs.evolve(shift, count=count)


def with_headcount(scenario, group: str, headcount) -> object:
    """``scenario`` with ``group`` staffed by exactly ``headcount`` agents per interval (no
    shifts, absence or adherence): the on-line staffing that simulation-based staffing tries."""
    groups = tuple(attrs.evolve(g, headcount=tuple(int(h) for h in headcount), shifts=(),
                                absence=0.0, adherence=None) if g.name == group else g
                   for g in scenario.agent_groups)
    return attrs.evolve(scenario, agent_groups=groups)


def checked_variant(scenario, factors: dict):
    """``whatif.scaled(scenario, **factors)`` if the variant stays within ``LIMITS`` (checked
    before scaling for headcounts, so a factor of 1e9 on a roster allocates nothing), else
    ValueError saying which limit the variant exceeds."""
    for name, value in factors.items():
        if name != "absence" and not 0 <= value <= 1000:
            raise ValueError(f"{name}: a factor between 0 and 1000 (got {value!r})")
    factor = factors.get("headcount", 1.0)
    biggest = max((max(len(s.agents), s.count) for g in scenario.agent_groups
                   for s in g.shifts), default=0)
    biggest = max(biggest, *(max(g.headcount, default=0) for g in scenario.agent_groups))
    if biggest * factor > LIMITS.agents_per_group:
        raise ValueError(f"headcount: ×{factor:g} makes {biggest * factor:,.0f} agents in a "
                         f"group, more than the limit of {LIMITS.agents_per_group:,}")
    variant = scaled(scenario, **factors)
    problem = work_problem(variant)
    if problem:
        raise ValueError(f"the variant asks too much: {problem[1]}")
    return variant
