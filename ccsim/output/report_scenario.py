"""The scenario as compact tables — contact types, agent groups and their skills, hours of
operation, routing and the run's frame — instead of pages of JSON (kept, folded, at the end).

Times are in the units planners use (``4min``, ``20s``), arrivals per hour, opening hours as
clock times grouped by weekday.
"""

from __future__ import annotations

import math

from ..calendar import DAYS
from ..units import format_clock, format_duration
from .chart_axes import day_label
from .report_html import esc, plain_table

__all__ = ["scenario_tables"]


def _rate(rates) -> str:
    per_hour = [3600 * r for r in rates]
    mean, peak = sum(per_hour) / len(per_hour), max(per_hour)
    return f"{mean:,.1f}/h" + (f" (peak {peak:,.1f}/h)" if peak > mean * 1.001 else "")


def _mean(distribution) -> str:
    return "–" if distribution is None else format_duration(distribution.mean)


def _follow_ups(t) -> str:
    parts = []
    if t.redial is not None:
        parts.append(f"redial {t.redial.probability:.0%}" + (f" → {t.redial.to}" if t.redial.to
                                                              else ""))
    if t.callback is not None:
        parts.append(f"callback after {format_duration(t.callback.offer_after)} "
                     f"(accepted {t.callback.accept:.0%})")
    if t.resolution is not None:
        parts.append(f"FCR {t.resolution.fcr:.0%}")
    if t.transfer is not None:
        parts.append(f"transfer {t.transfer.probability:.0%} → {t.transfer.to}")
    return ", ".join(parts) or "–"


def _types(scenario) -> str:
    rows = []
    for t in scenario.contact_types:
        sl = t.service_level
        rows.append([esc(t.name), esc(t.channel), esc(t.segment), str(t.priority),
                     esc(_rate(t.arrival_rates)), esc(format_duration(t.mean_handle_time)),
                     esc(_mean(t.patience)),
                     esc(f"{sl.target:.0%} in {format_duration(sl.threshold)} "
                         f"({sl.formula.replace('_', ' ')})"),
                     "∞" if t.queue_capacity == math.inf else f"{t.queue_capacity:g}",
                     esc(_follow_ups(t))])
    return plain_table("scenario-types", "Contact types", (
        "Contact type", "Channel", "Segment", "Priority", "Arrivals (mean)", "Handle time",
        "Patience", "SL objective", "Queue places", "Follow-ups"), rows)


def _headcount(scenario, group) -> str:
    if group.shifts:
        return f"{len(group.shifts)} shifts"
    low, high = min(group.headcount), max(group.headcount)
    return f"{low}" if low == high else f"{low}–{high} by interval"


def _groups(scenario) -> str:
    rows = []
    for g in scenario.agent_groups:
        skills = ", ".join(f"{s.contact_type} (r{s.rank}, ×{s.proficiency:g})"
                           for s in sorted(g.skills, key=lambda s: s.rank))
        rows.append([esc(g.name), esc(_headcount(scenario, g)), str(g.concurrency),
                     f"{g.absence:.0%}" if g.absence else "–", esc(skills)])
    return plain_table("scenario-groups", "Agent groups and skills (rank, proficiency)", (
        "Agent group", "Agents", "Contacts at once", "Absence", "Skills"), rows)


def _ranges(ranges) -> str:
    return ", ".join(f"{format_clock(a)}–{format_clock(b)}" for a, b in ranges) or "closed"


def _hours(scenario) -> str:
    channels = sorted({t.channel for t in scenario.contact_types})
    rows = []
    for channel in channels:
        calendar = scenario.hours.get(channel)
        if calendar is None or calendar.always:
            rows.append([esc(channel), "always open"])
            continue
        spans, day = [], 0
        while day < 7:  # weekdays with the same hours as one span: mon–fri 08:00–20:00
            text, last = _ranges(calendar.weekly.get(day, [])), day
            while last + 1 < 7 and _ranges(calendar.weekly.get(last + 1, [])) == text:
                last += 1
            spans.append(f"{DAYS[day]}{'–' + DAYS[last] if last > day else ''} {text}")
            day = last + 1
        exceptions = [f"{date.isoformat()} {_ranges(r)}"
                      for date, r in sorted(calendar.exceptions.items())]
        rows.append([esc(channel), esc("; ".join(spans + exceptions))])
    return plain_table("scenario-hours", "Hours of operation", ("Channel", "Open"), rows)


def _frame(scenario, results) -> str:
    end = scenario.start + scenario.horizon
    first = day_label(scenario.start, scenario)
    rows = [["Starts", esc(f"{first} {format_clock(scenario.start)}")],
            ["Horizon", esc(f"{format_duration(scenario.horizon)} in intervals of "
                            f"{format_duration(scenario.interval)}"
                            + ("" if scenario.horizon > 86400 else f" (to {format_clock(end)})"))],
            ["Warm-up", esc(format_duration(scenario.warmup) if scenario.warmup else "none")],
            ["At the end", esc(scenario.end)],
            ["Routing policy", esc(results.policy) + (
                esc(" (" + ", ".join(f"{k}={v}" for k, v in scenario.routing.params.items())
                    + ")") if scenario.routing.params else "")]]
    if scenario.trunks != math.inf:
        rows.append(["Trunk lines", f"{scenario.trunks:g}"])
    if scenario.ivr is not None:
        ports = "unlimited" if scenario.ivr.ports == math.inf else f"{scenario.ivr.ports:g}"
        rows.append(["IVR", esc(f"{ports} ports, {_rate(scenario.ivr.arrival_rates)} entering, "
                                f"{len(scenario.ivr.nodes)} menu nodes")])
    if scenario.forecast_error is not None:
        error = scenario.forecast_error
        rows.append(["Forecast error", esc(f"day CV {error.day:g}, interval CV {error.interval:g}")])
    return plain_table("scenario-frame", "Run and routing", ("", ""), rows)


def scenario_tables(scenario, results) -> str:
    return "".join((_frame(scenario, results), _types(scenario), _groups(scenario),
                    _hours(scenario)))
