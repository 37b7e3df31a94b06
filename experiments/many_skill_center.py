"""A generated many-skill center, for benchmarks and profiles: ``types`` contact types served by
``groups`` agent groups with at least ``agents`` agents in all.

The layout is the one large centers grow into: every contact type has a home group (rank 1),
and every group backs up one to three other types at ranks 2 and 3, so each group has 2-4
skills and overflow chains run across the whole center. Loads differ from type to type (a few
big queues, a long tail of small ones: a Zipf-like spread), handle times and patience differ
too, and each group is staffed for the load of its home types at about 92 % occupancy.

    from experiments.many_skill_center import many_skill_scenario
    scenario = many_skill_scenario()              # 55 types x 30 groups, >= 2,000 agents
    ccsim.simulate(scenario, replications=1, seed=1)

or, from the shell, ``python experiments/many_skill_center.py > center.yaml``.
"""

from __future__ import annotations

import math
import sys

import numpy as np


def many_skill_yaml(types: int = 55, groups: int = 30, agents: int = 2000, horizon_h: float = 1.0,
                    policy: str = "priority", seed: int = 7) -> str:
    """The scenario as YAML text (deterministic for a given ``seed``)."""
    if types < groups:
        raise ValueError("need at least as many contact types as groups (each group has a home type)")
    rng = np.random.default_rng(seed)
    aht = rng.uniform(180.0, 600.0, types)           # seconds
    weight = 1.0 / np.arange(1, types + 1) ** 0.8     # a few big queues, a long tail
    rng.shuffle(weight)
    occupancy = 0.92
    erlangs = weight / weight.sum() * agents * occupancy  # offered load per type
    rate_h = erlangs / aht * 3600.0
    home = [t % groups for t in range(types)]         # rank-1 group of each type
    skills: list[dict[int, int]] = [{} for _ in range(groups)]
    for t, g in enumerate(home):
        skills[g][t] = 1
    for g in range(groups):
        extra = int(rng.integers(1, 4))
        for t in rng.permutation(types):
            if len(skills[g]) >= 4 or extra == 0:
                break
            if int(t) not in skills[g]:
                skills[g][int(t)] = 2 if extra > 1 else 3
                extra -= 1
    load = np.zeros(groups)
    for t, g in enumerate(home):
        load[g] += erlangs[t]
    headcount = [max(2, math.ceil(x / occupancy)) for x in load]
    lines = [f"name: many_skill_{types}x{groups}", f"horizon: {horizon_h * 60:g}min",
             "interval: 30min", "end: stop", "contact_types:"]
    for t in range(types):
        lines += [f"  t{t:02d}:",
                  f"    arrivals: {rate_h[t]:.3f}/h",
                  f"    talk: {{dist: lognormal, mean: {aht[t] * 0.85:.1f}s, cv: 0.8}}",
                  f"    acw: {{dist: exponential, mean: {aht[t] * 0.15:.1f}s}}",
                  f"    patience: {{dist: exponential, mean: {rng.uniform(120, 600):.0f}s}}",
                  f"    priority: {int(rng.integers(0, 3))}"]
    lines.append("agent_groups:")
    for g in range(groups):
        lines += [f"  g{g:02d}:", f"    headcount: {headcount[g]}", "    skills:"]
        for t, rank in sorted(skills[g].items(), key=lambda item: (item[1], item[0])):
            proficiency = "" if rank == 1 else f", proficiency: {1.0 + 0.1 * rank:.1f}"
            lines.append(f"      t{t:02d}: {{rank: {rank}{proficiency}}}")
    lines += ["routing:", f"  policy: {policy}", ""]
    return "\n".join(lines)


def many_skill_scenario(**options):
    """The scenario, loaded and checked by ccsim (options as for ``many_skill_yaml``)."""
    import ccsim
    return ccsim.scenario_from_text(many_skill_yaml(**options))


if __name__ == "__main__":
    sys.stdout.write(many_skill_yaml())
