"""The tables of ``ccsim sweep``, ``ccsim stress`` and ``ccsim staff`` as ``screen.Table``s,
so each prints fitted to the terminal or as CSV, Markdown or JSON (``--format``).

Grid values read as they were written (absence as %, a scenario path's own value such as
``3min``), KPIs in their unit (shares as %, durations as m:ss, money with two decimals), never
in scientific notation.
"""

from __future__ import annotations

import math

from ..units import format_clock, format_duration
from .cells import Cell
from .screen import Column, Table

__all__ = ["kpi_kind", "sweep_table", "stress_table", "staff_table"]

_PCT = ("service_level", "abandon_rate", "occupancy", "utilisation", "fcr", "containment",
        "block_rate", "p_wait", "shrinkage", "adherence", "callback_sl", "forecast_accuracy",
        "forecast_error", "port_occupancy", "trunk_occupancy")
_SEC = ("asa", "aht", "talk", "hold", "acw", "avg_time_to_abandon", "mean_time",
        "mean_ivr_time")


def kpi_kind(path: str) -> str:
    """How a KPI named by its path (``by_type.loans.service_level``) is written."""
    name = path.rsplit(".", 1)[-1]
    if name.startswith("sl_") or any(name == p or name.endswith(f"_{p}") for p in _PCT):
        return "pct"
    if name in _SEC or name.startswith("wait_p"):
        return "sec"
    if "cost" in name or "revenue" in name:
        return "money"
    if name in ("offered", "answered", "abandoned", "handled", "attempts", "blocked"):
        return "count"
    return "num"


def _header(path: str) -> str:
    """A path as words that can wrap: ``contact_types.loans.patience.mean`` → words."""
    return path.replace(".", " ").replace("_", " ") if "." in path else \
        path.replace("_", " ").capitalize()


def _axis_cell(name: str, value):
    if name == "absence" and isinstance(value, (int, float)):
        return Cell(value, kind="pct")
    if isinstance(value, float):
        return Cell(f"{value:g}", kind="text")
    return Cell(value, kind="text")


def sweep_table(plan, summary: list[dict]) -> Table:
    """One row per grid point × policy: the grid's values and each KPI with its ±."""
    table = Table("sweep", f"{plan.name}: mean ± 95 % half-width over replications",
                  [*(Column(_header(a), a, label=True) for a in plan.axes),
                   Column("Policy", "policy", label=True),
                   *(Column(_header(k), k) for k in plan.kpis)])
    for row in summary:
        table.add(*(_axis_cell(a, row[a]) for a in plan.axes), row["policy"],
                  *(Cell(row[k], row[f"{k}_ci95"], kpi_kind(k)) for k in plan.kpis))
    return table


def stress_table(scenario, grid: dict, points, replications: int) -> Table:
    first = points[0]
    table = Table("stress", f"Stress test of {scenario.name}", [
        *(Column("AHT" if name == "aht" else name.capitalize(), name, label=True)
          for name in grid),
        Column("Service level", "service_level"), Column("ASA", "asa"),
        Column("Abandoned", "abandon_rate"), Column("Occupancy", "group_occupancy"),
        Column("P(day meets SL)", "p_meet_sl"), Column("95 % interval of P", "p_meet_sl_ci")])
    table.notes.append(
        f"{first.days} simulated days per point (calendar days × {replications} "
        f"replications); a day meets the target at SL ≥ {first.target:.1%}. Factors multiply "
        f"the scenario's volume, handle time and headcount; absence is the share of agents "
        f"absent.")
    for p in points:
        table.add(*(_axis_cell(name, v) if name == "absence" else Cell(f"{v:g}", kind="text")
                    for name, v in p.factors.items()),
                  *(Cell(p.kpis[k]["mean"], p.kpis[k]["ci95"], kind) for k, kind in (
                      ("service_level", "pct"), ("asa", "sec"), ("abandon_rate", "pct"),
                      ("group_occupancy", "pct"))),
                  Cell(p.p_meet, kind="pct"),
                  Cell(f"{_share(p.p_meet_low)}–{_share(p.p_meet_high)}", kind="text"))
    return table


def _share(value: float) -> str:
    return "–" if value != value else f"{value:.0%}"


def _bounded(outcome, k, target) -> Cell:
    """Simulated SL with the lower confidence bound that decides ✓/✗ (and abandonment with
    its upper bound when capped)."""
    if math.isnan(outcome["sl"][k]):
        return Cell(None, kind="pct")
    note = f"(lower {_share1(outcome['sl_low'][k])})"
    if target.max_abandon is not None:
        note += (f" abandon {_share1(outcome['abandon'][k])} "
                 f"(upper {_share1(outcome['abandon_high'][k])})")
    return Cell(outcome["sl"][k], kind="pct",
                suffix=note + (" ✓" if outcome["met"][k] else " ✗"))


def _share1(value: float) -> str:
    return "–" if value != value else f"{100 * value:.1f}%"


def staff_table(plan) -> Table:
    """Per interval: Erlang C and what it promises, Erlang A, the agents required by
    simulation, and the scheduled agents."""
    from ..workforce.staff import format_share

    scenario, target = plan.scenario, plan.target
    title = (f"Staffing of {plan.group}: SL ≥ {format_share(target.sl)} within "
             f"{format_duration(target.threshold)}"
             + (f", abandonment ≤ {format_share(target.max_abandon)}"
                if target.max_abandon is not None else "")
             + f", each at {format_share(target.confidence)} confidence "
             f"({plan.replications} days per evaluation, {plan.rounds} rounds)")
    table = Table("staffing", title, [
        Column("Interval", "start", label=True), Column("Erlang C agents", "erlang_c"),
        Column("Erlang C promised SL", "erlang_c_promised"),
        Column("Erlang C simulated SL", "erlang_c_sl"), Column("Erlang A agents", "erlang_a"),
        Column("Required agents", "required"), Column("Required simulated SL", "required_sl"),
        Column("Abandoned", "abandon"), Column("Scheduled agents", "scheduled"),
        Column("Over/under", "gap")])
    done, ec = plan.outcome["required"], plan.outcome["erlang_c"]
    for row in plan.rows():
        k = row["interval"]
        if not row["required"] and not row["erlang_c"] and not row["scheduled"]:
            continue
        table.add(format_clock(scenario.start + k * scenario.interval),
                  Cell(row["erlang_c"], kind="int"), Cell(row["erlang_c_promised"], kind="pct"),
                  _bounded(ec, k, target), Cell(row["erlang_a"], kind="int"),
                  Cell(row["required"], kind="int"), _bounded(done, k, target),
                  Cell(done["abandon"][k], kind="pct"), Cell(row["scheduled"], kind="num"),
                  Cell(f"{row['gap']:+.1f}", kind="text"))
    table.notes.append(f"SL = answered within {format_duration(target.threshold)} ÷ offered, "
                       f"per interval. ✓/✗: the one-sided {format_share(target.confidence)} "
                       f"lower confidence bound of the simulated SL reaches the target, or not.")
    return table
