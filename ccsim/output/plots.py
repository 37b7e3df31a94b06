"""Figures (matplotlib). Every function returns a Figure and never calls ``show``: save it,
embed it in a report or display it in a notebook.

Interval figures draw each interval's value as a step from its start to its end, against clock
time (``scenario.start`` + k × ``interval``), so an interval reads as the flat segment above it.
The step lines carry one point per interval edge: ``line.get_ydata()[:-1]`` are the interval
values, the last point repeats the last value to close the last interval.
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MultipleLocator, PercentFormatter

from ..measure.stats import ZERO_BIN, bin_edges, mean_ci, merge_histograms, percentile  # noqa: E402
from ..units import format_duration  # noqa: E402
from .chart_axes import (clock_axis, closed, interval_edges, interval_step,  # noqa: E402
                         legend_outside, shade_warmup)
from .plots_staffing import staffing_required_vs_scheduled, stress_heatmap

__all__ = ["comparison_bars", "skill_graph", "service_level_by_interval", "volumes_by_interval",
           "wait_distribution", "wait_histogram", "occupancy_heatmap", "queue_and_busy",
           "staffing_required_vs_scheduled", "stress_heatmap"]

_LABELS = {"service_level": "service level", "asa": "ASA (s)", "abandon_rate": "abandonment",
           "wait_p90": "90th percentile wait (s)", "aht": "AHT (s)", "occupancy": "occupancy"}


def comparison_bars(comparison, kpi: str = "service_level"):
    """One KPI per contact type (and overall) for each policy, with 95 % confidence bars;
    policies whose paired difference from the baseline is significant are marked with *."""
    rows = [r for r in comparison.rows((kpi,)) if r["kpi"] == kpi]
    groups = list(dict.fromkeys(r["of"] for r in rows))
    policies = comparison.policies
    width = 0.8 / len(policies)
    figure, axes = plt.subplots(figsize=(max(6.0, 1.4 * len(groups) * len(policies) ** 0.5), 4))
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
    axes.set_xticks(x, groups)
    axes.set_ylabel(_LABELS.get(kpi, kpi))
    axes.set_title(f"{comparison.scenario.name}: {_LABELS.get(kpi, kpi)} by routing policy\n"
                   f"bars: 95 % CI; *: paired difference from the baseline is significant",
                   fontsize="medium")
    axes.legend(fontsize="small")
    if kpi in ("service_level", "abandon_rate", "occupancy"):
        axes.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    figure.tight_layout()
    return figure


def skill_graph(graph):
    """Contact types (left) and agent groups (right), skills as edges labelled with rank and
    proficiency."""
    import networkx as nx

    types, groups = graph.type_names, graph.group_names
    height = max(len(types), len(groups))
    position = {("type", t): (0.0, height - i * height / max(1, len(types)))
                for i, t in enumerate(types)}
    position.update({("group", g): (1.0, height - i * height / max(1, len(groups)))
                     for i, g in enumerate(groups)})
    figure, axes = plt.subplots(figsize=(7, 1.0 + 0.7 * height))
    nx.draw_networkx_nodes(graph.graph, position, nodelist=[("type", t) for t in types],
                           node_color="#8ecae6", node_shape="s", node_size=900, ax=axes)
    nx.draw_networkx_nodes(graph.graph, position, nodelist=[("group", g) for g in groups],
                           node_color="#ffb703", node_size=1100, ax=axes)
    nx.draw_networkx_labels(graph.graph, position, labels={n: n[1] for n in graph.graph},
                            font_size=8, ax=axes)
    ranks = nx.get_edge_attributes(graph.graph, "rank")
    nx.draw_networkx_edges(graph.graph, position, width=[2.5 if r == 1 else 1.0
                                                         for r in ranks.values()], ax=axes)
    labels = {e: f"r{d['rank']} ×{d['proficiency']:g}" for e, d in graph.graph.edges.items()}
    nx.draw_networkx_edge_labels(graph.graph, position, edge_labels=labels, font_size=7,
                                 label_pos=0.3, ax=axes)
    axes.set_title("Skill graph: contact types (squares) and agent groups (circles)\n"
                   "edges: preference rank r and proficiency (handle-time factor) ×",
                   fontsize="medium")
    axes.margins(x=0.15, y=0.1)
    axes.axis("off")
    figure.tight_layout()
    return figure


# --- interval charts ----------------------------------------------------------------------

def _wait_unit(longest: float) -> tuple[float, str]:
    return (1.0, "s") if longest <= 300 else (60.0, "min") if longest <= 3 * 3600 else (3600.0, "h")


def _wait_text(seconds: float) -> str:
    size, unit = _wait_unit(seconds)
    return f"{seconds / size:.3g} {unit}"


def _type_name(results, contact_type) -> str:
    names = [t.name for t in results.scenario.contact_types]
    if contact_type is not None and contact_type not in names:
        raise ValueError(f"unknown contact type {contact_type!r} (known: {', '.join(names)})")
    return "all" if contact_type is None else contact_type


def _interval_estimates(results, kpi: str, contact_type=None, group=None):
    """Mean and 95 % half-width per interval over replications, as in ``Results.intervals``
    (``group``: an agent group's KPI, as in ``Results.group_intervals``)."""
    name = group if group is not None else _type_name(results, contact_type)
    means, halves = [], []
    for k in range(len(results.replications[0]["intervals"])):
        cells = [rep["intervals"][k] for rep in results.replications]
        if group is not None:
            values = [cell["by_group"][name][kpi] for cell in cells]
        elif name == "all":
            values = [cell["all"][kpi] for cell in cells]
        else:
            values = [cell["by_type"][name][kpi] for cell in cells]
        mean, half = mean_ci(values)
        means.append(mean)
        halves.append(half)
    return np.array(means), np.array(halves)


def _subject(results, contact_type) -> str:
    return "all contact types" if contact_type is None else contact_type


def service_level_by_interval(results, contact_type=None):
    """Service level per interval (mean over replications, for contacts that arrived in the
    interval) with its 95 % confidence band, the type's target as a horizontal line and warm-up
    intervals shaded. ``contact_type=None``: all types together (the ``all`` rows); the target is
    drawn when every type has the same one."""
    scenario = results.scenario
    _type_name(results, contact_type)
    means, halves = _interval_estimates(results, "service_level", contact_type)
    types = ([scenario.contact_type(contact_type)] if contact_type is not None
             else list(scenario.contact_types))
    thresholds = sorted({t.service_level.threshold for t in types})
    targets = sorted({t.service_level.target for t in types})
    figure, axes = plt.subplots(figsize=(10, 3.6))
    shade_warmup(axes, scenario)
    axes.fill_between(interval_edges(scenario), closed(means - halves), closed(means + halves),
                      step="post", color="C0", alpha=0.22, linewidth=0, label="95 % CI")
    interval_step(axes, scenario, means, color="C0", linewidth=1.8, label="service level (mean)")
    if len(targets) == 1:
        axes.axhline(targets[0], color="C3", linestyle="--", linewidth=1.2,
                     label=f"target {targets[0]:.0%}")
    within = (f"answered within {format_duration(thresholds[0])}" if len(thresholds) == 1
              else "answered within each type's threshold")
    note = "" if len(targets) == 1 else "; targets differ by type"
    axes.set_title(f"{scenario.name}: service level by interval — {_subject(results, contact_type)}"
                   f"\nmean of {results.n} replications, band: 95 % CI{note}", fontsize="medium")
    axes.set_ylabel(f"service level\n({within})")
    axes.set_ylim(0, 1.05)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    clock_axis(axes, scenario)
    legend_outside(axes)
    figure.tight_layout()
    return figure


def volumes_by_interval(results, contact_type=None):
    """Offered, answered and abandoned contacts per interval (means over replications), counted
    in the interval they arrived in; short abandons are in neither offered nor abandoned."""
    scenario = results.scenario
    figure, axes = plt.subplots(figsize=(10, 3.6))
    shade_warmup(axes, scenario)
    for kpi, colour in (("offered", "C0"), ("answered", "C2"), ("abandoned", "C3")):
        means, _ = _interval_estimates(results, kpi, contact_type)
        interval_step(axes, scenario, means, color=colour, linewidth=1.6, label=kpi)
    axes.set_title(f"{scenario.name}: contacts by interval — {_subject(results, contact_type)}"
                   f"\nmean of {results.n} replications, by interval of arrival",
                   fontsize="medium")
    axes.set_ylabel(f"contacts per {format_duration(scenario.interval)}")
    axes.set_ylim(bottom=0)
    clock_axis(axes, scenario)
    legend_outside(axes)
    figure.tight_layout()
    return figure


_WIDTHS = (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)


def wait_histogram(results, contact_type=None, max_bins: int = 60) -> dict:
    """The waits of answered contacts after the warm-up, all replications merged, regrouped into
    equal display bins (each made of whole histogram bins, so the regrouping is exact).

    Returns ``answered`` (count), ``zero`` (share answered at once), ``edges`` (seconds),
    ``shares`` (share of answered contacts per display bin) and ``beyond`` (share waiting longer
    than the last edge, not drawn); ``zero + shares.sum() + beyond == 1``."""
    scenario = results.scenario
    name = _type_name(results, contact_type)
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


def wait_distribution(results, contact_type=None):
    """Distribution of the waits of answered contacts after the warm-up (all replications
    merged; see ``wait_histogram``): bars give the share of answered contacts per wait bin, the
    contacts answered at once (wait exactly 0) are given as a number in a box, and the
    service-level threshold is marked. ``contact_type=None``: all types, every threshold marked."""
    scenario = results.scenario
    data = wait_histogram(results, contact_type)
    edges = data["edges"]
    figure, axes = plt.subplots(figsize=(10, 3.6))
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
    axes.set_title(f"{scenario.name}: wait before answer — {_subject(results, contact_type)}\n"
                   f"{data['answered']:,} answered contacts after warm-up, {results.n} "
                   f"replications; bins of {data['width'] / size:g} {unit}", fontsize="medium")
    step = next((s for s in (1, 2, 5, 10, 15, 20, 30, 60, 120) if edges[-1] / (s * size) <= 10), 240)
    axes.xaxis.set_major_locator(MultipleLocator(step * size))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x / size:g}"))
    axes.set_xlabel(f"wait before answer ({unit})")
    axes.set_ylabel("share of answered contacts\nper bin")
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xlim(0, edges[-1])
    legend_outside(axes, handles)
    figure.tight_layout()
    return figure


def occupancy_heatmap(results):
    """Occupancy (busy / staffed agent-time) of each agent group in each interval, mean over
    replications, as a heat map with a colour bar; grey cells have nobody staffed."""
    scenario = results.scenario
    names = [g.name for g in scenario.agent_groups]
    data = np.array([_interval_estimates(results, "occupancy", group=g)[0] for g in names])
    figure, axes = plt.subplots(figsize=(10, 1.6 + 0.45 * len(names)))
    colours = plt.get_cmap("viridis").with_extremes(bad="0.8")
    mesh = axes.pcolormesh(interval_edges(scenario), np.arange(len(names) + 1),
                           np.ma.masked_invalid(data), cmap=colours, vmin=0, vmax=1)
    axes.set_yticks(np.arange(len(names)) + 0.5, names)
    axes.invert_yaxis()
    clock_axis(axes, scenario)
    axes.grid(False)
    if scenario.warmup > 0:
        axes.axvline(scenario.start + scenario.warmup, color="white", linestyle="--",
                     linewidth=1.2)
    bar = figure.colorbar(mesh, ax=axes, pad=0.01)
    bar.set_label("occupancy")
    bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    warm = ", dashed line: end of warm-up" if scenario.warmup > 0 else ""
    chats = " (× chats an agent holds, for chat groups)" if any(
        g.concurrency > 1 for g in scenario.agent_groups) else ""
    axes.set_title(f"{scenario.name}: occupancy by agent group and interval\n"
                   f"busy / staffed agent-time{chats}, mean of {results.n} replications{warm}",
                   fontsize="medium")
    axes.set_ylabel("agent group")
    figure.tight_layout()
    return figure


def queue_and_busy(trace):
    """One replication as it happened (from a ``ccsim.study.trace.Trace``): contacts waiting per
    contact type (top) and busy agents per group, with the group's staffed agents dashed
    (bottom), against clock time. For a chat group whose agents hold k chats at once, the solid
    line counts chats held and the dashed one the capacity, staffed agents × k."""
    scenario = trace.scenario
    end = trace.end_time if trace.end_time is not None else scenario.horizon
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 5.6), sharex=True)
    for i, (name, series) in enumerate(trace.queue.items()):
        top.step(scenario.start + np.append(series.times, end), closed(series.values),
                 where="post", color=f"C{i}", linewidth=1.0, label=name)
    for i, spec in enumerate(scenario.agent_groups):
        colour, name, k = f"C{(i + len(trace.queue)) % 10}", spec.name, spec.concurrency
        for series, scale, style, label in (
                (trace.busy[name], 1, "-", f"{name} busy" + (" (chats)" if k > 1 else "")),
                (trace.staffed[name], k, "--", f"{name} staffed" + (f" × {k}" if k > 1 else ""))):
            bottom.step(scenario.start + np.append(series.times, end), closed(series.values) * scale,
                        where="post", color=colour, linestyle=style, linewidth=1.0, label=label)
    top.set_ylabel("contacts waiting")
    top.set_title("queue length per contact type", fontsize="medium")
    bottom.set_ylabel("agents")
    chats = any(g.concurrency > 1 for g in scenario.agent_groups)
    bottom.set_title("busy agents per group (solid; chat groups: chats held) and staffed agents "
                     "(dashed; × chats each can hold)" if chats else
                     "busy agents per group (solid) and staffed agents (dashed)", fontsize="medium")
    for axes in (top, bottom):
        shade_warmup(axes, scenario)
        clock_axis(axes, scenario)
        axes.set_xlim(scenario.start, scenario.start + end)
        axes.set_ylim(bottom=0)
        legend_outside(axes)
    top.set_xlabel("")
    figure.suptitle(f"{scenario.name}: one replication (no. {trace.replication}, seed "
                    f"{trace.seed})", fontsize="medium")
    figure.tight_layout()
    return figure
