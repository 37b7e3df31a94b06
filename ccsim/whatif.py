"""What-if variants of a scenario: more volume, longer calls, fewer agents.

Each variant is a new frozen scenario made with ``attrs.evolve``; random streams are keyed by
name, so a variant simulated with the same seed sees the same unit random numbers (arrival gaps
are stretched, handle times scaled) and comparisons across variants stay paired.
"""

from __future__ import annotations

import math

import attrs

from .distributions import Distribution

__all__ = ["Scaled", "scaled"]


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
           patience: float = 1.0):
    """``scenario`` with arrival rates, handle-time parts (talk, hold, ACW), patience and
    headcounts multiplied by the given factors (headcounts rounded to whole agents)."""
    for name, value in (("arrivals", arrivals), ("handle_time", handle_time),
                        ("headcount", headcount), ("patience", patience)):
        if not 0 <= value < math.inf or (value == 0 and name != "headcount"):
            raise ValueError(f"{name}: must be a finite factor > 0 (got {value!r})")
    types = tuple(attrs.evolve(
        t,
        arrival_rates=tuple(r * arrivals for r in t.arrival_rates),
        talk=_scale(t.talk, handle_time), hold=_scale(t.hold, handle_time),
        acw=_scale(t.acw, handle_time), patience=_scale(t.patience, patience),
    ) for t in scenario.contact_types)
    groups = tuple(attrs.evolve(g, headcount=tuple(round(h * headcount) for h in g.headcount))
                   for g in scenario.agent_groups)
    return attrs.evolve(scenario, contact_types=types, agent_groups=groups)
