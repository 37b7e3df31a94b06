"""Stress tests: does a staffing plan survive more volume, longer calls, more absence?

Every point of a grid of what-if factors is simulated with the same seed, so neighbouring
points see the same contacts, stretched or scaled (common random numbers), and differences
between points are differences of the plan, not of luck. Each point reports KPIs with their
confidence intervals and the probability that a day meets the service-level target: the
share of the simulated calendar days (every day of the horizon inside the summary window, in
every replication) whose service level reaches it. Its interval is a Wilson interval over an
effective number of days: days of one replication may be correlated (a queue left at midnight
is the next morning's), so replications are treated as clusters and the count of days is
divided by the design effect the replications show (never more than the count of days, never
fewer than the count of replications).
"""

from __future__ import annotations

import itertools
import math

import attrs

from ..measure.days import day_levels
from ..study.experiment import simulate_many
from ..study.whatif import AXES, scaled

__all__ = ["AXES", "DEFAULT_GRID", "StressPoint", "stress", "default_target", "day_levels",
           "parse_axis", "wilson"]

DEFAULT_GRID = {"volume": (0.9, 1.0, 1.1, 1.2, 1.3), "aht": (1.0, 1.1, 1.2),
                "absence": (0.0, 0.05, 0.10, 0.15)}
KPIS = ("service_level", "asa", "abandon_rate", "group_occupancy")


def parse_axis(text: str) -> tuple[float, ...]:
    """``"0.9:1.3:0.1"`` (first:last:step), ``"0.9,1,1.2"`` or ``"0,5%,10%"`` → values."""
    def number(item: str) -> float:
        item = item.strip()
        return float(item[:-1]) / 100 if item.endswith("%") else float(item)

    try:
        if ":" in text:
            first, last, step = (number(part) for part in text.split(":"))
            if step <= 0 or last < first:
                raise ValueError
            count = int(math.floor((last - first) / step + 1e-9)) + 1
            return tuple(round(first + i * step, 10) for i in range(count))
        values = tuple(number(item) for item in text.split(",") if item.strip())
    except ValueError:
        raise ValueError(f"expected values such as 0.9:1.3:0.1 or 0.9,1.0,1.2 (got {text!r})") \
            from None
    if not values:
        raise ValueError(f"expected at least one value (got {text!r})")
    return values


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion (stays inside [0, 1] even at 0 or n)."""
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@attrs.frozen
class StressPoint:
    factors: dict  # axis → value
    target: float  # service level a day must reach
    kpis: dict  # KPI → {"mean", "ci95"}
    p_meet: float  # share of simulated days meeting the target
    p_meet_low: float
    p_meet_high: float
    days: int = 0  # simulated days behind p_meet (calendar days × replications)

    def row(self) -> dict:
        row = dict(self.factors)
        for name, estimate in self.kpis.items():
            row[name], row[f"{name}_ci95"] = estimate["mean"], estimate["ci95"]
        row.update(p_meet_sl=self.p_meet, p_meet_sl_low=self.p_meet_low,
                   p_meet_sl_high=self.p_meet_high, days=self.days)
        return row


def share_of_days(levels: list[list[float]], target: float) -> tuple[float, float, float, int]:
    """Share of days meeting ``target`` and its interval (replications as clusters)."""
    met = [sum(1 for level in mine if level >= target - 1e-12) for mine in levels]
    counts = [len(mine) for mine in levels]
    n, successes = sum(counts), sum(met)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    p = successes / n
    effective = float(n)
    r = len(levels)
    if r > 1 and 0 < p < 1:  # Kish design effect of the ratio estimator over clusters
        cluster = r / (r - 1) * sum((m - p * d) ** 2 for m, d in zip(met, counts)) / n ** 2
        design = cluster / (p * (1 - p) / n)
        effective = min(float(n), max(float(r), n / design if design > 0 else float(n)))
    low, high = wilson(p * effective, effective)
    return p, low, high, n


def default_target(scenario) -> float:
    """The contact types' service-level targets weighted by their forecast volume over the
    horizon, calls the IVR routes to them included (see ``Scenario.demand_rate``)."""
    types = scenario.contact_types
    weights = [sum(scenario.demand_rate(t, k) for k in range(scenario.n_intervals))
               for t in types]
    if sum(weights) <= 0:
        raise ValueError("no contact type has any forecast volume: give --target")
    return sum(w * t.service_level.target for w, t in zip(weights, types)) / sum(weights)


def stress(scenario, grid: dict, replications: int | None = None, seed: int | None = None,
           jobs: int = 1, target: float | None = None, progress=None,
           executor=None) -> list[StressPoint]:
    """Simulate every combination of ``grid`` (axis → factors). A day meets the target when
    its overall service level reaches ``target`` (default: the contact types' targets
    weighted by their forecast volumes); every calendar day of every replication counts
    (``day_levels``). ``progress(done, total)`` follows the replications."""
    unknown = sorted(set(grid) - set(AXES))
    if unknown:
        raise ValueError(f"unknown stress axis {unknown[0]!r} (axes: {', '.join(AXES)})")
    if target is None:
        target = default_target(scenario)
    names = list(grid)
    points = []
    combinations = [dict(zip(names, values))
                    for values in itertools.product(*(grid[name] for name in names))]
    variants = [scaled(scenario, **{AXES[name]: value for name, value in factors.items()})
                for factors in combinations]
    # every point's replications in one batch: the workers stay busy across points
    for factors, results in zip(combinations, simulate_many(
            variants, replications=replications, seed=seed, jobs=jobs, executor=executor,
            progress=progress)):
        summary = results.summary()["overall"]
        p, low, high, days = share_of_days(day_levels(results), target)
        points.append(StressPoint(factors=factors, target=target, kpis={k: summary[k] for k in KPIS},
                                  p_meet=p, p_meet_low=low, p_meet_high=high, days=days))
    return points
