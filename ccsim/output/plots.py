"""Figures (matplotlib). Every function returns a Figure and never calls ``show``: save it,
embed it in a report or display it in a notebook. Every one takes ``ax=`` too: an Axes to draw
into (for a figure of your own layout); it then returns that Axes' Figure, not laid out.

The figures live in a few modules, all re-exported here: ``plots_intervals`` (charts against
clock time), ``plots_waits`` (wait distributions), ``plots_skills`` (skill graph and matrix),
``plots_staffing`` (staffing and stress tests); comparisons of policies are drawn here.

Interval figures draw each interval's value as a step from its start to its end, against clock
time (``scenario.start`` + k × ``interval``), so an interval reads as the flat segment above it.
The step lines carry one point per interval edge: ``line.get_ydata()[:-1]`` are the interval
values, the last point repeats the last value to close the last interval.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import PercentFormatter

from .chart_axes import finish, new_axes
from .plots_intervals import (occupancy_heatmap, queue_and_busy, service_level_by_interval,
                              volumes_by_interval)
from .plots_skills import skill_graph, skills_matrix
from .plots_staffing import shift_coverage, staffing_required_vs_scheduled, stress_heatmap, stress_maps
from .plots_waits import wait_distribution, wait_histogram

__all__ = ["comparison_bars", "skill_graph", "skills_matrix", "service_level_by_interval",
           "volumes_by_interval", "wait_distribution", "wait_histogram", "occupancy_heatmap",
           "queue_and_busy", "shift_coverage", "staffing_required_vs_scheduled", "stress_heatmap",
           "stress_maps"]

_LABELS = {"service_level": "service level", "asa": "ASA (s)", "abandon_rate": "abandonment",
           "wait_p90": "90th percentile wait (s)", "aht": "AHT (s)", "occupancy": "occupancy"}


def _sl_targets(scenario, names) -> dict:
    """The service-level target of each bar group: a type's own; ``all`` when types agree."""
    own = {t.name: t.service_level.target for t in scenario.contact_types}
    if len(set(own.values())) == 1:
        own["all"] = next(iter(own.values()))
    return {name: own[name] for name in names if name in own}


def comparison_bars(comparison, kpi: str = "service_level", ax=None):
    """One KPI per contact type (and overall) for each policy, with 95 % confidence bars;
    policies whose paired difference from the baseline is significant are marked with *. For
    service level each type's target is a dashed line across its bars."""
    rows = [r for r in comparison.rows((kpi,)) if r["kpi"] == kpi]
    groups = list(dict.fromkeys(r["of"] for r in rows))
    policies = comparison.policies
    width = 0.8 / len(policies)
    figure, axes, own = new_axes(ax, (max(6.0, 1.4 * len(groups) * len(policies) ** 0.5), 4))
    x = np.arange(len(groups))
    for i, policy in enumerate(policies):
        mine = {r["of"]: r for r in rows if r["policy"] == policy}
        means = [mine[g]["mean"] for g in groups]
        errors = [0 if np.isnan(mine[g]["ci95"]) else mine[g]["ci95"] for g in groups]
        label = policy + (" (baseline)" if policy == comparison.baseline else "")
        bars = axes.bar(x + (i - (len(policies) - 1) / 2) * width, means, width, yerr=errors,
                        capsize=3, label=label)
        for bar, g, error in zip(bars, groups, errors):
            if mine[g].get("significant"):
                axes.annotate("*", (bar.get_x() + bar.get_width() / 2, bar.get_height() + error),
                              ha="center", va="bottom", fontsize=12)
    if kpi == "service_level":
        targets = _sl_targets(comparison.scenario, groups)
        if targets:
            where = [groups.index(name) for name in targets]
            axes.hlines(list(targets.values()), np.array(where) - 0.45, np.array(where) + 0.45,
                        colors="C3", linestyles="--", linewidth=1.4, zorder=3,
                        label="SL target")
    axes.set_xticks(x, groups)
    axes.set_ylabel(_LABELS.get(kpi, kpi))
    axes.set_title(f"{comparison.scenario.name}: {_LABELS.get(kpi, kpi)} by routing policy\n"
                   f"bars: 95 % CI; *: paired difference from the baseline is significant",
                   fontsize="medium")
    axes.legend(fontsize="small")
    if kpi in ("service_level", "abandon_rate", "occupancy"):
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    return finish(figure, own)
