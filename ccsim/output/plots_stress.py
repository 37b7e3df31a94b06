"""Stress-test heat maps: a grid of what-ifs (volume × handle time, absence, ...) → a KPI or the
probability that a day meets its service-level target.

Axes read as planners say them: a factor 1.1 on volume is ``+10 %``, an absence share 0.05 is
``5 %``. With ``center`` the colours diverge from it (red below, green above), so a service-level
map centred on the target shows at a glance which cells miss it. ``stress_maps`` puts the mean
service level beside P(day meets target); ``stress_figures`` makes them for ``ccsim stress``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import Normalize, TwoSlopeNorm

from .chart_axes import finish, new_axes

__all__ = ["stress_heatmap", "stress_maps", "stress_figures", "axis_ticks", "axis_title"]

_TITLES = {"volume": "volume vs forecast", "aht": "handle time (AHT) vs scenario",
           "absence": "absence (share of agents away)", "headcount": "headcount vs plan",
           "patience": "patience vs scenario"}


def axis_ticks(name: str, values) -> list[str]:
    """Tick labels of a stress axis: factors as changes (``+10 %``, ``−5 %``, ``±0 %``), the
    absence share as a percentage; other axes as the numbers they are."""
    if name == "_":  # the missing second axis of a one-axis grid
        return ["" for _ in values]
    if name == "absence":
        return [f"{100 * v:g} %" for v in values]
    if name in _TITLES:
        return ["±0 %" if abs(v - 1) < 1e-12 else
                f"{'+' if v > 1 else '−'}{abs(round(100 * (v - 1), 6)):g} %" for v in values]
    return [_tick(v) for v in values]


def axis_title(name: str) -> str:
    return "" if name == "_" else _TITLES.get(name, name)


def _vector(values, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty sequence, got shape {array.shape}")
    return array


def _tick(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float, np.number)) else str(value)


def _cell_text(value: float, unit_range: bool, percent: bool) -> str:
    if not np.isfinite(value):
        return "–"
    if percent:
        return f"{100 * value:.0f} %"
    return f"{value:.2f}" if unit_range else f"{value:.3g}"


def _norm(finite, unit_range: bool, center):
    low, high = (0.0, 1.0) if unit_range else (
        (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0))
    if center is None:
        return Normalize(low, high) if unit_range else Normalize()
    span = max(center - low, high - center, 1e-9)  # symmetric: equal steps look alike
    return TwoSlopeNorm(center, min(low, center - span), max(high, center + span))


def stress_heatmap(x_values, y_values, matrix, x_label, y_label,
                   value_label="P(meet SL target)", title=None, ci=None, ax=None, center=None,
                   x_ticks=None, y_ticks=None, percent=False):
    """A grid of results, e.g. volume factor (x) × handle-time factor (y) → probability of
    meeting the service-level target or a KPI. ``matrix[i][j]`` is the value at
    ``y_values[i]``, ``x_values[j]``; each cell is annotated with its value (``percent``: as
    %) and, when ``ci`` (same shape) is given, ± its 95 % half-width. NaN cells are grey and
    marked –. ``center``: the colour scale diverges from this value (red below, green above);
    ``x_ticks``/``y_ticks``: tick labels (default: the values)."""
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
    for ticks, values, name in ((x_ticks, x_values, "x_ticks"), (y_ticks, y_values, "y_ticks")):
        if ticks is not None and len(ticks) != len(values):
            raise ValueError(f"{name} must give one label per value: expected {len(values)}, "
                             f"got {len(ticks)}")
    finite = data[np.isfinite(data)]
    unit_range = finite.size > 0 and finite.min() >= 0 and finite.max() <= 1
    figure, axes, own = new_axes(ax, (max(5.5, 2.8 + 0.95 * shape[1]),
                                      max(3.5, 1.8 + 0.6 * shape[0])))
    import matplotlib.pyplot as plt

    colours = plt.get_cmap("viridis" if center is None else "RdYlGn").with_extremes(bad="0.8")
    image = axes.imshow(np.ma.masked_invalid(data), cmap=colours, origin="lower", aspect="auto",
                        norm=_norm(finite, unit_range, center), interpolation="nearest")
    norm = image.norm
    for i in range(shape[0]):
        for j in range(shape[1]):
            value = data[i, j]
            text = _cell_text(value, unit_range, percent)
            if halves is not None and np.isfinite(value) and np.isfinite(halves[i, j]):
                text += f"\n± {_cell_text(halves[i, j], unit_range, percent)}"
            shade = norm(value) if np.isfinite(value) else 1.0
            dark = shade < 0.6 if center is None else not 0.2 < shade < 0.8
            axes.text(j, i, text, ha="center", va="center", fontsize="small",
                      color="white" if dark else "black")
    axes.set_xticks(np.arange(shape[1]), x_ticks or [_tick(v) for v in x_values])
    axes.set_yticks(np.arange(shape[0]), y_ticks or [_tick(v) for v in y_values])
    if shape[1] > 8:
        plt.setp(axes.get_xticklabels(), rotation=45, ha="right")
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    bar = figure.colorbar(image, ax=axes, pad=0.02)
    bar.set_label(value_label)
    if center is not None:
        bar.ax.axhline(center, color="black", linewidth=1.2)
    note = "; ± 95 % CI half-width" if halves is not None else ""
    axes.set_title(title if title is not None else
                   f"{value_label} by {x_label} and {y_label}{note}", fontsize="medium")
    return finish(figure, own)


def stress_maps(x_name, x_values, y_name, y_values, service_level, p_meet, target,
                service_level_ci=None, title=None, ax=None):
    """Two heat maps side by side over the same grid: the mean service level (left), coloured
    from the target (red: misses it, green: meets it), and the probability that a day meets the
    target (right), coloured from 50 %. ``x_name``/``y_name`` are stress axes (volume, aht,
    absence, headcount, ...) and label the ticks as changes; ``ax``: a pair of Axes."""
    import matplotlib.pyplot as plt

    shape = (len(y_values), len(x_values))
    if ax is None:
        figure, pair = plt.subplots(1, 2, figsize=(max(10.0, 4.0 + 1.9 * shape[1]),
                                                   max(3.6, 1.9 + 0.6 * shape[0])))
    else:
        if len(ax) != 2:
            raise ValueError(f"ax must be two Axes (service level, P(meet)), got {len(ax)}")
        pair, figure = ax, ax[0].figure
    ticks = {"x_ticks": axis_ticks(x_name, x_values), "y_ticks": axis_ticks(y_name, y_values)}
    labels = (axis_title(x_name), axis_title(y_name))
    stress_heatmap(x_values, y_values, service_level, *labels, value_label="service level",
                   title=f"service level (mean); line on the scale: target {target:.0%}",
                   ci=service_level_ci, ax=pair[0], center=target, percent=True, **ticks)
    stress_heatmap(x_values, y_values, p_meet, *labels, value_label="P(day meets SL target)",
                   title=f"P(a day meets SL ≥ {target:.0%})", ax=pair[1], center=0.5,
                   percent=True, **ticks)
    if title is not None:
        figure.suptitle(title, fontsize="medium")
    return finish(figure, ax is None)


def stress_figures(scenario, grid: dict, points) -> dict:
    """``ccsim stress --out``: the maps over the first two axes of ``grid`` (a single axis is
    one row), one figure per combination of the other axes, named ``stress[-axis-value...].png``."""
    names = list(grid)
    if len(names) == 1:
        names.append("_")
    x, y, rest = names[0], names[1], names[2:]
    xs, ys = grid[x], grid.get(y, (1.0,))
    figures = {}
    for fixed in sorted({tuple(p.factors[r] for r in rest) for p in points}):
        chosen = {(p.factors[x], p.factors.get(y, 1.0)): p for p in points
                  if tuple(p.factors[r] for r in rest) == fixed}
        cells = [[chosen[(a, b)] for a in xs] for b in ys]
        suffix = "".join(f"-{r}-{v:g}" for r, v in zip(rest, fixed))
        where = "".join(f", {r} {axis_ticks(r, [v])[0]}" for r, v in zip(rest, fixed))
        figures[f"stress{suffix}.png"] = stress_maps(
            x, xs, y, ys, [[p.kpis["service_level"]["mean"] for p in row] for row in cells],
            [[p.p_meet for p in row] for row in cells], points[0].target,
            service_level_ci=[[p.kpis["service_level"]["ci95"] for p in row] for row in cells],
            title=f"{scenario.name}: stress test{where}")
    return figures
