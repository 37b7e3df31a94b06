"""The analytic start of a plan, and baseline (a): each contact type staffed alone.

Per contact type and interval, the fewest agents that Erlang A (Erlang C when its contacts
never abandon) says meet the type's targets on its expected volume — calls the IVR routes to
it included (``Scenario.demand_rate``). Email and social get their offered load (their
targets are hours: the work can wait for a free agent). That per-type staffing is what a
spreadsheet does, and it is baseline (a); mapped onto the agent groups it is the search's
start: a type's agents go to the groups that take it first (best rank), in proportion to their
headcount in the input plan, and each group gets the whole agents its share adds up to.

The search starts lower, from the **pooled** staffing (``pooled_staffing``): the phone and
chat types that share agent groups (a connected set in the skill graph) are staffed together
by Erlang A on their pooled load, and each type's agents are scaled down to that total. Full
pooling is optimistic where the groups are only partly cross-trained; the search adds there.
"""

from __future__ import annotations

import math

from ... import theory

__all__ = ["per_type_staffing", "pooled_staffing", "pooled_sets", "seed_plan", "servers"]


def servers(scenario, type_index: int) -> list[int]:
    """Indexes of the agent groups skilled for the contact type."""
    name = scenario.contact_types[type_index].name
    return [g for g, group in enumerate(scenario.agent_groups) if group.skill(name)]


def _erlang(rate, aht, patience, targets) -> int:
    """Fewest agents meeting every target on one interval's load (0 without demand)."""
    if rate <= 0:
        return 0
    load = rate * aht
    need = max(1, math.floor(load) + 1) if not math.isfinite(patience) else 1
    for target in targets:
        if target.kind == "response":
            need = max(need, math.ceil(load - 1e-9))
        elif target.kind == "sl":
            need = max(need, theory.staff_erlang_a(rate, aht, patience, target.threshold,
                                                   target.limit))
        else:
            c = max(1, math.ceil(load))
            while c < 10 * load + 50:
                model = theory.ErlangA(c, rate, aht, patience)
                value = model.asa if target.kind == "asa" else model.p_abandon
                if value <= target.limit:
                    break
                c += 1
            need = max(need, c)
    return need


def per_type_staffing(scenario, targets_by_type, first: int = 0) -> dict[int, list[int]]:
    """Baseline (a): contact type index → agents per interval, each type staffed alone."""
    staffing = {}
    for t, targets in targets_by_type.items():
        spec = scenario.contact_types[t]
        aht = spec.mean_handle_time
        patience = spec.patience.mean if spec.patience is not None else math.inf
        if spec.deferrable:
            patience = math.inf
        staffing[t] = [_erlang(scenario.demand_rate(spec, k), aht, patience, targets)
                       for k in range(scenario.n_intervals)]
    return staffing


def pooled_sets(scenario, types) -> list[list[int]]:
    """The connected sets of ``types`` (indexes): two types are connected when one agent
    group serves both. Sorted by their smallest index."""
    parent = {t: t for t in types}

    def root(t):
        while parent[t] != t:
            t = parent[t]
        return t

    for group in scenario.agent_groups:
        served = [t for t in types if group.skill(scenario.contact_types[t].name)]
        for t in served[1:]:
            parent[root(t)] = root(served[0])
    sets: dict = {}
    for t in sorted(types):
        sets.setdefault(root(t), []).append(t)
    return sorted(sets.values())


def pooled_staffing(scenario, targets_by_type, per_type) -> dict[int, list[float]]:
    """Per type and interval, its agents of ``per_type`` scaled so that every connected set of
    phone and chat types adds up to Erlang A on its pooled load (volumes added, the mean
    handle time and the abandonment rate weighted by volume, every target of the set held):
    never more than the types staffed alone. Email and social keep their own staffing."""
    live = [t for t in targets_by_type if not scenario.contact_types[t].deferrable]
    pooled = {t: [float(a) for a in agents] for t, agents in per_type.items()}
    for members in pooled_sets(scenario, live):
        if len(members) < 2:
            continue
        specs = [scenario.contact_types[t] for t in members]
        targets = [target for t in members for target in targets_by_type[t]]
        for k in range(scenario.n_intervals):
            rates = [scenario.demand_rate(spec, k) for spec in specs]
            rate = sum(rates)
            alone = sum(per_type[t][k] for t in members)
            if rate <= 0 or alone <= 0:
                continue
            aht = sum(r * spec.mean_handle_time for r, spec in zip(rates, specs)) / rate
            hazard = sum(r / spec.patience.mean for r, spec in zip(rates, specs)
                         if spec.patience is not None and math.isfinite(spec.patience.mean))
            patience = rate / hazard if hazard > 0 else math.inf
            scale = min(1.0, _erlang(rate, aht, patience, targets) / alone)
            for t in members:
                pooled[t][k] = per_type[t][k] * scale
    return pooled


def seed_plan(scenario, per_type: dict[int, list[int]]) -> list[list[int]]:
    """Agents per group and interval: each type's agents shared among its best-ranked groups
    by their input headcount (evenly when they have none), scaled by the group's handle-time
    factor and divided by its concurrency; per interval the groups get whole agents adding up
    to the total rounded up (largest remainders first)."""
    n = scenario.n_intervals
    work = [[0.0] * n for _ in scenario.agent_groups]
    for t, agents in per_type.items():
        name = scenario.contact_types[t].name
        skilled = servers(scenario, t)
        if not skilled:
            continue
        best = min(scenario.agent_groups[g].skill(name).rank for g in skilled)
        first_choice = [g for g in skilled if scenario.agent_groups[g].skill(name).rank == best]
        for k in range(n):
            sizes = [scenario.headcount(scenario.agent_groups[g], k) for g in first_choice]
            total = sum(sizes)
            for g, size in zip(first_choice, sizes):
                group = scenario.agent_groups[g]
                share = size / total if total > 0 else 1.0 / len(first_choice)
                work[g][k] += (agents[k] * share * group.skill(name).proficiency
                               / max(1, group.concurrency))
    plan = [[0] * n for _ in work]
    for k in range(n):  # whole agents: floors, then the largest remainders up to the total
        column = [row[k] for row in work]
        floors = [math.floor(w + 1e-9) for w in column]
        spare = math.ceil(sum(column) - 1e-9) - sum(floors)
        order = sorted(range(len(column)), key=lambda g: (floors[g] - column[g], g))
        for g in order[:max(0, spare)]:
            floors[g] += 1
        for g, value in enumerate(floors):
            plan[g][k] = value
    return plan
