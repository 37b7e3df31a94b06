"""Where replications run: in this process, in a local process pool, or on Dask.

Every choice yields a ``concurrent.futures.Executor`` (or None for the built-in local pool,
which ``runner.execute`` manages itself so that it can replace a pool whose process died).
Dask is an optional extra (``pip install 'ccsim[dask]'``): ``dask_local=N`` starts a
``LocalCluster`` of N single-threaded worker processes for this run, ``dask_scheduler`` joins
an existing cluster. The numbers do not depend on the choice.
"""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["ExecutorError", "executor_for", "describe"]


class ExecutorError(RuntimeError):
    """The requested executor cannot be set up (Dask missing, scheduler unreachable)."""


@contextmanager
def executor_for(dask_scheduler: str | None = None, dask_local: int | None = None):
    """The executor for a run (None: the local pool or this process, by ``jobs``)."""
    if not dask_scheduler and not dask_local:
        yield None
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ExecutorError("Dask is not installed: pip install 'ccsim[dask]'") from None
    cluster = None
    try:
        if dask_local:
            cluster = LocalCluster(n_workers=dask_local, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            _reachable(dask_scheduler)
            client = Client(dask_scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ExecutorError(f"cannot reach the Dask scheduler {dask_scheduler}: {exc}") from None
    try:
        # pure=False: a replication submitted again after a lost worker is run again
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _reachable(address: str) -> None:
    """Fail at once on a scheduler nobody listens at (Dask itself would wait its timeout)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        with socket.create_connection((parts.hostname, parts.port), timeout=10):
            pass


def describe(jobs: int, dask_scheduler: str | None, dask_local: int | None) -> str:
    if dask_local:
        return f"Dask LocalCluster of {dask_local} workers"
    if dask_scheduler:
        return f"Dask cluster at {dask_scheduler}"
    return "this process" if jobs == 1 else f"{jobs or 'all'} local processes"
