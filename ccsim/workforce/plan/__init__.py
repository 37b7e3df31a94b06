"""``ccsim.plan``: the cheapest headcount of every agent group in every interval that meets
every target, found by simulation (and, with a shift catalogue, the shifts that cover it).

    import ccsim
    scenario = ccsim.load_scenario("scenarios/multiskill_telecom.yaml")
    result = ccsim.plan(scenario, ["sl>=0.80@20s", "abandon<=5%"], replications=10)
    result.required["generalists"]      # agents per interval
    result.warnings()                   # every target missed, if any

The start is Erlang A on the pooled load of the types that share groups (``seed.py``), the search greedy marginal analysis with
common random numbers over the whole day (``search.py``), the verdicts one-sided confidence
bounds over replications (``evaluate.py``); docs/planning.md explains the choice.
"""

from __future__ import annotations

import attrs

from ...limits import LIMITS
from .evaluate import Verdict, evaluate_plans, judge, validation_seed
from .result import FTE_HOURS, Plan
from .search import greedy_search
from .seed import per_type_staffing, pooled_staffing, seed_plan, servers
from .targets import PlanTarget, parse_plan_target, resolve_targets

__all__ = ["plan", "Plan", "PlanTarget", "parse_plan_target", "held_out", "shift_evaluator",
           "Verdict", "FTE_HOURS"]

OBJECTIVES = ("cost", "agent-hours")


def _prepared(scenario, targets):
    """(scenario with the targets' thresholds, type index → targets). Types without a target
    keep their own objective from the scenario (service level at its threshold)."""
    parsed = [t if isinstance(t, PlanTarget) else parse_plan_target(t) for t in targets]
    if not parsed:
        raise ValueError("give at least one target, e.g. 'sl>=0.80@20s'")
    by_type = resolve_targets(scenario, parsed)
    for i, spec in enumerate(scenario.contact_types):
        if i not in by_type:
            objective = spec.service_level
            by_type[i] = [PlanTarget("sl", objective.target, objective.threshold, spec.name)]
    unreachable = [scenario.contact_types[t].name for t in sorted(by_type)
                   if not servers(scenario, t)]
    if unreachable:
        raise ValueError(f"no agent group serves {', '.join(unreachable)}: its targets cannot "
                         f"be met by any staffing")
    types = []
    for i, spec in enumerate(scenario.contact_types):
        sl = next((t for t in by_type[i] if t.kind == "sl"), None)
        if sl is not None:
            spec = attrs.evolve(spec, service_level=attrs.evolve(spec.service_level,
                                                                 threshold=sl.threshold))
        types.append(spec)
    return attrs.evolve(scenario, contact_types=tuple(types)), tuple(parsed), \
        {t: by_type[t] for t in sorted(by_type)}


def plan(scenario, targets, objective: str = "cost", confidence: float = 0.9,
         replications: int = 10, seed: int | None = None, jobs: int = 1, executor=None,
         shifts=None, max_rounds: int = 40, progress=None, start: str = "pooled",
         validate: bool = False) -> Plan:
    """The cheapest plan meeting ``targets`` (strings such as ``"billing:sl>=0.8@30s"`` or
    PlanTarget) at one-sided ``confidence`` over ``replications`` days simulated with ``seed``
    (the scenario's by default) for every candidate. ``objective`` "cost" prices agent-hours
    by the scenario's ``costs:`` (agent-hours when it has none). ``shifts`` (a shift
    catalogue file) also schedules shifts covering the plan. ``start`` "pooled" (Erlang A on
    the pooled load of the types sharing groups) or "per-type" (baseline (a)) is where the
    search begins. ``validate`` judges every candidate also on a second, independent seed
    derived from ``seed`` and counts a target met only when it holds on both, so that trimming
    does not fit one seed's days (plans that hold better on fresh days, for about twice the
    simulations; recommended for large centers). ValueError for bad input."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective: expected one of {', '.join(OBJECTIVES)} (got {objective!r})")
    if start not in ("pooled", "per-type"):
        raise ValueError(f"start: expected 'pooled' or 'per-type' (got {start!r})")
    if not 0.5 <= confidence < 1:
        raise ValueError(f"confidence: expected a number in [0.5, 1) (got {confidence!r})")
    if replications < 2:
        raise ValueError("replications: at least 2 are needed for a confidence bound")
    judged, parsed, by_type = _prepared(scenario, targets)
    seed = scenario.seed if seed is None else seed
    validation = validation_seed(seed) if validate else None
    costs = scenario.costs
    rates = tuple(costs.agent_rate(g.name) if objective == "cost" and costs is not None
                  and costs.agent_rate(g.name) > 0 else 1.0 for g in scenario.agent_groups)
    first = round(scenario.warmup / scenario.interval)
    per_type = per_type_staffing(judged, by_type, first)
    baseline_groups = seed_plan(judged, per_type)
    begin = seed_plan(judged, pooled_staffing(judged, by_type, per_type)) \
        if start == "pooled" else baseline_groups
    cap = [[min(LIMITS.agents_per_group, 3 * max(h, 1) + 10) for h in row]
           for row in baseline_groups]
    required, verdict, rounds, stuck = greedy_search(
        judged, by_type, begin, rates, cap, replications, seed, confidence, first, jobs,
        executor, max_rounds, progress, validation=validation)
    names = [g.name for g in scenario.agent_groups]
    result = Plan(scenario=judged, targets=parsed, targets_by_type=by_type,
                  objective=objective, confidence=confidence, replications=replications,
                  seed=seed, validation_seed=validation, rounds=rounds, max_rounds=max_rounds, rates=rates,
                  required={n: tuple(row) for n, row in zip(names, required)},
                  start={n: tuple(row) for n, row in zip(names, begin)},
                  baseline_groups={n: tuple(row) for n, row in zip(names, baseline_groups)},
                  baseline_a={judged.contact_types[t].name: tuple(row)
                              for t, row in per_type.items()},
                  verdict=verdict, stuck=tuple(stuck))
    if shifts is not None:
        from .shifts import plan_shifts  # planshifts' module: the catalogue and the IP

        evaluate = shift_evaluator(result, jobs=jobs, executor=executor)
        result = attrs.evolve(result, shifts=plan_shifts(
            judged, {n: list(row) for n, row in result.required.items()}, shifts,
            evaluate=evaluate))
    return result


def held_out(result: Plan, seed: int, replications: int | None = None, jobs: int = 1,
             executor=None, scenario=None) -> Verdict:
    """The plan (or ``scenario``, e.g. a shift plan's) judged on replications of another
    seed: the figures the search never saw."""
    plans = [[result.required[g.name] for g in result.scenario.agent_groups]]
    if scenario is None:
        return evaluate_plans(result.scenario, plans, result.targets_by_type,
                              replications or result.replications, seed, result.confidence,
                              round(result.scenario.warmup / result.scenario.interval), jobs,
                              executor)[0]
    from ...study.experiment import simulate

    results = simulate(scenario, replications=replications or result.replications, seed=seed,
                       jobs=jobs, executor=executor)
    return judge(results, result.targets_by_type, result.confidence,
                 round(scenario.warmup / scenario.interval))


def shift_evaluator(result: Plan, jobs: int = 1, executor=None):
    """``evaluate(scenario) → {group: extra agents per interval}`` for the shift planner:
    simulate a scenario with shifts (breaks, absence and adherence as they are) with the plan's
    seed, and where a type misses a target in interval k ask for one more agent in k and in
    k − 1 of every group that serves it."""
    def evaluate(scenario):
        results = simulate_scenario(scenario)
        verdict = judge(results, result.targets_by_type, result.confidence,
                        round(scenario.warmup / scenario.interval))
        extra = {g.name: [0] * scenario.n_intervals for g in scenario.agent_groups}
        for t, k, _ in verdict.missed:
            for g in servers(scenario, t):
                for j in (k - 1, k):
                    if j >= 0:
                        extra[scenario.agent_groups[g].name][j] = 1
        return extra

    def simulate_scenario(scenario):
        from ...study.experiment import simulate

        return simulate(scenario, replications=result.replications, seed=result.seed,
                        jobs=jobs, executor=executor)

    return evaluate
