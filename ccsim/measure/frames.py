"""Results as tidy tables: rows (lists of dicts) and, with pandas, DataFrames.

One row per observation, one column per variable, as analysts expect: an estimate is a row
with ``mean``, ``half_width`` (the 95 % Student-t half-width of ``ccsim run --json``'s
``ci95``), ``ci_low`` and ``ci_high``; an interval carries its ``time`` — a
``datetime.datetime`` when the scenario has a ``start_date``, else a ``datetime.timedelta``
from midnight of the first day (pandas turns them into ``Timestamp`` / ``Timedelta``).

pandas is an extra (``pip install 'ccsim[pandas]'``): without it ``rows(results, name)``
gives the same rows as dicts, and asking for a DataFrame raises an ImportError naming the
extra. The clock and unit helpers here are shared by the planner files of ``--out``.
"""

from __future__ import annotations

import datetime as dt
import math

from .stats import mean_ci

__all__ = ["FRAMES", "rows", "frame", "require_pandas", "interval_time", "clock_fields",
           "multi_day", "kpi_unit", "estimate", "short_repr", "html_summary"]

# name → what one row is
FRAMES = {
    "intervals": "interval × contact type (and 'all') × KPI: mean and CI over replications",
    "group_intervals": "interval × agent group × KPI: mean and CI over replications",
    "types": "contact type × KPI over the summary window",
    "channels": "channel × KPI over the summary window",
    "segments": "segment × KPI over the summary window",
    "groups": "agent group × KPI over the summary window",
    "overall": "KPI of the whole center over the summary window",
    "replications": "replication × scope (overall, type, channel, segment, group) × KPI value",
    "sums": "replication × interval × contact type: the raw sums of intervals.csv",
}

_FRACTIONS = {"service_level", "sl_over_offered", "sl_over_offered_less_early_abandons",
              "sl_early_abandons_as_met", "sl_over_answered", "abandon_rate", "p_wait",
              "block_rate", "occupancy", "utilisation", "shrinkage", "adherence", "fcr",
              "callback_sl", "forecast_accuracy", "forecast_error", "group_occupancy",
              "group_utilisation", "trunk_occupancy", "containment_rate", "port_occupancy",
              "p_meet_sl", "p_meet_sl_low", "p_meet_sl_high", "absence"}
_SECONDS = {"asa", "aht", "talk", "hold", "acw", "avg_time_to_abandon", "mean_ivr_time",
            *(f"wait_p{p}" for p in (50, 80, 90, 95, 99))}


def kpi_unit(name: str) -> str:
    """``"%"`` for a KPI stored as a fraction, ``"s"`` for one in seconds, ``""`` otherwise
    (counts, agents, factors); ``name`` may be a path such as ``by_type.sales.asa``."""
    leaf = name.rpartition(".")[2]
    if leaf in _FRACTIONS or leaf.startswith("sl_"):
        return "%"
    return "s" if leaf in _SECONDS else ""


def estimate(values) -> dict:
    """Mean, 95 % half-width and bounds of one KPI over replications (NaN when undefined)."""
    mean, half = mean_ci(values)
    return {"mean": mean, "half_width": half, "ci_low": mean - half, "ci_high": mean + half}


def multi_day(scenario) -> bool:
    """Whether the intervals of ``scenario`` start on more than one calendar day."""
    last = scenario.start + (scenario.n_intervals - 1) * scenario.interval
    return int(last // 86400) > int(scenario.start // 86400)


def interval_time(scenario, k: int):
    """Start of interval ``k``: a datetime on the scenario's ``start_date``, else a
    timedelta from midnight of the first day (``1 day, 07:30`` is day 1 at 07:30)."""
    seconds = scenario.start + k * scenario.interval
    if scenario.start_date is not None:
        return dt.datetime.combine(scenario.start_date, dt.time()) + dt.timedelta(seconds=seconds)
    return dt.timedelta(seconds=seconds)


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def clock_fields(scenario, k: int) -> dict:
    """The clock columns of interval ``k`` for files a spreadsheet opens: ``date``
    (ISO ``2026-11-23``) when the scenario has a start date, else ``day`` (0, 1, ...) on
    multi-day runs; ``weekday`` on multi-day runs; and ``time`` (``07:30``) always."""
    seconds = scenario.start + k * scenario.interval
    day, clock = divmod(int(round(seconds)), 86400)
    out = {}
    if scenario.start_date is not None:
        out["date"] = (scenario.start_date + dt.timedelta(days=day)).isoformat()
    elif multi_day(scenario):
        out["day"] = day
    if multi_day(scenario):
        out["weekday"] = _WEEKDAYS[(scenario.start_day + day) % 7]
    hours, rest = divmod(clock, 3600)
    out["time"] = f"{hours:02d}:{rest // 60:02d}"
    return out


def require_pandas():
    """The pandas module, or an ImportError that says how to get it."""
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas: pip install 'ccsim[pandas]' (without it, "
                          "ccsim.measure.frames.rows(results, name) gives the same rows as "
                          "dicts)") from None
    return pandas


def frame(results, name: str):
    """The table ``name`` (one of ``FRAMES``) as a pandas DataFrame."""
    pandas = require_pandas()
    return pandas.DataFrame(rows(results, name))


def rows(results, name: str) -> list[dict]:
    """The table ``name`` (one of ``FRAMES``) as a list of dicts, one per row."""
    if name not in FRAMES:
        raise ValueError(f"unknown table {name!r}: expected one of {', '.join(FRAMES)}")
    if name in ("intervals", "group_intervals"):
        return _interval_rows(results, name)
    if name == "replications":
        return _replication_rows(results)
    if name == "sums":
        scenario = results.scenario
        return [{"time": interval_time(scenario, row["interval"]), **row}
                for row in results.interval_sums()]
    return _summary_rows(results, name)


def _interval_rows(results, name: str) -> list[dict]:
    scenario = results.scenario
    label = "contact_type" if name == "intervals" else "agent_group"
    section = "by_type" if name == "intervals" else "by_group"
    replications = [tree["intervals"] for tree in results.replications]
    out = []
    for k, block in enumerate(replications[0]):
        names = [*block[section], "all"] if name == "intervals" else list(block[section])
        for who in names:
            def pick(rep, who=who):
                return rep[k]["all"] if who == "all" else rep[k][section][who]
            for kpi in pick(replications[0]):
                out.append({"interval": k, "time": interval_time(scenario, k), label: who,
                            "warmup": block["warmup"], "kpi": kpi,
                            **estimate([pick(rep)[kpi] for rep in replications])})
    return out


_SCOPES = {"overall": None, "types": "by_type", "channels": "by_channel",
           "segments": "by_segment", "groups": "by_group"}
_LABELS = {"by_type": "contact_type", "by_channel": "channel", "by_segment": "segment",
           "by_group": "agent_group"}


def _summary_rows(results, name: str) -> list[dict]:
    section = _SCOPES[name]
    trees = results.replications
    if section is None:
        return [{"kpi": kpi, **estimate([t["overall"][kpi] for t in trees])}
                for kpi in trees[0]["overall"]]
    return [{_LABELS[section]: who, "kpi": kpi,
             **estimate([t[section][who][kpi] for t in trees])}
            for who, kpis in trees[0][section].items() for kpi in kpis]


def _replication_rows(results) -> list[dict]:
    out = []
    for r, tree in enumerate(results.replications):
        out += [{"replication": r, "scope": "overall", "name": "all", "kpi": kpi,
                 "value": _number(value)} for kpi, value in tree["overall"].items()]
        for scope, section in (("type", "by_type"), ("channel", "by_channel"),
                               ("segment", "by_segment"), ("group", "by_group")):
            out += [{"replication": r, "scope": scope, "name": who, "kpi": kpi,
                     "value": _number(value)}
                    for who, kpis in tree[section].items() for kpi, value in kpis.items()]
    return out


def _number(value) -> float:
    value = float(value)
    return value if math.isfinite(value) or math.isnan(value) else math.nan


# the figures of the short display: (KPI, label, unit)
_SHOWN = (("offered", "offered", ""), ("service_level", "SL", "%"), ("asa", "ASA", "s"),
          ("abandon_rate", "abandoned", "%"), ("aht", "AHT", "s"))


def _shown(values, unit: str) -> str:
    est = estimate(values)
    mean, half = est["mean"], est["half_width"]
    if math.isnan(mean):
        return "–"
    if unit == "%":
        return f"{mean:.1%}" + ("" if math.isnan(half) else f" ±{half * 100:.1f}")
    text = f"{mean:,.1f}{unit}"
    return text + ("" if math.isnan(half) or not unit else f" ±{half:.1f}")


def short_repr(results) -> str:
    """A few lines: what was run and the headline KPIs (``repr(results)``); the full tree is
    ``results.to_dict()``."""
    scenario = results.scenario
    trees = results.replications
    overall = ", ".join(f"{label} {_shown([t['overall'][kpi] for t in trees], unit)}"
                        for kpi, label, unit in _SHOWN)
    types = list(trees[0]["by_type"])
    shown_types = ", ".join(
        f"{name} {_shown([t['by_type'][name]['service_level'] for t in trees], '%')}"
        for name in types[:8]) + (f", … ({len(types)} types)" if len(types) > 8 else "")
    return (f"<Results {scenario.name!r}: {results.n} replications, seed {results.seed}, "
            f"policy {results.policy}, {scenario.n_intervals} intervals of "
            f"{scenario.interval:g}s\n  overall: {overall}\n  SL by type: {shown_types}\n"
            f"  .summary(), .to_dict(), .frame(name) with name in {', '.join(FRAMES)}>")


def html_summary(results) -> str:
    """A compact HTML table for Jupyter: per contact type and overall, then per group."""
    from html import escape

    trees = results.replications
    head = "".join(f"<th>{label}</th>" for _, label, _ in _SHOWN)
    lines = [f"<p><b>{escape(results.scenario.name)}</b>: {results.n} replications, seed "
             f"{results.seed}, policy {escape(str(results.policy))}; ± = 95 % half-width</p>",
             f"<table><tr><th>contact type</th>{head}</tr>"]
    for name in [*trees[0]["by_type"], "all"]:
        pick = (lambda t: t["overall"]) if name == "all" else (lambda t, n=name: t["by_type"][n])
        cells = "".join(f"<td>{_shown([pick(t)[kpi] for t in trees], unit)}</td>"
                        for kpi, _, unit in _SHOWN)
        lines.append(f"<tr><td>{escape(name)}</td>{cells}</tr>")
    lines.append("</table><table><tr><th>agent group</th><th>agents</th><th>occupancy</th>"
                 "</tr>")
    for name in trees[0]["by_group"]:
        group = [t["by_group"][name] for t in trees]
        lines.append(f"<tr><td>{escape(name)}</td>"
                     f"<td>{_shown([g['mean_staffed'] for g in group], '')}</td>"
                     f"<td>{_shown([g['occupancy'] for g in group], '%')}</td></tr>")
    return "\n".join([*lines, "</table>"])
