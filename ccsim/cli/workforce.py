"""The workforce commands: ``ccsim staff`` (simulation-based staffing per interval) and
``ccsim stress`` (a plan under more volume, longer calls and more absence)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import click

from .params import REPLICATIONS, SEED, Axis, Integer, Number, OutputDir, literal
from .command import format_option
from .share_params import ServiceTarget, Share
from .common import fail
from ..output.screen import console, emit
from ..units import format_clock

__all__ = ["staff_command", "stress_command"]


def _write(out: str | None, files: dict, to_stderr: bool = False) -> None:
    """Write text files and figures into ``out`` atomically; a failure is a clear error."""
    if not out:
        return
    from ..files import write_atomic, write_figure
    try:
        Path(out).mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            if isinstance(content, (str, bytes)):
                write_atomic(Path(out) / name, content)
            else:
                write_figure(content, Path(out) / name)
    except OSError as exc:
        fail(f"cannot write to {out}: {exc.strerror or exc}", status=1)
    from .common import report_written
    report_written([Path(out) / name for name in files], to_stderr=to_stderr)


_COMMON = [
    click.option("-r", "--replications", type=Integer(2, REPLICATIONS.high), default=20, show_default=True, help="Replications per evaluation (days simulated)."),
    click.option("--seed", type=SEED, help="Master seed (default: the scenario's); the same for every evaluation."),
    click.option("--out", type=OutputDir(), help="Directory for the CSV table and the chart."),
    click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of tables."),
    click.option("--xlsx", is_flag=True, help="With --out, also write the table as an Excel workbook (needs ccsim[xlsx])."),
]


def _tables(out, name: str, rows: list[dict], xlsx: bool) -> dict:
    """``name``.csv (and ``name``.xlsx with --xlsx) of the planner rows, for ``_write``."""
    from ..files import csv_text

    files = {f"{name}.csv": csv_text(rows)}
    if xlsx and out:
        from ..output.workbook import workbook_bytes
        files[f"{name}.xlsx"] = workbook_bytes({name: rows})
    return files


def _check_xlsx(xlsx: bool, out) -> None:
    if xlsx:
        from ..output.workbook import XLSX_HINT, have_openpyxl
        if not out:
            fail("--xlsx: give --out DIR as well (the workbook is written there)")
        if not have_openpyxl():
            fail(f"--xlsx: {XLSX_HINT}")


def _common(function):
    from .common import execution_options

    from .command import code_policy

    function = code_policy("folder")(function)
    function = format_option(function)
    for option in reversed(_COMMON):
        function = option(function)
    return execution_options(function)


@click.command("staff")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--target", default="80/20", show_default=True, help="Service-level target per interval: 80/20 = 80 % answered within 20 s (of offered); also 80%/30s, sl>=0.80@20s, or 80% (within 20 s).")
@click.option("--max-abandon", type=Share(low_open=True), help="Also keep abandonment per interval at most this share (e.g. 5% or 0.05).")
@click.option("--confidence", type=Number(0.5, 1, high_open=True), default=0.9, show_default=True, help="One-sided confidence with which every interval must meet the targets.")
@click.option("--group", help="Agent group to staff (needed when there are several).")
@click.option("--max-rounds", type=click.IntRange(min=1), default=40, show_default=True, help="Rounds of the search (each one simulation) before it gives up.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when the plan found misses the target in any interval.")
@_common
def staff_command(scenario, target, max_abandon, confidence, group, max_rounds, strict,
                  replications, seed, out, as_json, xlsx, fmt, jobs, dask_scheduler, dask_local,
                  quiet):
    """Find the agents needed per interval by simulation, starting from Erlang A, and compare
    them with the scheduled agents and with per-interval Erlang C (the SIPP method)."""
    from .common import load_or_fail
    from ..workforce.staff import Target, parse_target, staff

    _check_xlsx(xlsx, out)
    spec = load_or_fail(scenario)
    try:
        sl, threshold = parse_target(target)
    except ValueError as exc:
        fail(f"--target: {exc}")
    goal = Target(sl, threshold, max_abandon, confidence)
    from .params import errors
    from .common import running
    quiet = quiet or as_json or fmt != "table"
    try:
        with running("staffing", jobs, dask_scheduler, dask_local, True) as (executor, _):
            plan = staff(spec, goal, group=group, replications=replications, seed=seed,
                         jobs=jobs, executor=executor, max_rounds=max_rounds,
                         progress=None if quiet else lambda r, message: errors.print(
                             f"round {r}/{max_rounds}: {message}" if r else message,
                             style="dim", highlight=False))
    except ValueError as exc:
        fail(f"--group: {exc}" if "group" in str(exc) and "serves" not in str(exc) else str(exc))
    _warn_missed(plan, errors)
    from ..output.interval_tables import staffing_table
    rows = plan.rows()
    files = _tables(out, "staffing", staffing_table(plan), xlsx)
    if out:
        from ..output.plots_staffing import staffing_required_vs_scheduled
        files["staffing.png"] = staffing_required_vs_scheduled(
            plan.scenario, plan.required, plan.scheduled, group=plan.group)
    _write(out, files, as_json or fmt != "table")
    if as_json:
        click.echo(json.dumps({"group": plan.group, "target": target, "rounds": plan.rounds,
                               "baseline": plan.baseline,
                               "missed_intervals": plan.missed,
                               "agent_hours": {p: plan.agent_hours(p) for p in
                                               ("required", "erlang_c", "erlang_a")},
                               "intervals": rows}, indent=2, default=_nan_none))
    else:
        _print_plan(plan, fmt)
    if strict and plan.missed:
        sys.exit(1)


def _warn_missed(plan, errors) -> None:
    """On stderr: every interval where the plan found still misses the target."""
    if not plan.missed:
        return
    scenario, target, done = plan.scenario, plan.target, plan.outcome["required"]
    errors.print(f"[bold yellow]warning:[/] the search stopped after {plan.rounds} rounds "
                 f"(--max-rounds {plan.max_rounds}) with {len(plan.missed)} intervals still "
                 f"missing the target; the 'Required' column there does NOT meet it:",
                 highlight=False, soft_wrap=True)
    for k in plan.missed:
        errors.print(f"  {format_clock(scenario.start + k * scenario.interval)}: "
                     f"{plan.required[k]} agents, {_bounded(done, k, target)}",
                     highlight=False, soft_wrap=True)


def _bounded(outcome, k, target) -> str:
    """Service level with the lower confidence bound that decides ✓/✗ (and abandonment with
    its upper bound when capped), e.g. "88.6% (lower 78.9%) ✗"."""
    if math.isnan(outcome["sl"][k]):
        return "–"
    text = f"{_pct(outcome['sl'][k])} (lower {_pct(outcome['sl_low'][k])})"
    if target.max_abandon is not None:
        text += (f", abandon {_pct(outcome['abandon'][k])} "
                 f"(upper {_pct(outcome['abandon_high'][k])})")
    return text + (" ✓" if outcome["met"][k] else " ✗")


def _nan_none(value):
    return None


def _print_plan(plan, fmt: str = "table") -> None:
    from ..output.study_tables import staff_table
    from ..workforce.staff import format_share

    emit([staff_table(plan)], fmt)
    if fmt != "table":
        return
    scenario, target = plan.scenario, plan.target
    console.print(literal(plan.baseline))
    ec = plan.outcome["erlang_c"]
    missed = sum(1 for met in ec["met"] if not met)
    console.print(f"Agent-hours: required {plan.agent_hours('required'):.1f}, per-interval "
                  f"Erlang C {plan.agent_hours('erlang_c'):.1f} ({missed} intervals miss the "
                  f"target when simulated, ✗), Erlang A {plan.agent_hours('erlang_a'):.1f}; "
                  f"scheduled {sum(plan.scheduled) * scenario.interval / 3600:.1f}.",
                  highlight=False)
    if plan.missed:
        console.print(f"[bold yellow]Warning:[/] 'Required' misses the target in "
                      f"{len(plan.missed)} intervals (✗) at {format_share(target.sl)}: the "
                      f"search stopped after {plan.rounds} rounds; see stderr, or raise "
                      f"--max-rounds.")


def _pct(value: float) -> str:
    return "–" if value != value else f"{100 * value:.1f}%"


@click.command("stress")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--volume", type=Axis(), help="Volume factors, e.g. 0.9:1.3:0.1 or 0.9,1.1,1.3 (default 0.9…1.3).")
@click.option("--aht", type=Axis(), help="Handle-time factors (default 1.0,1.1,1.2).")
@click.option("--absence", type=Axis(), help="Unplanned absence of every group, e.g. 0,5%,10%,15% (the default).")
@click.option("--headcount", type=Axis(), help="Headcount (or shift count) factors (default: not varied).")
@click.option("--target", type=ServiceTarget(threshold=False, high_open=False), help="Service level a day must reach to count as met, e.g. 80% or 0.8 (default: the contact types' target, each at its own threshold).")
@_common
def stress_command(scenario, volume, aht, absence, headcount, target, replications, seed, out,
                   as_json, xlsx, fmt, jobs, dask_scheduler, dask_local, quiet):
    """Simulate SCENARIO over a grid of volume, handle time and absence: KPIs with confidence
    intervals and the probability that a day meets the service-level target."""
    from .common import load_or_fail
    from ..limits import LIMITS
    from ..workforce.stress import DEFAULT_GRID, stress

    _check_xlsx(xlsx, out)
    spec = load_or_fail(scenario)
    grid = {}
    for name, text in (("volume", volume), ("aht", aht), ("absence", absence),
                       ("headcount", headcount)):
        values = text or DEFAULT_GRID.get(name)  # the option type has expanded it
        if values:
            grid[name] = values
    points = math.prod(len(values) for values in grid.values())
    if points > LIMITS.grid_points:
        fail(f"--{'/--'.join(grid)}: expected at most {LIMITS.grid_points:,} grid points "
             f"(the grid limit), got {' × '.join(str(len(v)) for v in grid.values())} = "
             f"{points:,}")
    from .common import running
    try:
        with running("stress test: replications", jobs, dask_scheduler, dask_local,
                     quiet or as_json or fmt != "table") \
                as (executor, progress):
            points = stress(spec, grid, replications=replications, seed=seed, jobs=jobs,
                            target=target[0] if target else None, executor=executor, progress=progress)
    except ValueError as exc:
        fail(str(exc))
    from ..output.interval_tables import stress_table
    rows = [p.row() for p in points]
    files = _tables(out, "stress", stress_table(rows, grid), xlsx)
    if out:
        files.update(_heatmaps(spec, grid, points))
    _write(out, files, as_json or fmt != "table")
    if as_json:
        click.echo(json.dumps({"grid": grid, "points": rows}, indent=2, default=_nan_none))
        return
    from ..output.study_tables import stress_table
    emit([stress_table(spec, grid, points, replications)], fmt)


def _heatmaps(scenario, grid, points) -> dict:
    """Service level and P(day meets SL) over the first two axes, one chart per combination of
    the others."""
    from ..output.plots_stress import stress_figures

    return stress_figures(scenario, grid, points)
