"""The ``ccsim`` command: run, validate, schema, erlang.

Scenario mistakes print ``file:line:column: yaml.path: message`` and exit with status 2, never
a traceback.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from . import __version__, theory
from .cli_params import (FIGURE_SUFFIXES, JOBS, REPLICATIONS, SEED, CcsimGroup, Duration,
                         Integer, Number, OneOf, OutputFile, PolicyList, Rate, code_policy,
                         literal)
from .cli_run import execution_options, fail, running
from .scenario import ScenarioError, load_scenario
from .output.tables import console, print_comparison
from .limits import LIMITS
from .units import format_duration

__all__ = ["main"]



def _load(path: str):
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        fail(str(exc))


@click.group(cls=CcsimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccsim")
def main():
    """ccsim — simulate a contact center described in a YAML scenario."""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--policies", type=PolicyList(), help="Comma-separated routing policies; the first is the baseline (not needed for an experiment file).")
@click.option("-r", "--replications", type=Integer(2, REPLICATIONS.high), help="Replications per policy (default: the scenario's).")
@click.option("--seed", type=SEED, help="Master seed, shared by all policies.")
@click.option("--kpi", type=OneOf(["service_level", "asa", "abandon_rate", "wait_p90", "aht", "occupancy"]), default="service_level", show_default=True, help="KPI for the plot.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of tables.")
@click.option("--plot", type=OutputFile(FIGURE_SUFFIXES), help="Save a comparison chart (PNG or SVG; one per variant of an experiment).")
@execution_options
@code_policy("folder")
def compare(scenario, policies, replications, seed, kpi, as_json, plot, jobs, dask_scheduler,
            dask_local, quiet):
    """Run routing policies on the same contacts and report paired differences.

    SCENARIO is a scenario file (with --policies) or an experiment file listing scenarios,
    what-if variants and policies (see docs/routing.md)."""
    from .study.compare import DEFAULT_KPIS, compare as run_compare
    from .routing import get_router
    from .study.study_file import is_study, load_study, run_study

    if kpi not in DEFAULT_KPIS and kpi != "occupancy":
        fail(f"--kpi: expected one of {', '.join(DEFAULT_KPIS)}, occupancy, got {kpi!r}")
    if is_study(scenario):
        try:
            study = load_study(scenario)
        except ScenarioError as exc:
            fail(str(exc))
        with running("compare", jobs, dask_scheduler, dask_local, True) as (executor, _):
            comparisons = run_study(study, jobs=jobs, replications=replications, seed=seed,
                                    executor=executor)
    else:
        if not policies:
            fail("--policies: give the policies to compare, e.g. --policies longest_idle,priority")
        spec = _load(scenario)
        names = policies
        for name in names:
            try:
                get_router(name, Path(scenario).parent)
            except ValueError as exc:
                fail(f"--policies: {exc}")
        with running("compare", jobs, dask_scheduler, dask_local, True) as (executor, _):
            comparisons = [(spec.name, run_compare(spec, names, replications=replications,
                                                   seed=seed, jobs=jobs, executor=executor))]
    if plot:
        from .files import write_figure
        from .output.plots import comparison_bars
        for i, (_, comparison) in enumerate(comparisons):
            target = Path(plot) if i == 0 else Path(plot).with_stem(f"{Path(plot).stem}-{i + 1}")
            write_figure(comparison_bars(comparison, kpi), target)
    if as_json:
        documents = [dict(c.to_dict(), variant=name) for name, c in comparisons]
        click.echo(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2,
                              allow_nan=False))
        return
    for name, comparison in comparisons:
        print_comparison(name, comparison)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=OutputFile(FIGURE_SUFFIXES), help="Draw the graph to this PNG, SVG or PDF file.")
@code_policy("parse")
def graph(scenario, output):
    """Summarise the skill graph of SCENARIO (who serves what) and optionally draw it."""
    from .skills import SkillGraph

    spec = _load(scenario)
    skills = SkillGraph(spec)
    table = Table(title="Skill graph", title_justify="left")
    for title in ("Contact type", "Groups in preference order (rank, proficiency)"):
        table.add_column(title)
    for name in skills.type_names:
        served = [f"{g} (r{skills.skill(name, g)['rank']}, ×{skills.skill(name, g)['proficiency']:g})"
                  for g in skills.groups_for(name)]
        table.add_row(literal(name), literal(", ".join(served)))
    console.print(table)
    for types, groups in skills.components():
        console.print(literal(f"connected part: types {', '.join(types)} — groups "
                              f"{', '.join(groups)}"))
    for name in skills.type_names:
        partners = skills.sharing(name)
        if partners:
            console.print(literal(f"{name} shares agents with {', '.join(partners)}"))
        else:
            console.print(literal(f"{name} shares agents with no other type (dedicated)"))
    if output:
        from .files import write_figure
        from .output.plots import skill_graph
        write_figure(skill_graph(skills), Path(output))
        console.print(literal(f"graph drawn to {output}"))


@main.command()
@click.argument("name", required=False)
def policies(name):
    """List the routing policies, or describe one in full with its parameters."""
    import inspect

    from .routing import REGISTRY, get_router

    if name is not None:
        try:  # a registered name, or your own file.py:Class (relative to here)
            cls = get_router(name)
        except ValueError as exc:
            fail(str(exc))
        console.print(f"[bold]{escape(name)}[/]\n")
        console.print(escape(inspect.getdoc(inspect.getmodule(cls)) or ""))
        if cls.params_doc:
            console.print("\n[bold]Parameters[/]")
            for key, meaning in cls.params_doc.items():
                console.print(escape(f"  {key}: {meaning}"))
        return
    table = Table(title="Routing policies (ccsim policies NAME for details)", title_justify="left")
    table.add_column("Policy", no_wrap=True)
    table.add_column("What it does")
    table.add_column("Parameters")
    for key, cls in REGISTRY.items():
        summary = (inspect.getdoc(inspect.getmodule(cls)) or "").split("\n")[0]
        table.add_row(key, escape(summary), ", ".join(cls.params_doc) or "–")
    console.print(table)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@code_policy("parse")
def validate(scenario):
    """Check SCENARIO (format, units, skills, routing) without simulating."""
    from .routing import get_router, is_policy_file

    spec = _load(scenario)
    def mean(rates):
        return sum(rates) / len(rates)

    load = sum(t.mean_handle_time * mean(t.arrival_rates) for t in spec.contact_types)
    via_ivr = 0.0
    if spec.ivr is not None:  # calls the IVR routes on to the agents
        via_ivr = mean(spec.ivr.arrival_rates) * sum(
            share * spec.contact_type(name).mean_handle_time
            for name, share in spec.ivr.routed_shares().items())
    console.print(literal(f"{scenario}: OK — {len(spec.contact_types)} contact types, "
                          f"{len(spec.agent_groups)} agent groups, {spec.n_intervals} intervals "
                          f"of {format_duration(spec.interval)}, mean offered load "
                          f"{load + via_ivr:.1f} erlangs"
                          + (f" ({via_ivr:.1f} through the IVR)" if via_ivr else "")
                          + f", routing {spec.routing.policy}"), soft_wrap=True)
    from .scenario import estimate_work
    from .schedules import shift_profile

    console.print(literal(f"  {estimate_work(spec).describe()}"), soft_wrap=True)
    if is_policy_file(spec.routing.policy):
        router = get_router(spec.routing.policy, spec.base_dir)
        if not getattr(router, "imported", True):
            console.print(literal(f"  {router.source}: valid Python defining the class, not "
                                  f"imported (a policy file is code; --allow-code imports it "
                                  f"and checks its parameters)"), soft_wrap=True)
    n, hours = spec.n_intervals, spec.interval / 3600
    for group in spec.agent_groups:
        if group.shifts:  # the profile once per group: n intervals, not n profiles
            on_phones, on_pay = shift_profile(group.shifts, n, spec.interval, spec.start,
                                              spec.start_day)
            paid, planned = sum(on_pay) * hours, sum(on_phones) * hours
            console.print(literal(f"  {group.name}: {len(group.shifts)} shifts, {paid:.1f} "
                                  f"paid agent-hours, {planned:.1f} planned on the phones "
                                  f"(planned shrinkage {1 - planned / paid:.1%})" if paid else
                                  f"  {group.name}: no shift inside the horizon"))


@main.command()
@click.option("-o", "--output", type=OutputFile(), help="Write to this file instead of standard output.")
def schema(output):
    """Print the JSON Schema of scenario files (for editor completion)."""
    from .files import write_atomic
    from .scenario.schema import scenario_schema

    text = json.dumps(scenario_schema(), indent=2) + "\n"
    if output:
        try:
            write_atomic(Path(output), text)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}", status=1)
    else:
        click.echo(text, nl=False)


_AGENTS = Integer(1, LIMITS.agents_per_group)


@main.group()
def erlang():
    """Analytic Erlang B, C and A values (no simulation)."""


def _common(function):
    function = click.option("--threshold", type=Duration(zero=True), default="20s", show_default=True,
                            help="Service-level threshold.")(function)
    function = click.option("--aht", type=Duration(), required=True, help="Mean handle time, e.g. 5min.")(function)
    function = click.option("--rate", type=Rate(), required=True, help="Arrival rate, e.g. 240/h.")(function)
    function = click.option("-c", "--agents", type=_AGENTS, required=True, help="Number of agents.")(function)
    return function


@erlang.command("b")
@click.option("-c", "--agents", type=_AGENTS, required=True, help="Number of lines or agents.")
@click.option("--load", type=Number(0), required=True, help="Offered load in erlangs.")
def erlang_b(agents, load):
    """Blocking probability of M/M/c/c (no waiting room)."""
    click.echo(json.dumps({"agents": agents, "load": load,
                           "blocking": theory.erlang_b(agents, load)}, indent=2))


@erlang.command("c")
@_common
def erlang_c(agents, rate, aht, threshold):
    """M/M/c: probability of waiting, ASA and service level."""
    load = rate * aht
    click.echo(json.dumps({
        "agents": agents, "load": load, "occupancy": min(1.0, load / agents),
        "p_wait": theory.erlang_c(agents, load),
        "asa": _finite(theory.erlang_c_asa(agents, load, aht)),
        "service_level": theory.erlang_c_service_level(agents, load, aht, threshold),
        "threshold": threshold,
    }, indent=2))


@erlang.command("a")
@_common
@click.option("--patience", type=Duration(infinite=True), required=True, help="Mean patience, e.g. 10min (inf: nobody abandons).")
def erlang_a(agents, rate, aht, threshold, patience):
    """M/M/c+M: waiting, abandonment, ASA and service level with impatient callers."""
    result = theory.erlang_a(agents, rate, aht, patience)
    click.echo(json.dumps({
        "agents": agents, "load": rate * aht, "p_wait": result.p_wait,
        "p_abandon": result.p_abandon, "asa": result.asa,
        "service_level": result.service_level(threshold), "threshold": threshold,
    }, indent=2))


def _finite(value: float):
    return value if math.isfinite(value) else None


@main.command()
@click.argument("source", type=click.Path())
@click.option("-o", "--output", type=OutputFile((".html", ".htm")), required=True, help="HTML file to write.")
@click.option("-r", "--replications", type=REPLICATIONS, help="Replications (default: the scenario's, or the run's for a results directory).")
@click.option("--seed", type=SEED, help="Master seed (default: the scenario's, or the run's for a results directory).")
@click.option("-j", "--jobs", type=JOBS, default=1, show_default=True, help="Parallel worker processes (0 = one per core).")
@code_policy("parse")
def report(source, output, replications, seed, jobs):
    """Write a self-contained HTML report (KPI tables, charts, scenario) of SOURCE: a scenario file, or a `ccsim run --out` directory, simulated again from its run.json (scenario file, seed, replications, policy), which gives the run's numbers."""
    from .output.report import ReportError, write_report
    from .output.run_file import RunFileError, read_run
    from .routing import _CODE, is_policy_file

    def refuse_code(policy: str) -> None:
        if is_policy_file(policy) and _CODE["mode"] != "allow":
            fail(f"the run is routed by the policy file {policy}, which is Python code: "
                 f"report simulates the run again and so would execute it; pass --allow-code "
                 f"if you trust it")

    def load(path: str):
        spec = _load(path)
        refuse_code(spec.routing.policy)
        return spec

    try:
        if Path(source).is_dir():
            refuse_code(str(read_run(Path(source)).get("policy", "")))
        write_report(source, output, load, replications, seed, jobs)
    except RunFileError as exc:
        fail(str(exc))
    except ReportError as exc:
        fail(str(exc), status=exc.status)



@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=OutputFile((".gif",)), required=True, help="GIF file to write.")
@click.option("--start", help="First frame: HH:MM on the first day, 'day N HH:MM', a weekday such as 'tue 09:00', or 'YYYY-MM-DD HH:MM' with the scenario's start_date (default: the scenario's start).")
@click.option("--minutes", type=Number(0, LIMITS.horizon / 60, low_open=True), default=60, show_default=True, help="Simulated minutes shown (one frame a minute, at most 120 frames).")
@click.option("--fps", type=Integer(1, 100), default=8, show_default=True, help="Frames per second.")
@click.option("--seed", type=SEED, help="Master seed (default: the scenario's); replication 0 is shown.")
@code_policy("folder")
def animate(scenario, output, start, minutes, fps, seed):
    """Write a GIF of one replication: agents talking / in after-contact work / idle, queues, IVR."""
    from .output.animate import frame_data, parse_start, write_animation

    from .cli_run import routing_error_message
    from .engine.center import RoutingError

    spec = _load(scenario)
    try:
        data = frame_data(spec, None if start is None else parse_start(start, spec), minutes,
                          seed=seed)
    except ValueError as exc:
        fail(f"--start: {exc}" if start is not None and "--" not in str(exc) else str(exc))
    except RoutingError as exc:
        fail(routing_error_message(exc, spec.routing.policy))
    try:
        write_animation(data, output, fps)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", status=1)
    console.print(literal(f"{len(data.times)} frames from {data.clock(0)[:-3]} written to "
                          f"{output}"))


# commands defined in their own modules
from .cli_import import import_intervals  # noqa: E402
from .cli_run import run, sweep  # noqa: E402
from .cli_workforce import staff_command, stress_command  # noqa: E402

main.add_command(run)
main.add_command(sweep)
main.add_command(import_intervals)
main.add_command(staff_command)
main.add_command(stress_command)

if __name__ == "__main__":  # pragma: no cover
    main()
