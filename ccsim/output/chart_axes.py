"""The time axis every interval chart shares: clock-time ticks (with weekday and date on
multi-day runs), interval edges, steps, the warm-up shaded, the legend outside the plot; and
``new_axes``, which lets every chart draw into an Axes the caller gives (``ax=``).

An interval's value is drawn as a step from its start to its end; the step carries one point
per interval edge, the last repeating the last value to close the last interval.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.ticker import FuncFormatter, MultipleLocator

from ..calendar import DAYS
from ..units import format_clock

__all__ = ["clock_tick", "clock_axis", "day_label", "moment", "multi_day", "interval_edges",
           "closed", "interval_step", "legend_outside", "shade_warmup", "new_axes", "finish"]

_TICK_STEPS = (60, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400, 172800)
_DAY = 86400.0


def new_axes(ax, figsize):
    """(figure, axes, own): a new figure of ``figsize`` when ``ax`` is None, else ``ax``'s
    figure and ``ax`` itself; ``own`` says whether the chart made the figure (and may lay it
    out)."""
    if ax is None:
        import matplotlib.pyplot as plt

        figure, axes = plt.subplots(figsize=figsize)
        return figure, axes, True
    return ax.figure, ax, False


def finish(figure, own: bool):
    """Lay out a figure the chart made; leave a caller's figure as the caller arranged it."""
    if own:
        figure.tight_layout()
    return figure


def clock_tick(seconds: float, _position=None) -> str:
    """A matplotlib tick formatter: the clock time of ``seconds`` (see ``format_clock``)."""
    return format_clock(seconds)


def multi_day(scenario) -> bool:
    """Whether the run spans more than one day: its charts then name weekdays and dates."""
    return scenario.horizon > _DAY


def day_label(seconds: float, scenario) -> str:
    """The day that clock time ``seconds`` falls on: ``Mon 23 Nov`` with the scenario's
    ``start_date``, ``Mon`` without (clock times count from midnight of the first day)."""
    day = int(np.floor(seconds / _DAY + 1e-9))
    name = DAYS[(scenario.start_day + day) % 7].capitalize()
    if scenario.start_date is None:
        return name
    date = scenario.start_date + dt.timedelta(days=day)
    return f"{name} {date.day} {date.strftime('%b')}"


def moment(seconds: float, scenario) -> str:
    """Clock time ``seconds`` as a planner reads it: ``10:30`` on a one-day run, ``Tue 24 Nov
    10:30`` on a longer one."""
    if not multi_day(scenario):
        return format_clock(seconds)
    day = np.floor(seconds / _DAY + 1e-9)
    return f"{day_label(seconds, scenario)} {format_clock(seconds - day * _DAY)}"


def clock_axis(axes, scenario) -> None:
    """Ticks at round clock times; over more than a day, each tick also names its weekday (and
    date), and ticks a day or more apart name only the day."""
    start, span = scenario.start, scenario.horizon
    step = next((s for s in _TICK_STEPS if span / s <= 12), _TICK_STEPS[-1])
    axes.xaxis.set_major_locator(MultipleLocator(step))
    axes.set_xlim(start, start + span)
    axes.grid(True, color="0.9", linewidth=0.6)
    axes.set_axisbelow(True)
    if not multi_day(scenario):
        axes.xaxis.set_major_formatter(FuncFormatter(clock_tick))
        axes.set_xlabel("clock time (hh:mm)")
        return

    def tick(seconds, _position=None):
        if step >= _DAY:
            return day_label(seconds, scenario)
        day = np.floor(seconds / _DAY + 1e-9)
        return f"{format_clock(seconds - day * _DAY)}\n{day_label(seconds, scenario)}"

    axes.xaxis.set_major_formatter(FuncFormatter(tick))
    axes.set_xlabel("day" if step >= _DAY else "day and clock time (hh:mm)")


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
