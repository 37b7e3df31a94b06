"""``ccsim erlang c|a --forecast FILE.csv``: agents per interval of a forecast, each interval
staffed on its own by Erlang C or A, and the day's agent-hours and FTE."""

from __future__ import annotations

import json
import math

import click

from .. import theory
from ..units import format_duration
from .common import fail

__all__ = ["forecast_mode"]


def forecast_mode(model, path, interval, aht, targets, shrinkage, hours_per_fte,
                  as_json, described: str) -> None:
    """Staff every interval of the forecast at ``path`` for ``targets`` (described in words by
    ``described``) and print the table and the totals, or one JSON document."""
    from ..workforce.forecast_file import read_forecast, staff_forecast
    from ..workforce.importer import IntervalFileError

    try:
        forecast = read_forecast(path, interval)
        plan = staff_forecast(forecast, aht, **targets)
    except IntervalFileError as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(f"--target: {exc}")
    hours = forecast.interval / 3600
    agent_hours = sum(p.agents for p in plan) * hours
    scheduled_hours = theory.scheduled_agents(agent_hours, shrinkage)
    fte = scheduled_hours / (hours_per_fte / 3600)
    peak = max(plan, key=lambda p: p.agents)
    if as_json:
        click.echo(json.dumps({
            "forecast": forecast.path, "interval": forecast.interval, "shrinkage": shrinkage,
            "hours_per_fte": hours_per_fte / 3600, "agent_hours": agent_hours,
            "scheduled_agent_hours": scheduled_hours, "fte": fte,
            "intervals": [_row_document(p, shrinkage) for p in plan]}, indent=2))
        return
    _print_plan(model, forecast, plan, described, shrinkage)
    from ..output.tables import console
    from .params import literal

    console.print(literal(
        f"Total: {agent_hours:,.1f} agent-hours on contacts, {scheduled_hours:,.1f} scheduled "
        f"({shrinkage:.0%} shrinkage) = {fte:,.1f} FTE at {format_duration(hours_per_fte)} per "
        f"FTE; peak {peak.agents} agents at {peak.row.label}."), soft_wrap=True)
    console.print(literal("Each interval is staffed on its own (steady state); scheduled = "
                          "agents / (1 − shrinkage); FTE = scheduled agent-hours / hours per "
                          "FTE."), soft_wrap=True)


def _finite(value):
    return value if value is not None and math.isfinite(value) else None


def _row_document(p, shrinkage) -> dict:
    f = p.figures
    return {"interval_start": p.row.label, "volume": p.row.volume, "aht": p.aht,
            "agents": p.agents, "scheduled_agents": theory.scheduled_agents(p.agents, shrinkage),
            "service_level": f.service_level if f else None, "asa": _finite(f.asa) if f else None,
            "occupancy": f.occupancy if f else None, "p_abandon": f.p_abandon if f else None}


def _print_plan(model, forecast, plan, described, shrinkage) -> None:
    from ..output.screen import Column, Table, emit

    headings = ["Interval", "Volume", "AHT", "Agents", "Service level", "ASA", "Occupancy"]
    if model == "A":
        headings.append("Abandoned")
    headings.append("Scheduled")
    table = Table("plan", f"Erlang {model} per interval of {forecast.path} "
                          f"({format_duration(forecast.interval)} intervals) for {described}",
                  [Column(h, h.lower().replace(" ", "_"), label=h == "Interval") for h in headings])
    for p in plan:
        f = p.figures
        cells = [p.row.label, f"{p.row.volume:,.0f}", f"{p.aht:.0f}s", str(p.agents),
                 f"{f.service_level:.1%}" if f else "–",
                 f"{f.asa:.1f}s" if f else "–", f"{f.occupancy:.1%}" if f else "–"]
        if model == "A":
            cells.append(f"{f.p_abandon:.1%}" if f else "–")
        cells.append(f"{theory.scheduled_agents(p.agents, shrinkage):.1f}")
        table.add(*cells)
    emit([table])
