"""The KPIs of every interval at once: per contact type, for all types together, and per
agent group.

The totals of one interval × one type are single cells of the interval sums, so they are read
from the arrays turned into Python lists once, instead of being summed with numpy cell by cell
(what a week of hourly intervals spent most of its KPI time on); the totals over all types are
one row sum per counter for all intervals. The figures come from the same formulas as every
other KPI (``kpi_figures.py``): the numbers are those of ``kpis.contact_kpis`` and
``kpis.group_kpis`` on one interval (``tests/test_kpis_vectorised.py`` checks it).
"""

from __future__ import annotations

from .kpi_figures import contact_figures, group_figures
from .interval_sums import GROUP_COUNTERS, TYPE_COUNTERS

__all__ = ["interval_kpis"]


def interval_kpis(data: dict, n: int, first: int, type_names: list, formulas: list,
                  all_formula: str, group_names: list, capacity: list, interval: float) -> list:
    """The ``intervals`` list of a replication's KPI tree (see ``kpis.replication_kpis``);
    ``data`` holds the interval sums and ``type.forecast``."""
    counters = (*TYPE_COUNTERS, "forecast")
    cells = {name: data[f"type.{name}"][:n].tolist() for name in counters}
    rows = {name: data[f"type.{name}"][:n].sum(axis=1).tolist() for name in counters}
    groups = {name: data[f"group.{name}"][:n].tolist() for name in GROUP_COUNTERS}
    hist = data["hist"]
    total_area = data["total.queue_area"][:n].tolist()
    total_peak = data["total.queue_max"][:n].tolist()
    out = []
    for k in range(n):
        by_type = {}
        for t, name in enumerate(type_names):
            def total(counter, k=k, t=t):
                return cells[counter][k][t]

            forecast, came = cells["forecast"][k][t], cells["new_arrivals"][k][t]
            by_type[name] = contact_figures(
                total, dict(hist[k][t]), forecast, came, abs(came - forecast), formulas[t],
                interval, cells["queue_area"][k][t], cells["queue_max"][k][t])

        def all_total(counter, k=k):
            return rows[counter][k]

        merged: dict = {}
        for histogram in hist[k]:
            for index, count in histogram.items():
                merged[index] = merged.get(index, 0) + count
        forecast, came = rows["forecast"][k], rows["new_arrivals"][k]
        everything = contact_figures(all_total, merged, forecast, came, abs(came - forecast),
                                     all_formula, interval, total_area[k], total_peak[k])
        by_group = {}
        for g, name in enumerate(group_names):
            def g_total(counter, k=k, g=g):
                return groups[counter][k][g]

            def weighted(counter, k=k, g=g):
                return groups[counter][k][g] * capacity[g]

            on_plan = min(groups["staffed_area"][k][g], groups["planned_area"][k][g])
            by_group[name] = group_figures(g_total, weighted, on_plan, interval)
        out.append({"interval": k, "warmup": k < first, "by_type": by_type,
                    "by_group": by_group, "all": everything})
    return out
