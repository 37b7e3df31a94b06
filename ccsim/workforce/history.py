"""From interval history to a forecast: an average day or week, and how far days stray from it.

An interval export replays one particular month. A planner wants the *typical* day or week
(the forecast) and the size of the surprises around it. ``profile`` averages the history by
time of day ("day") or by weekday and time of day ("week"); ``forecast_error`` estimates, by
the method of moments, the coefficients of variation of the Poisson–gamma model that
``forecast_error: {day, interval}`` simulates:

* a day's volume D with forecast E has variance E + (c_d E)², so
  c_d² ≈ mean((D/E − 1)²) − mean(1/E);
* an interval's count N with expected λ (the profile scaled by that day's own level) has
  variance λ + (c_i λ)², so c_i² ≈ Σ((N − λ)² − λ) / Σ λ².

The forecast is the average of the same history (in-sample), so squared deviations are scaled
by m / (m − 1) for an average of m days. Both estimates are clipped at 0 (no more variation
than Poisson gives).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from .importer import IntervalData, IntervalFileError, QueueStats

__all__ = ["SPANS", "profile", "forecast_error"]

SPANS = ("day", "week")
DAY = 86400.0
MIN_DAY_VOLUME = 30.0  # days expected to bring fewer contacts say nothing about busyness
MIN_INTERVAL_VOLUME = 5.0


def _layout(data: IntervalData, span: str) -> tuple[int, list[int]]:
    """Intervals per day, and each history day's profile slot offset (0 for "day", the
    weekday's offset for "week"); the history must be whole days from midnight."""
    per_day = DAY / data.interval
    first = data.starts[0]
    if not per_day.is_integer() or first.time() != datetime.min.time() or \
            len(data.starts) % int(per_day):
        raise IntervalFileError(data.path, None, f"--profile {span} needs whole days from "
                                "midnight (the file starts at "
                                f"{first:%Y-%m-%d %H:%M} and has {len(data.starts)} intervals)")
    per_day = int(per_day)
    days = len(data.starts) // per_day
    if span == "week" and days < 7:
        raise IntervalFileError(data.path, None, f"--profile week needs at least 7 days of "
                                f"history (the file has {days})")
    weekdays = [(first + timedelta(days=d)).weekday() for d in range(days)]
    return per_day, [w * per_day if span == "week" else 0 for w in weekdays]


def profile(data: IntervalData, span: str) -> IntervalData:
    """The average day or week (Monday first) of ``data``, as interval data of its own."""
    per_day, offsets = _layout(data, span)
    slots = per_day * (7 if span == "week" else 1)
    days_per_slot = [0] * slots
    for offset in offsets:
        for k in range(per_day):
            days_per_slot[offset + k] += 1
    queues = {}
    for name, q in data.queues.items():
        series = {}
        for field, values in q.series.items():
            sums = [0.0] * slots
            for d, offset in enumerate(offsets):
                for k in range(per_day):
                    sums[offset + k] += values[d * per_day + k]
            series[field] = tuple(s / m if m else 0.0 for s, m in zip(sums, days_per_slot))
        queues[name] = QueueStats(q.name, q.channel, series, q.sl_threshold, q.short_abandon)
    first = data.starts[0]
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    origin = monday if span == "week" else first
    starts = tuple(origin + timedelta(seconds=k * data.interval) for k in range(slots))
    return IntervalData(data.path, data.interval, starts, queues, data.warnings)


def forecast_error(data: IntervalData, span: str) -> tuple[float, float, int]:
    """(day cv, interval cv, days used) of the history around its own ``profile``."""
    per_day, offsets = _layout(data, span)
    average = profile(data, span)
    same = {offset: offsets.count(offset) for offset in set(offsets)}
    offered = [q.series["offered"] for q in data.queues.values()]
    expected = [average.queues[name].series["offered"] for name in data.queues]
    day_terms, poisson, used = [], [], 0
    excess = weight = 0.0
    for d, offset in enumerate(offsets):
        m = same[offset]
        if m < 2:
            continue
        scale = m / (m - 1)
        cells = [(series[d * per_day + k], forecast[offset + k])
                 for series, forecast in zip(offered, expected) for k in range(per_day)]
        actual, forecast_total = sum(n for n, _ in cells), sum(e for _, e in cells)
        if forecast_total < MIN_DAY_VOLUME:
            continue
        used += 1
        level = actual / forecast_total
        day_terms.append(scale * (level - 1.0) ** 2)
        poisson.append(1.0 / forecast_total)
        for n, e in cells:
            rate = e * level
            if rate >= MIN_INTERVAL_VOLUME:
                excess += scale * (n - rate) ** 2 - rate
                weight += rate * rate
    if not used:
        return 0.0, 0.0, 0
    day = sum(day_terms) / used - sum(poisson) / used
    interval = excess / weight if weight else 0.0
    return math.sqrt(max(0.0, day)), math.sqrt(max(0.0, interval)), used
