"""Terminal tables (rich) for ``ccsim run`` and ``ccsim compare``."""

from __future__ import annotations

import math
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..units import format_duration
from .sections import optional_sections

__all__ = ["console", "print_summary", "print_comparison"]

console = Console(width=None if sys.stdout.isatty() else 160)


def _fmt(estimate: dict, kind: str) -> str:
    mean, half = estimate["mean"], estimate["ci95"]
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "–"
    if kind == "pct":
        text = f"{100 * mean:.1f}%"
        return text + (f" ±{100 * half:.1f}" if half == half and half is not None else "")
    if kind == "sec":
        text = f"{mean:.1f}s"
        return text + (f" ±{half:.1f}" if half == half and half is not None else "")
    if kind == "count":
        return f"{mean:,.1f}"
    if kind == "money":
        return f"{mean:,.2f}" + (f" ±{half:,.2f}" if half == half and half is not None else "")
    return f"{mean:.2f}" + (f" ±{half:.2f}" if half == half and half is not None else "")


def _table(title: str, headings) -> Table:
    table = Table(title=title, title_justify="left")
    for i, heading in enumerate(headings):
        table.add_column(heading, justify="left" if i == 0 else "right", no_wrap=True)
    return table


def _wait(estimate: dict, deferrable: bool) -> str:
    """Waits of email and social read better in hours."""
    if not deferrable or estimate["mean"] is None or estimate["mean"] != estimate["mean"]:
        return _fmt(estimate, "sec")
    half = estimate["ci95"]
    text = f"{estimate['mean'] / 3600:.2f}h"
    return text + (f" ±{half / 3600:.2f}" if half == half and half is not None else "")


def _used(summary, section, keys) -> bool:
    return any((kpis[k]["mean"] or 0) for kpis in summary[section].values() for k in keys)


def print_section(section) -> None:
    """One of ``sections.optional_sections``: a table, or one line when it is a single row."""
    if len(section.rows) == 1 and not section.first:
        _, _, label, kpis = section.rows[0]
        console.print(f"{section.title} ({escape(label)}): " + ", ".join(
            f"{title} {_fmt(kpis[k], kind)}" for k, title, kind in section.columns))
        return
    table = _table(section.title, [section.first, *(t for _, t, _ in section.columns)])
    for _, _, label, kpis in section.rows:
        table.add_row(escape(label), *(_fmt(kpis[k], kind) for k, _, kind in section.columns))
    console.print(table)


COST_COLUMNS = (("paid_hours", "Paid hours", "num"), ("overtime_hours", "Overtime hours", "num"),
                ("agent_cost", "Agent cost", "money"), ("total_cost", "Total cost", "money"),
                ("cost_per_handled", "Cost / handled", "money"),
                ("revenue_handled", "Revenue handled", "money"),
                ("revenue_at_risk", "Revenue at risk", "money"))


def print_summary(results) -> None:
    """The tables of ``ccsim run``: contacts, channels, journeys, IVR and trunks, groups."""
    summary = results.summary()
    scenario = results.scenario
    deferrable = {t.name: t.deferrable for t in scenario.contact_types}
    console.print(f"[bold]{escape(scenario.name)}[/] — {results.n} replications, seed "
                  f"{results.seed}, policy {results.policy}; window "
                  f"{format_duration(scenario.warmup)}–{format_duration(scenario.horizon)}; "
                  f"± = 95% confidence half-width")
    columns = [("offered", "Offered", "count"), ("answered", "Answered", "count"),
               ("service_level", "Service level", "pct"), ("asa", "ASA / response", "wait"),
               ("abandon_rate", "Abandoned", "pct"), ("aht", "AHT", "sec"),
               ("wait_p90", "Wait p90", "wait"), ("mean_queue", "Queue / backlog", "num")]
    extra = [(key, title) for key, title in (("blocked", "Blocked"), ("closed", "Turned away"))
             if _used(summary, "by_type", [key])]
    table = _table("Contacts", ["Contact type", "SL target", *(t for _, t, _ in columns),
                                *(t for _, t in extra)])
    rows = [(name, kpis, deferrable[name]) for name, kpis in summary["by_type"].items()]
    for name, kpis, late in rows + [("all", summary["overall"], False)]:
        if name == "all":
            target = ""
        else:
            objective = scenario.contact_type(name).service_level
            target = f"{objective.target:.0%} in {format_duration(objective.threshold)}"
        cells = [_wait(kpis[k], late) if kind == "wait" else _fmt(kpis[k], kind)
                 for k, _, kind in columns]
        table.add_row(escape(name), target, *cells, *(_fmt(kpis[k], "count") for k, _ in extra))
    console.print(table)
    if len(summary["by_channel"]) > 1:
        channels = _table("Channels", ["Channel", "Offered", "Service level", "ASA / response",
                                       "Abandoned", "Queue / backlog", "Max queue"])
        for name, kpis in summary["by_channel"].items():
            late = name in ("email", "social")
            channels.add_row(name, _fmt(kpis["offered"], "count"),
                             _fmt(kpis["service_level"], "pct"), _wait(kpis["asa"], late),
                             _fmt(kpis["abandon_rate"], "pct"), _fmt(kpis["mean_queue"], "num"),
                             _fmt(kpis["max_queue"], "count"))
        console.print(channels)
    for section in optional_sections(summary, scenario):
        print_section(section)
    chat = any(g.concurrency > 1 for g in scenario.agent_groups)
    workforce = any(g.shifts or g.absence for g in scenario.agent_groups)
    groups = _table("Agent groups", ["Agent group", "Mean staffed", "Handled", "AHT",
                                     "Occupancy", "Utilisation",
                                     *(["Contacts held"] if chat else []),
                                     *(["Paid", "Shrinkage", "Adherence"] if workforce else [])])
    for name, kpis in summary["by_group"].items():
        groups.add_row(escape(name), _fmt(kpis["mean_staffed"], "num"),
                       _fmt(kpis["handled"], "count"), _fmt(kpis["aht"], "sec"),
                       _fmt(kpis["occupancy"], "pct"), _fmt(kpis["utilisation"], "pct"),
                       *([_fmt(kpis["concurrency"], "num")] if chat else []),
                       *([_fmt(kpis["mean_scheduled"], "num"), _fmt(kpis["shrinkage"], "pct"),
                          _fmt(kpis["adherence"], "pct")] if workforce else []))
    console.print(groups)
    if "cost" in summary:  # what the plan costs per group, what the contacts are worth per type
        cost, currency = summary["cost"], getattr(scenario.costs, "currency", "")
        columns = [c for c in COST_COLUMNS if c[0] in cost["overall"]]
        table = _table("Cost and value" + (f" ({currency})" if currency else ""),
                       ["Of", *(title for _, title, _ in columns)])
        rows = [*((f"group {n}", k) for n, k in cost.get("by_group", {}).items()),
                *((f"type {n}", k) for n, k in cost["by_type"].items()), ("all", cost["overall"])]
        for label, kpis in rows:
            table.add_row(escape(label), *(_fmt(kpis[k], kind) if k in kpis else ""
                                           for k, _, kind in columns))
        console.print(table)
    end = summary["overall"]
    leftover = (end["waiting_at_end"]["mean"] or 0) + (end["in_service_at_end"]["mean"] or 0)
    if leftover:
        console.print(f"At the end: {end['waiting_at_end']['mean']:.1f} contacts still waiting, "
                      f"{end['in_service_at_end']['mean']:.1f} in service (mean per replication).")


def print_comparison(title: str, comparison) -> None:
    first = next(iter(comparison.results.values()))
    console.print(f"[bold]{escape(title)}[/] — {first.n} replications per policy, seed "
                  f"{first.seed}, common random numbers; baseline {comparison.baseline}; "
                  f"± = 95% half-width; Δ = paired difference, * = significant")
    table = Table(title_justify="left")
    for heading in ("Of", "KPI", *comparison.policies):
        table.add_column(heading, justify="left" if heading in ("Of", "KPI") else "right",
                         no_wrap=True)
    rows = comparison.rows()
    keys = list(dict.fromkeys((r["of"], r["kpi"]) for r in rows))
    kinds = {"service_level": "pct", "abandon_rate": "pct", "occupancy": "pct",
             "total_cost": "money", "cost_per_handled": "money", "revenue_at_risk": "money"}
    for of, name in keys:
        cells = []
        for policy in comparison.policies:
            row = next(r for r in rows if r["policy"] == policy and r["of"] == of
                       and r["kpi"] == name)
            kind = kinds.get(name, "sec")
            text = _fmt({"mean": row["mean"], "ci95": row["ci95"]}, kind)
            if policy != comparison.baseline:
                scale = 100 if kind == "pct" else 1
                digits = ",.2f" if kind == "money" else ".1f"
                text += (f"  Δ{scale * row['diff']:+{digits}}"
                         f"{'*' if row['significant'] else ''}")
            cells.append(text)
        table.add_row(of, name, *cells)
    console.print(table)
