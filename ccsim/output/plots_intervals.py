"""Interval charts (re-exported by ``ccsim.output.plots``): service level, volumes and occupancy
per interval, and one replication's queues and busy agents, against clock time.

Each draws each interval's value as a step from its start to its end, so an interval reads as
the flat segment above it; the step lines carry one point per interval edge:
``line.get_ydata()[:-1]`` are the interval values. Every function takes ``ax=`` (an Axes to
draw into) and returns the Figure it drew on.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import PercentFormatter

from ..measure.stats import mean_ci
from ..units import format_duration
from .chart_axes import (clock_axis, closed, finish, interval_edges, interval_step,
                         legend_outside, new_axes, shade_warmup)

__all__ = ["service_level_by_interval", "volumes_by_interval", "occupancy_heatmap",
           "queue_and_busy", "interval_estimates", "type_name"]


def type_name(results, contact_type) -> str:
    """``contact_type`` checked against the scenario ("all" for None)."""
    names = [t.name for t in results.scenario.contact_types]
    if contact_type is not None and contact_type not in names:
        raise ValueError(f"unknown contact type {contact_type!r} (known: {', '.join(names)})")
    return "all" if contact_type is None else contact_type


def interval_estimates(results, kpi: str, contact_type=None, group=None):
    """Mean and 95 % half-width per interval over replications, as in ``Results.intervals``
    (``group``: an agent group's KPI, as in ``Results.group_intervals``)."""
    name = group if group is not None else type_name(results, contact_type)
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


def _subject(contact_type) -> str:
    return "all contact types" if contact_type is None else contact_type


def service_level_by_interval(results, contact_type=None, ax=None):
    """Service level per interval (mean over replications, for contacts that arrived in the
    interval) with its 95 % confidence band, the type's target as a horizontal line and warm-up
    intervals shaded. ``contact_type=None``: all types together (the ``all`` rows); the target is
    drawn when every type has the same one."""
    scenario = results.scenario
    type_name(results, contact_type)
    means, halves = interval_estimates(results, "service_level", contact_type)
    types = ([scenario.contact_type(contact_type)] if contact_type is not None
             else list(scenario.contact_types))
    thresholds = sorted({t.service_level.threshold for t in types})
    targets = sorted({t.service_level.target for t in types})
    figure, axes, own = new_axes(ax, (10, 3.6))
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
    axes.set_title(f"{scenario.name}: service level by interval — {_subject(contact_type)}"
                   f"\nmean of {results.n} replications, band: 95 % CI{note}", fontsize="medium")
    axes.set_ylabel(f"service level\n({within})")
    axes.set_ylim(0, 1.05)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    clock_axis(axes, scenario)
    legend_outside(axes)
    return finish(figure, own)


def volumes_by_interval(results, contact_type=None, ax=None):
    """Offered, answered and abandoned contacts per interval (means over replications), counted
    in the interval they arrived in; short abandons are in neither offered nor abandoned."""
    scenario = results.scenario
    figure, axes, own = new_axes(ax, (10, 3.6))
    shade_warmup(axes, scenario)
    for kpi, colour in (("offered", "C0"), ("answered", "C2"), ("abandoned", "C3")):
        means, _ = interval_estimates(results, kpi, contact_type)
        interval_step(axes, scenario, means, color=colour, linewidth=1.6, label=kpi)
    axes.set_title(f"{scenario.name}: contacts by interval — {_subject(contact_type)}"
                   f"\nmean of {results.n} replications, by interval of arrival",
                   fontsize="medium")
    axes.set_ylabel(f"contacts per {format_duration(scenario.interval)}")
    axes.set_ylim(bottom=0)
    clock_axis(axes, scenario)
    legend_outside(axes)
    return finish(figure, own)


def occupancy_heatmap(results, ax=None):
    """Occupancy (busy / staffed agent-time) of each agent group in each interval, mean over
    replications, as a heat map with a colour bar; grey cells have nobody staffed."""
    scenario = results.scenario
    names = [g.name for g in scenario.agent_groups]
    data = np.array([interval_estimates(results, "occupancy", group=g)[0] for g in names])
    figure, axes, own = new_axes(ax, (10, 1.6 + 0.45 * len(names)))
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
    return finish(figure, own)


def queue_and_busy(trace, ax=None):
    """One replication as it happened (from a ``ccsim.study.trace.Trace``): contacts waiting per
    contact type (top) and busy agents per group, with the group's staffed agents dashed
    (bottom), against clock time. For a chat group whose agents hold k chats at once, the solid
    line counts chats held and the dashed one the capacity, staffed agents × k. ``ax``: a pair
    of Axes (top, bottom) to draw into."""
    scenario = trace.scenario
    end = trace.end_time if trace.end_time is not None else scenario.horizon
    if ax is None:
        figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 5.6), sharex=True)
    else:
        if len(ax) != 2:
            raise ValueError(f"ax must be two Axes (queues, agents), got {len(ax)}")
        top, bottom = ax
        figure = top.figure
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
    heading = f"{scenario.name}: one replication (no. {trace.replication}, seed {trace.seed})"
    if ax is None:
        figure.suptitle(heading, fontsize="medium")
    else:  # the caller's figure keeps its own title
        top.set_title(f"{heading}\nqueue length per contact type", fontsize="medium")
    return finish(figure, ax is None)
