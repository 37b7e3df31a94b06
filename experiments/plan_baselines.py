"""Benchmark of ``ccsim plan`` against the baselines of issue 13, at equal targets.

    (a) per-type Erlang C/A staffing, each type alone (a spreadsheet), on the groups;
    (b) ``ccsim staff`` one group at a time, in sequence (each group's plan kept for the next);
    (c) ``ccsim plan`` staffing;
    (d) ``ccsim plan --shifts``: needs ccsim.workforce.plan.shifts (reported as missing if not).

Reported: agent-hours, the share of (type, interval) targets met on a held-out seed, wall time.

    PYTHONPATH=. python experiments/plan_baselines.py            # telecom and bank (minutes)
    PYTHONPATH=. python experiments/plan_baselines.py --full     # + generated 20 × 15 center, Dask
"""

from __future__ import annotations

import argparse
import importlib.util
import time

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
    for g in range(groups):
        primary = g % types
        extra = rng.choice([t for t in range(types) if t != primary], size=rng.integers(1, 4),
                           replace=False)
        skills = [f"t{primary}: {{rank: 1}}"] + [
            f"t{t}: {{rank: 2, proficiency: {rng.uniform(1.1, 1.2):.2f}}}" for t in extra]
        lines += [f"  g{g}:", "    headcount: 8", f"    skills: {{{', '.join(skills)}}}"]
    covered = {int(s.split(":")[0][1:]) for line in lines if "skills" in line
               for s in line.split("{", 1)[1].rstrip("}").split(", ") if s}
    missing = [t for t in range(types) if t not in covered]
    if missing:  # every type needs a group: the last group takes the rest as overflow
        lines[-1] = lines[-1].rstrip("}") + "".join(
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


def row(name, scenario, replications, jobs=1, executor=None, with_b=True):
    out = {}
    start = time.perf_counter()
    result = ccsim.plan(scenario, [TARGET], replications=replications, seed=11, jobs=jobs,
                        executor=executor, max_rounds=25)
    out["c_time"] = time.perf_counter() - start
    groups = result.scenario.agent_groups
    a_plan = [list(result.start[g.name]) for g in groups]
    c_plan = [list(result.required[g.name]) for g in groups]
    plans = {"a": a_plan, "c": c_plan}
    if with_b:
        start = time.perf_counter()
        plans["b"] = sequential_staff(result.scenario, replications, 11)
        out["b_time"] = time.perf_counter() - start
    verdicts = evaluate_plans(result.scenario, list(plans.values()), result.targets_by_type,
                              replications, HELD_OUT, result.confidence, 0, jobs, executor)
    hours = result.hours_per_interval
    print(f"\n{name}: {len(scenario.contact_types)} types × {len(groups)} groups, target "
          f"{TARGET}, {replications} replications, held-out seed {HELD_OUT}")
    print(f"  (a) each type alone (Erlang A, per type):  {result.agent_hours('baseline_a'):8.1f} "
          f"agent-hours; on the groups {sum(map(sum, a_plan)) * hours:8.1f}")
    for key, verdict in zip(plans, verdicts):
        label = {"a": "(a) Erlang A on the groups", "b": "(b) staff group by group",
                 "c": "(c) ccsim plan"}[key]
        print(f"  {label:<28} {sum(map(sum, plans[key])) * hours:8.1f} agent-hours, "
              f"{verdict.share_met():6.1%} of (type, interval) targets met on fresh days"
              + (f", {out.get(key + '_time', 0):.0f} s" if key + "_time" in out else ""))
    print(f"  (c) used {result.rounds} search rounds; input plan "
          f"{result.input_cost()[0]:.1f} agent-hours")
    if importlib.util.find_spec("ccsim.workforce.plan.shifts") is None:
        print("  (d) shifts: ccsim.workforce.plan.shifts is not in this branch — not measured")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("-r", "--replications", type=int, default=6)
    args = parser.parse_args()
    for path in ("scenarios/multiskill_telecom.yaml", "scenarios/retail_bank_day.yaml"):
        row(path, ccsim.load_scenario(path), args.replications)
    if args.full:
        for types, groups in ((5, 4), (10, 8), (20, 15)):
            row(f"generated {types}×{groups}", generated_center(types, groups),
                args.replications, with_b=False)
        from ccsim.study.executors import executor_for

        with executor_for(None, 2) as executor:
            row("generated 20×15 on --dask-local 2", generated_center(), args.replications,
                executor=executor, with_b=False)


if __name__ == "__main__":
    main()
