"""Benchmark of ``ccsim plan`` against the baselines of issue 13, at equal targets.

    (a) per-type Erlang C/A staffing, each type alone (a spreadsheet), on the groups;
    (a') baseline (a) made to meet the targets too, two ways, groups kept to (a)'s split:
         "sim": agents added by simulation (the search's add phase, only to the groups that take
         each type first, no trimming) until every target holds at the same confidence;
         "scaled": every type's (a) staffing × the smallest factor whose held-out share of
         targets met reaches (c)'s (chosen on the held-out seed itself: flattering to (a));
    (b) ``ccsim staff`` one group at a time, in sequence (each group's plan kept for the next);
    (c) ``ccsim plan`` staffing;
    (d) ``ccsim plan --shifts`` where a shift catalogue fits (the retail bank day): paid hours.

Reported: agent-hours, the share of (type, interval) targets met on a held-out seed, wall time.

    PYTHONPATH=. python experiments/plan_baselines.py            # telecom and bank (minutes)
    PYTHONPATH=. python experiments/plan_baselines.py --full     # + generated 20 × 15 center, Dask
    PYTHONPATH=. python experiments/plan_baselines.py --generated 5x4,10x8   # those centers only
"""

from __future__ import annotations

import argparse
import time

import attrs

import numpy as np

import ccsim
from ccsim.workforce.plan import held_out
from ccsim.workforce.plan.evaluate import evaluate_plans, with_plan
from ccsim.workforce.staff import Target, staff

TARGET = "sl>=0.80@20s"
HELD_OUT = 90210


def generated_center(types: int = 20, groups: int = 15, seed: int = 4):
    """A center of ``types`` phone queues and ``groups`` agent groups over 08:00-20:00 in
    30-minute intervals: every type has a morning or afternoon peak profile, each group a
    primary type (rank 1) and one to three overflow types (rank 2, 10-20 % slower)."""
    rng = np.random.default_rng(seed)
    hours = np.arange(24) / 2
    lines = ["name: generated center", "start: \"08:00\"", "horizon: 12h", "interval: 30min",
             "seed: 3", "contact_types:"]
    for t in range(types):
        peak = rng.choice([2.0, 6.5, 9.0])
        base = rng.uniform(15, 40)
        profile = base * (0.5 + np.exp(-((hours - peak) / 2.5) ** 2))
        lines += [f"  t{t}:", f"    arrivals: {{per_interval: {[int(v) for v in profile]}}}",
                  f"    talk: {{dist: lognormal, mean: {rng.uniform(3, 8):.1f}min, cv: 0.8}}",
                  "    patience: {dist: exponential, mean: 4min}"]
    lines.append("agent_groups:")
    covered = set()
    for g in range(groups):
        primary = g % types
        extra = rng.choice([t for t in range(types) if t != primary], size=rng.integers(1, 4),
                           replace=False)
        skills = [f"t{primary}: {{rank: 1}}"] + [
            f"t{t}: {{rank: 2, proficiency: {rng.uniform(1.1, 1.2):.2f}}}" for t in extra]
        covered.update([primary, *map(int, extra)])
        lines += [f"  g{g}:", "    headcount: 8", f"    skills: {{{', '.join(skills)}}}"]
    missing = [t for t in range(types) if t not in covered]
    if missing:  # every type needs a group: the last group takes the rest as overflow
        lines[-1] = lines[-1][:-1] + "".join(
            f", t{t}: {{rank: 2, proficiency: 1.15}}" for t in missing) + "}"
    lines.append("routing: {policy: priority}")
    return ccsim.scenario_from_text("\n".join(lines) + "\n")


def sequential_staff(scenario, replications: int, seed: int):
    """Baseline (b): ``staff`` each group in turn, the others as planned so far."""
    from ccsim.study.whatif import with_headcount
    from ccsim.units import parse_duration  # noqa: F401

    current = scenario
    for group in scenario.agent_groups:
        found = staff(current, Target(0.8, 20.0, None, 0.9), group=group.name,
                      replications=replications, seed=seed, max_rounds=15)
        current = with_headcount(current, group.name, found.required)
    return [list(g.headcount) for g in current.agent_groups]


SHIFTS = {"scenarios/retail_bank_day.yaml": "scenarios/shift_catalogues/retail_bank.yaml"}
FACTORS = [1 + i / 100 for i in range(31)]  # 1.00, 1.01, ..., 1.30


def mean_share(verdict) -> float:
    """Share of judged (type, interval) targets whose mean (not its confidence bound) holds."""
    import math

    met = [(m >= c["target"].limit) if c["target"].higher_is_better else (m <= c["target"].limit)
           for c in verdict.cells.values() for m, b in zip(c["mean"], c["bound"])
           if not math.isnan(b)]
    return sum(met) / len(met) if met else 1.0


def a_prime_sim(result, replications, jobs, executor):
    """(a') by simulation: (a) on the groups, agents added only to the groups that take each
    type first until every target holds at the plan's confidence on the search's seed."""
    from ccsim.workforce.plan.search import greedy_search
    from ccsim.workforce.plan.seed import servers

    scenario = result.scenario
    groups = scenario.agent_groups
    first_choice = {}
    for t in result.targets_by_type:
        name = scenario.contact_types[t].name
        skilled = servers(scenario, t)
        best = min(groups[g].skill(name).rank for g in skilled)
        first_choice[t] = [g for g in skilled if groups[g].skill(name).rank == best]
    start = [list(result.baseline_groups[g.name]) for g in groups]
    cap = [[3 * max(h, 1) + 10 for h in line] for line in start]
    plan, verdict, rounds, _ = greedy_search(
        scenario, result.targets_by_type, start, [1.0] * len(groups), cap, replications,
        result.seed, result.confidence, round(scenario.warmup / scenario.interval), jobs,
        executor, 40, trim=False, skilled=first_choice)
    return plan, verdict.share_met(), rounds


def a_prime_scaled(result, share, replications, jobs, executor):
    """(a') scaled: the smallest factor on every type's (a) staffing whose held-out share of
    targets met reaches ``share``; (factor, plan, held-out share) or None past FACTORS."""
    from ccsim.workforce.plan.seed import seed_plan

    scenario = result.scenario
    names = [t.name for t in scenario.contact_types]
    plans = []
    for factor in FACTORS:
        per_type = {names.index(n): [a * factor for a in line]  # each interval's total
                    for n, line in result.baseline_a.items()}             # rounds up
        plans.append(seed_plan(scenario, per_type))
    verdicts = evaluate_plans(scenario, plans, result.targets_by_type, replications, HELD_OUT,
                              result.confidence, 0, jobs, executor)
    for factor, plan, verdict in zip(FACTORS, plans, verdicts):
        if verdict.share_met() >= share - 1e-12:
            return factor, plan, verdict.share_met()
    return None


def row(name, scenario, replications, jobs=1, executor=None, with_b=True):
    out = {}
    start = time.perf_counter()
    shifts = SHIFTS.get(name)
    result = ccsim.plan(scenario, [TARGET], replications=replications, seed=11, jobs=jobs,
                        executor=executor, max_rounds=60, validate=True)  # as in the docs' table
    out["c_time"] = time.perf_counter() - start
    if shifts is not None:  # (d): the shift planner on (c)'s requirements, simulated in the loop
        from ccsim.workforce.plan import shift_evaluator
        from ccsim.workforce.plan.shifts import plan_shifts

        start = time.perf_counter()
        result = attrs.evolve(result, shifts=plan_shifts(
            result.scenario, {n: list(r) for n, r in result.required.items()}, shifts,
            evaluate=shift_evaluator(result, jobs=jobs, executor=executor)))
        out["d_time"] = time.perf_counter() - start
    groups = result.scenario.agent_groups
    hours = result.hours_per_interval
    plans = {"a": [list(result.baseline_groups[g.name]) for g in groups],
             "c": [list(result.required[g.name]) for g in groups]}
    start = time.perf_counter()
    plans["a'"], a_search_share, a_rounds = a_prime_sim(result, replications, jobs, executor)
    out["a'_time"] = time.perf_counter() - start
    if with_b:
        start = time.perf_counter()
        plans["b"] = sequential_staff(result.scenario, replications, 11)
        out["b_time"] = time.perf_counter() - start
    verdicts = dict(zip(plans, evaluate_plans(
        result.scenario, list(plans.values()), result.targets_by_type, replications, HELD_OUT,
        result.confidence, 0, jobs, executor)))
    print(f"\n{name}: {len(scenario.contact_types)} types × {len(groups)} groups, target "
          f"{TARGET}, {replications} replications, search seed 11, held-out seed {HELD_OUT}")
    labels = {"a": "(a) each type alone", "a'": "(a') (a) + adds by simulation",
              "b": "(b) staff group by group", "c": "(c) ccsim plan"}
    for key in ("a", "a'", "b", "c"):
        if key in plans:
            print(f"  {labels[key]:<32} {sum(map(sum, plans[key])) * hours:8.1f} agent-hours, "
                  f"{verdicts[key].share_met():6.1%} of (type, interval) targets met on fresh days "
                  f"({mean_share(verdicts[key]):6.1%} by the mean)"
                  + (f", {out[key + '_time']:.0f} s" if key + "_time" in out else ""))
    saved = (sum(map(sum, plans["a'"])) - sum(map(sum, plans["c"]))) * hours
    print(f"  (a') met {a_search_share:.1%} on the search seed after {a_rounds} simulations; "
          f"(c) needs {saved:.1f} agent-hours fewer")
    scaled = a_prime_scaled(result, verdicts["c"].share_met(), replications, jobs, executor)
    if scaled is None:
        print(f"  (a') scaled: even × {FACTORS[-1]:.2f} does not reach (c)'s held-out share")
    else:
        factor, plan, share = scaled
        print(f"  (a') scaled × {factor:.2f}: {sum(map(sum, plan)) * hours:8.1f} agent-hours, "
              f"{share:6.1%} met on fresh days")
    print(f"  (c) start (pooled Erlang A) {result.agent_hours('start'):.1f} agent-hours, "
          f"{result.rounds} simulations, {result.verdict.share_met():.1%} met on the search "
          f"seed; input plan {result.input_cost()[0]:.1f} agent-hours")
    if result.shifts is not None:
        fresh = held_out(result, HELD_OUT, scenario=result.shifts.scenario, jobs=jobs,
                         executor=executor)
        print(f"  (d) shifts ({shifts}): {result.shifts.paid_hours:.1f} paid hours, "
              f"{len(result.shifts.shifts)} shift lines, {fresh.share_met():6.1%} met on fresh "
              f"days, {len(result.shifts.missed)} misses listed, {out['d_time']:.0f} s")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("-r", "--replications", type=int, default=6)
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--generated", default="",
                        help="generated centers only, e.g. 5x4,10x8 (types x groups)")
    args = parser.parse_args()
    if args.generated:
        for size in args.generated.split(","):
            types, groups = (int(x) for x in size.lower().split("x"))
            row(f"generated {types}×{groups}", generated_center(types, groups),
                args.replications, jobs=args.jobs, with_b=False)
        return
    for path in ("scenarios/multiskill_telecom.yaml", "scenarios/retail_bank_day.yaml"):
        row(path, ccsim.load_scenario(path), args.replications, jobs=args.jobs)
    if args.full:
        for types, groups in ((5, 4), (10, 8), (20, 15)):
            row(f"generated {types}×{groups}", generated_center(types, groups),
                args.replications, jobs=args.jobs, with_b=False)
        from ccsim.study.executors import executor_for

        with executor_for(None, 2) as executor:
            row("generated 20×15 on --dask-local 2", generated_center(), args.replications,
                executor=executor, with_b=False)


if __name__ == "__main__":
    main()
