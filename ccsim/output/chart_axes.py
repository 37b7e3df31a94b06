"""The time axis every interval chart shares: clock-time ticks, interval edges, steps,
the warm-up shaded, the legend outside the plot.

An interval's value is drawn as a step from its start to its end; the step carries one point
per interval edge, the last repeating the last value to close the last interval.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, MultipleLocator

from ..units import format_clock

__all__ = ["clock_tick", "clock_axis", "interval_edges", "closed", "interval_step", "legend_outside",
           "shade_warmup"]

_TICK_STEPS = (60, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400, 172800)


def clock_tick(seconds: float, _position=None) -> str:
    """A matplotlib tick formatter: the clock time of ``seconds`` (see ``format_clock``)."""
    return format_clock(seconds)


def clock_axis(axes, scenario) -> None:
    start, span = scenario.start, scenario.horizon
    step = next((s for s in _TICK_STEPS if span / s <= 12), _TICK_STEPS[-1])
    axes.xaxis.set_major_locator(MultipleLocator(step))
    axes.xaxis.set_major_formatter(FuncFormatter(clock_tick))
    axes.set_xlim(start, start + span)
    axes.set_xlabel("clock time (hh:mm)")
    axes.grid(True, color="0.9", linewidth=0.6)
    axes.set_axisbelow(True)


def interval_edges(scenario) -> np.ndarray:
    """Clock times of the interval edges: start + k × interval, the last one at the horizon."""
    edges = scenario.start + np.arange(scenario.n_intervals + 1) * scenario.interval
    edges[-1] = min(edges[-1], scenario.start + scenario.horizon)
    return edges


def closed(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.append(values, values[-1])


def interval_step(axes, scenario, values, **style):
    return axes.step(interval_edges(scenario), closed(values), where="post", **style)[0]


def legend_outside(axes, handles=None) -> None:
    """The legend to the right of the plot, where it hides no data."""
    axes.legend(handles=handles, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0),
                frameon=False)


def shade_warmup(axes, scenario) -> None:
    if scenario.warmup > 0:
        axes.axvspan(scenario.start, scenario.start + scenario.warmup, color="0.88", zorder=0,
                     label="warm-up (not in the summary)")
