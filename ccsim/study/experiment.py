"""Replications: run a scenario r = 0..n-1 times with independent streams, in any executor.

Replication r always uses ``Streams(seed, r)``, and results are put back in replication order, so
the numbers are bit-identical whatever the number of workers. Two policies run with the same seed
see the same contacts (common random numbers).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import Executor

import attrs
import numpy as np

from ..measure.results import Results
from ..measure.stats import mean_ci
from ..scenario import check_built
from .replicate import run_replication
from .runner import Task, execute, task_key

__all__ = ["simulate", "simulate_many", "with_policy", "run_replication",
           "replications_needed"]


def simulate(scenario, replications: int | None = None, seed: int | None = None, jobs: int = 1,
             policy: str | None = None, executor: Executor | None = None,
             params: dict | None = None, store=None, resume: bool = False, progress=None,
             precision: dict | None = None, max_replications: int = 1000,
             records=None, records_format: str = "csv") -> Results:
    """Simulate ``replications`` independent replications and gather their KPIs.

    ``jobs`` > 1 runs them in a local process pool (0 = one per core); an ``executor`` given by
    the caller (a Dask client's, say) is used as is. ``policy`` (with ``params``) overrides the
    scenario's routing; the scenario's own parameters are kept when it names the scenario's
    policy. With a ``store`` (a ``runner.Store``) each finished replication is kept on disk and
    ``resume`` reuses them. ``precision`` (KPI path → largest 95 % half-width, e.g.
    ``{"overall.service_level": 0.01}``) adds replications until every bound holds or
    ``max_replications`` is reached; ``progress(done, total)`` follows the work. ``records``
    (a directory) asks every replication that runs for its event logs (``ccsim.measure.records``)."""
    if policy is not None:
        scenario = with_policy(scenario, policy, params)
    check_built(scenario)  # a scenario made in Python fails here, clearly, not mid-run
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    if n < 1:
        raise ValueError(f"replications must be >= 1 (got {n})")
    if jobs == 0:
        jobs = os.cpu_count() or 1
    outcomes: list = []
    while True:
        tasks = [Task(task_key(scenario, seed, r), scenario, seed, r, records, records_format)
                 for r in range(len(outcomes), n)]
        outcomes += execute(tasks, executor=executor, jobs=jobs, store=store, resume=resume,
                            progress=progress)
        results = _results(scenario, seed, outcomes)
        if not precision:
            return results
        wanted = replications_needed(results, precision)
        if wanted <= n or n >= max_replications:
            return results
        n = min(max_replications, max(wanted, n + 2))


def with_policy(scenario, policy: str, params: dict | None = None):
    """``scenario`` routed by ``policy``; its own parameters are kept when it names the
    scenario's policy and ``params`` is None."""
    if params is None:
        params = scenario.routing.params if policy == scenario.routing.policy else {}
    return attrs.evolve(scenario, routing=attrs.evolve(scenario.routing, policy=policy,
                                                       params=dict(params)))


def simulate_many(scenarios: list, replications: int | None = None, seed: int | None = None,
                  jobs: int = 1, executor: Executor | None = None, progress=None) -> list:
    """``simulate`` for several scenarios (what-if variants, policies) with the same seed, as
    one batch of replications: one pool for all of them, and every worker busy until the end.
    Each scenario's replications default to its own count."""
    if jobs == 0:
        jobs = os.cpu_count() or 1
    plans = []
    for scenario in scenarios:
        n = scenario.replications if replications is None else replications
        if n < 1:
            raise ValueError(f"replications must be >= 1 (got {n})")
        plans.append((scenario, scenario.seed if seed is None else seed, n))
    tasks = [Task(task_key(scenario, s, r), scenario, s, r)
             for scenario, s, n in plans for r in range(n)]
    outcomes = iter(execute(tasks, executor=executor, jobs=jobs, progress=progress))
    return [_results(scenario, s, [next(outcomes) for _ in range(n)])
            for scenario, s, n in plans]


def _results(scenario, seed: int, outcomes: list) -> Results:
    """Results from the (KPI tree, sums) outcomes of replications 0, 1, ... in order."""
    return Results(scenario=scenario, seed=seed, policy=scenario.routing.policy,
                   replications=tuple(k for k, _ in outcomes), sums=tuple(s for _, s in outcomes))


def replications_needed(results: Results, precision: dict) -> int:
    """Replications that would bring every named KPI's 95 % half-width to its bound, planned
    from the spread seen so far with the normal quantile (Student's t at a handful of
    replications would overshoot); the caller checks again with t once they have run."""
    needed = results.n
    for path, bound in precision.items():
        values = results.values(path)
        half = mean_ci(values)[1]
        if not math.isfinite(half) or half <= bound:
            continue  # met, or undefined in some replication: it cannot steer the count
        spread = float(np.std(values, ddof=1))
        needed = max(needed, results.n + 1, math.ceil((1.96 * spread / bound) ** 2))
    return needed
