"""Contact-center KPIs recomputed from the interval sums of one replication.

Every figure is a ratio of sums over a selection of intervals and contact types (or agent groups),
so a KPI for "sales, 10:00–12:00" is computed exactly like one for the whole day, and the four
service-level variants all come from the same counters:

    A_T  answered within the threshold      B_T  abandoned within the threshold (not short)
    O    offered, less short abandons         A    answered

Short abandons (wait below the type's ``short_abandon``) leave offered and abandoned alike.
"""

from __future__ import annotations

import math


import numpy as np

from .costs import GROUP_COST_KPIS, TYPE_VALUE_KPIS, cost_kpis, has_cost_section
from .interval_kpis import interval_kpis
from .kpi_figures import (PERCENTILES, contact_figures, figure_cells, group_figures,
                          ratio as _ratio, wait_percentiles)
from .stats import merge_histograms

__all__ = ["replication_kpis", "PERCENTILES", "TYPE_KPIS", "GROUP_KPIS"]

TYPE_KPIS = (
    "forecast", "forecast_error", "forecast_accuracy", "offered", "answered", "abandoned", "short_abandoned", "blocked", "closed", "handled",
    "waiting_at_end",
    "in_service_at_end", "p_wait", "block_rate", "service_level", "sl_over_offered", "sl_over_offered_less_early_abandons",
    "sl_early_abandons_as_met", "sl_over_answered", "abandon_rate", "asa",
    "avg_time_to_abandon", "aht", "talk", "hold", "acw",
    *(f"wait_p{p}" for p in PERCENTILES), "mean_queue", "max_queue",
    "attempts", "unique_customers", "redials", "repeat_contacts", "transfers_in", "transfers_out", "fcr",
    "callbacks_offered", "callbacks_accepted", "callbacks_completed", "callbacks_failed",
    "callback_sl", "mean_ivr_time", "beyond_horizon",
)
GROUP_KPIS = ("answered", "handled", "aht", "occupancy", "utilisation", "concurrency",
              "mean_staffed", "mean_busy", "mean_scheduled", "mean_planned", "shrinkage",
              "adherence")


def overall_formula(scenario) -> str:
    """The service-level formula of the overall figures: the types' own when they share one."""
    return _formula(scenario, list(range(len(scenario.contact_types))))


def contact_kpis(data: dict, rows, types: list[int], formula: str, duration: float,
                 queue_area: float, queue_max: float, histograms=None) -> dict:
    """KPIs of the contacts of ``types`` that arrived in interval ``rows``; ``histograms``,
    when given, holds each type's wait histogram already merged over ``rows``."""
    def total(name):
        return float(data[f"type.{name}"][rows][:, types].sum())

    if histograms is None:
        histograms = [merge_histograms(data["hist"][k][t]
                                       for k in range(len(data["hist"]))[rows]) for t in types]
    # merged type by type, then across the types: the same counts (integers) in every bin
    histogram = histograms[0] if len(types) == 1 else merge_histograms(histograms)
    # forecast accuracy: the types' own new arrivals (admitted or turned away) against their
    # forecast; the backlog, calls routed by the IVR and follow-ups are no part of it
    forecast = data["type.forecast"][rows][:, types].sum(axis=1)
    came = data["type.new_arrivals"][rows][:, types].sum(axis=1)
    return contact_figures(total, wait_percentiles(histogram), float(forecast.sum()), float(came.sum()),
                           float(np.abs(came - forecast).sum()), formula, duration,
                           queue_area, queue_max)


def group_kpis(data: dict, rows, groups: list[int], duration: float, capacity) -> dict:
    """Agent-group KPIs; ``capacity[g]`` is how many contacts an agent of group g holds at
    once (chat concurrency, else 1): occupancy is busy time over the capacity staffed."""
    return _group_figures(data, rows, lambda table: float(table[:, groups].sum()), duration,
                          capacity)


def _group_figures(data: dict, rows, reduce, duration: float, capacity) -> dict:
    """The group figures of ``rows``, each table of sums (rows × groups) taken by ``reduce``."""
    weights = np.array(capacity, dtype=float)

    def total(name):
        return reduce(data[f"group.{name}"][rows])

    def weighted(name):
        return reduce(data[f"group.{name}"][rows] * weights)

    # interval by interval, staffed time counts towards adherence up to what was planned
    on_plan = reduce(np.minimum(data["group.staffed_area"][rows],
                                data["group.planned_area"][rows]))
    return group_figures(total, weighted, on_plan, duration)


def _columns(table):
    """Each column of ``table`` (rows × columns) summed on its own: the sum, to the bit, of
    ``table[:, [j]].sum()`` (a contiguous run of the column's values, summed pairwise)."""
    return np.ascontiguousarray(table.T).sum(axis=1)


def each_type_kpis(data: dict, rows, formulas: list, duration: float, histograms) -> list:
    """``contact_kpis`` of every type on its own, all computed at once (one table per figure,
    a cell per type): the same numbers, for one numpy call per counter instead of one per
    counter and type."""
    def total(name):
        return _columns(data[f"type.{name}"][rows])

    forecast, came = data["type.forecast"][rows], data["type.new_arrivals"][rows]
    waits = list(np.array([wait_percentiles(h) for h in histograms], dtype=float).T)
    names, cells = figure_cells(contact_figures(
        total, waits, _columns(forecast), _columns(came), _columns(np.abs(came - forecast)),
        formulas, duration, _columns(data["type.queue_area"][rows]),
        data["type.queue_max"][rows].max(axis=0)))
    return [dict(zip(names, cell)) for cell in cells]


def each_group_kpis(data: dict, rows, duration: float, capacity) -> list:
    """``group_kpis`` of every group on its own, all computed at once."""
    names, cells = figure_cells(_group_figures(data, rows, _columns, duration, capacity))
    return [dict(zip(names, cell)) for cell in cells]


def _formula(scenario, types: list[int]) -> str:
    formulas = {scenario.contact_types[t].service_level.formula for t in types}
    return formulas.pop() if len(formulas) == 1 else "over_offered"


def replication_kpis(data: dict, scenario) -> dict:
    """Overall, per type, per channel, per group and per interval KPIs of one replication.

    The summary covers the intervals after the warm-up; ``intervals`` lists every interval."""
    n = scenario.n_intervals
    first = round(scenario.warmup / scenario.interval)
    window = slice(first, n)
    duration = scenario.horizon - scenario.warmup
    all_types = list(range(len(scenario.contact_types)))
    all_groups = list(range(len(scenario.agent_groups)))
    capacity = [g.concurrency for g in scenario.agent_groups]
    queue_area = data["type.queue_area"]
    queue_max = data["type.queue_max"]
    forecast = np.zeros_like(queue_area, dtype=float)
    for k in range(n):
        forecast[k] = [scenario.arrival_rate(t, k) * scenario.interval
                       for t in scenario.contact_types]
    data = {**data, "type.forecast": forecast}

    hist = data["hist"]
    window_hists = [merge_histograms(hist[k][t] for k in range(len(hist))[window])
                    for t in all_types]

    def types_kpis(types, rows, span):
        if len(types) == len(all_types):
            area = float(data["total.queue_area"][rows].sum())
            peak = float(data["total.queue_max"][rows].max())
        else:
            area = float(queue_area[rows][:, types].sum())
            peak = float(queue_max[rows][:, types].max()) if len(types) == 1 else math.nan
        return contact_kpis(data, rows, types, _formula(scenario, types), span, area, peak,
                            [window_hists[t] for t in types])

    overall = types_kpis(all_types, window, duration)
    overall.update({f"group_{k}": v for k, v in group_kpis(data, window, all_groups, duration, capacity).items()
                    if k in ("occupancy", "utilisation")})
    channels: dict[str, list[int]] = {}
    segments: dict[str, list[int]] = {}
    for t, spec in enumerate(scenario.contact_types):
        channels.setdefault(spec.channel, []).append(t)
        segments.setdefault(spec.segment, []).append(t)
    intervals = interval_kpis(data, n, first, [t.name for t in scenario.contact_types],
                              [t.service_level.formula for t in scenario.contact_types],
                              _formula(scenario, all_types),
                              [g.name for g in scenario.agent_groups], capacity,
                              scenario.interval)
    result = {
        "overall": overall,
        "by_type": dict(zip((spec.name for spec in scenario.contact_types), each_type_kpis(
            data, window, [spec.service_level.formula for spec in scenario.contact_types],
            duration, window_hists))),
        "by_channel": {name: types_kpis(types, window, duration)
                       for name, types in channels.items()},
        "by_segment": {name: types_kpis(types, window, duration)
                       for name, types in segments.items()},
        "by_group": dict(zip((spec.name for spec in scenario.agent_groups),
                             each_group_kpis(data, window, duration, capacity))),
        "intervals": intervals,
    }
    if scenario.ivr is not None:
        result["ivr"] = ivr_kpis(data, window, duration, scenario.ivr.ports)
    if scenario.trunks != math.inf:
        phone = [t for t, spec in enumerate(scenario.contact_types) if spec.channel == "phone"]
        held = sum(float(data[f"type.{name}"][:, phone].sum()) for name in
                   ("wait_answered", "wait_abandoned", "wait_at_end", "talk", "hold"))
        held += float(data["ivr.time"].sum())
        total = scenario.horizon if scenario.end == "stop" else max(scenario.horizon,
                                                                    data["closed_at"])
        overall["trunk_occupancy"] = _ratio(held, scenario.trunks * total)
    if has_cost_section(scenario):
        result["cost"] = cost_kpis(data, scenario, window, result["by_type"], overall)
    return result


def ivr_kpis(data: dict, rows, duration: float, ports: float) -> dict:
    """Calls entering the IVR in the window: blocked (no line or port), contained by
    self-service, hung up, routed to an agent queue; time in the IVR; port occupancy."""
    def total(name):
        return float(data[f"ivr.{name}"][rows].sum())

    entered, blocked = total("entered"), total("blocked")
    done = total("contained") + total("hangup") + total("routed")
    return {
        "entered": entered,
        "blocked": blocked,
        "block_rate": _ratio(blocked, entered),
        "contained": total("contained"),
        "containment": _ratio(total("contained"), entered - blocked),
        "hangups": total("hangup"),
        "routed": total("routed"),
        "mean_time": _ratio(total("time"), done),
        "port_occupancy": _ratio(total("time"), ports * duration) if ports != math.inf
        else math.nan,
    }


def known_kpi(path: str, scenario) -> bool:
    """Whether ``path`` names a number of a replication's KPI tree for ``scenario``: a KPI of
    the whole center (``asa`` or ``overall.asa``), of a part (``by_type.loans.asa``,
    ``by_group.sales.occupancy``) or of cost and value (``cost.overall.total_cost``). Checked
    before anything runs, so a typo fails at once rather than after the simulation."""
    parts = path.split(".")
    if parts[0] == "overall":
        parts = parts[1:]
    overall = {*TYPE_KPIS, "group_occupancy", "group_utilisation"}
    if scenario.trunks != math.inf:
        overall.add("trunk_occupancy")
    if len(parts) == 1:
        return parts[0] in overall
    sections = {"by_type": ({t.name for t in scenario.contact_types}, TYPE_KPIS),
                "by_channel": ({t.channel for t in scenario.contact_types}, TYPE_KPIS),
                "by_segment": ({t.segment for t in scenario.contact_types}, TYPE_KPIS),
                "by_group": ({g.name for g in scenario.agent_groups}, GROUP_KPIS)}
    if len(parts) == 3 and parts[0] in sections:
        names, kpis = sections[parts[0]]
        return parts[1] in names and parts[2] in kpis
    return parts[0] == "cost" and has_cost_section(scenario) and _cost_path(parts, scenario)


def _cost_path(parts: list, scenario) -> bool:
    priced = scenario.costs is not None  # without costs only the value of contacts exists
    overall = {*TYPE_VALUE_KPIS, *(() if not priced else (
        *GROUP_COST_KPIS, "trunk_cost", "ivr_cost", "total_cost", "cost_per_handled",
        "cost_per_offered"))}
    if len(parts) == 3 and parts[1] == "overall":
        return parts[2] in overall
    if len(parts) == 4 and parts[1] == "by_group" and priced:
        return parts[2] in {g.name for g in scenario.agent_groups} and parts[3] in GROUP_COST_KPIS
    if len(parts) == 4 and parts[1] == "by_type":
        return parts[2] in {t.name for t in scenario.contact_types} and \
            parts[3] in TYPE_VALUE_KPIS
    return False
