"""One self-contained HTML report of a run, told story first: the targets missed (which
contact type, which intervals, by how much), the service level of every interval, then the
averages (KPI tables with confidence intervals), the omnichannel and workforce sections, the
other charts, and the scenario as compact tables.

The file needs nothing else to be read or printed: the charts are PNG images embedded as
``data:`` URIs, the style sheet is inline, there is no script, no web font and no link to
anything outside the file.

Every number cell of a KPI table carries the raw mean in ``data-value`` (the same float as in
``ccsim run --json``'s summary, empty when undefined) and its half-width in ``data-ci95``; the row
carries ``data-section`` and ``data-name``, the cell ``data-kpi``, so the table can be checked
against the JSON document: ``summary[section][name][kpi]["mean"]`` (``overall`` has no name;
a section with dots, such as ``cost.by_group``, is a path: ``summary["cost"]["by_group"]``).

The page is made of ``report_story`` (targets missed, red/green interval grids),
``report_sections`` (metadata, cards, KPI tables, cost), ``report_scenario`` (the scenario's
tables) and ``report_html`` (cells, tables, style).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..files import write_atomic
from ..units import format_duration
from . import plots
from .plots_skills import CROWDED
from .report_html import STYLE, esc, figure_data_uri, slug
from .report_scenario import scenario_tables
from .report_sections import cards, cost_section, kpi_tables, metadata
from .report_story import sl_grids, targets_panel
from .run_file import RunFileError, read_run
from .run_files import run_metadata

__all__ = ["render_report", "report_from_path", "write_report", "figure_data_uri", "ReportError"]


class ReportError(Exception):
    """A report that cannot be made; ``status`` is the exit status the command should use."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def _figure(figure, alt: str, figure_id: str) -> str:
    # figure_data_uri is looked up here, at call time, so tests can swap in a cheap image
    return (f'<figure id="{figure_id}"><img src="{figure_data_uri(figure)}" '
            f'alt="{esc(alt)}"></figure>')


def _skills_figure(scenario) -> str:
    """The skill graph as a network, or as a matrix once it has more than ``CROWDED`` nodes."""
    from ..skills import SkillGraph

    graph = SkillGraph(scenario)
    if len(graph.type_names) + len(graph.group_names) > CROWDED:
        return _figure(plots.skills_matrix(graph), "Skills matrix: contact types by agent "
                       "groups, with preference rank and proficiency", "chart-skills")
    return _figure(plots.skill_graph(graph), "Skill graph", "chart-skills")


def render_report(results, trace=None) -> str:
    """The report of ``results`` as one HTML document (a string). ``trace``: a
    ``ccsim.study.trace.Trace`` of one replication, drawn as queue and busy agents over time."""
    scenario = results.scenario
    summary = results.summary()
    title = f"ccsim report: {scenario.name}"
    targets = {t.name: f"{t.service_level.target:.0%} in {format_duration(t.service_level.threshold)}"
               for t in scenario.contact_types}
    parts = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="lead">{results.n} replications, seed {results.seed}, routing policy '
        f"{esc(results.policy)}. Each number is the mean over replications; ± is the "
        "half-width of its 95 % confidence interval (Student t over replications).</p>",
        targets_panel(results, summary),
        '<h2 id="sl-by-interval">Service level by interval</h2>',
        sl_grids(results)]
    for t in scenario.contact_types:
        parts.append(_figure(plots.service_level_by_interval(results, t.name),
                             f"Service level by interval, {t.name} (target {targets[t.name]})",
                             f"chart-sl-{slug(t.name)}"))
    parts += ['<h2 id="summary">Summary</h2>',
              '<p class="note">All contact types together, over the summary window (warm-up '
              "left out). Occupancy is that of all agent groups together.</p>",
              cards(summary), '<h2 id="kpis">KPIs</h2>', *kpi_tables(summary, scenario)]
    if "cost" in summary:
        parts += cost_section(summary["cost"], scenario.costs)
    parts += ['<h2 id="charts">Charts</h2>', "<h3>All contact types</h3>",
              _figure(plots.service_level_by_interval(results), "Service level by interval, "
                      "all contact types", "chart-sl-all"),
              _figure(plots.volumes_by_interval(results), "Offered, answered and abandoned "
                      "contacts by interval", "chart-volumes-all"),
              _figure(plots.occupancy_heatmap(results), "Occupancy by agent group and interval",
                      "chart-occupancy")]
    if trace is not None:
        parts.append(_figure(plots.queue_and_busy(trace), "Queue length and busy agents over "
                             "one replication", "chart-trace"))
    parts.append(_skills_figure(scenario))
    for t in scenario.contact_types:
        name = slug(t.name)
        parts += [f"<h3>{esc(t.name)} (target {esc(targets[t.name])})</h3>",
                  _figure(plots.volumes_by_interval(results, t.name),
                          f"Contacts by interval, {t.name}", f"chart-volumes-{name}"),
                  _figure(plots.wait_distribution(results, t.name),
                          f"Distribution of waits of answered contacts, {t.name}",
                          f"chart-wait-{name}")]
    scenario_text = json.dumps(scenario.as_dict(), indent=2, default=repr)
    parts += ['<h2 id="scenario">Scenario as run</h2>', metadata(results),
              scenario_tables(scenario, results),
              '<details id="scenario-details"><summary>Every value the simulation used, as '
              "JSON (units: seconds, rates per second)</summary>"
              f'<pre id="scenario-json">{esc(scenario_text)}</pre></details>']
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{STYLE}</style></head>\n<body><main>\n"
            + "\n".join(parts) + "\n</main></body></html>\n")


# --- from the command line ----------------------------------------------------------------

def _scenario_of_run(directory: Path, recorded: str) -> Path:
    """The scenario file named in run.json: as given (from the current directory), else
    relative to the results directory or one of its parents."""
    candidates = [Path(recorded)]
    if not Path(recorded).is_absolute():
        candidates += [base / recorded for base in (directory, *directory.resolve().parents)]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise ReportError(f"{directory}/run.json: scenario file {recorded!r} not found (looked "
                          "from the current directory and from the results directory up)")
    return found


def report_from_path(source, load, replications=None, seed=None, jobs: int = 1,
                     progress=None) -> str:
    """The report of a scenario file, or of a results directory written by ``ccsim run --out``
    (simulated again from its run.json: scenario file, seed, replications and policy).
    ``load`` reads a scenario file (the command line passes one that exits on errors)."""
    from ..study.experiment import simulate
    from ..study.trace import trace_replication

    path, policy, run = Path(source), None, None
    if path.is_dir():
        try:
            run = read_run(path)
        except RunFileError as exc:
            raise ReportError(str(exc)) from None
        scenario = load(str(_scenario_of_run(path, run["scenario_file"])))
        replications = replications or run.get("replications")
        seed = run.get("seed") if seed is None else seed
        policy = run.get("policy")
    else:
        scenario = load(str(path))
    from ..engine.center import RoutingError

    try:
        results = simulate(scenario, replications=replications, seed=seed, jobs=jobs,
                           policy=policy, progress=progress)
        trace = trace_replication(results.scenario, seed=results.seed)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    except RoutingError as exc:  # a policy that breaks the routing rules: a bad input
        name = getattr(exc, "policy", None) or policy or scenario.routing.policy
        raise ReportError(f"routing policy {name}: {exc}") from None
    if run and run.get("scenario_hash") not in (None, run_metadata(results)["scenario_hash"]):
        raise ReportError(f"{scenario.source} has changed since the run in {path} was made "
                          f"(scenario hash {run_metadata(results)['scenario_hash']}, recorded "
                          f"{run['scenario_hash']}): its numbers cannot be reproduced; report "
                          "the scenario file itself instead")
    return render_report(results, trace)


def write_report(source, output, load, replications=None, seed=None, jobs: int = 1,
                 progress=None) -> None:
    """``report_from_path`` written atomically to ``output`` (status 1 if it cannot be)."""
    text = report_from_path(source, load, replications, seed, jobs, progress)
    try:
        write_atomic(Path(output), text)
    except OSError as exc:
        raise ReportError(f"cannot write {output}: {exc.strerror or exc}", status=1) from None
