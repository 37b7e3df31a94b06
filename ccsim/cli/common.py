"""What every command shares: the error line (``error: ...``, exit 2), loading a scenario,
where replications run (``--jobs``, Dask), a progress bar with ETA (``--quiet`` for scripts),
durable results (``--out`` with ``--resume``) and a clean Ctrl-C that says what was kept."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click
from rich.markup import escape
from rich.text import Text

from ..scenario import ScenarioError, load_scenario
from .params import JOBS, Integer, errors, literal

__all__ = ["fail", "load_or_fail", "execution_options", "running", "routing_error_message",
           "store_for", "report_written"]


def fail(message: str, status: int = 2):
    """Print ``error: message`` on stderr, the message literally (file names and user text
    are not rich markup: ``[b]`` and ``:x:`` stay as typed), and exit with ``status``."""
    text = Text("error:", style="bold red")
    text.append(f" {message}")
    errors.print(text, highlight=False, soft_wrap=True)
    sys.exit(status)


def report_written(paths, to_stderr: bool = False) -> None:
    """The success line of a command that wrote files: ``written: path, path`` (on stderr
    when stdout carries a JSON document)."""
    from ..output.tables import console

    line = literal(f"written: {', '.join(str(p) for p in paths)}")
    (errors if to_stderr else console).print(line, highlight=False, soft_wrap=True)


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
    from ..engine.center import RoutingError
    from ..study.executors import ExecutorError, executor_for
    from ..study.runner import StoredFileInvalid, StoreError, WorkerLost

    try:
        with executor_for(dask_scheduler, dask_local) as executor, \
                progress_bar(label, quiet) as progress:
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
def progress_bar(label: str, quiet: bool):
    """A progress callback ``(done, total)``: a rich bar with ETA on a terminal; elsewhere (a
    pipe, a log file, CI) plain lines on stderr, at most every 10 % or 5 s of work."""
    if quiet:
        yield None
        return
    if not errors.is_terminal:
        yield _PlainProgress(label)
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    bar = Progress(TextColumn(escape(label)), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                   console=errors, transient=True)
    with bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _clock(seconds: float) -> str:
    minutes, second = divmod(int(round(seconds)), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute}:{second:02d}"


class _PlainProgress:
    """``label 12/50, 0:14 elapsed, ETA 0:45`` lines on stderr when the work crosses another
    tenth, or ``every`` seconds have passed since the last line, and once at the end."""

    def __init__(self, label: str, every: float = 5.0, clock=None):
        import time

        self.label, self.every = label, every
        self.clock = clock or time.monotonic
        self.start = self.clock()
        self.last_time, self.last_tenth, self.finished = self.start, 0, False

    def __call__(self, done: int, total: int | None) -> None:
        now = self.clock()
        tenth = int(10 * done / total) if total else 0
        end = bool(total) and done >= total
        if self.finished or not (end or tenth > self.last_tenth
                                 or now - self.last_time >= self.every):
            return
        self.last_time, self.last_tenth, self.finished = now, tenth, end
        elapsed = now - self.start
        line = f"{self.label} {done}/{total or '?'}, {_clock(elapsed)} elapsed"
        if total and 0 < done < total:
            line += f", ETA {_clock(elapsed * (total - done) / done)}"
        click.echo(line, err=True)


def store_for(out: str | None, resume: bool):
    """The replication store in ``out`` (None without ``--out``)."""
    from ..study.runner import Store, StoreError

    if resume and not out:
        fail("--resume needs --out: the directory whose stored replications to continue")
    if not out:
        return None
    try:
        return Store(out)
    except StoreError as exc:
        fail(exc.strerror, status=1)


def load_or_fail(path: str):
    """The scenario at ``path``, or ``error: <file:line:col: path: message>`` and exit 2."""
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        fail(str(exc))
