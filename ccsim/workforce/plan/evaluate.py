"""Judging a staffing plan by simulation: every target of every contact type in every
interval, with its one-sided confidence bound over the replications.

Plans are simulated in batches (``simulate_many``) with one seed, so every candidate sees the
same contacts (common random numbers) and ``--jobs`` or Dask parallelise the whole batch;
the replications come back in order, so the verdicts do not depend on where they ran.
"""

from __future__ import annotations

import math

import attrs
import numpy as np

from ...measure.stats import t_quantile
from ...study.experiment import simulate_many

__all__ = ["Verdict", "with_plan", "judge", "evaluate_plans", "both", "validation_seed"]


def with_plan(scenario, plan) -> object:
    """``scenario`` with every group staffed by exactly ``plan[g]`` agents per interval on
    the phones (no shifts, absence or adherence: the on-line staffing being judged)."""
    groups = tuple(attrs.evolve(g, headcount=tuple(int(h) for h in row), shifts=(),
                                absence=0.0, adherence=None)
                   for g, row in zip(scenario.agent_groups, plan))
    return attrs.evolve(scenario, agent_groups=groups)


@attrs.frozen
class Verdict:
    """Per (contact type, target) the mean and the bound per interval (nan: nothing came or
    not judged), whether each interval meets it, and its normalised shortfall (0 when met)."""

    cells: dict  # (type index, kind) -> {"target", "mean", "bound", "met", "gap"}

    @property
    def missed(self) -> list[tuple[int, int, str]]:
        """(type index, interval, kind) of every target missed."""
        return [(t, k, kind) for (t, kind), cell in self.cells.items()
                for k, met in enumerate(cell["met"]) if not met]

    def gaps(self) -> dict[tuple[int, int], float]:
        """(type, interval) → the largest normalised shortfall among its targets."""
        out: dict = {}
        for (t, _), cell in self.cells.items():
            for k, gap in enumerate(cell["gap"]):
                if gap > 0:
                    out[(t, k)] = max(out.get((t, k), 0.0), gap)
        return out

    def slack(self, t: int, k: int) -> float:
        """How far the type's tightest target is beyond its limit in interval k (normalised;
        0 when a target is not judged there)."""
        values = []
        for (u, _), cell in self.cells.items():
            if u == t:
                bound, target = cell["bound"][k], cell["target"]
                if math.isnan(bound):
                    continue
                values.append(_normalised(target, bound, slack=True))
        return min(values, default=0.0)

    def share_met(self) -> float:
        judged = [m for cell in self.cells.values() for m, b in zip(cell["met"], cell["bound"])
                  if not math.isnan(b)]
        return sum(judged) / len(judged) if judged else 1.0


def _normalised(target, bound, slack=False) -> float:
    """Shortfall (or with ``slack`` the margin) of ``bound`` against the target: in share
    points for service level and abandonment, relative for times (capped at 1)."""
    if target.kind == "sl":
        value = bound - target.limit
    elif target.kind == "abandon":
        value = target.limit - bound
    else:
        value = min(1.0, (target.limit - bound) / target.limit)
    return max(0.0, value) if slack else max(0.0, -value)


def _metric(results, t: int, kind: str, n: int) -> np.ndarray:
    """Replications × intervals of one KPI of type t (nan where it is undefined)."""
    def get(name):
        return np.array([s[f"type.{name}"][:n, t] for s in results.sums])

    short = get("short_abandoned")
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "sl":
            offered = get("offered") - short
            return np.where(offered > 0, get("answered_within") / offered, np.nan)
        if kind == "abandon":
            offered = get("offered") - short
            return np.where(offered > 0, (get("abandoned") - short) / offered, np.nan)
        if kind == "asa":
            answered = get("answered")
            return np.where(answered > 0, get("wait_answered") / answered, np.nan)
        # response: contacts still waiting at the end count with the wait they have had
        count = get("answered") + get("waiting_at_end")
        return np.where(count > 0, (get("wait_answered") + get("wait_at_end")) / count, np.nan)


def judge(results, targets_by_type, confidence: float, first: int) -> Verdict:
    """The verdict on one simulated plan (intervals before ``first`` are warm-up: not judged)."""
    n = results.scenario.n_intervals
    cells = {}
    for t, targets in targets_by_type.items():
        for target in targets:
            values = _metric(results, t, target.kind, n)
            mean, bound, met, gap = [], [], [], []
            for k in range(n):
                column = values[:, k][~np.isnan(values[:, k])]
                m = len(column)
                if k < first or m < 2:
                    mean.append(float(column.mean()) if m else math.nan)
                    bound.append(math.nan)
                    met.append(True)
                    gap.append(0.0)
                    continue
                half = t_quantile(confidence, m - 1) * float(column.std(ddof=1)) / math.sqrt(m)
                average = float(column.mean())
                b = average - half if target.higher_is_better else average + half
                shortfall = _normalised(target, b)
                mean.append(average)
                bound.append(b)
                met.append(shortfall <= 1e-12)
                gap.append(shortfall)
            cells[(t, target.kind)] = {"target": target, "mean": mean, "bound": bound,
                                       "met": met, "gap": gap}
    return Verdict(cells)


def evaluate_plans(scenario, plans, targets_by_type, replications, seed, confidence, first,
                   jobs=1, executor=None, validation=None) -> list[Verdict]:
    """Verdicts on several plans, simulated as one batch with the same seed. With a
    ``validation`` seed every plan is also simulated (a second batch) on that seed's days and
    a target is met only when it holds on both (``both``)."""
    verdicts = _batch(scenario, plans, targets_by_type, replications, seed, confidence, first,
                      jobs, executor)
    if validation is None:
        return verdicts
    checks = _batch(scenario, plans, targets_by_type, replications, validation, confidence,
                    first, jobs, executor)
    return [both(a, b) for a, b in zip(verdicts, checks)]


def _batch(scenario, plans, targets_by_type, replications, seed, confidence, first, jobs,
           executor):
    results = simulate_many([with_plan(scenario, p) for p in plans], replications=replications,
                            seed=seed, jobs=jobs, executor=executor)
    return [judge(r, targets_by_type, confidence, first) for r in results]


def both(search: Verdict, check: Verdict) -> Verdict:
    """The verdict of a plan judged on two independent seeds: a (type, interval, target) is
    met only when it is met on both, with the worse bound and the larger shortfall; the mean
    is the average of the two (equal replications). A trim judged this way keeps a removal
    only when it holds on days it was not fitted to, which curbs fitting one seed's days."""
    cells = {}
    for key, a in search.cells.items():
        b = check.cells[key]
        worse = min if a["target"].higher_is_better else max
        cells[key] = {
            "target": a["target"],
            "mean": [_average(x, y) for x, y in zip(a["mean"], b["mean"])],
            "bound": [_worse(worse, x, y) for x, y in zip(a["bound"], b["bound"])],
            "met": [x and y for x, y in zip(a["met"], b["met"])],
            "gap": [max(x, y) for x, y in zip(a["gap"], b["gap"])]}
    return Verdict(cells)


def _average(x, y):
    if math.isnan(x):
        return y
    return x if math.isnan(y) else (x + y) / 2


def _worse(worse, x, y):
    if math.isnan(x):
        return y
    return x if math.isnan(y) else worse(x, y)


def validation_seed(seed: int) -> int:
    """The seed of the validation days, derived from the search seed alone (so the plan
    depends on the seed only) and independent of it (``SeedSequence`` mixing)."""
    return int(np.random.SeedSequence(seed, spawn_key=(0x76616C,)).generate_state(1)[0])
