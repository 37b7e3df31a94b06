"""``ccsim erlang b|c|a``: the Erlang calculator, no simulation.

Given ``-c/--agents`` it prints what that headcount gives; without it, the fewest agents that
meet the targets (``--target 80/20``, ``--asa``, ``--max-abandon``, ``--max-occupancy``),
grossed up by ``--shrinkage`` to agents to schedule and FTE. ``--forecast FILE.csv`` staffs
every interval of a forecast and adds the agent-hours up. The solving is ``ccsim.theory``.
"""

from __future__ import annotations

import json
import math

import click

from .. import theory
from ..limits import LIMITS
from ..units import format_duration
from .common import fail
from .params import Duration, Integer, Number, Rate
from .share_params import ServiceTarget, Share

__all__ = ["erlang"]

_AGENTS = Integer(1, LIMITS.agents_per_group)
_FTE = ("FTE = scheduled agent-hours / hours per FTE; scheduled agents = agents / "
        "(1 − shrinkage)")


@click.group()
def erlang():
    """The Erlang calculator: B (loss), C (delay) and A (delay with abandonment); no
    simulation. Without -c/--agents, C and A solve for the fewest agents meeting the targets."""


def _options(function):
    options = [
        click.option("-c", "--agents", type=_AGENTS, help="Number of agents (omit it to solve for the fewest that meet the targets)."),
        click.option("--rate", type=Rate(), help="Arrival rate, e.g. 240/h (or --forecast)."),
        click.option("--aht", type=Duration(), help="Mean handle time, e.g. 5min (in --forecast: of the rows without one)."),
        click.option("--threshold", type=Duration(zero=True), help="Service-level threshold [default: 20s, or the one in --target]."),
        click.option("--target", type=ServiceTarget(), help="Service-level target: 80/20 (80 % answered within 20 s), 80%/30s, or 80% with --threshold."),
        click.option("--asa", "max_asa", type=Duration(), help="Average speed of answer to stay within, e.g. 30s."),
        click.option("--max-occupancy", type=Share(low_open=True), help="Occupancy cap, e.g. 85%."),
        click.option("--shrinkage", type=Share(high_open=True), default="0%", show_default=True, help="Share of paid time not on contacts (breaks, training, absence): scheduled agents = agents / (1 − shrinkage)."),
        click.option("--hours-per-fte", type=Duration(), default="7.5h", show_default=True, help="Paid hours of one full-time agent per day: FTE = scheduled agent-hours / this."),
        click.option("--open-hours", type=Duration(), help="Hours a day the --rate holds, for FTE [default: --hours-per-fte, so FTE = scheduled agents]."),
        click.option("--forecast", type=click.Path(dir_okay=False), help="CSV of intervals: interval_start, volume and optionally aht; staffs every interval."),
        click.option("--interval", "interval_length", type=Duration(), help="Interval length of --forecast [default: the step between its first two rows]."),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of a table."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@erlang.command("b")
@click.option("-c", "--agents", type=_AGENTS, help="Number of lines or agents (omit it with --max-blocking).")
@click.option("--load", type=Number(0), required=True, help="Offered load in erlangs.")
@click.option("--max-blocking", type=Share(low_open=True), help="Solve for the fewest lines blocking at most this share, e.g. 1%.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of a table.")
def erlang_b(agents, load, max_blocking, as_json):
    """Blocking probability of M/M/c/c (no waiting room), or the lines for a blocking target."""
    if agents is None:
        if max_blocking is None:
            fail("--agents: expected -c/--agents, or --max-blocking to solve for, got neither")
        try:
            agents = theory.lines_for(load, max_blocking)
        except ValueError as exc:
            fail(f"--max-blocking: {exc}")
    blocking = theory.erlang_b(agents, load)
    if as_json:
        click.echo(json.dumps({"agents": agents, "load": load, "blocking": blocking,
                               "max_blocking": max_blocking}, indent=2))
        return
    rows = [("Lines (agents)", str(agents)), ("Offered load", f"{load:g} erlangs"),
            ("Blocking", f"{blocking:.2%}"), ("Carried load", f"{load * (1 - blocking):.2f} "
                                                              "erlangs")]
    _print_figures(f"Erlang B: {load:g} erlangs"
                   + (f", blocking ≤ {max_blocking:.2%}" if max_blocking else ""), rows)


@erlang.command("c")
@_options
def erlang_c(**options):
    """M/M/c: waiting, ASA, service level and occupancy; or the agents for a target."""
    _calculate("C", patience=None, max_abandon=None, **options)


@erlang.command("a")
@_options
@click.option("--patience", type=Duration(infinite=True), required=True, help="Mean patience, e.g. 10min (inf: nobody abandons).")
@click.option("--max-abandon", type=Share(low_open=True), help="Abandonment to stay within, e.g. 5%.")
def erlang_a(**options):
    """M/M/c+M: waiting, abandonment, ASA and service level with impatient callers; or the
    agents for a target."""
    _calculate("A", **options)


def _targets(target, threshold, max_asa, max_abandon, max_occupancy, patience) -> dict:
    share, within = target if target else (None, None)
    if within is not None and threshold is not None and within != threshold:
        fail(f"--threshold: expected the threshold once, got {format_duration(threshold)} "
             f"and --target {share:.0%}/{format_duration(within)}")
    return {"target_sl": share, "threshold": within if within is not None else
            (20.0 if threshold is None else threshold), "patience": patience,
            "asa": max_asa, "max_abandon": max_abandon, "max_occupancy": max_occupancy}


def _calculate(model, agents, rate, aht, threshold, target, max_asa, max_occupancy, shrinkage,
               hours_per_fte, open_hours, forecast, interval_length, as_json, patience,
               max_abandon):
    targets = _targets(target, threshold, max_asa, max_abandon, max_occupancy, patience)
    wanted = any(targets[k] is not None for k in ("target_sl", "asa", "max_abandon",
                                                  "max_occupancy"))
    if forecast is not None:
        if agents is not None or rate is not None:
            fail(f"--{'agents' if agents is not None else 'rate'}: expected no "
                 f"{'-c/--agents' if agents is not None else '--rate'} with --forecast (each "
                 f"interval is staffed from its own volume), got one")
        if not wanted:
            fail("--target: expected a target to staff each interval for (--target 80/20, "
                 "--asa 30s, --max-occupancy 85%), got none")
        from .erlang_forecast import forecast_mode
        forecast_mode(model, forecast, interval_length, aht, targets, shrinkage,
                      hours_per_fte, as_json, _describe(targets))
        return
    if rate is None or aht is None:
        fail(f"--{'rate' if rate is None else 'aht'}: expected a value (or --forecast FILE), "
             f"got none")
    if agents is None and not wanted:
        fail("--agents: expected -c/--agents, or a target to solve for (--target 80/20, --asa "
             "30s, --max-occupancy 85%" + (", --max-abandon 5%" if model == "A" else "")
             + "), got neither")
    try:
        if agents is None:
            figures = theory.agents_for(arrival_rate=rate, aht=aht, **targets)
        else:
            figures = theory.figures(agents, rate, aht, targets["threshold"], patience)
    except ValueError as exc:
        fail(f"--{'patience' if 'patience' in str(exc) else 'target'}: {exc}")
    hours = hours_per_fte if open_hours is None else open_hours
    scheduled = theory.scheduled_agents(figures.agents, shrinkage)
    fte = scheduled * hours / hours_per_fte
    if as_json:
        document = {**_figures_document(figures, model), "shrinkage": shrinkage,
                    "scheduled_agents": scheduled, "open_hours": hours / 3600,
                    "hours_per_fte": hours_per_fte / 3600, "fte": fte,
                    "solved": agents is None, "meets_targets": _meets(figures, targets)}
        click.echo(json.dumps(document, indent=2))
        return
    title = (f"Erlang {model}: {rate * 3600:g}/h, AHT {format_duration(aht)}"
             + (f", patience {format_duration(patience)}" if model == "A" else "")
             + (f" → {figures.agents} agents for {_describe(targets)}" if agents is None else
                f", {agents} agents"))
    rows = _figure_rows(figures, model)
    if agents is not None and wanted:
        rows.append((f"Meets {_describe(targets)}", "yes ✓" if _meets(figures, targets)
                     else "no ✗"))
    rows += [(f"Scheduled agents ({shrinkage:.0%} shrinkage)", f"{scheduled:.1f}"),
             (f"FTE ({format_duration(hours)} a day open, {format_duration(hours_per_fte)} "
              f"per FTE)", f"{fte:.1f}")]
    _print_figures(title, rows, _FTE)


def _meets(figures, targets) -> bool:
    return ((targets["target_sl"] is None or figures.service_level >= targets["target_sl"])
            and (targets["asa"] is None or figures.asa <= targets["asa"])
            and (targets["max_abandon"] is None or figures.p_abandon <= targets["max_abandon"])
            and (targets["max_occupancy"] is None
                 or figures.occupancy <= targets["max_occupancy"] + 1e-12))


def _describe(targets) -> str:
    parts = []
    if targets["target_sl"] is not None:
        parts.append(f"SL {targets['target_sl']:.0%}/{format_duration(targets['threshold'])}")
    if targets["asa"] is not None:
        parts.append(f"ASA ≤ {format_duration(targets['asa'])}")
    if targets["max_abandon"] is not None:
        parts.append(f"abandon ≤ {targets['max_abandon']:.1%}")
    if targets["max_occupancy"] is not None:
        parts.append(f"occupancy ≤ {targets['max_occupancy']:.0%}")
    return ", ".join(parts)


def _finite(value: float):
    return value if math.isfinite(value) else None


def _figures_document(figures, model) -> dict:
    document = {"agents": figures.agents, "load": figures.load,
                "occupancy": figures.occupancy, "p_wait": figures.p_wait,
                "asa": _finite(figures.asa), "service_level": figures.service_level,
                "threshold": figures.threshold}
    if model == "A":
        document["p_abandon"] = figures.p_abandon
    return document


def _seconds(value: float) -> str:
    return "∞ (overloaded)" if math.isinf(value) else f"{value:.1f}s"


def _figure_rows(figures, model) -> list:
    rows = [("Agents", str(figures.agents)), ("Offered load", f"{figures.load:.2f} erlangs"),
            ("Occupancy", f"{figures.occupancy:.1%}"), ("P(wait)", f"{figures.p_wait:.1%}"),
            ("ASA" + (" (of answered)" if model == "A" else ""), _seconds(figures.asa)),
            (f"Service level (within {format_duration(figures.threshold)}, of offered)",
             f"{figures.service_level:.1%}")]
    if model == "A":
        rows.append(("Abandoned", f"{figures.p_abandon:.1%}"))
    return rows


def _print_figures(title, rows, legend: str | None = None) -> None:
    from ..output.screen import Column, Table, emit

    table = Table("figures", title, [Column("Figure", "figure", label=True),
                                     Column("Value", "value")])
    for name, value in rows:
        table.add(name, value)
    if legend:
        table.notes.append(legend)
    emit([table])
