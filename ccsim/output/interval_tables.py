"""The interval tables a planner opens in a spreadsheet: one row per interval (and contact
type, or agent group), averaged over replications, with clock times and CI bounds.

``intervals.csv`` keeps the raw sums per replication for analysts; these tables are the
answer a workforce planner reads: offered, answered, abandoned %, service level %, ASA and
AHT in seconds, agents and occupancy %, each with the bounds of its 95 % confidence interval
(``_low``, ``_high``, kept within 0 and 100 %). The unit is in the column name (``_pct``, ``_s``); values are rounded
to what a planner reads (0.01 % points, 0.1 s, 0.01 contacts or agents).
"""

from __future__ import annotations

import math

from ..measure.frames import clock_fields, estimate, kpi_unit

__all__ = ["planner_tables", "planner_value", "planner_row", "staffing_table", "stress_table",
           "sweep_table", "TABLE_NAMES"]

# (KPI in the results, column, unit)
_CONTACT = (("offered", "offered", ""), ("answered", "answered", ""),
            ("abandon_rate", "abandoned_pct", "%"), ("service_level", "service_level_pct", "%"),
            ("asa", "asa_s", "s"), ("aht", "aht_s", "s"))
_GROUP = (("mean_staffed", "agents", ""), ("occupancy", "occupancy_pct", "%"),
          ("handled", "handled", ""), ("aht", "aht_s", "s"))
TABLE_NAMES = ("interval_overall", "interval_types", "interval_groups")


def planner_value(value: float, unit: str) -> float | None:
    """A fraction as a percentage, rounded for reading; NaN and infinities become None (an
    empty cell)."""
    if value is None or not math.isfinite(value):  # None: an empty cell
        return None
    if unit == "%":
        return round(value * 100.0, 2)
    return round(value, 1 if unit == "s" else 2)


def _columns(row: dict, column: str, unit: str, values) -> None:
    """``column`` and its bounds; the bounds are kept inside what the KPI can be (≥ 0, and
    ≤ 100 % for a share): a symmetric interval over few replications can reach past them."""
    est = estimate(values)
    row[column] = planner_value(est["mean"], unit)
    row[f"{column}_low"], row[f"{column}_high"] = _bounds(est["mean"], est["half_width"], unit)


def _bounds(mean: float, half: float, unit: str) -> tuple:
    """The CI bounds for reading, kept inside what a KPI can be (≥ 0, ≤ 100 % for a share)."""
    high = min(mean + half, 1.0) if unit == "%" else mean + half
    return planner_value(max(mean - half, 0.0), unit), planner_value(high, unit)


def planner_tables(results) -> dict[str, list[dict]]:
    """``interval_overall``, ``interval_types`` and ``interval_groups``: name → rows."""
    scenario = results.scenario
    reps = [tree["intervals"] for tree in results.replications]
    capacity = {g.name: g.concurrency for g in scenario.agent_groups}
    tables: dict[str, list[dict]] = {name: [] for name in TABLE_NAMES}
    for k in range(scenario.n_intervals):
        head = {"interval": k, **clock_fields(scenario, k), "warmup": reps[0][k]["warmup"]}
        row = dict(head)
        for kpi, column, unit in _CONTACT:
            _columns(row, column, unit, [rep[k]["all"][kpi] for rep in reps])
        groups = [rep[k]["by_group"] for rep in reps]
        _columns(row, "agents", "", [sum(g["mean_staffed"] for g in block.values())
                                     for block in groups])
        _columns(row, "occupancy_pct", "%", [_occupancy(block, capacity) for block in groups])
        tables["interval_overall"].append(row)
        for name in reps[0][k]["by_type"]:
            row = {**head, "contact_type": name}
            for kpi, column, unit in _CONTACT:
                _columns(row, column, unit, [rep[k]["by_type"][name][kpi] for rep in reps])
            tables["interval_types"].append(row)
        for name in reps[0][k]["by_group"]:
            row = {**head, "agent_group": name}
            for kpi, column, unit in _GROUP:
                _columns(row, column, unit, [rep[k]["by_group"][name][kpi] for rep in reps])
            tables["interval_groups"].append(row)
    return tables


def _occupancy(block: dict, capacity: dict) -> float:
    """Busy agent-time over the capacity staffed, over all groups of one interval (a group's
    own occupancy is the same ratio for that group alone)."""
    busy = sum(kpis["mean_busy"] for kpis in block.values())
    staffed = sum(kpis["mean_staffed"] * capacity[name] for name, kpis in block.items())
    return busy / staffed if staffed > 0 else math.nan


def planner_row(row: dict, scenario=None, units: dict | None = None, keep=()) -> dict:
    """A row of seconds and fractions as a spreadsheet row: ``start`` (seconds after
    midnight, needs ``scenario``) becomes the clock columns, a fraction a percentage named
    ``..._pct``, seconds ``..._s``, a ``..._ci95`` half-width the bounds ``..._low`` and
    ``..._high``. ``units`` overrides the unit of a key (``"%"``, ``"s"``, ``""`` or a name
    suffix such as ``"factor"``); keys in ``keep`` pass unchanged."""
    units = units or {}
    out: dict = {}
    for key, value in row.items():
        if key == "start" and scenario is not None and "interval" in row:
            out.update({k: v for k, v in clock_fields(scenario, row["interval"]).items()})
            continue
        if key in keep or isinstance(value, (str, bool)) or key.endswith("_ci95"):
            if not key.endswith("_ci95"):
                out[key] = value
            continue
        base, bound = key, ""
        for suffix in ("_low", "_high"):
            if key.endswith(suffix) and key not in units:
                base, bound = key[: -len(suffix)], suffix
        unit = units.get(base, kpi_unit(base))
        name = base + {"%": "_pct", "s": "_s", "": ""}.get(unit, f"_{unit}") + bound
        scale = unit if unit in ("%", "s", "") else None  # factors are not rounded
        out[name] = planner_value(value, scale) if isinstance(value, float) and scale is not None \
            else value
        half = row.get(f"{key}_ci95")
        if half is not None and not bound:
            bounds = _bounds(float(value), float(half), scale or "")
            out[name + "_low"], out[name + "_high"] = bounds
    return out


def staffing_table(plan) -> list[dict]:
    """``staffing.csv``: the plan per interval with clock times and percentages."""
    shares = {"erlang_c_promised": "%"}
    for name in plan.outcome:
        shares.update({f"{name}_sl": "%", f"{name}_abandon": "%"})  # and their bounds
    return [planner_row(row, plan.scenario, shares) for row in plan.rows()]


def stress_table(rows: list[dict], grid: dict) -> list[dict]:
    """``stress.csv``: factors named as such, KPIs with units and CI bounds."""
    units = {name: "%" if name == "absence" else "factor" for name in grid}
    return [planner_row(row, units=units) for row in rows]


def sweep_table(rows: list[dict], axes) -> list[dict]:
    """``summary.csv`` of a sweep: grid values as given, KPIs with units and CI bounds."""
    return [planner_row(row, keep=(*axes, "point", "replications")) for row in rows]
