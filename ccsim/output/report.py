"""One self-contained HTML report of a run: metadata, KPI tables with confidence intervals,
charts and the scenario as run.

The file needs nothing else to be read or printed: the charts are PNG images embedded as
``data:`` URIs, the style sheet is inline, there is no script, no web font and no link to
anything outside the file.

Every number cell of a KPI table carries the raw mean in ``data-value`` (the same float as in
``ccsim run --json``'s summary, empty when undefined) and its half-width in ``data-ci95``; the row
carries ``data-section`` and ``data-name``, the cell ``data-kpi``, so the table can be checked
against the JSON document: ``summary[section][name][kpi]["mean"]`` (``overall`` has no name;
a section with dots, such as ``cost.by_group``, is a path: ``summary["cost"]["by_group"]``).
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from pathlib import Path

from ..files import write_atomic
from ..units import format_duration
from . import plots
from .chart_axes import clock_tick
from .run_file import RunFileError, read_run
from .run_files import run_metadata
from .sections import optional_sections

__all__ = ["render_report", "report_from_path", "write_report", "figure_data_uri", "ReportError"]


class ReportError(Exception):
    """A report that cannot be made; ``status`` is the exit status the command should use."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


# --- numbers ------------------------------------------------------------------------------

CONTACT_COLUMNS = (("offered", "Offered", "count"), ("answered", "Answered", "count"),
                   ("abandoned", "Abandoned", "count"), ("service_level", "Service level", "pct"),
                   ("asa", "ASA", "sec"), ("abandon_rate", "Abandon rate", "pct"),
                   ("p_wait", "P(wait)", "pct"), ("aht", "AHT", "sec"),
                   ("wait_p90", "Wait p90", "sec"), ("mean_queue", "Mean queue", "num"))
GROUP_COLUMNS = (("mean_staffed", "Mean staffed", "num"), ("mean_busy", "Mean busy", "num"),
                 ("answered", "Answered", "count"), ("handled", "Handled", "count"),
                 ("aht", "AHT", "sec"), ("occupancy", "Occupancy", "pct"),
                 ("utilisation", "Utilisation", "pct"))
# shown only when some row has a value other than 0 (queue capacities, opening hours, chats)
OPTIONAL = {"blocked": ("Blocked", "count"), "closed": ("Turned away (closed)", "count"),
            "concurrency": ("Contacts held per agent", "num"),
            "mean_scheduled": ("Paid agents", "num"), "shrinkage": ("Shrinkage", "pct"),
            "adherence": ("Adherence", "pct")}
HEADLINE = (("service_level", "Service level", "pct"), ("asa", "ASA", "sec"),
            ("abandon_rate", "Abandoned", "pct"), ("wait_p90", "Wait p90", "sec"),
            ("aht", "AHT", "sec"), ("offered", "Offered", "count"),
            ("answered", "Answered", "count"), ("group_occupancy", "Occupancy", "pct"))


def _defined(value) -> bool:
    return value is not None and not (isinstance(value, float) and not math.isfinite(value))


def _text(estimate: dict, kind: str) -> tuple[str, str]:
    """(mean, ± half-width) as shown: percentages in %, times in seconds, counts with commas."""
    mean, half = estimate["mean"], estimate["ci95"]
    if not _defined(mean):
        return "–", ""
    scale, unit, digits = {"pct": (100, " %", 1), "sec": (1, " s", 1), "count": (1, "", 1),
                           "num": (1, "", 2)}[kind]
    text = f"{scale * mean:,.{digits}f}{unit}"
    return text, (f"± {scale * half:,.{digits}f}" if _defined(half) else "")


def _raw(value) -> str:
    return repr(float(value)) if _defined(value) else ""


def _cell(estimate: dict, kind: str, kpi: str) -> str:
    mean, half = _text(estimate, kind)
    ci = f' <span class="ci">{html.escape(half)}</span>' if half else ""
    return (f'<td class="num" data-kpi="{kpi}" data-value="{_raw(estimate["mean"])}" '
            f'data-ci95="{_raw(estimate["ci95"])}">{html.escape(mean)}{ci}</td>')


def _with_optional(columns, rows, names) -> tuple:
    """``columns`` and, after the counts, those of ``names`` that some row has a non-zero value of."""
    shown = [(kpi, *OPTIONAL[kpi]) for kpi in names
             if any(_defined(kpis.get(kpi, {}).get("mean")) and kpis[kpi]["mean"] != 0
                    for _, _, _, kpis in rows)]
    counts = [c for c in columns if c[2] == "count"]
    return (*counts, *shown, *(c for c in columns if c[2] != "count"))


def _table(table_id: str, caption: str, first: str, rows, columns, extra=None) -> str:
    """rows: (section, name, label, kpis); ``extra``: (heading, {label: text}) for a text column."""
    head = [f"<th>{html.escape(first)}</th>"]
    if extra:
        head.append(f"<th>{html.escape(extra[0])}</th>")
    head += [f'<th class="num">{html.escape(title)}</th>' for _, title, _ in columns]
    body = []
    for section, name, label, kpis in rows:
        cells = [f'<th scope="row">{html.escape(label)}</th>']
        if extra:
            cells.append(f"<td>{html.escape(extra[1].get(name, ''))}</td>")
        cells += [_cell(kpis[kpi], kind, kpi) for kpi, _, kind in columns]
        name_attr = f' data-name="{html.escape(name)}"' if name is not None else ""
        body.append(f'<tr data-section="{section}"{name_attr}>{"".join(cells)}</tr>')
    return (f'<div class="scroll"><table id="{table_id}" class="kpi"><caption>'
            f'{html.escape(caption)}</caption><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


# --- pictures -----------------------------------------------------------------------------

def figure_data_uri(figure, dpi: int = 100) -> str:
    """The figure as a base64 PNG ``data:`` URI (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(figure, alt: str, figure_id: str) -> str:
    return (f'<figure id="{figure_id}"><img src="{figure_data_uri(figure)}" '
            f'alt="{html.escape(alt)}"></figure>')


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower())


# --- the page -----------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1d1d1f; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.25em; margin: 32px 0 8px;
     border-bottom: 1px solid #d0d0d5; padding-bottom: 4px; } h3 { font-size: 1.05em; margin: 22px 0 6px; }
.lead { color: #555; margin: 0 0 16px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.meta dt { color: #555; } dl.meta dd { margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid #d0d0d5; border-radius: 6px; padding: 8px 12px; }
.card .label { color: #555; font-size: .85em; } .card .value { font-size: 1.35em; font-weight: 600; }
table.kpi { border-collapse: collapse; width: 100%; font-size: .84em; margin: 8px 0 4px; }
table.kpi caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
table.kpi th, table.kpi td { padding: 4px 5px; border-bottom: 1px solid #e4e4e8; text-align: left;
       vertical-align: top; }
table.kpi thead th { border-bottom: 2px solid #bbb; vertical-align: bottom; }
table.kpi tbody th, table.kpi td:nth-child(2) { white-space: nowrap; }
.scroll { overflow-x: auto; }
table.kpi .num { text-align: right; font-variant-numeric: tabular-nums; }
table.kpi td.num { white-space: nowrap; }
table.kpi tr[data-section="overall"] th, table.kpi tr[data-section="overall"] td { font-weight: 600; }
.ci { color: #666; font-size: .88em; display: block; }
figure { margin: 12px 0; } figure img { max-width: 100%; height: auto; display: block; }
pre { background: #f6f6f8; border: 1px solid #e4e4e8; padding: 10px; font-size: .8em;
      overflow-x: auto; white-space: pre-wrap; }
.note { color: #555; font-size: .9em; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; }
  figure, table.kpi, .card { break-inside: avoid; } pre { white-space: pre-wrap; } }
"""


def _metadata(results) -> str:
    meta = run_metadata(results)
    scenario = results.scenario
    clock = clock_tick
    items = [("Scenario", meta["scenario"]), ("Scenario file", meta["scenario_file"]),
             ("Scenario hash", meta["scenario_hash"]), ("Seed", str(meta["seed"])),
             ("Replications", str(meta["replications"])), ("Routing policy", meta["policy"]),
             ("ccsim version", meta["ccsim_version"]),
             ("Horizon", f"{clock(scenario.start)}–{clock(scenario.start + scenario.horizon)} "
                         f"in intervals of {format_duration(scenario.interval)}"),
             ("Summary window", f"{clock(scenario.start + scenario.warmup)}–"
                                f"{clock(scenario.start + scenario.horizon)} (warm-up "
                                f"{format_duration(scenario.warmup) if scenario.warmup else 'none'})")]
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in items)
    return f'<dl class="meta" id="run-metadata">{rows}</dl>'


def _cards(summary: dict) -> str:
    cards = []
    for kpi, label, kind in HEADLINE:
        estimate = summary["overall"][kpi]
        mean, half = _text(estimate, kind)
        cards.append(f'<div class="card"><div class="label">{html.escape(label)}</div>'
                     f'<div class="value" data-kpi="{kpi}" data-value="{_raw(estimate["mean"])}">'
                     f'{html.escape(mean)}</div><div class="ci">{html.escape(half)}</div></div>')
    return f'<div class="cards" id="summary-cards">{"".join(cards)}</div>'


COST_COLUMNS = (("agent_cost", "Agents", "num"), ("trunk_cost", "Trunk lines", "num"),
                ("ivr_cost", "IVR ports", "num"), ("total_cost", "Total cost", "num"),
                ("cost_per_handled", "Per handled contact", "num"),
                ("cost_per_offered", "Per offered contact", "num"))
GROUP_COST_COLUMNS = (("paid_hours", "Paid hours", "num"),
                      ("overtime_hours", "Overtime hours", "num"), ("agent_cost", "Agent cost", "num"))
VALUE_COLUMNS = (("contacts_lost", "Contacts lost", "count"),
                 ("revenue_handled", "Revenue handled", "num"),
                 ("revenue_at_risk", "Revenue at risk", "num"))


def _cost_section(cost: dict, costs) -> list[str]:
    """What the plan costs (in total and per agent group) and what the contacts are worth (per
    contact type); rows of a group or a type carry ``data-section="cost.by_group"`` (a path)."""
    unit = f" ({costs.currency})" if costs is not None and costs.currency else ""
    overall = ("cost", "overall", "all", cost["overall"])
    parts = ['<h2 id="cost">Cost and value</h2>']
    if costs is not None:
        parts += [f'<p class="note">Over the summary window, per replication. Paid hours are the '
                  f"scheduled agent time; overtime is agent time logged in beyond the plan (agents "
                  f"finishing a contact after their log-off), paid at {costs.overtime_factor:g} × "
                  "the group's rate. Trunk lines and IVR ports are paid for the whole window.</p>",
                  _table("kpi-cost", f"Cost{unit}", "", [overall], COST_COLUMNS),
                  _table("kpi-cost-groups", f"Agent cost by group{unit}", "Agent group",
                         [("cost.by_group", n, n, k) for n, k in cost["by_group"].items()]
                         + [overall], GROUP_COST_COLUMNS)]
    rows = [("cost.by_type", n, n, k) for n, k in cost["by_type"].items()] + [overall]
    parts += [_table("kpi-value", f"Value of contacts by type{unit}", "Contact type", rows,
                     VALUE_COLUMNS),
              '<p class="note">Revenue handled is the value of the contacts handled; revenue at '
              "risk that of the contacts lost: abandoned (short abandons left out), blocked or "
              "turned away while closed.</p>"]
    return parts


def render_report(results, trace=None) -> str:
    """The report of ``results`` as one HTML document (a string). ``trace``: a
    ``ccsim.study.trace.Trace`` of one replication, drawn as queue and busy agents over time."""
    from ..skills import SkillGraph

    scenario = results.scenario
    summary = results.summary()
    title = f"ccsim report: {scenario.name}"
    targets = {t.name: f"{t.service_level.target:.0%} in {format_duration(t.service_level.threshold)}"
               for t in scenario.contact_types}
    type_rows = [("by_type", name, name, kpis) for name, kpis in summary["by_type"].items()]
    type_rows.append(("overall", None, "all", summary["overall"]))
    group_rows = [("by_group", n, n, k) for n, k in summary["by_group"].items()]
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="lead">{results.n} replications, seed {results.seed}, routing policy '
        f"{html.escape(results.policy)}. Each number is the mean over replications; ± is the "
        "half-width of its 95 % confidence interval (Student t over replications).</p>",
        _metadata(results),
        '<h2 id="summary">Summary</h2>',
        '<p class="note">All contact types together, over the summary window (warm-up left '
        "out). Occupancy is that of all agent groups together.</p>",
        _cards(summary),
        '<h2 id="kpis">KPIs</h2>',
        _table("kpi-contact-types", "Contacts by type", "Contact type", type_rows,
               _with_optional(CONTACT_COLUMNS, type_rows, ("blocked", "closed")),
               extra=("SL target", targets)),
        _table("kpi-agent-groups", "Agent groups", "Agent group", group_rows,
               _with_optional(GROUP_COLUMNS, group_rows, (
                   *(("concurrency",) if any(g.concurrency > 1 for g in scenario.agent_groups)
                     else ()),
                   *(("mean_scheduled", "shrinkage", "adherence")
                     if any(g.shifts or g.absence for g in scenario.agent_groups) else ())))),
    ]
    for section, heading in (("by_segment", "segment"), ("by_channel", "channel")):
        if len(summary[section]) > 1:
            rows = [(section, n, n, k) for n, k in summary[section].items()]
            parts.append(_table(f"kpi-{heading}s", f"Contacts by {heading}", heading.capitalize(),
                                rows, _with_optional(CONTACT_COLUMNS, rows, ("blocked", "closed"))))
    for section in optional_sections(summary, scenario):
        parts += [_table(f"kpi-{section.key}", section.title, section.first or section.title,
                         section.rows, section.columns),
                  f'<p class="note">{html.escape(section.note)}</p>']
    end = summary["overall"]
    waiting, serving = end["waiting_at_end"]["mean"] or 0, end["in_service_at_end"]["mean"] or 0
    if waiting or serving:
        parts.append(f'<p class="note">At the end: {waiting:.1f} contacts still waiting, '
                     f"{serving:.1f} in service (mean per replication).</p>")
    parts.append('<p class="note">Counts are per replication over the summary window. '
                 "Service level uses each type's own formula and threshold. Percentiles of "
                 "waits are of answered contacts.</p>")
    if "cost" in summary:
        parts += _cost_section(summary["cost"], scenario.costs)
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
    parts.append(_figure(plots.skill_graph(SkillGraph(scenario)), "Skill graph", "chart-skills"))
    for t in scenario.contact_types:
        slug = _slug(t.name)
        parts += [f"<h3>{html.escape(t.name)} (target {html.escape(targets[t.name])})</h3>",
                  _figure(plots.service_level_by_interval(results, t.name),
                          f"Service level by interval, {t.name}", f"chart-sl-{slug}"),
                  _figure(plots.volumes_by_interval(results, t.name),
                          f"Contacts by interval, {t.name}", f"chart-volumes-{slug}"),
                  _figure(plots.wait_distribution(results, t.name),
                          f"Distribution of waits of answered contacts, {t.name}",
                          f"chart-wait-{slug}")]
    scenario_text = json.dumps(scenario.as_dict(), indent=2, default=repr)
    parts += ['<h2 id="scenario">Scenario as run</h2>',
              '<p class="note">Every value the simulation used, after loading (units: seconds, '
              "rates per second), with the routing policy of this run.</p>",
              f'<pre id="scenario-json">{html.escape(scenario_text)}</pre>']
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n<body><main>\n"
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
