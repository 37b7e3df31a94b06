"""``ccsim import-intervals``: an ACD interval export → ``arrivals.csv`` + ``scenario.yaml``
(the building is ``ccsim.workforce.import_scenario``)."""

from __future__ import annotations

import math

import click
from rich.markup import escape
from rich.table import Table

from ..workforce.import_scenario import read_staffing, write_scenario, yaml_duration
from ..workforce.importer import PRESETS, IntervalData, IntervalFileError, read_intervals, stamp
from .common import fail
from .params import OutputDir

__all__ = ["import_intervals"]


def _mapping(items) -> dict:
    mapping = {}
    for item in items:
        column, sep, ours = item.rpartition("=")
        if not sep or not column.strip() or not ours.strip():
            fail(f"--map {item}: expected COLUMN=FIELD, e.g. --map 'Calls In=offered'")
        mapping[column.strip()] = ours.strip()
    return mapping


def _print_summary(data: IntervalData, paths, headcount: str):
    from ..output.tables import console

    table = Table(title=f"{escape(data.path)}: {len(data.starts)} intervals of "
                        f"{yaml_duration(data.interval)} from {stamp(data.starts[0])}",
                  title_justify="left")
    for title in ("Queue", "Channel", "Offered", "Handled", "Abandoned", "ASA", "Mean talk",
                  "Hold", "ACW", "Patience (est.)"):
        table.add_column(title, justify="left" if title in ("Queue", "Channel") else "right")

    def sec(value):
        return "–" if value is None else "never" if math.isinf(value) else f"{value:.0f}s"

    for q in data.queues.values():
        offered = q.total("offered")
        rate = (f" ({q.total('abandoned') / offered:.1%})" if offered and "abandoned" in q.series
                else "")
        table.add_row(escape(q.name), q.channel, f"{offered:,.0f}", f"{q.total('handled'):,.0f}",
                      f"{q.total('abandoned'):,.0f}{rate}", sec(q.mean("wait_answered_s")),
                      sec(q.mean("talk_s")), sec(q.mean("hold_s")), sec(q.mean("acw_s")),
                      sec(q.patience))
    total = sum(q.total("offered") for q in data.queues.values())
    abandoned = sum(q.total("abandoned") for q in data.queues.values())
    table.add_row("all", "", f"{total:,.0f}", "", f"{abandoned:,.0f}"
                  + (f" ({abandoned / total:.1%})" if total else ""), "", "", "", "", "")
    console.print(table)
    console.print(escape(f"headcount: {headcount}"))
    console.print(escape(f"written: {paths[0]}, {paths[1]} — check with: ccsim validate "
                         f"{paths[1]}"), soft_wrap=True)


@click.command("import-intervals")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=OutputDir(), help="Directory for arrivals.csv and scenario.yaml.")
@click.option("--preset", type=click.Choice(list(PRESETS)), default="ccsim", show_default=True, help="Column names to expect (presets modelled on common exports).")
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD", help="Map a file column to one of our fields, or to 'ignore' (repeatable).")
@click.option("--staffing", metavar="CSV:COLUMN", help="Agents per interval (one row per interval); default: an Erlang C suggestion.")
@click.option("--name", help="Scenario name (default: the file name).")
@click.option("--profile", "span", type=click.Choice(["replay", "day", "week"]), default="replay", show_default=True, help="replay: the file's own intervals; day / week: the average day or week (Monday first), with the forecast error estimated from how the days strayed from it.")
def import_intervals(file, out, preset, maps, staffing, name, span):
    """Turn an ACD interval export (FILE) into arrival profiles and a runnable scenario."""
    from ..workforce.history import forecast_error, profile
    from ..scenario import ScenarioError, load_scenario

    if staffing and span != "replay":
        fail("--staffing goes with --profile replay (it gives agents for the file's own "
             "intervals, not for an average day or week)")
    forecast = None
    try:
        data = read_intervals(file, preset, _mapping(maps))
        plan = read_staffing(staffing, data) if staffing else None
        if span != "replay":
            forecast = forecast_error(data, span)
            data = profile(data, span)
    except IntervalFileError as exc:
        fail(str(exc))
    for warning in data.warnings:
        click.echo(f"warning: {warning}", err=True)
    try:
        paths, notes = write_scenario(data, out, name, plan, forecast)
    except IntervalFileError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write to {out}: {exc.strerror or exc}", status=1)
    try:
        load_scenario(paths[1])
    except ScenarioError as exc:
        fail(f"the written scenario does not load: {exc}")
    for warning in notes:
        click.echo(f"warning: {warning}", err=True)
    _print_summary(data, paths, f"{plan.path}:{plan.column}" if plan else
                   "Erlang C suggestion per interval (80 % within the SL threshold)")
