"""Commands that read a scenario without simulating it: ``validate``, ``schema``, ``graph``
and ``policies``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..output.tables import console
from ..units import format_duration
from .common import fail, load_or_fail
from .params import FIGURE_SUFFIXES, OutputFile, literal
from .command import code_policy

__all__ = ["validate", "schema", "graph", "policies"]


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=OutputFile(FIGURE_SUFFIXES), help="Draw the graph to this PNG, SVG or PDF file.")
@click.option("--matrix/--network", default=None, help="Draw a skills matrix (types × groups) or a network (default: the matrix above 10 types and groups together).")
@code_policy("parse")
def graph(scenario, output, matrix):
    """Summarise the skill graph of SCENARIO (who serves what) and optionally draw it."""
    from ..skills import SkillGraph

    spec = load_or_fail(scenario)
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
        from ..files import write_figure
        from ..output.plots_skills import CROWDED, skill_graph, skills_matrix
        if matrix is None:
            matrix = len(skills.type_names) + len(skills.group_names) > CROWDED
        write_figure((skills_matrix if matrix else skill_graph)(skills), Path(output))
        console.print(literal(f"{'skills matrix' if matrix else 'graph'} drawn to {output}"))


@click.command()
@click.argument("name", required=False)
def policies(name):
    """List the routing policies, or describe one in full with its parameters."""
    import inspect

    from ..routing import REGISTRY, get_router

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


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@code_policy("parse")
def validate(scenario):
    """Check SCENARIO (format, units, skills, routing) without simulating."""
    from ..routing import get_router, is_policy_file

    spec = load_or_fail(scenario)
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
    from ..scenario import estimate_work
    from ..schedules import shift_profile

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


@click.command()
@click.option("-o", "--output", type=OutputFile(), help="Write to this file instead of standard output.")
def schema(output):
    """Print the JSON Schema of scenario files (for editor completion)."""
    from ..files import write_atomic
    from ..scenario.schema import scenario_schema

    text = json.dumps(scenario_schema(), indent=2) + "\n"
    if output:
        try:
            write_atomic(Path(output), text)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}", status=1)
        console.print(literal(f"written: {output}"))
    else:
        click.echo(text, nl=False)
