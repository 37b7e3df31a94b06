"""The result sections that only some centers need — customer journeys, callbacks, the IVR,
trunk lines and forecast accuracy — as rows of KPI estimates, with no formatting.

``ccsim run`` (``tables.py``) and the HTML report (``report.py``) both draw these same rows,
so the terminal and the report cannot drift apart. A section is shown only when the scenario
uses what it describes (a redial, a callback, a resolution or a transfer; an IVR; trunk lines;
forecast error), decided from the scenario rather than from the numbers, so an unused feature
never shows a column of zeros or dashes.

Each row is ``(section, name, label, kpis)``: the KPIs of ``summary[section][name]`` (``name``
None for a section that is itself one row, such as ``ivr`` or ``overall``), so every number can
be traced back to ``ccsim run --json``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Section", "optional_sections", "journeys", "callbacks", "ivr", "trunks", "forecast"]


@dataclass(frozen=True)
class Section:
    """A table: ``columns`` are (kpi, heading, kind) with kind one of count, pct, sec, num."""

    key: str
    title: str
    first: str
    columns: tuple
    rows: tuple
    note: str = ""


def _type_rows(summary, names=None) -> tuple:
    rows = [("by_type", n, n, k) for n, k in summary["by_type"].items()
            if names is None or n in names]
    return (*rows, ("overall", None, "all", summary["overall"]))


def journeys(summary, scenario) -> Section | None:
    """Attempts and customers of every type, with the follow-ups the scenario has."""
    types = scenario.contact_types
    redial = any(t.redial is not None for t in types)
    resolution = any(t.resolution is not None for t in types)
    transfer = any(t.transfer is not None for t in types)
    callback = any(t.callback is not None for t in types)  # retries are attempts too
    if not (redial or resolution or transfer or callback):
        return None
    columns = [("attempts", "Attempts (all arrivals)", "count"),
               ("unique_customers", "Customers (first contacts)", "count")]
    if redial:
        columns.append(("redials", "Redials", "count"))
    if resolution:
        columns += [("fcr", "FCR", "pct"), ("repeat_contacts", "Repeats", "count")]
    if transfer:
        columns += [("transfers_out", "Transfers out", "count"),
                    ("transfers_in", "Transfers in", "count")]
    return Section("journeys", "Journeys", "Contact type", tuple(columns), _type_rows(summary),
                   "Attempts are every contact that arrived at the type — first contacts, "
                   "redials, repeat contacts, transfers in and callback retries — and customers "
                   "the first contacts among them; both count short abandons, so attempts ≥ "
                   "customers. FCR is resolved ÷ (resolved + unresolved) per contact handled.")


def callbacks(summary, scenario) -> Section | None:
    names = [t.name for t in scenario.contact_types if t.callback is not None]
    if not names:
        return None
    columns = (("callbacks_offered", "Offered", "count"),
               ("callbacks_accepted", "Accepted", "count"),
               ("callbacks_completed", "Reached", "count"),
               ("callbacks_failed", "Failed", "count"), ("callback_sl", "Callback SL", "pct"))
    rows = _type_rows(summary, names)
    return Section("callbacks", "Callbacks", "Contact type",
                   columns, rows if len(names) > 1 else rows[:-1],
                   "Callback SL: callbacks that reached the customer within the callback "
                   "threshold, counted from acceptance, ÷ callbacks accepted.")


def ivr(summary, scenario) -> Section | None:
    if "ivr" not in summary:
        return None
    columns = [("entered", "Entered", "count"), ("blocked", "Blocked", "count"),
               ("contained", "Contained", "count"), ("hangups", "Hang-ups", "count"),
               ("routed", "Routed", "count"), ("block_rate", "Block rate", "pct"),
               ("containment", "Containment", "pct"), ("mean_time", "Mean time", "sec")]
    if scenario.ivr.ports != math.inf:
        columns.append(("port_occupancy", "Port occupancy", "pct"))
    ports = (f"{scenario.ivr.ports:g} ports" if scenario.ivr.ports != math.inf
             else "unlimited ports")
    return Section("ivr", "IVR", "", tuple(columns), (("ivr", None, ports, summary["ivr"]),),
                   "Calls that entered the IVR in the window; containment is contained ÷ "
                   "(entered − blocked).")


def trunks(summary, scenario) -> Section | None:
    if "trunk_occupancy" not in summary["overall"]:
        return None
    return Section("trunks", "Trunks", "", (("trunk_occupancy", "Occupancy", "pct"),),
                   (("overall", None, f"{scenario.trunks:g} lines", summary["overall"]),),
                   "Line time held by the IVR, waiting and talking phone contacts ÷ "
                   "(lines × length of the run).")


def forecast(summary, scenario) -> Section | None:
    if scenario.forecast_error is None:
        return None
    columns = (("forecast", "Forecast", "count"), ("forecast_error", "Actual vs forecast", "pct"),
               ("forecast_accuracy", "Accuracy (1 − WAPE)", "pct"))
    return Section("forecast", "Forecast accuracy", "Contact type", columns,
                   _type_rows(summary),
                   "Actual volume against the forecast (its relative error) and interval "
                   "accuracy, 1 − Σ|actual − forecast| ÷ Σ forecast.")


def optional_sections(summary, scenario) -> list[Section]:
    """The sections the scenario uses, in the order both outputs show them."""
    made = (build(summary, scenario) for build in (journeys, callbacks, ivr, trunks, forecast))
    return [section for section in made if section is not None]
