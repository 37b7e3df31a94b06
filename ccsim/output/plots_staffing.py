"""Staffing figures (re-exported by ``ccsim.output.plots``), and the stress-test heat maps of
``plots_stress`` under their old import path. Like every figure in ``ccsim.output.plots`` they
return a Figure, never call ``show`` and take ``ax=``.
"""

from __future__ import annotations

import numpy as np

from .chart_axes import (clock_axis, closed, finish, interval_edges, interval_step, legend_outside,
                         new_axes, shade_warmup)
from .plots_stress import stress_heatmap, stress_maps

__all__ = ["staffing_required_vs_scheduled", "shift_coverage", "stress_heatmap", "stress_maps"]

_OVER, _UNDER = "#74c476", "#fb6a4a"


def _per_interval(values, n: int, what: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or len(array) != n:
        raise ValueError(f"{what} must give one value per interval: expected {n} values "
                         f"(the scenario's intervals), got shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{what} must be finite and non-negative agent counts")
    return array


def scheduled_headcount(scenario, group=None) -> np.ndarray:
    """Agents scheduled per interval: the named group's headcount, or all groups summed."""
    names = [g.name for g in scenario.agent_groups]
    if group is not None and group not in names:
        raise ValueError(f"unknown agent group {group!r} (known: {', '.join(names)})")
    groups = [g for g in scenario.agent_groups if group is None or g.name == group]
    return np.array([sum(scenario.headcount(g, k) for g in groups)
                     for k in range(scenario.n_intervals)], dtype=float)


def _doubled(edges: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each interval as its two end points: (e0, e1, e1, e2, ...), (v0, v0, v1, v1, ...)."""
    return np.column_stack([edges[:-1], edges[1:]]).ravel(), np.repeat(values, 2)


def staffing_required_vs_scheduled(scenario, required, scheduled=None, group=None, ax=None):
    """Agents required (e.g. from a staffing search or Erlang C per interval) and scheduled per
    interval, as steps against clock time; intervals with more agents scheduled than required
    are shaded green (over-staffed), those with fewer red (under-staffed). ``scheduled``
    defaults to the scenario's headcount: ``group``'s, or all groups summed."""
    from ..units import format_duration

    n = scenario.n_intervals
    required = _per_interval(required, n, "required")
    default = scheduled_headcount(scenario, group)  # also checks the group's name
    scheduled = default if scheduled is None else _per_interval(scheduled, n, "scheduled")
    edges = interval_edges(scenario)
    hours = np.diff(edges) / 3600.0
    figure, axes, own = new_axes(ax, (10, 3.6))
    shade_warmup(axes, scenario)
    x, low = _doubled(edges, required)
    _, high = _doubled(edges, scheduled)
    for mask, colour, label in ((scheduled > required, _OVER, "over-staffed"),
                                (scheduled < required, _UNDER, "under-staffed")):
        gap = float(np.sum(np.abs(scheduled - required)[mask] * hours[mask]))
        axes.fill_between(x, low, high, where=np.repeat(mask, 2), interpolate=False,
                          color=colour, alpha=0.45, linewidth=0,
                          label=f"{label} ({gap:.3g} agent-hours)")
    interval_step(axes, scenario, required, color="C3", linewidth=1.6, linestyle="--", label="required")
    interval_step(axes, scenario, scheduled, color="C0", linewidth=1.8, label="scheduled")
    subject = f"group {group}" if group is not None else "all agent groups"
    axes.set_title(f"{scenario.name}: staffing required vs scheduled — {subject}\n"
                   f"agents per {format_duration(scenario.interval)} interval; shaded: "
                   f"scheduled above (green) or below (red) required", fontsize="medium")
    axes.set_ylabel("agents")
    axes.set_ylim(0, 1.1 * max(1.0, float(np.max(closed(np.maximum(required, scheduled))))))
    clock_axis(axes, scenario)
    legend_outside(axes)
    return finish(figure, own)


def shift_coverage(plan, group: str, ax=None):
    """A shift plan (``ccsim.workforce.plan.shifts.ShiftPlan``) for one agent group: agents on
    the phones per interval stacked by shift type (breaks and lunches taken out), against the
    requirement the shifts had to cover."""
    from ..schedules import shift_profile

    scenario = plan.scenario
    spec = next((g for g in scenario.agent_groups if g.name == group), None)
    if spec is None:
        raise ValueError(f"unknown agent group {group!r} (known: "
                         f"{', '.join(g.name for g in scenario.agent_groups)})")
    kinds: dict[str, list] = {}
    names = {s.name: s.shift_type for s in plan.shifts if s.group == group}
    for shift in spec.shifts:
        kinds.setdefault(names.get(shift.name, shift.name), []).append(shift)
    n = scenario.n_intervals
    layers = {kind: np.asarray(shift_profile(tuple(shifts), n, scenario.interval, scenario.start,
                                             scenario.start_day)[0])
              for kind, shifts in kinds.items()}
    figure, axes, own = new_axes(ax, (10, 3.6))
    edges = interval_edges(scenario)
    bottom = np.zeros(n)
    for i, (kind, layer) in enumerate(layers.items()):
        x, low = _doubled(edges, bottom)
        _, high = _doubled(edges, bottom + layer)
        axes.fill_between(x, low, high, color=f"C{i % 10}", alpha=0.7, linewidth=0,
                          label=f"{kind} ({sum(len(s.agents) or s.count for s in kinds[kind])} "
                                f"agents)")
        bottom = bottom + layer
    required = _per_interval(plan.requirements[group], n, "required")
    interval_step(axes, scenario, required, color="black", linewidth=1.6, linestyle="--",
                  label="required")
    axes.set_title(f"{scenario.name}: shifts of group {group}, stacked by shift type\n"
                   f"agents on the phones per interval (breaks taken out) against the "
                   f"requirement", fontsize="medium")
    axes.set_ylabel("agents")
    axes.set_ylim(0, 1.1 * max(1.0, float(np.max(closed(np.maximum(required, bottom))))))
    clock_axis(axes, scenario)
    legend_outside(axes)
    return finish(figure, own)
