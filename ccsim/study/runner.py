"""Running replications on any executor, durably.

A *task* is one replication of one scenario: ``(scenario, seed, replication)``. Its outcome
depends on nothing else (replication r always draws from ``Streams(seed, r)``), so tasks can run
in any order, on any worker, any number of times, and the results are put back in task order:
the numbers are bit-identical for every executor and every number of workers.

Durability comes from a ``Store``: every finished replication is written to its own file as
soon as it is back (atomically: a killed run never leaves half a file), and a run asked to
resume takes what is stored and runs only the rest. A worker that dies (a killed process, a
lost Dask worker) costs only the replications it was running: they are submitted again.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from pathlib import Path

import attrs

from ..files import write_atomic
from .replicate import run_replication

__all__ = ["Task", "Store", "StoreError", "WorkerLost", "execute", "task_key"]

# exceptions by which executors say a worker vanished (not that the task itself failed)
_LOST = ("BrokenProcessPool", "BrokenExecutor", "KilledWorker", "CommClosedError",
         "FutureCancelledError")


class StoreError(OSError):
    """A finished replication could not be stored (disk full, directory not writable)."""


class WorkerLost(RuntimeError):
    """A replication's worker died more often than the retries allow."""


@attrs.frozen
class Task:
    key: str
    scenario: object = attrs.field(eq=False, repr=False)
    seed: int
    replication: int
    records: str | None = None  # a directory for the replication's event logs
    records_format: str = "csv"


def task_key(scenario, seed: int, replication: int) -> str:
    """Names the outcome by everything it depends on: the scenario's contents (policy
    included), the seed and the replication."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", scenario.name).strip("_")[:40]
    return f"{slug}-{scenario.digest()}-s{seed}-r{replication:05d}"


def run_task(task: Task):
    return run_replication(task.scenario, task.seed, task.replication, task.records,
                           task.records_format)


def run_tasks(tasks: tuple) -> list:
    return [run_task(task) for task in tasks]


class Store:
    """Finished replications, one pickle file each under ``directory/replications``."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory) / "replications"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(exc.errno, f"cannot create {self.directory}: "
                                        f"{exc.strerror or exc}") from None
        if not os.access(self.directory, os.W_OK):
            raise StoreError(13, f"cannot write to {self.directory}: permission denied")

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.pkl"

    def get(self, key: str):
        """The stored outcome, or None (absent, or unreadable: then it is simply run again)."""
        try:
            with open(self._path(key), "rb") as stream:
                return pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None

    def put(self, key: str, outcome) -> None:
        try:
            write_atomic(self._path(key), pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            raise StoreError(exc.errno, f"cannot store replication {key} in {self.directory}: "
                                        f"{exc.strerror or exc}") from None

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("*.pkl"))


def _lost(exc: BaseException) -> bool:
    return any(type(e).__name__ in _LOST for e in (exc, exc.__cause__) if e is not None)


def execute(tasks: list[Task], executor: Executor | None = None, jobs: int = 1,
            store: Store | None = None, resume: bool = False, progress=None,
            retries: int = 3) -> list:
    """Outcomes of ``tasks`` in their order. Stored outcomes are reused when ``resume``;
    new ones are stored as they finish. ``progress(done, total)`` is told of every one.

    ``executor`` is used as given (a Dask client's executor, say); otherwise ``jobs`` > 1
    starts a local process pool, replaced if one of its processes dies."""
    outcomes: dict[str, object] = {}
    if store is not None and resume:
        for task in tasks:
            stored = store.get(task.key)
            if stored is not None:
                outcomes[task.key] = stored
    total = len(tasks)
    pending = [task for task in tasks if task.key not in outcomes]

    def finished(task, outcome):
        if store is not None:
            store.put(task.key, outcome)
        outcomes[task.key] = outcome
        if progress:
            progress(len(outcomes), total)

    if progress:
        progress(len(outcomes), total)
    if executor is None and jobs <= 1:
        for task in pending:
            finished(task, run_task(task))
    elif pending:
        _parallel(pending, executor, jobs, finished, retries)
    return [outcomes[task.key] for task in tasks]


def _workers(executor, jobs: int) -> int:
    """How many replications run at once: ``jobs`` for the local pool, a Dask cluster's
    worker threads when the executor says, else a guess."""
    client = getattr(executor, "_client", None)
    try:
        return max(1, sum(client.nthreads().values())) if client is not None else jobs or 4
    except Exception:  # noqa: BLE001 - a cluster that cannot say: guess
        return 4


def _parallel(pending: list[Task], executor, jobs: int, finished, retries: int) -> None:
    """Run ``pending`` in batches of a few replications (fewer round trips; each outcome is
    still stored as soon as its batch is back).

    Ctrl-C stops cleanly: nothing new starts, the batches already running finish and are
    stored, then ``KeyboardInterrupt`` is raised (a second Ctrl-C interrupts at once). Local
    workers ignore Ctrl-C themselves: a worker interrupted inside the pool's own queue
    handling can leave the pool hanging at exit."""
    own = executor is None
    pool = executor or _local_pool(min(jobs, len(pending)))
    size = max(1, min(8, len(pending) // (4 * _workers(executor, jobs))))
    batches = [tuple(pending[i:i + size]) for i in range(0, len(pending), size)]
    attempts = dict.fromkeys(batches, 0)
    running = {}
    interrupt = _Interrupt()
    try:
        def submit(batch):
            attempts[batch] += 1
            running[pool.submit(run_tasks, tuple(_light(t) for t in batch))] = batch

        with interrupt:
            for batch in batches:
                submit(batch)
            while running:
                done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
                if interrupt.requested:  # drop what has not started
                    for future in [f for f in running if f.cancel()]:
                        del running[future]
                lost = []
                for future in done:
                    batch = running.pop(future, None)
                    if batch is None or future.cancelled():
                        continue
                    try:
                        outcomes = future.result()
                    except BaseException as exc:  # noqa: B902 - sorted out just below
                        if not _lost(exc):
                            raise
                        if attempts[batch] > retries:
                            raise WorkerLost(f"replication {batch[0].replication} lost its "
                                             f"worker {attempts[batch]} times") from exc
                        lost.append(batch)
                        continue
                    for task, outcome in zip(batch, outcomes):
                        finished(task, outcome)
                if interrupt.requested:
                    continue  # nothing is run again once the user asked to stop
                if lost and own:
                    # a dead process breaks the whole local pool: a new one for what is left
                    unfinished = lost + list(running.values())
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _local_pool(min(jobs, len(unfinished)))
                    running.clear()
                    for batch in unfinished:
                        submit(batch)
                else:
                    for batch in lost:
                        submit(batch)
        if interrupt.requested:
            raise KeyboardInterrupt
    except BaseException:
        for future in running:
            future.cancel()
        raise
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


class _Interrupt:
    """While active (in the main thread), the first Ctrl-C only sets ``requested``; the
    handler in place before comes back at once, so a second Ctrl-C interrupts as usual."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def _handle(self, signum, frame):
        self.requested = True
        signal.signal(signal.SIGINT, self._previous)

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc):
        if self._previous is not None and not self.requested:
            signal.signal(signal.SIGINT, self._previous)
        return False


def _ignore_interrupts() -> None:
    """In a local worker: Ctrl-C is the main process's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _local_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)


def _light(task: Task) -> Task:
    """The task without the scenario's YAML positions (needed only to report input errors)."""
    return attrs.evolve(task, scenario=attrs.evolve(task.scenario, positions=None))
