"""What the report says first: which targets were missed — which contact type, in which
intervals, by how much — and the service level of every interval as red/green cells.

An interval counts when it is after the warm-up and some contact of the type arrived in it
(otherwise its service level is undefined); it misses when the mean over replications is below
the type's target. Consecutive missed intervals are told as one stretch, with its worst interval
(service level ± 95 % half-width) and the shortfall in percentage points. The scenario has
service-level objectives only; abandonment and ASA have no targets to miss.
"""

from __future__ import annotations

import math

from .chart_axes import day_label, moment, multi_day
from .report_html import defined, esc, raw, verdict

__all__ = ["missed_stretches", "targets_panel", "sl_grids"]

_DAY = 86400.0
_SHOWN = 4  # stretches listed per type (the worst ones)


def _percent(value) -> str:
    return f"{100 * value:.1f} %" if defined(value) else "–"


def missed_stretches(scenario, rows, target: float) -> tuple[list[dict], int]:
    """(stretches of consecutive intervals whose mean SL misses ``target``, counted
    intervals). A stretch: first and last interval, worst interval's SL and half-width,
    shortfall (target − worst SL)."""
    stretches, counted, current = [], 0, None
    for row in rows:
        level = row["service_level"]
        if row["warmup"] or not defined(level):
            current = None
            continue
        counted += 1
        if level >= target - 1e-12:
            current = None
            continue
        if current is None:
            current = {"first": row["interval"], "last": row["interval"], "worst": level,
                       "ci95": row["service_level_ci95"], "worst_interval": row["interval"]}
            stretches.append(current)
        current["last"] = row["interval"]
        if level < current["worst"]:
            current.update(worst=level, ci95=row["service_level_ci95"],
                           worst_interval=row["interval"])
    for s in stretches:
        s["shortfall"] = target - s["worst"]
        s["intervals"] = s["last"] - s["first"] + 1
    return stretches, counted


def _when(scenario, stretch) -> str:
    """``Mon 23 Nov 20:00–24:00`` (a stretch ending at midnight ends at 24:00 of its day)."""
    from ..units import format_clock

    start = scenario.start + stretch["first"] * scenario.interval
    end = min(scenario.start + (stretch["last"] + 1) * scenario.interval,
              scenario.start + scenario.horizon)
    if not multi_day(scenario):
        return f"{format_clock(start)}–{format_clock(end)}"
    day = math.floor((end - 1e-6) / _DAY)
    last = format_clock(end - day * _DAY)
    if day != math.floor(start / _DAY):
        last = f"{day_label(day * _DAY, scenario)} {last}"
    return f"{moment(start, scenario)}–{last}"


def targets_panel(results, summary) -> str:
    """The panel that opens the report: per contact type, its target, its service level over the
    window, and the intervals that missed (the worst stretches first)."""
    scenario = results.scenario
    rows_html, met = [], []
    entries = []
    intervals = results.intervals()
    for t in scenario.contact_types:
        target = t.service_level.target
        overall = summary["by_type"][t.name]["service_level"]
        stretches, counted = missed_stretches(
            scenario, [r for r in intervals if r["contact_type"] == t.name], target)
        missed = sum(s["intervals"] for s in stretches)
        window = verdict(overall["mean"], target)
        if not missed and window != "miss":
            met.append(t.name)
            continue
        entries.append((window == "miss", missed, t, overall, stretches, counted))
    entries.sort(key=lambda e: (not e[0], -e[1]))
    for window_missed, missed, t, overall, stretches, counted in entries:
        target = t.service_level.target
        worst = sorted(stretches, key=lambda s: (-s["shortfall"], -s["intervals"]))[:_SHOWN]
        items = "".join(
            f'<li data-first="{s["first"]}" data-last="{s["last"]}" '
            f'data-value="{raw(s["worst"])}">{esc(_when(scenario, s))}: '
            f'{esc(_percent(s["worst"]))}'
            + (f' ± {100 * s["ci95"]:.1f}' if defined(s["ci95"]) else "")
            + f' ({100 * s["shortfall"]:.1f} points below)</li>' for s in worst)
        more = len(stretches) - len(worst)
        if more > 0:
            items += f'<li class="note">and {more} more stretches</li>'
        half = overall["ci95"]
        level = _percent(overall["mean"]) + (f" ± {100 * half:.1f}" if defined(half) else "")
        mark = "miss" if window_missed else "meet"
        rows_html.append(
            f'<tr data-section="by_type" data-name="{esc(t.name)}"><th scope="row">'
            f"{esc(t.name)}</th><td>{target:.0%} in {esc(_threshold(t))}</td>"
            f'<td class="num {mark}" data-kpi="service_level" data-value="{raw(overall["mean"])}"'
            f' data-target="{raw(target)}">{esc(level)}</td>'
            f'<td class="num" data-missed="{missed}">{missed} of {counted}</td>'
            f"<td><ul>{items}</ul></td></tr>")
    if not rows_html:
        body = (f'<p>Every contact type met its service-level target over the window and in '
                f"every interval: {esc(', '.join(met))}.</p>")
    else:
        body = ('<div class="scroll"><table id="targets-missed-table" class="kpi"><thead><tr>'
                "<th>Contact type</th><th>SL target</th><th class=\"num\">SL over the window"
                "</th><th class=\"num\">Intervals missed</th><th>Worst stretches (worst "
                "interval's SL ± 95 % CI)</th></tr></thead><tbody>" + "".join(rows_html)
                + "</tbody></table></div>")
        if met:
            body += f'<p class="note">Met in every interval: {esc(", ".join(met))}.</p>'
    title = "Targets missed" if rows_html else "All targets met"
    return (f'<section id="targets-missed" class="{"missed" if rows_html else "all-met"}">'
            f"<h2>{title}</h2>{body}"
            '<p class="note">An interval misses when its mean service level (contacts that '
            "arrived in it, after the warm-up) is below the type's target; intervals nobody "
            "arrived in are not counted. The scenario sets targets for service level only.</p>"
            "</section>")


def _threshold(contact_type) -> str:
    from ..units import format_duration

    return format_duration(contact_type.service_level.threshold)


def sl_grids(results) -> str:
    """Service level of every interval as coloured cells: on a one-day run one table, a row per
    contact type; on a longer run one table per type, a row per day, a column per time of day."""
    scenario = results.scenario
    rows = results.intervals()
    per_type = {t.name: [r for r in rows if r["contact_type"] == t.name]
                for t in scenario.contact_types}
    starts = [scenario.start + k * scenario.interval for k in range(scenario.n_intervals)]
    times = sorted({s - math.floor(s / _DAY) * _DAY for s in starts})
    days = sorted({math.floor(s / _DAY) for s in starts})

    def cells(name, target, day=None):
        out = []
        by_time = {s - math.floor(s / _DAY) * _DAY: r for s, r in zip(starts, per_type[name])
                   if day is None or math.floor(s / _DAY) == day}
        for clock in times:
            r = by_time.get(clock)
            if r is None or r["warmup"] or not defined(r["service_level"]):
                out.append('<td class="none">·</td>')
                continue
            mark = verdict(r["service_level"], target)
            out.append(f'<td class="{mark}" data-interval="{r["interval"]}" '
                       f'data-value="{raw(r["service_level"])}" title="'
                       f'{esc(moment(r["start"], scenario))}: {_percent(r["service_level"])} ± '
                       f'{100 * r["service_level_ci95"]:.1f}">{100 * r["service_level"]:.0f}</td>')
        return "".join(out)

    from ..units import format_clock

    head = "".join(f"<th>{esc(format_clock(c))}</th>" for c in times)
    if not multi_day(scenario):
        body = "".join(f'<tr data-name="{esc(t.name)}"><th scope="row">{esc(t.name)}</th>'
                       f"{cells(t.name, t.service_level.target)}</tr>"
                       for t in scenario.contact_types)
        tables = [f'<div class="scroll"><table class="grid" id="sl-grid"><caption>Service level '
                  f"by interval (%), green: target met, red: missed</caption><thead><tr><th>"
                  f"</th>{head}</tr></thead><tbody>{body}</tbody></table></div>"]
    else:
        tables = []
        for t in scenario.contact_types:
            body = "".join(f'<tr><th scope="row">{esc(day_label(d * _DAY, scenario))}</th>'
                           f"{cells(t.name, t.service_level.target, d)}</tr>" for d in days)
            tables.append(f'<div class="scroll"><table class="grid" id="sl-grid-{esc(t.name)}">'
                          f"<caption>{esc(t.name)}: service level by hour of day (%), target "
                          f"{t.service_level.target:.0%}</caption><thead><tr><th></th>{head}"
                          f"</tr></thead><tbody>{body}</tbody></table></div>")
    return "".join(tables) + ('<p class="note">Each cell is the mean over replications for the '
                              "contacts that arrived in the interval; grey: warm-up, closed or "
                              "no arrivals.</p>")
