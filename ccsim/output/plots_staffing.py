"""Staffing and stress-test figures (re-exported by ``ccsim.output.plots``). Like every figure in
``ccsim.output.plots`` they return a Figure and never call ``show``.

The interval helpers of ``ccsim.output.plots`` are imported inside the functions, so this module and
``ccsim.output.plots`` (which imports it at its end) can be imported in either order.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .chart_axes import clock_axis, closed, interval_edges, interval_step, legend_outside, shade_warmup

__all__ = ["staffing_required_vs_scheduled", "stress_heatmap"]

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


def staffing_required_vs_scheduled(scenario, required, scheduled=None, group=None):
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
    figure, axes = plt.subplots(figsize=(10, 3.6))
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
    figure.tight_layout()
    return figure


def _vector(values, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty sequence, got shape {array.shape}")
    return array


def _cell_text(value: float, unit_range: bool) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:.2f}" if unit_range else f"{value:.3g}"


def stress_heatmap(x_values, y_values, matrix, x_label, y_label,
                   value_label="P(meet SL target)", title=None, ci=None):
    """A grid of results, e.g. volume factor (x) × handle-time factor (y) → probability of
    meeting the service-level target or a KPI. ``matrix[i][j]`` is the value at
    ``y_values[i]``, ``x_values[j]``; each cell is annotated with its value and, when ``ci``
    (same shape) is given, ± its 95 % half-width. NaN cells are grey and marked –."""
    x_values, y_values = _vector(x_values, "x_values"), _vector(y_values, "y_values")
    data = np.asarray(matrix, dtype=float)
    shape = (len(y_values), len(x_values))
    if data.shape != shape:
        raise ValueError(f"matrix has shape {data.shape}; expected (len(y_values), "
                         f"len(x_values)) = {shape}: one row per y value, one column per x value")
    halves = None
    if ci is not None:
        halves = np.asarray(ci, dtype=float)
        if halves.shape != shape:
            raise ValueError(f"ci has shape {halves.shape}; expected the matrix's shape {shape}")
        if np.any(halves[np.isfinite(halves)] < 0):
            raise ValueError("ci half-widths must be non-negative")
    finite = data[np.isfinite(data)]
    unit_range = finite.size > 0 and finite.min() >= 0 and finite.max() <= 1
    limits = (0.0, 1.0) if unit_range else (None, None)
    figure, axes = plt.subplots(figsize=(max(5.5, 2.8 + 0.95 * shape[1]),
                                         max(3.5, 1.8 + 0.6 * shape[0])))
    colours = plt.get_cmap("viridis").with_extremes(bad="0.8")
    image = axes.imshow(np.ma.masked_invalid(data), cmap=colours, origin="lower", aspect="auto",
                        vmin=limits[0], vmax=limits[1], interpolation="nearest")
    norm = image.norm
    for i in range(shape[0]):
        for j in range(shape[1]):
            value = data[i, j]
            text = _cell_text(value, unit_range)
            if halves is not None and np.isfinite(value) and np.isfinite(halves[i, j]):
                text += f"\n± {_cell_text(halves[i, j], unit_range)}"
            dark = np.isfinite(value) and norm(value) < 0.6
            axes.text(j, i, text, ha="center", va="center", fontsize="small",
                      color="white" if dark else "black")
    axes.set_xticks(np.arange(shape[1]), [_tick(v) for v in x_values])
    axes.set_yticks(np.arange(shape[0]), [_tick(v) for v in y_values])
    if shape[1] > 8:
        plt.setp(axes.get_xticklabels(), rotation=45, ha="right")
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    bar = figure.colorbar(image, ax=axes, pad=0.02)
    bar.set_label(value_label)
    note = "; ± 95 % CI half-width" if halves is not None else ""
    axes.set_title(title if title is not None else
                   f"{value_label} by {x_label} and {y_label}{note}", fontsize="medium")
    figure.tight_layout()
    return figure


def _tick(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float, np.number)) else str(value)
