"""Running replications on any executor, durably.

A *task* is one replication of one scenario: ``(scenario, seed, replication)``. Its outcome
depends on nothing else (replication r always draws from ``Streams(seed, r)``), so tasks can run
in any order, on any worker, any number of times, and the results are put back in task order:
the numbers are bit-identical for every executor and every number of workers.

Durability comes from a ``Store`` (``ccsim.study.store``): every finished replication is written to
its own data-only file as soon as it is back (atomically: a killed run never leaves half a
file), and a run asked to resume takes what is stored (checked against the scenario) and runs
only the rest. A worker that dies (a killed process, a
lost Dask worker) costs only the replications it was running: they are submitted again.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from pathlib import Path

import attrs

from .replicate import run_replication
from .store import Store, StoreError, StoredFileInvalid

__all__ = ["Task", "Store", "StoreError", "StoredFileInvalid", "WorkerLost", "execute",
           "task_key"]

# exceptions by which executors say a worker vanished (not that the task itself failed)
_LOST = ("BrokenProcessPool", "BrokenExecutor", "KilledWorker", "CommClosedError",
         "FutureCancelledError")


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
    return f"{slug}-{scenario.digest()}{_policy_source(scenario)}-s{seed}-r{replication:05d}"


def _policy_source(scenario) -> str:
    """``-p<hash>`` of a user policy file's bytes (``file.py:Class``), so that editing the
    file invalidates the replications it routed; empty for built-in policies."""
    policy = scenario.routing.policy
    if ":" not in policy:
        return ""
    file = policy.rpartition(":")[0]
    try:
        source = (Path(scenario.base_dir) / file).read_bytes()
    except OSError:
        return ""  # the run itself will say the file is missing
    return f"-p{hashlib.sha256(source).hexdigest()[:12]}"


def run_task(task: Task):
    return run_replication(task.scenario, task.seed, task.replication, task.records,
                           task.records_format)


def run_tasks(tasks: tuple) -> list:
    return [run_task(task) for task in tasks]


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
        store.clean_temporary()
        for task in tasks:
            stored = store.get(task.key, task.scenario)
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
        # Ctrl-C as in parallel: the replication running finishes and is stored. Raised at
        # once instead, a KeyboardInterrupt landing in a finaliser (a generator closed by the
        # garbage collector) is printed and ignored, and the run went on to its end
        with _Interrupt() as interrupt:
            for task in pending:
                finished(task, run_task(task))
                if interrupt.requested:
                    raise KeyboardInterrupt
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


def _start_worker(parent: int) -> None:
    """In a local worker: Ctrl-C is the main process's to handle, and the worker ends as
    soon as its parent is gone (killed with SIGKILL, say), instead of waiting forever on a
    pipe nobody will write to."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent, os.getppid()), daemon=True,
                     name="ccsim-parent-watchdog").start()


def _watch_parent(parent: int, ppid: int, every: float = 0.5) -> None:
    """Exit the process once ``parent`` (the main process) has died: the worker is then
    re-parented, so its parent pid changes (a start method whose workers are not the main
    process's children is covered by checking ``parent`` itself too)."""
    while True:
        if os.getppid() != ppid or not _alive(parent):
            os._exit(1)
        time.sleep(every)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _local_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                               initargs=(os.getpid(),))


def _light(task: Task) -> Task:
    """The task without the scenario's YAML positions (needed only to report input errors)."""
    return attrs.evolve(task, scenario=attrs.evolve(task.scenario, positions=None))
