"""The work an agent group does: which contact types it serves with a waiting-time target,
their arrival rate per interval (forecast plus the calls the IVR routes to them), the group's
share of each type's answered contacts in a simulation, and the mean handle time and patience
of that work. ``staff`` loads its Erlang baselines with it."""

from __future__ import annotations

import math

__all__ = ["group_types", "group_load", "handled_shares"]


def group_types(scenario, group) -> list[int]:
    """The contact types with a waiting-time target that ``group`` serves (email and social,
    worked in idle time, are left out)."""
    types = [i for i, t in enumerate(scenario.contact_types)
             if group.skill(t.name) and not t.deferrable]
    if not types:
        raise ValueError(f"agent group {group.name!r} serves no phone or chat contact type: "
                         f"there is no service level in seconds to staff for")
    return types


def group_load(scenario, group, shares=None) -> tuple[list[int], list[float], float, float]:
    """The contact types ``group`` serves (``group_types``), the arrival rate of the work it
    does per interval, its mean handle time (with the group's proficiency) and mean patience
    (inf if the contacts never abandon). A type's rate is its forecast, calls the IVR routes
    to it included (``Scenario.demand_rate``), times ``shares[t][k]``: the share of the type's
    contacts of interval k this group answers (all of them when ``shares`` is None)."""
    types = group_types(scenario, group)
    n = scenario.n_intervals
    specs = [scenario.contact_types[i] for i in types]
    loads = [[scenario.demand_rate(t, k) * (1.0 if shares is None else shares[i][k])
              for k in range(n)] for i, t in zip(types, specs)]
    rates = [sum(load[k] for load in loads) for k in range(n)]
    weights = [sum(load) for load in loads]
    if sum(weights) <= 0:
        weights = [1.0] * len(specs)
    total = sum(weights)
    aht = sum(w * t.mean_handle_time * group.skill(t.name).proficiency
              for w, t in zip(weights, specs)) / total
    carried = [t for w, t in zip(weights, specs) if w > 0]
    patience = (math.inf if any(t.patience is None for t in carried) else
                sum(w * t.patience.mean for w, t in zip(weights, specs)) / total)
    return types, rates, aht, patience


def handled_shares(results, group: int, types: list[int]) -> dict[int, list[float]]:
    """Per contact type, the share of its answered contacts of each interval that agent group
    ``group`` answered, over all replications of ``results`` (a simulation of the plan). An
    interval where nobody answered the type takes the group's share over the whole day, and a
    type nobody answered is split evenly among the groups skilled for it."""
    scenario = results.scenario
    n = scenario.n_intervals
    answered = sum(s["group.answered_by_type"][:n] for s in results.sums)  # n × groups × types
    shares = {}
    for t in types:
        name = scenario.contact_types[t].name
        skilled = sum(1 for g in scenario.agent_groups if g.skill(name))
        by_all, mine = answered[:, :, t].sum(axis=1), answered[:, group, t]
        day = mine.sum() / by_all.sum() if by_all.sum() > 0 else 1.0 / skilled
        shares[t] = [float(mine[k] / by_all[k]) if by_all[k] > 0 else float(day)
                     for k in range(n)]
    return shares
