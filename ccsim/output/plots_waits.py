"""The distribution of waits before answer (re-exported by ``ccsim.output.plots``): the exact
regrouping of the measured wait histograms into display bins, and its chart.

Waits of phone and chat contacts are labelled in seconds (up to 15 minutes), longer waits
(email, social) in minutes or hours; the title gives the bin width in seconds too.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MultipleLocator, PercentFormatter

from ..measure.stats import ZERO_BIN, bin_edges, merge_histograms, percentile
from .chart_axes import finish, legend_outside, new_axes
from .plots_intervals import type_name

__all__ = ["wait_histogram", "wait_distribution"]

_WIDTHS = (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)


def _wait_unit(longest: float) -> tuple[float, str]:
    return (1.0, "s") if longest <= 900 else (60.0, "min") if longest <= 3 * 3600 else (3600.0, "h")


def _wait_text(seconds: float) -> str:
    size, unit = _wait_unit(seconds)
    return f"{seconds / size:.3g} {unit}"


def wait_histogram(results, contact_type=None, max_bins: int = 60) -> dict:
    """The waits of answered contacts after the warm-up, all replications merged, regrouped into
    equal display bins (each made of whole histogram bins, so the regrouping is exact).

    Returns ``answered`` (count), ``zero`` (share answered at once), ``edges`` (seconds),
    ``shares`` (share of answered contacts per display bin) and ``beyond`` (share waiting longer
    than the last edge, not drawn); ``zero + shares.sum() + beyond == 1``."""
    scenario = results.scenario
    name = type_name(results, contact_type)
    indices = (range(len(scenario.contact_types)) if name == "all"
               else [[t.name for t in scenario.contact_types].index(name)])
    merged = merge_histograms(sums["wait_histograms"][t] for sums in results.sums for t in indices)
    answered = sum(merged.values())
    zero = merged.pop(ZERO_BIN, 0)
    thresholds = [scenario.contact_types[t].service_level.threshold for t in indices]
    limit = max([1.5 * max(thresholds)] + ([percentile(merged, 0.995)] if merged else []))
    native = 0.5 if limit <= 120 else 5.0 if limit <= 1200 else 60.0 if limit <= 36000 else 300.0
    width = next((w for w in _WIDTHS if w % native == 0 and limit / w <= max_bins), _WIDTHS[-1])
    edges = np.arange(0.0, math.ceil(limit / width) * width + width / 2, width)
    counts = np.zeros(len(edges) - 1)
    beyond = 0
    for index, count in merged.items():
        low = bin_edges(index)[0]
        if low >= edges[-1]:
            beyond += count
        else:
            counts[int(low // width)] += count
    total = answered or 1
    return {"answered": answered, "zero": zero / total, "edges": edges, "shares": counts / total,
            "beyond": beyond / total, "width": width}


def wait_distribution(results, contact_type=None, ax=None):
    """Distribution of the waits of answered contacts after the warm-up (all replications
    merged; see ``wait_histogram``): bars give the share of answered contacts per wait bin, the
    contacts answered at once (wait exactly 0) are given as a number in a box, and the
    service-level threshold is marked. ``contact_type=None``: all types, every threshold marked."""
    scenario = results.scenario
    data = wait_histogram(results, contact_type)
    edges = data["edges"]
    figure, axes, own = new_axes(ax, (10, 3.6))
    handles = [axes.bar(edges[:-1], data["shares"], width=np.diff(edges), align="edge",
                        color="C0", edgecolor="white", linewidth=0.4, label="answered after a wait")]
    types = ([scenario.contact_type(contact_type)] if contact_type is not None
             else list(scenario.contact_types))
    by_threshold = {}
    for t in types:
        by_threshold.setdefault(t.service_level.threshold, []).append(t)
    for i, (threshold, owners) in enumerate(sorted(by_threshold.items())):
        label = f"threshold {_wait_text(threshold)}"
        if contact_type is None:
            label += f" ({', '.join(t.name for t in owners)})"
        else:
            label += f" (target {owners[0].service_level.target:.0%} within it)"
        handles.append(axes.axvline(threshold, color=f"C{3 + i}", linestyle="--", linewidth=1.3,
                                    label=label))
    size, unit = _wait_unit(edges[-1])
    # the atom at 0 and the tail beyond the last bar are given as numbers, in the legend
    notes = [f"answered at once (wait 0): {data['zero']:.1%}"]
    if data["beyond"] > 0:
        notes.append(f"waited over {edges[-1] / size:g} {unit}: {data['beyond']:.1%} (not drawn)")
    handles += [Rectangle((0, 0), 0, 0, visible=False, label=note) for note in notes]
    seconds = "" if unit == "s" else f" = {data['width']:g} s"
    axes.set_title(f"{scenario.name}: wait before answer — "
                   f"{'all contact types' if contact_type is None else contact_type}\n"
                   f"{data['answered']:,} answered contacts after warm-up, {results.n} "
                   f"replications; bins of {data['width'] / size:g} {unit}{seconds}",
                   fontsize="medium")
    step = next((s for s in (1, 2, 5, 10, 15, 20, 30, 60, 120, 300) if edges[-1] / (s * size) <= 10),
                600)
    axes.xaxis.set_major_locator(MultipleLocator(step * size))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x / size:g}"))
    axes.set_xlabel(f"wait before answer ({unit})")
    axes.set_ylabel("share of answered contacts\nper bin")
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xlim(0, edges[-1])
    legend_outside(axes, handles)
    return finish(figure, own)
