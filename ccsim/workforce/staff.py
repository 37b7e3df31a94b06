"""Simulation-based staffing: the fewest agents per interval that meet the targets.

Interval-by-interval Erlang staffing (the SIPP method) treats each interval as if it were in
steady state on its own. With long handle times a queue lags behind demand: after a rise, the
contacts still waiting from the previous interval and the agents still busy with them make the
service level fall short of what Erlang promised. Here the staffing is checked by simulating
the whole day, and corrected where it falls short:

1. start from Erlang A per interval (Erlang C when contacts never abandon);
2. simulate with common random numbers; where an interval misses a target at the stated
   confidence (the one-sided confidence bound of its mean service level, or abandonment, over
   the replications), add agents there — more the further it is from the target;
3. once every interval meets its targets, take one agent out of each interval with room to
   spare, keep the removals that still meet the targets, and put back those that do not
   (with the interval just before, since its queue is what the next interval inherits).

Every simulation uses the same seed, so each change is judged on the same contacts.
"""

from __future__ import annotations

import math

import attrs
import numpy as np

from .. import theory
from ..study.experiment import simulate
from ..measure.stats import t_quantile
from ..study.whatif import with_headcount
from .group_load import group_load, group_types, handled_shares

__all__ = ["Target", "parse_target", "StaffingPlan", "staff", "group_load", "group_types",
           "handled_shares", "format_share"]


@attrs.frozen
class Target:
    """Service level ``sl`` within ``threshold`` seconds (answered within / offered, short
    abandons left out), and optionally abandonment at most ``max_abandon``; each met with
    one-sided ``confidence``."""

    sl: float
    threshold: float
    max_abandon: float | None = None
    confidence: float = 0.9


def parse_target(text: str, threshold: float = 20.0) -> tuple[float, float]:
    """(share, threshold) of a target: ``"80/20"``, ``"80%/30s"``, ``"sl>=0.80@20s"``, or a
    share alone (``"80%"``, ``"0.8"``: within ``threshold``) — ``ccsim.units.parse_service_target``."""
    from ..units import UnitError, parse_service_target

    try:
        value, within = parse_service_target(text)
    except UnitError as exc:
        raise ValueError(str(exc)) from None
    if not 0 < value <= 1:
        raise ValueError(f"the service-level target must be above 0 and at most 100% "
                         f"(got {text!r})")
    return value, threshold if within is None else within


def format_share(value: float) -> str:
    """A target share as written: 0.8 → "80%", 0.999 → "99.9%" (never rounded up to 100%)."""
    return f"{round(value * 100, 6):g}%"


@attrs.frozen
class StaffingPlan:
    """Agents per interval: ``required`` (found by simulation), ``erlang_a`` (the start),
    ``erlang_c`` (per-interval Erlang C, the SIPP method), ``scheduled`` (the scenario's plan),
    with the simulated outcome of ``required`` and of ``erlang_c`` per interval."""

    group: str
    target: Target
    scenario: object
    replications: int
    rounds: int
    required: tuple[int, ...]
    erlang_a: tuple[int, ...]
    erlang_c: tuple[int, ...]
    promised: tuple[float, ...]  # the service level Erlang C promises at its staffing
    scheduled: tuple[float, ...]
    outcome: dict  # "required" / "erlang_c" → {"sl", "sl_low", "abandon", "abandon_high", "met"}
    baseline: str = ""  # what the Erlang columns assume (the load behind them)
    max_rounds: int = 0

    @property
    def missed(self) -> list[int]:
        """Intervals where ``required`` does not meet the target (the search stopped first)."""
        return [k for k, met in enumerate(self.outcome["required"]["met"]) if not met]

    def rows(self) -> list[dict]:
        """One row per interval, for tables and CSV."""
        scenario = self.scenario
        rows = []
        for k in range(scenario.n_intervals):
            row = {"interval": k, "start": scenario.start + k * scenario.interval,
                   "erlang_c": self.erlang_c[k], "erlang_c_promised": self.promised[k],
                   "erlang_a": self.erlang_a[k],
                   "required": self.required[k], "scheduled": self.scheduled[k],
                   "gap": self.scheduled[k] - self.required[k]}
            for plan, outcome in self.outcome.items():
                for key, values in outcome.items():
                    row[f"{plan}_{key}"] = values[k]
            row["warning"] = ("" if self.outcome["required"]["met"][k] else
                              "required misses the target: the search stopped at "
                              f"{self.rounds} rounds")
            rows.append(row)
        return rows

    def agent_hours(self, plan: str) -> float:
        return sum(getattr(self, plan)) * self.scenario.interval / 3600.0


def _analytic(rates, aht, patience, target: Target) -> tuple[list[int], list[int]]:
    """Per-interval Erlang C and Erlang A staffing (0 where there is no demand)."""
    erlang_c, erlang_a = [], []
    for rate in rates:
        if rate <= 0:
            erlang_c.append(0)
            erlang_a.append(0)
            continue
        erlang_c.append(theory.staff_erlang_c(rate * aht, aht, target.threshold, target.sl))
        erlang_a.append(theory.staff_erlang_a(rate, aht, patience, target.threshold, target.sl,
                                              target.max_abandon)
                        if math.isfinite(patience) else erlang_c[-1])
    return erlang_c, erlang_a


def _outcome(results, types, target: Target, first: int) -> dict:
    """Per interval: mean service level and abandonment over the replications, their
    one-sided confidence bounds, and whether the targets are met (nan where nothing came)."""
    n = results.scenario.n_intervals

    def per_replication(name):
        return np.array([s[f"type.{name}"][:n, types].sum(axis=1) for s in results.sums])

    short = per_replication("short_abandoned")
    offered = per_replication("offered") - short
    with np.errstate(invalid="ignore", divide="ignore"):
        sl = np.where(offered > 0, per_replication("answered_within") / offered, np.nan)
        abandon = np.where(offered > 0, (per_replication("abandoned") - short) / offered, np.nan)
    outcome = {"sl": [], "sl_low": [], "abandon": [], "abandon_high": [], "met": []}
    for k in range(n):
        column = ~np.isnan(sl[:, k])
        m = int(column.sum())
        if k < first or m == 0:
            for key in outcome:
                outcome[key].append(math.nan if key != "met" else True)
            continue
        q = t_quantile(target.confidence, m - 1) if m > 1 else math.inf
        bounds = []
        for values in (sl[column, k], abandon[column, k]):
            spread = float(values.std(ddof=1)) / math.sqrt(m) if m > 1 else math.inf
            bounds.append((float(values.mean()), q * spread if spread > 0 else 0.0))
        (sl_mean, sl_half), (ab_mean, ab_half) = bounds
        met = sl_mean - sl_half >= target.sl - 1e-12
        if target.max_abandon is not None:
            met = met and ab_mean + ab_half <= target.max_abandon + 1e-12
        for key, value in (("sl", sl_mean), ("sl_low", sl_mean - sl_half), ("abandon", ab_mean),
                           ("abandon_high", ab_mean + ab_half), ("met", bool(met))):
            outcome[key].append(value)
    return outcome


def staff(scenario, target: Target, group: str | None = None, replications: int = 20,
          seed: int | None = None, jobs: int = 1, max_rounds: int = 40,
          progress=None, executor=None) -> StaffingPlan:
    """Find the agents per interval that ``group`` needs for ``target`` (see the module
    docstring). ``progress(round, message)`` is told what each round did."""
    if group is None:
        if len(scenario.agent_groups) != 1:
            raise ValueError("the scenario has several agent groups: name the one to staff "
                             f"({', '.join(g.name for g in scenario.agent_groups)})")
        group = scenario.agent_groups[0].name
    spec = next((g for g in scenario.agent_groups if g.name == group), None)
    if spec is None:
        raise ValueError(f"no agent group {group!r} (groups: "
                         f"{', '.join(g.name for g in scenario.agent_groups)})")
    # every type the group serves is judged with the target's threshold
    types = group_types(scenario, spec)
    objectives = {scenario.contact_types[i].name for i in types}
    scenario = attrs.evolve(scenario, contact_types=tuple(
        attrs.evolve(t, service_level=attrs.evolve(t.service_level, threshold=target.threshold))
        if t.name in objectives else t for t in scenario.contact_types))
    seed = scenario.seed if seed is None else seed
    say = progress or (lambda *args: None)
    shared = [scenario.contact_types[i].name for i in types
              if sum(1 for g in scenario.agent_groups if g.skill(scenario.contact_types[i].name)) > 1]
    shares = None
    if shared:  # the group does only part of that work: measure its share on the input plan
        say(0, f"simulating the input plan for {group}'s share of {', '.join(shared)}")
        plan = simulate(scenario, replications=replications, seed=seed, jobs=jobs,
                        executor=executor)
        shares = handled_shares(plan, scenario.agent_groups.index(spec), types)
    types, rates, aht, patience = group_load(scenario, spec, shares)
    baseline = _baseline_caption(scenario, spec, types, shared, aht, patience)
    erlang_c, erlang_a = _analytic(rates, aht, patience, target)
    promised = tuple(theory.erlang_c_service_level(c, rate * aht, aht, target.threshold)
                     if c else math.nan for c, rate in zip(erlang_c, rates))
    first = round(scenario.warmup / scenario.interval)

    def evaluate(headcount):
        results = simulate(with_headcount(scenario, group, headcount),
                           replications=replications, seed=seed, jobs=jobs, executor=executor)
        return _outcome(results, types, target, first)

    n = list(erlang_a)
    tight = [False] * len(n)  # intervals where one agent fewer missed a target
    step = [0] * len(n)  # agents to try taking out next, per interval
    rounds = 0
    outcome = evaluate(n)
    while rounds < max_rounds:
        rounds += 1
        missed = [k for k, met in enumerate(outcome["met"]) if not met]
        if missed:
            for k in missed:
                gap = target.sl - outcome["sl_low"][k]
                n[k] += 1 + int(gap > 0.15) + int(gap > 0.3)
                tight[k] = True
            say(rounds, f"{len(missed)} intervals short: added agents")
            outcome = evaluate(n)
            continue
        # take out more where the service level is far above the target, halving on failure
        # (warm-up intervals keep their Erlang staffing: they set the state the window
        # starts from, and no target is measured in them)
        for k in range(first, len(n)):
            if not tight[k] and n[k] > 0 and not step[k]:
                slack = max(0.0, outcome["sl_low"][k] - target.sl)
                step[k] = max(1, int(n[k] * slack / 2))
        trial = [k for k in range(first, len(n)) if n[k] > 0 and not tight[k]]
        if not trial:
            break
        fewer = [h - (step[k] if k in trial else 0) for k, h in enumerate(n)]
        fewer = [max(0, h) for h in fewer]
        attempt = evaluate(fewer)
        failed = {k for k, met in enumerate(attempt["met"]) if not met}
        # undo the trial of each interval that missed, and of the one before it
        back = {j for k in failed for j in (k, k - 1) if j in trial}
        for k in trial:
            if k in back:
                tight[k] = step[k] == 1
                step[k] //= 2
            else:
                n[k] = fewer[k]
        say(rounds, f"took agents from {len(trial) - len(back)} intervals"
                    + (f", put back {len(back)}" if back else ""))
        outcome = attempt if not back else evaluate(n)
    scheduled = tuple(float(scenario.headcount(spec, k)) for k in range(scenario.n_intervals))
    return StaffingPlan(group=group, target=target, scenario=scenario,
                        replications=replications, rounds=rounds, required=tuple(n),
                        erlang_a=tuple(erlang_a), erlang_c=tuple(erlang_c), promised=promised,
                        scheduled=scheduled,
                        outcome={"required": outcome, "erlang_c": evaluate(erlang_c)},
                        baseline=baseline, max_rounds=max_rounds)


def _baseline_caption(scenario, spec, types, shared, aht, patience) -> str:
    """What the Erlang columns assume, in words, for the output."""
    names = [scenario.contact_types[i].name for i in types]
    via_ivr = [name for name in names if scenario.ivr is not None
               and scenario.ivr.routed_shares().get(name)]
    text = (f"Erlang C/A baseline: the forecast of {', '.join(names)}"
            + (f" (calls the IVR routes to {', '.join(via_ivr)} included)" if via_ivr else ""))
    if shared:
        text += (f", times the share of {', '.join(shared)} that {spec.name} answered per "
                 f"interval when the input plan was simulated")
    return (text + f" (mean handle time {aht:.0f} s"
            + (f", mean patience {patience:.0f} s" if math.isfinite(patience) else "") + ").")
