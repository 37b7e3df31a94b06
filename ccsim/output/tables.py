"""The tables of ``ccsim run`` and ``ccsim compare``, built once and written by ``screen.emit``
as terminal tables, CSV, Markdown or JSON.

Above the tables, lines say what the numbers mean: the window in clock time (weekdays and
dates on multi-day runs), the service-level formula and thresholds, that waits are of answered
contacts and what ``±`` is. Waits are written in the unit of their channel (``cells.py``), so
the "all" row leaves out the waits when it would average phone seconds with email hours.
"""

from __future__ import annotations

import datetime as dt
import math

from ..calendar import DAYS
from ..units import format_clock, format_duration
from .cells import Cell, estimate, text
from .screen import Column, Table, console, emit
from .sections import optional_sections

__all__ = ["console", "print_summary", "print_comparison", "summary_tables",
           "comparison_tables", "section_table", "emit", "window_text", "sl_legend",
           "ci_legend"]


def _fmt(value: dict, kind: str) -> str:
    """An estimate written as the tables write it (kept for callers of release 0.2)."""
    return text(estimate(value, kind, ci=kind != "count"))


def clock(scenario, t: float, end: bool = False) -> str:
    """Simulation time ``t`` as a clock time; on multi-day runs with its weekday (and date)."""
    at = scenario.start + t
    day = int((at - (1e-9 if end else 0)) // 86400)
    if scenario.start + scenario.horizon <= 86400 + 1e-9:
        return format_clock(at)
    within = at - day * 86400
    date = (scenario.start_date + dt.timedelta(days=day)) if scenario.start_date else None
    name = DAYS[(scenario.start_day + day) % 7].capitalize()
    return f"{name}{' ' + date.isoformat() if date else ''} {format_clock(within)}"


def window_text(scenario) -> str:
    """``07:00–24:00`` (one day) or ``Mon 00:00 – Sun 24:00 (7 days)``; the warm-up before it."""
    days = (scenario.horizon - scenario.warmup) / 86400
    span = f"{clock(scenario, scenario.warmup)}–{clock(scenario, scenario.horizon, True)}"
    if scenario.start + scenario.horizon > 86400 + 1e-9:
        span = span.replace("–", " – ") + f" ({days:g} day{'' if days == 1 else 's'})"
    warm = f" after a warm-up of {format_duration(scenario.warmup)}" if scenario.warmup else ""
    return f"window {span}{warm}"


_FORMULAS = {
    "over_offered": "answered within {t} ÷ offered (abandons count against)",
    "over_offered_less_early_abandons": "answered within {t} ÷ (offered − abandoned within {t})",
    "early_abandons_as_met": "(answered + abandoned within {t}) ÷ offered",
    "over_answered": "answered within {t} ÷ answered (abandons left out)",
}


def sl_legend(scenario) -> str:
    """The service-level formula(s) and threshold(s) of the contact types."""
    types = scenario.contact_types
    thresholds = {t.service_level.threshold for t in types}
    t = format_duration(thresholds.pop()) if len(thresholds) == 1 else "T"
    formulas = {}
    for spec in types:
        formulas.setdefault(spec.service_level.formula, []).append(spec.name)
    parts = [f"SL = {_FORMULAS.get(f, f).format(t=t)}"
             + (f" for {', '.join(names)}" if len(formulas) > 1 else "")
             for f, names in formulas.items()]
    if t == "T":
        parts.append("T = the type's threshold (SL target column)")
    short = {t.service_level.short_abandon for t in types if t.service_level.short_abandon}
    if short:
        parts.append(f"offered leaves out abandons within {format_duration(max(short))}")
    return "; ".join(parts) + "; waits (ASA, p90) are of answered contacts"


def ci_legend(n: int) -> str:
    return (f"± = half-width of the 95 % confidence interval over {n} replications "
            f"(percentage points for %)")


def section_table(section) -> Table:
    """A ``sections.Section`` as a table (one line on screen when it is a single row)."""
    first = section.first or section.title
    table = Table(section.key, section.title,
                  [Column(first, "name", label=True),
                   *(Column(title, key) for key, title, _ in section.columns)],
                  inline=len(section.rows) == 1 and not section.first)
    for _, _, label, kpis in section.rows:
        table.add(label, *(estimate(kpis[k], kind, ci=kind != "count")
                           for k, _, kind in section.columns))
    return table


COST_COLUMNS = (("paid_hours", "Paid hours", "num"), ("overtime_hours", "Overtime hours", "num"),
                ("agent_cost", "Agent cost", "money"), ("trunk_cost", "Trunk cost", "money"),
                ("ivr_cost", "IVR cost", "money"), ("total_cost", "Total cost", "money"),
                ("cost_per_handled", "Cost / handled", "money"),
                ("revenue_handled", "Revenue handled", "money"),
                ("revenue_at_risk", "Revenue at risk", "money"))


def _nonzero(kpis: dict, key: str) -> bool:
    mean = kpis.get(key, {}).get("mean") if isinstance(kpis.get(key), dict) else None
    return bool(mean) and not (isinstance(mean, float) and math.isnan(mean))


def _contacts(results, summary) -> Table:
    scenario = results.scenario
    deferrable = {t.name: t.deferrable for t in scenario.contact_types}
    mixed = len(set(deferrable.values())) > 1
    extra = [(key, title) for key, title in (("blocked", "Blocked"), ("closed", "Turned away"))
             if any(_nonzero(k, key) for k in summary["by_type"].values())]
    table = Table("contacts", "Contacts", [
        Column("Contact type", "contact_type", label=True), Column("SL target", "sl_target"),
        Column("Offered", "offered"), Column("Answered", "answered"),
        Column("Service level", "service_level"), Column("ASA / response", "asa"),
        Column("Abandoned", "abandon_rate"), Column("AHT", "aht"),
        Column("Wait p90 of answered", "wait_p90"), Column("Queue / backlog", "mean_queue"),
        *(Column(title, key) for key, title in extra)])
    rows = [(name, kpis, deferrable[name]) for name, kpis in summary["by_type"].items()]
    for name, kpis, late in rows + [("all", summary["overall"], None)]:
        if late is None:
            target, wait = "", None if mixed else ("hours" if any(deferrable.values()) else "sec")
        else:
            objective = scenario.contact_type(name).service_level
            target = f"{objective.target:.0%} in {format_duration(objective.threshold)}"
            wait = "hours" if late else "sec"
        waits = [estimate(kpis[k], wait) if wait else Cell(None, kind="text")
                 for k in ("asa", "wait_p90")]
        table.add(name, target, estimate(kpis["offered"], "count", False),
                  estimate(kpis["answered"], "count", False),
                  estimate(kpis["service_level"], "pct"), waits[0],
                  estimate(kpis["abandon_rate"], "pct"), estimate(kpis["aht"], "sec"), waits[1],
                  estimate(kpis["mean_queue"], "num"),
                  *(estimate(kpis[k], "count", False) for k, _ in extra))
    if mixed:
        table.notes.append("all: waits of email and social (hours) are not averaged with "
                           "those of phone and chat (seconds); see Channels.")
    return table


def _days(results) -> Table:
    """Per type: days meeting the SL target and the lowest and highest day."""
    from ..measure.days import calendar_days, day_range, type_day_levels

    scenario = results.scenario
    n_days = len(calendar_days(scenario))
    table = Table("days", f"Service level by day ({n_days} calendar "
                  f"day{'s' if n_days != 1 else ''} × {results.n} replications)", [
                      Column("Contact type", "contact_type", label=True),
                      Column("SL target", "target"), Column("Days meeting target", "share_met"),
                      Column("Days", "days"), Column("Lowest day", "lowest"),
                      Column("Highest day", "highest")])
    for spec in scenario.contact_types:
        target = spec.service_level.target
        got = day_range(type_day_levels(results, spec.name), target)
        table.add(spec.name, Cell(target, kind="pct"),
                  Cell(got["share_met"], kind="pct", suffix=f"({got['days_met']}/{got['days']})"),
                  Cell(got["days"], kind="int"), Cell(got["lowest"], kind="pct"),
                  Cell(got["highest"], kind="pct"))
    return table


def _channels(summary) -> Table | None:
    if len(summary["by_channel"]) <= 1:
        return None
    table = Table("channels", "Channels", [
        Column("Channel", "channel", label=True), Column("Offered", "offered"),
        Column("Service level", "service_level"), Column("ASA / response", "asa"),
        Column("Abandoned", "abandon_rate"), Column("Queue / backlog", "mean_queue"),
        Column("Max queue", "max_queue")])
    for name, kpis in summary["by_channel"].items():
        wait = "hours" if name in ("email", "social") else "sec"
        table.add(name, estimate(kpis["offered"], "count", False),
                  estimate(kpis["service_level"], "pct"), estimate(kpis["asa"], wait),
                  estimate(kpis["abandon_rate"], "pct"), estimate(kpis["mean_queue"], "num"),
                  estimate(kpis["max_queue"], "count", False))
    return table


def _groups(scenario, summary) -> Table:
    chat = any(g.concurrency > 1 for g in scenario.agent_groups)
    workforce = any(g.shifts or g.absence for g in scenario.agent_groups)
    columns = [("mean_staffed", "Mean staffed", "num"), ("handled", "Handled", "count"),
               ("aht", "AHT", "sec"), ("occupancy", "Occupancy", "pct"),
               ("utilisation", "Utilisation", "pct"),
               *([("concurrency", "Contacts held", "num")] if chat else []),
               *([("mean_scheduled", "Paid", "num"), ("shrinkage", "Shrinkage", "pct"),
                  ("adherence", "Adherence", "pct")] if workforce else [])]
    table = Table("groups", "Agent groups", [Column("Agent group", "agent_group", label=True),
                                             *(Column(t, k) for k, t, _ in columns)])
    for name, kpis in summary["by_group"].items():
        table.add(name, *(estimate(kpis[k], kind, kind != "count") for k, _, kind in columns))
    return table


def _costs(scenario, summary) -> Table | None:
    """What the plan costs per group and the contacts are worth per type, without the
    columns and rows that are zero throughout (no trunk or IVR prices, types of no value)."""
    if "cost" not in summary:
        return None
    cost, currency = summary["cost"], getattr(scenario.costs, "currency", "")
    rows = [*((f"group {n}", k) for n, k in cost.get("by_group", {}).items()),
            *((f"type {n}", k) for n, k in cost["by_type"].items()), ("all", cost["overall"])]
    columns = [c for c in COST_COLUMNS if any(_nonzero(k, c[0]) for _, k in rows)]
    rows = [(label, kpis) for label, kpis in rows
            if label == "all" or any(_nonzero(kpis, c[0]) for c in columns)]
    table = Table("cost", "Cost and value" + (f" ({currency})" if currency else ""),
                  [Column("Of", "of", label=True), *(Column(t, k) for k, t, _ in columns)])
    for label, kpis in rows:
        table.add(label, *(estimate(kpis[k], kind) if k in kpis else Cell(None, kind="text")
                           for k, _, kind in columns))
    return table


def summary_tables(results) -> tuple[list[str], list[Table]]:
    """(lines saying what the numbers mean, tables) of ``ccsim run``."""
    summary = results.summary()
    scenario = results.scenario
    lines = [f"{scenario.name} — {results.n} replications, seed {results.seed}, policy "
             f"{results.policy}; {window_text(scenario)}",
             sl_legend(scenario), ci_legend(results.n)]
    tables = [_contacts(results, summary), _days(results), _channels(summary),
              *(section_table(s) for s in optional_sections(summary, scenario)),
              _groups(scenario, summary), _costs(scenario, summary)]
    end = summary["overall"]
    leftover = (end["waiting_at_end"]["mean"] or 0) + (end["in_service_at_end"]["mean"] or 0)
    if leftover:
        tables[-1 if tables[-1] else -2].notes.append(
            f"At the end: {end['waiting_at_end']['mean']:.1f} contacts still waiting, "
            f"{end['in_service_at_end']['mean']:.1f} in service (mean per replication).")
    return lines, [t for t in tables if t is not None]


def print_summary(results, fmt: str = "table") -> None:
    """The tables of ``ccsim run``: contacts, days, channels, journeys, IVR and trunks, groups."""
    lines, tables = summary_tables(results)
    emit(tables, fmt, lines)


_KINDS = {"service_level": "pct", "abandon_rate": "pct", "occupancy": "pct",
          "total_cost": "money", "cost_per_handled": "money", "revenue_at_risk": "money"}


def comparison_tables(title: str, comparison) -> tuple[list[str], list[Table]]:
    """(lines, [table]) of ``ccsim compare``: a KPI per row, a policy per column."""
    first = next(iter(comparison.results.values()))
    scenario = comparison.scenario
    deferrable = {t.name: t.deferrable for t in scenario.contact_types}
    lines = [f"{title} — {first.n} replications per policy, seed {first.seed}, common random "
             f"numbers; baseline {comparison.baseline}; {window_text(scenario)}",
             sl_legend(scenario), ci_legend(first.n),
             "Δ = paired difference from the baseline, * = significant at 95 %"]
    table = Table("comparison", title, [Column("Of", "of", label=True),
                                        Column("KPI", "kpi", label=True),
                                        *(Column(p, p) for p in comparison.policies)])
    rows = comparison.rows()
    found = {(r["policy"], r["of"], r["kpi"]): r for r in rows}
    for of, name in dict.fromkeys((r["of"], r["kpi"]) for r in rows):
        kind = _KINDS.get(name, "sec")
        if kind == "sec" and deferrable.get(of, all(deferrable.values())) and name != "aht":
            kind = "hours"
        cells = []
        for policy in comparison.policies:
            row = found[(policy, of, name)]
            suffix = ""
            if policy != comparison.baseline and row["diff"] == row["diff"]:
                diff = text(Cell(row["diff"], kind=kind)).rstrip("%")
                sign = "+" if row["diff"] >= 0 else ""
                suffix = f"Δ{sign}{diff}{'*' if row['significant'] else ''}"
            cells.append(Cell(row["mean"], row["ci95"], kind, suffix))
        table.add(of, name, *cells)
    return lines, [table]


def print_comparison(title: str, comparison, fmt: str = "table") -> None:
    lines, tables = comparison_tables(title, comparison)
    emit(tables, fmt, lines)
