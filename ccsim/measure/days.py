"""Service level day by day: one figure per calendar day of every replication.

A run's average service level hides how single days went; planners ask how many days met the
target and how bad the worst one was. Each calendar day of the horizon inside the summary
window (intervals from the end of the warm-up, grouped by the clock day they start on) gets
its service level recomputed from the interval sums, with the formula the KPIs use, so a
day's figure is computed exactly like the run's. Days that offered nothing are left out.
"""

from __future__ import annotations

import math

from .kpi_figures import service_levels
from .kpis import overall_formula

__all__ = ["calendar_days", "day_levels", "type_day_levels", "day_range"]


def calendar_days(scenario) -> dict[int, list[int]]:
    """Day number (0 = the day t = 0 falls on) → the summary window's intervals starting on it."""
    first = round(scenario.warmup / scenario.interval)
    days: dict[int, list[int]] = {}
    for k in range(first, scenario.n_intervals):
        days.setdefault(int((scenario.start + k * scenario.interval) // 86400), []).append(k)
    return days


def _levels(results, columns: list[int] | None, formula: str) -> list[list[float]]:
    days = calendar_days(results.scenario)
    levels = []
    for data in results.sums:
        def total(name, rows):
            block = data[f"type.{name}"][rows]
            return float((block if columns is None else block[:, columns]).sum())

        mine = []
        for rows in days.values():
            short = total("short_abandoned", rows)
            offered = total("offered", rows) - short
            if offered <= 0:
                continue
            mine.append(service_levels(total("answered_within", rows),
                                       total("abandoned_within", rows), offered,
                                       total("answered", rows))[f"sl_{formula}"])
        levels.append(mine)
    return levels


def day_levels(results) -> list[list[float]]:
    """Per replication, the overall service level of each calendar day (all contact types,
    with the overall formula)."""
    return _levels(results, None, overall_formula(results.scenario))


def type_day_levels(results, name: str) -> list[list[float]]:
    """Per replication, the service level of contact type ``name`` on each calendar day, with
    the type's own formula."""
    types = results.scenario.contact_types
    index = next(i for i, t in enumerate(types) if t.name == name)
    return _levels(results, [index], types[index].service_level.formula)


def day_range(levels: list[list[float]], target: float) -> dict:
    """Days meeting ``target``, their count and share, and the lowest and highest day."""
    flat = [level for mine in levels for level in mine if not math.isnan(level)]
    met = sum(1 for level in flat if level >= target - 1e-12)
    return {"days": len(flat), "days_met": met,
            "share_met": met / len(flat) if flat else math.nan,
            "lowest": min(flat) if flat else math.nan,
            "highest": max(flat) if flat else math.nan}
