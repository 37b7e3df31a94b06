"""Replications: run a scenario r = 0..n-1 times with independent streams, in any executor.

Replication r always uses ``Streams(seed, r)``, and results are put back in replication order, so
the numbers are bit-identical whatever the number of workers. Two policies run with the same seed
see the same contacts (common random numbers).
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor

import attrs

from .engine.center import simulate_replication
from .kpis import replication_kpis
from .observers import Statistics
from .results import Results
from .routing import get_router
from .skills import SkillGraph
from .stats import merge_histograms
from .streams import Streams

__all__ = ["simulate", "run_replication"]


def run_replication(scenario, seed: int, replication: int) -> tuple[dict, dict]:
    """One replication: (KPI tree, interval sums without the histograms)."""
    graph = SkillGraph(scenario)
    streams = Streams(seed, replication)
    router_class = get_router(scenario.routing.policy, scenario.base_dir)
    router = router_class(graph, scenario.routing.params, rng=streams("routing"))
    statistics = Statistics(scenario)
    simulate_replication(scenario, graph, router, statistics, streams)
    data = statistics.data()
    kpis = replication_kpis(data, scenario)
    sums = {k: v for k, v in data.items() if k != "hist"}
    # waits of answered contacts after the warm-up, one histogram per contact type (bin → count)
    first = round(scenario.warmup / scenario.interval)
    sums["wait_histograms"] = [merge_histograms(row[t] for row in data["hist"][first:])
                               for t in range(len(scenario.contact_types))]
    return kpis, sums


def _run_batch(scenario, seed, replications):
    return [run_replication(scenario, seed, r) for r in replications]


def simulate(scenario, replications: int | None = None, seed: int | None = None, jobs: int = 1,
             policy: str | None = None, executor: Executor | None = None,
             params: dict | None = None) -> Results:
    """Simulate ``replications`` independent replications and gather their KPIs.

    ``jobs`` > 1 runs them in a local process pool (0 = one per core); an ``executor`` given by
    the caller is used as is. ``policy`` (with ``params``) overrides the scenario's routing; the
    scenario's own parameters are kept when it names the scenario's policy."""
    if policy is not None:
        if params is None:
            params = scenario.routing.params if policy == scenario.routing.policy else {}
        scenario = attrs.evolve(scenario, routing=attrs.evolve(scenario.routing, policy=policy,
                                                                params=dict(params)))
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    if n < 1:
        raise ValueError(f"replications must be >= 1 (got {n})")
    if jobs == 0:
        jobs = os.cpu_count() or 1
    if executor is None and jobs <= 1:
        outcomes = _run_batch(scenario, seed, range(n))
    else:
        own = executor is None
        pool = executor or ProcessPoolExecutor(max_workers=min(jobs, n))
        try:
            # several replications per task: fewer round trips, same numbers
            chunk = max(1, n // (4 * (jobs or 1)))
            batches = [range(i, min(n, i + chunk)) for i in range(0, n, chunk)]
            futures = [pool.submit(_run_batch, scenario, seed, batch) for batch in batches]
            outcomes = [outcome for future in futures for outcome in future.result()]
        finally:
            if own:
                pool.shutdown()
    return Results(scenario=scenario, seed=seed, policy=scenario.routing.policy,
                   replications=tuple(k for k, _ in outcomes), sums=tuple(s for _, s in outcomes))
