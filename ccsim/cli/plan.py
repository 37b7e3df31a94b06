"""``ccsim plan``: the cheapest headcount of every agent group in every interval that meets
every target, found by simulation; with ``--shifts``, the shifts that cover it."""

from __future__ import annotations

import json
import sys

import click

from .common import execution_options, fail, load_or_fail, report_written, running
from .params import REPLICATIONS, SEED, Integer, Number, OutputDir, errors, literal
from ..output.screen import Column, Table, console, emit

__all__ = ["plan_command"]


@click.command("plan")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--target", "targets", multiple=True, required=True, metavar="TARGET", help="A target, repeatable: 'sl>=0.80@20s', 'billing:sl>=0.8@30s', 'asa<=30s', 'abandon<=5%', 'response<=24h' (email/social).")
@click.option("--objective", type=click.Choice(["cost", "agent-hours"]), default="cost", show_default=True, help="Minimise the cost (the scenario's costs:, agent-hours without them) or agent-hours.")
@click.option("--confidence", type=Number(0.5, 1, high_open=True), default=0.9, show_default=True, help="One-sided confidence with which every target must hold in every interval.")
@click.option("-r", "--replications", type=Integer(2, REPLICATIONS.high), default=10, show_default=True, help="Replications per evaluation (the same seed for every candidate plan).")
@click.option("--seed", type=SEED, help="Master seed (default: the scenario's).")
@click.option("--max-rounds", type=Integer(1, 10_000), default=40, show_default=True, help="Simulations of the search before it stops.")
@click.option("--validate", is_flag=True, help="Judge every candidate plan on a second seed too, so the trim does not fit one seed's days: plans that hold better on fresh days, for about twice the run time (recommended for large centers).")
@click.option("--shifts", type=click.Path(dir_okay=False), help="Shift catalogue (YAML): also choose the shifts that cover the plan.")
@click.option("--out", type=OutputDir(), help="Directory for the plan: scenario YAML, CSVs, chart.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when a target is not met.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of tables.")
@execution_options
def plan_command(scenario, targets, objective, confidence, replications, seed, max_rounds,
                 validate, shifts, out, strict, as_json, jobs, dask_scheduler, dask_local, quiet):
    """Choose the headcount of every agent group in every interval at least cost so that every
    target holds, starting from Erlang A on the pooled load of the types that share groups
    and improving by simulation."""
    from ..workforce.plan import parse_plan_target, plan

    spec = load_or_fail(scenario)
    parsed = []
    for text in targets:
        try:
            parsed.append(parse_plan_target(text))
        except ValueError as exc:
            fail(f"--target: {exc}")
    quiet = quiet or as_json
    say = None if quiet else (lambda r, message: errors.print(
        literal(f"round {r}/{max_rounds}: {message}"), style="dim", highlight=False))
    try:
        with running("planning", jobs, dask_scheduler, dask_local, True) as (executor, _):
            result = plan(spec, parsed, objective=objective, confidence=confidence,
                          replications=replications, seed=seed, jobs=jobs, executor=executor,
                          shifts=shifts, max_rounds=max_rounds, validate=validate,
                          progress=say)
    except ValueError as exc:
        fail(f"--target: {exc}" if "target" in str(exc) or "serves" in str(exc)
             else str(exc))
    warnings = result.warnings()
    for line in warnings:
        errors.print(literal(f"warning: {line}"), style="bold yellow", highlight=False,
                     soft_wrap=True)
    if out:
        _write(result, out, errors if as_json else console)
    if as_json:
        click.echo(json.dumps({**result.summary(), "required": result.required,
                               "warnings": warnings}, indent=2, default=str))
    else:
        _print(result)
    if strict and warnings:
        sys.exit(1)


def _write(result, out: str, say) -> None:
    """The plan's files, each written atomically."""
    from pathlib import Path

    from ..files import csv_text, write_atomic, write_figure
    from ..output.plots_staffing import staffing_required_vs_scheduled

    files = {"plan-scenario.yaml": None, "requirements.csv": csv_text(result.requirement_rows()),
             "fte.csv": csv_text(result.fte_rows()), "targets.csv": csv_text(result.target_rows()),
             "summary.json": json.dumps({**result.summary(), "warnings": result.warnings()},
                                        indent=2, default=str)}
    shift_plan = result.shifts
    try:
        files["plan-scenario.yaml"] = result.scenario_yaml() if shift_plan is None else None
    except (OSError, KeyError, TypeError):
        files.pop("plan-scenario.yaml")
        errors.print(literal("warning: the input scenario file could not be re-read: no "
                             "plan-scenario.yaml"), style="yellow", highlight=False)
    if shift_plan is not None:
        from ..workforce.plan.shifts import ROW_HEADER

        files["shifts.csv"] = csv_text([dict(zip(ROW_HEADER, row)) for row in shift_plan.rows()])
        files["plan-scenario.yaml"] = shift_plan.to_yaml()
    try:
        Path(out).mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            write_atomic(Path(out) / name, content)
        for group in result.scenario.agent_groups:
            scheduled = (shift_plan.coverage[group.name] if shift_plan is not None
                         else result.required[group.name])
            figure = staffing_required_vs_scheduled(
                result.scenario, result.required[group.name],
                scheduled if shift_plan is not None else
                [result.scenario.headcount(group, k) for k in range(result.scenario.n_intervals)],
                group=group.name)
            name = f"plan-{group.name}.png"
            write_figure(figure, Path(out) / name)
            files[name] = None
            if shift_plan is not None and any(s.group == group.name for s in shift_plan.shifts):
                from ..output.plots_staffing import shift_coverage

                name = f"shifts-{group.name}.png"
                write_figure(shift_coverage(shift_plan, group.name), Path(out) / name)
                files[name] = None
    except OSError as exc:
        fail(f"cannot write to {out}: {exc.strerror or exc}", status=1)
    report_written([Path(out) / name for name in files], to_stderr=say is not console)


def _print(result) -> None:
    summary = result.summary()
    headers = ["Group", "Agent-hours", "Peak agents", "Absence", "FTE (8 h)", "Cost"]
    table = Table("plan", f"Plan of {result.scenario.name}: "
                          f"{', '.join(t.label() for t in result.targets)} at "
                          f"{result.confidence:.0%} confidence ({result.replications} days per "
                          f"evaluation, {result.rounds} simulations)",
                  [Column(h, h.lower().replace(" ", "_"), label=h == "Group") for h in headers])
    for row in result.fte_rows():
        table.add(row["group"], f"{row['agent_hours']:.1f}",
                  str(max(result.required[row["group"]], default=0)),
                  f"{row['absence']:.0%}", f"{row['fte']:.1f}", f"{row['cost']:.0f}")
    emit([table])
    hours, cost = summary["agent_hours"], summary["cost"]
    console.print(literal(
        f"Agent-hours: plan {hours['plan']:.1f}; input plan {hours['input']:.1f}; baseline (a), "
        f"each type staffed alone by Erlang A/C, {hours['baseline_a']:.1f} "
        f"({hours['plan'] - hours['baseline_a']:+.1f}). Cost ({result.objective}): plan "
        f"{cost['plan']:.0f}, input {cost['input']:.0f}, baseline (a) {cost['baseline_a']:.0f}. "
        f"Targets met in {summary['share_met']:.0%} of the (type, interval) cells."),
        highlight=False)
    plan = result.shifts
    if plan is not None:
        agents = sum(count for *_, count in plan.counts)
        console.print(literal(
            f"Shifts: {agents} agents on {len(plan.counts)} shift starts, {plan.paid_hours:.1f} "
            f"paid hours, cost {plan.cost:.0f}"
            + (f"; {len(plan.missed)} (group, interval) cells still short after "
               f"{plan.corrections} corrections by simulation" if plan.missed else
               "; every interval covered, checked by simulation")), highlight=False)
