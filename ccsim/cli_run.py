"""``ccsim run`` and what every long command shares: where replications run (``--jobs``,
Dask), a progress bar with ETA (``--quiet`` for scripts), durable results (``--out`` with
``--resume``) and a clean Ctrl-C that says what was kept."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from rich.markup import escape
from rich.text import Text

from .cli_params import (JOBS, REPLICATIONS, SEED, Integer, Number, OneOf, OutputDir, code_policy,
                         errors, literal)
from .output.tables import console

__all__ = ["run", "execution_options", "running", "fail"]

def fail(message: str, status: int = 2):
    """Print ``error: message`` on stderr, the message literally (file names and user text
    are not rich markup: ``[b]`` and ``:x:`` stay as typed), and exit with ``status``."""
    text = Text("error:", style="bold red")
    text.append(f" {message}")
    errors.print(text, highlight=False, soft_wrap=True)
    sys.exit(status)


_EXECUTION = [
    click.option("-j", "--jobs", type=JOBS, default=1, show_default=True, help="Parallel worker processes on this machine (0 = one per core)."),
    click.option("--dask-scheduler", metavar="ADDRESS", help="Run replications on an existing Dask cluster, e.g. tcp://host:8786 (needs ccsim[dask])."),
    click.option("--dask-local", type=Integer(1, 256), metavar="N", help="Run replications on a Dask LocalCluster of N workers (needs ccsim[dask])."),
    click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
]


def execution_options(function):
    for option in reversed(_EXECUTION):
        function = option(function)
    return function


@contextmanager
def running(label: str, jobs: int, dask_scheduler, dask_local, quiet: bool, out=None):
    """(executor, progress callback) for a long command. Executor problems, storage
    problems and Ctrl-C end the command with a message, never a traceback; what was stored
    stays stored."""
    from .engine.center import RoutingError
    from .study.executors import ExecutorError, executor_for
    from .study.runner import StoredFileInvalid, StoreError, WorkerLost

    try:
        with executor_for(dask_scheduler, dask_local) as executor, \
                _progress(label, quiet) as progress:
            yield executor, progress
    except ExecutorError as exc:
        fail(str(exc))
    except RoutingError as exc:  # a bug in a policy is a bad input, not a crash of ccsim
        fail(routing_error_message(exc))
    except StoredFileInvalid as exc:  # refused, not skipped: its origin is unknown
        fail(f"--resume: {exc}")
    except (StoreError, WorkerLost) as exc:
        kept = f"; replications stored before are intact in {out}" if out else ""
        fail(f"{exc.strerror if isinstance(exc, OSError) else exc}{kept}", status=1)
    except KeyboardInterrupt:
        hint = (f"; finished replications are stored in {out}: run the same command with "
                f"--resume to continue" if out else "")
        errors.print(literal(f"interrupted{hint}"), highlight=False, soft_wrap=True)
        sys.exit(130)


def routing_error_message(exc, policy: str | None = None) -> str:
    """``routing policy <name>: <what it did>`` for a RoutingError raised by the engine."""
    return f"routing policy {getattr(exc, 'policy', None) or policy or '?'}: {exc}"


@contextmanager
def _progress(label: str, quiet: bool):
    if quiet:
        yield None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    bar = Progress(TextColumn(escape(label)), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                   console=errors, transient=True)
    with bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def store_for(out: str | None, resume: bool):
    """The replication store in ``out`` (None without ``--out``)."""
    from .study.runner import Store, StoreError

    if resume and not out:
        fail("--resume needs --out: the directory whose stored replications to continue")
    if not out:
        return None
    try:
        return Store(out)
    except StoreError as exc:
        fail(exc.strerror, status=1)


def _precision(items, scenario) -> dict:
    """``KPI=H`` items → {KPI path: largest half-width}, every path checked on the scenario."""
    from .measure.kpis import known_kpi

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
@click.option("--out", type=OutputDir(), help="Write summary.json, intervals.csv and run.json here, and keep each finished replication (for --resume).")
@click.option("--resume", is_flag=True, help="Reuse the replications already stored in --out and run only the rest.")
@click.option("--precision", "precision", multiple=True, metavar="KPI=H", help="Add replications until the KPI's 95% half-width is at most H, e.g. service_level=0.01 (repeatable).")
@click.option("--max-replications", type=REPLICATIONS, default=1000, show_default=True, help="Most replications --precision may run.")
@click.option("--records", type=OutputDir(), help="Also write event logs (one record per contact, agent states) of every replication run, in DIR/replication-<r>/.")
@click.option("--records-format", type=OneOf(["csv", "parquet"]), default="csv", show_default=True, help="Format of the event logs (parquet needs ccsim[parquet]).")
@execution_options
@code_policy("folder")
def run(scenario, replications, seed, policy, as_json, out, resume, precision,
        max_replications, records, records_format, jobs, dask_scheduler, dask_local, quiet):
    """Simulate SCENARIO and report service level, ASA, abandonment, handle time, occupancy."""
    from .cli import _load
    from .study.experiment import simulate
    from .output.run_files import write_results
    from .routing import get_router

    spec = _load(scenario)
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
                 quiet or as_json, out) as (executor, progress):
        results = simulate(spec, replications=replications, seed=seed, jobs=jobs, policy=policy,
                           executor=executor, store=store, resume=resume, progress=progress,
                           precision=bounds, max_replications=max_replications,
                           records=records, records_format=records_format)
    if out:
        try:
            write_results(results, Path(out))
        except OSError as exc:
            fail(f"cannot write results to {out}: {exc.strerror or exc}", status=1)
    if as_json:
        click.echo(json.dumps(results.to_dict(), indent=2, allow_nan=False))
        return
    print_summary_and_precision(results, bounds)
    if out:
        console.print(literal(f"Results written to {out}/ (summary.json, intervals.csv, "
                              f"run.json)"))


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


def print_summary_and_precision(results, bounds: dict) -> None:
    from .measure.stats import mean_ci
    from .output.tables import print_summary

    print_summary(results)
    for path, bound in bounds.items():
        half = mean_ci(results.values(path))[1]
        verdict = "met" if half <= bound else "NOT met (--max-replications reached)"
        console.print(f"Precision {path}: ±{half:.4g} ≤ {bound:g} {verdict} after "
                      f"{results.n} replications")


@click.command()
@click.argument("experiment", type=click.Path(dir_okay=False))
@click.option("--out", type=OutputDir(), required=True, help="Directory for results.csv (one row per point × policy × replication), summary.csv, results.parquet (with ccsim[parquet]) and the stored replications.")
@click.option("--resume", is_flag=True, help="Reuse the replications already stored in --out.")
@click.option("-r", "--replications", type=REPLICATIONS, help="Replications per point and policy (default: the sweep file's).")
@click.option("--seed", type=SEED, help="Master seed (default: the sweep file's), shared by every point.")
@execution_options
@code_policy("folder")
def sweep(experiment, out, resume, replications, seed, jobs, dask_scheduler, dask_local, quiet):
    """Run a grid of scenario parameters × routing policies × replications (EXPERIMENT is a
    sweep file, see docs/scale-out.md) into a tidy results table."""
    from .scenario import ScenarioError
    from .study.sweep import load_sweep, run_sweep, summarise, write_tables

    try:
        plan = load_sweep(experiment)
    except ScenarioError as exc:
        fail(str(exc))
    store = store_for(out, resume)
    n = replications or plan.replications
    if not quiet:
        console.print(literal(f"{plan.name}: {len({p.index for p in plan.points})} grid points "
                              f"× {len({p.policy for p in plan.points})} policies × {n} "
                              f"replications"))
    with running(f"{plan.name}: replications", jobs, dask_scheduler, dask_local, quiet,
                 out) as (executor, progress):
        rows = run_sweep(plan, replications=replications, seed=seed, executor=executor,
                         jobs=jobs, store=store, resume=resume, progress=progress)
    try:
        written = write_tables(rows, plan, Path(out))
    except OSError as exc:
        fail(f"cannot write results to {out}: {exc.strerror or exc}", status=1)
    if not quiet:
        from .output.tables import _table
        table = _table(f"{plan.name} (mean ± 95% half-width)",
                       [*plan.axes, "policy", *plan.kpis])
        for row in summarise(rows, plan):
            table.add_row(*(f"{row[a]}" for a in plan.axes), row["policy"],
                          *(f"{row[k]:.4g} ±{row[k + '_ci95']:.2g}" for k in plan.kpis))
        console.print(table)
        console.print(literal(f"Written to {out}/: {', '.join(written)}"))
