"""The KPIs of every interval at once: per contact type, for all types together, and per
agent group.

Each figure is computed once for the whole table (intervals × types, intervals, intervals ×
groups) with numpy, by the same formulas as every other KPI (``kpi_figures.py``) handed arrays
instead of floats: an array is added, subtracted and divided cell by cell, so each cell holds
the bits the scalar formula gives for that interval (``tests/test_kpis_vectorised.py`` checks
it against ``kpis.contact_kpis`` and ``kpis.group_kpis`` on one interval). Only the wait
percentiles are taken histogram by histogram. The tables are turned into Python floats once and
cut into one dict per interval and type (or group).
"""

from __future__ import annotations

import numpy as np

from .kpi_figures import contact_figures, figure_cells as _cells, group_figures, wait_percentiles

__all__ = ["interval_kpis"]


def interval_kpis(data: dict, n: int, first: int, type_names: list, formulas: list,
                  all_formula: str, group_names: list, capacity: list, interval: float) -> list:
    """The ``intervals`` list of a replication's KPI tree (see ``kpis.replication_kpis``);
    ``data`` holds the interval sums and ``type.forecast``."""
    hist = data["hist"]
    n_types = len(type_names)

    def total(counter):
        return data[f"type.{counter}"][:n]

    def all_total(counter):
        return data[f"type.{counter}"][:n].sum(axis=1)

    def waits(histograms) -> list:
        """One table per percentile, of the waits of ``histograms`` (a table of them)."""
        return list(np.moveaxis(np.array([[wait_percentiles(h) for h in row]
                                          for row in histograms], dtype=float), -1, 0))

    forecast, came = total("forecast"), total("new_arrivals")
    names, by_type = _cells(contact_figures(
        total, waits([hist[k][:n_types] for k in range(n)]), forecast, came,
        np.abs(came - forecast), formulas, interval, total("queue_area"), total("queue_max")))
    merged = []
    for k in range(n):
        histogram: dict = {}
        for h in hist[k]:
            for index, count in h.items():
                histogram[index] = histogram.get(index, 0) + count
        merged.append([histogram])
    forecast, came = all_total("forecast"), all_total("new_arrivals")
    all_names, everything = _cells(contact_figures(
        all_total, [w[:, 0] for w in waits(merged)], forecast, came, np.abs(came - forecast),
        all_formula, interval, data["total.queue_area"][:n], data["total.queue_max"][:n]))

    def g_total(counter):
        return data[f"group.{counter}"][:n]

    weights = np.array(capacity, dtype=float)

    def weighted(counter):
        return data[f"group.{counter}"][:n] * weights

    on_plan = np.minimum(g_total("staffed_area"), g_total("planned_area"))
    group_names_, by_group = _cells(group_figures(g_total, weighted, on_plan, interval))
    return [{"interval": k, "warmup": k < first,
             "by_type": {name: dict(zip(names, cell)) for name, cell in zip(type_names, by_type[k])},
             "by_group": {name: dict(zip(group_names_, cell))
                          for name, cell in zip(group_names, by_group[k])},
             "all": dict(zip(all_names, everything[k]))}
            for k in range(n)]
