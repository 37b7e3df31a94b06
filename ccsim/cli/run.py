"""``ccsim run``, ``compare`` and ``sweep``: simulate a scenario, compare routing policies on
the same customers, run a grid of what-ifs."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..scenario import ScenarioError

from ..output.tables import console, print_comparison
from .common import execution_options, fail, load_or_fail, report_written, running, store_for
from .params import FIGURE_SUFFIXES, REPLICATIONS, SEED, Integer, Number, OneOf, OutputDir, OutputFile, PolicyList, literal
from .command import code_policy, format_option

__all__ = ["run", "compare", "sweep"]


def _precision(items, scenario) -> dict:
    """``KPI=H`` items → {KPI path: largest half-width}, every path checked on the scenario."""
    from ..measure.kpis import known_kpi

    bounds = {}
    for item in items:
        name, _, value = item.partition("=")
        name = name.strip()
        try:
            bound = Number(0, low_open=True).convert(value, None, None)
        except click.BadParameter:
            fail(f"--precision: expected KPI=HALF_WIDTH with a half-width > 0 such as "
                 f"service_level=0.01, got {item!r}")
        if not known_kpi(name, scenario):
            fail(f"--precision: unknown KPI {name!r} (e.g. service_level, asa, abandon_rate, "
                 f"by_type.<type>.asa)")
        bounds[name if "." in name else f"overall.{name}"] = bound
    return bounds


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("-r", "--replications", type=REPLICATIONS, help="Replications (default: the scenario's, else 10); the first batch with --precision.")
@click.option("--seed", type=SEED, help="Master seed (default: the scenario's, else 1).")
@click.option("--policy", help="Routing policy to use instead of the scenario's: a name, or file.py:Class (the file relative to the scenario).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of tables.")
@click.option("--out", type=OutputDir(), help="Write summary.json, intervals.csv, the interval tables (interval_*.csv) and run.json here, and keep each finished replication (for --resume).")
@click.option("--xlsx", is_flag=True, help="With --out, also write results.xlsx: the interval tables as Excel sheets (needs ccsim[xlsx]).")
@click.option("--resume", is_flag=True, help="Reuse the replications already stored in --out and run only the rest.")
@click.option("--precision", "precision", multiple=True, metavar="KPI=H", help="Add replications until the KPI's 95% half-width is at most H, e.g. service_level=0.01 (repeatable).")
@click.option("--max-replications", type=REPLICATIONS, default=1000, show_default=True, help="Most replications --precision may run.")
@click.option("--records", type=OutputDir(), help="Also write event logs (one record per contact, agent states) of every replication run, in DIR/replication-<r>/.")
@click.option("--records-format", type=OneOf(["csv", "parquet"]), default="csv", show_default=True, help="Format of the event logs (parquet needs ccsim[parquet]).")
@format_option
@execution_options
@code_policy("folder")
def run(scenario, replications, seed, policy, as_json, out, xlsx, resume, precision,
        max_replications, records, records_format, fmt, jobs, dask_scheduler, dask_local,
        quiet):
    """Simulate SCENARIO and report service level, ASA, abandonment, handle time, occupancy."""
    from .common import load_or_fail
    from ..study.experiment import simulate
    from ..output.run_files import write_results
    from ..routing import get_router

    _check_xlsx(xlsx, out)
    spec = load_or_fail(scenario)
    if policy is not None:  # a registered name, or file.py:Class relative to the scenario
        try:
            get_router(policy, spec.base_dir)
        except ValueError as exc:
            fail(f"--policy: {exc}")
    bounds = _precision(precision, spec)
    store = store_for(out, resume)
    if records:
        records = _records_dir(records, records_format)
    with running(f"{spec.name}: replications", jobs, dask_scheduler, dask_local,
                 quiet or as_json or fmt != "table", out) as (executor, progress):
        results = simulate(spec, replications=replications, seed=seed, jobs=jobs, policy=policy,
                           executor=executor, store=store, resume=resume, progress=progress,
                           precision=bounds, max_replications=max_replications,
                           records=records, records_format=records_format)
    written = []
    if out:
        try:
            written = write_results(results, Path(out), xlsx=xlsx)
        except OSError as exc:
            fail(f"cannot write results to {out}: {exc.strerror or exc}", status=1)
    if as_json:
        click.echo(json.dumps(results.to_dict(), indent=2, allow_nan=False))
    else:
        print_summary_and_precision(results, bounds, fmt)
    if out or records:
        report_written([*(written if out else ()), *([f"{records}/"] if records else ())],
                       to_stderr=as_json or fmt != "table")


def _check_xlsx(xlsx: bool, out) -> None:
    """--xlsx needs --out and openpyxl: said before anything runs."""
    if not xlsx:
        return
    from ..output.workbook import XLSX_HINT, have_openpyxl
    if not out:
        fail("--xlsx: give --out DIR as well (results.xlsx is written there)")
    if not have_openpyxl():
        fail(f"--xlsx: {XLSX_HINT}")


def _records_dir(path: str, fmt: str) -> str:
    """The event-log directory, created and checked before anything runs."""
    if fmt == "parquet":
        from importlib.util import find_spec
        if find_spec("pyarrow") is None:
            fail("--records-format parquet needs pyarrow: pip install 'ccsim[parquet]'")
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create the records directory {path}: {exc.strerror or exc}", status=1)
    return str(Path(path).resolve())


def print_summary_and_precision(results, bounds: dict, fmt: str = "table") -> None:
    from ..measure.stats import mean_ci
    from ..output.tables import print_summary

    print_summary(results, fmt)
    if fmt != "table":
        return
    for path, bound in bounds.items():
        half = mean_ci(results.values(path))[1]
        verdict = "met" if half <= bound else "NOT met (--max-replications reached)"
        console.print(f"Precision {path}: ±{half:.4g} ≤ {bound:g} {verdict} after "
                      f"{results.n} replications")


@click.command()
@click.argument("experiment", type=click.Path(dir_okay=False))
@click.option("--out", type=OutputDir(), required=True, help="Directory for results.csv (one row per point × policy × replication), summary.csv, results.parquet (with ccsim[parquet]) and the stored replications.")
@click.option("--resume", is_flag=True, help="Reuse the replications already stored in --out.")
@click.option("--xlsx", is_flag=True, help="Also write summary.xlsx, the summary table as an Excel workbook (needs ccsim[xlsx]).")
@click.option("-r", "--replications", type=REPLICATIONS, help="Replications per point and policy (default: the sweep file's).")
@click.option("--seed", type=SEED, help="Master seed (default: the sweep file's), shared by every point.")
@format_option
@execution_options
@code_policy("folder")
def sweep(experiment, out, resume, xlsx, replications, seed, fmt, jobs, dask_scheduler, dask_local,
          quiet):
    """Run a grid of scenario parameters × routing policies × replications (EXPERIMENT is a
    sweep file, see docs/scale-out.md) into a tidy results table."""
    from ..scenario import ScenarioError
    from ..study.sweep import load_sweep, run_sweep, summarise, write_tables
    from ..output.interval_tables import sweep_table

    _check_xlsx(xlsx, out)
    try:
        plan = load_sweep(experiment)
    except ScenarioError as exc:
        fail(str(exc))
    store = store_for(out, resume)
    n = replications or plan.replications
    if not quiet and fmt == "table":
        console.print(literal(f"{plan.name}: {len({p.index for p in plan.points})} grid points "
                              f"× {len({p.policy for p in plan.points})} policies × {n} "
                              f"replications"))
    with running(f"{plan.name}: replications", jobs, dask_scheduler, dask_local,
                 quiet or fmt != "table", out) as (executor, progress):
        rows = run_sweep(plan, replications=replications, seed=seed, executor=executor,
                         jobs=jobs, store=store, resume=resume, progress=progress)
    try:
        written = write_tables(rows, plan, Path(out),
                               present=lambda summary: sweep_table(summary, plan.axes))
        if xlsx:
            from ..files import write_atomic
            from ..output.workbook import workbook_bytes
            write_atomic(Path(out) / "summary.xlsx", workbook_bytes(
                {"summary": sweep_table(summarise(rows, plan), plan.axes)}))
            written.append("summary.xlsx")
    except OSError as exc:
        fail(f"cannot write results to {out}: {exc.strerror or exc}", status=1)
    from ..output.study_tables import sweep_table
    from ..output.screen import emit

    if not quiet or fmt != "table":
        emit([sweep_table(plan, summarise(rows, plan))], fmt)
    report_written([Path(out) / name for name in written], to_stderr=fmt != "table")


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--policies", type=PolicyList(), help="Comma-separated routing policies; the first is the baseline (not needed for an experiment file).")
@click.option("-r", "--replications", type=Integer(2, REPLICATIONS.high), help="Replications per policy (default: the scenario's).")
@click.option("--seed", type=SEED, help="Master seed, shared by all policies.")
@click.option("--kpi", type=OneOf(["service_level", "asa", "abandon_rate", "wait_p90", "aht", "occupancy"]), default="service_level", show_default=True, help="KPI for the plot.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of tables.")
@click.option("--plot", type=OutputFile(FIGURE_SUFFIXES), help="Save a comparison chart (PNG or SVG; one per variant of an experiment).")
@format_option
@execution_options
@code_policy("folder")
def compare(scenario, policies, replications, seed, kpi, as_json, plot, fmt, jobs,
            dask_scheduler, dask_local, quiet):
    """Run routing policies on the same contacts and report paired differences.

    SCENARIO is a scenario file (with --policies) or an experiment file listing scenarios,
    what-if variants and policies (see docs/routing.md)."""
    from ..study.compare import DEFAULT_KPIS, compare as run_compare
    from ..routing import get_router
    from ..study.study_file import is_study, load_study, run_study

    if kpi not in DEFAULT_KPIS and kpi != "occupancy":
        fail(f"--kpi: expected one of {', '.join(DEFAULT_KPIS)}, occupancy, got {kpi!r}")
    if is_study(scenario):
        try:
            study = load_study(scenario)
        except ScenarioError as exc:
            fail(str(exc))
        with running("compare: replications", jobs, dask_scheduler, dask_local,
                     quiet or as_json) as (executor, progress):
            comparisons = run_study(study, jobs=jobs, replications=replications, seed=seed,
                                    executor=executor, progress=progress)
    else:
        if not policies:
            fail("--policies: give the policies to compare, e.g. --policies longest_idle,priority")
        spec = load_or_fail(scenario)
        names = policies
        for name in names:
            try:
                get_router(name, Path(scenario).parent)
            except ValueError as exc:
                fail(f"--policies: {exc}")
        with running("compare: replications", jobs, dask_scheduler, dask_local,
                     quiet or as_json) as (executor, progress):
            comparisons = [(spec.name, run_compare(spec, names, replications=replications,
                                                   seed=seed, jobs=jobs, executor=executor,
                                                   progress=progress))]
    drawn = []
    if plot:
        from ..files import write_figure
        from ..output.plots import comparison_bars
        for i, (_, comparison) in enumerate(comparisons):
            target = Path(plot) if i == 0 else Path(plot).with_stem(f"{Path(plot).stem}-{i + 1}")
            write_figure(comparison_bars(comparison, kpi), target)
            drawn.append(target)
    if as_json:
        documents = [dict(c.to_dict(), variant=name) for name, c in comparisons]
        click.echo(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2,
                              allow_nan=False))
    elif fmt == "table":
        for name, comparison in comparisons:
            print_comparison(name, comparison)
    else:
        from ..output.screen import emit
        from ..output.tables import comparison_tables
        emit([table for name, c in comparisons for table in comparison_tables(name, c)[1]], fmt)
    if drawn:
        report_written(drawn, to_stderr=as_json or fmt != "table")
