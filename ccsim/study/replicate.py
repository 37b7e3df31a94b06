"""One replication: the only place where a scenario, a router, the observers and the engine
are put together.

Replication r of seed s always draws from ``Streams(s, r)``, so its outcome depends on nothing
but (scenario, seed, replication): the runner may compute it on any worker, in any order.
"""

from __future__ import annotations

from ..engine.center import RoutingError, simulate_replication
from ..measure.kpis import replication_kpis
from ..measure.observers import Observers
from ..measure.interval_sums import Statistics
from ..measure.records import records_observer
from ..measure.stats import merge_histograms
from ..routing import get_router
from ..skills import SkillGraph
from ..streams import Streams

__all__ = ["run_replication"]


def run_replication(scenario, seed: int, replication: int, records=None,
                    records_format: str = "csv") -> tuple[dict, dict]:
    """One replication: (KPI tree, interval sums without the histograms). With ``records``
    (a directory), its event logs are written there too (``ccsim.measure.records``)."""
    graph = SkillGraph(scenario)
    streams = Streams(seed, replication)
    router_class = get_router(scenario.routing.policy, scenario.base_dir)
    router = router_class(graph, scenario.routing.params, rng=streams("routing"))
    statistics = Statistics(scenario)
    logs = records_observer(scenario, replication, records, records_format)  # None when off
    observer = statistics if logs is None else Observers([statistics, logs])
    try:
        simulate_replication(scenario, graph, router, observer, streams)
    except RoutingError as exc:
        # the policy as the user named it (a file.py:Class too), for the command line's
        # message; an exception's attributes are pickled with it, so this crosses processes
        exc.policy = scenario.routing.policy
        raise
    if logs is not None:
        logs.write()
    data = statistics.data()
    kpis = replication_kpis(data, scenario)
    sums = {k: v for k, v in data.items() if k != "hist"}
    # waits of answered contacts after the warm-up, one histogram per contact type (bin → count)
    first = round(scenario.warmup / scenario.interval)
    sums["wait_histograms"] = [merge_histograms(row[t] for row in data["hist"][first:])
                               for t in range(len(scenario.contact_types))]
    return kpis, sums
