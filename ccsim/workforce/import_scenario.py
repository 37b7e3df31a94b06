"""An ACD interval export made into a runnable scenario: ``arrivals.csv`` + ``scenario.yaml``.

``importer`` reads and checks the export; this module turns the result into a scenario (agents
from a staffing CSV or an Erlang C suggestion, handle times and patience as exponential
distributions). ``ccsim import-intervals`` is the command over it; tests and
``experiments/bank_august.py`` call these functions directly.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..limits import LIMITS
from ..scenario.files import shown
from .importer import (IntervalData, IntervalFileError, QueueStats, hint, parse_start, read_rows,
                       stamp)
from ..files import write_atomic
from ..theory import staff_erlang_c

__all__ = ["Staffing", "read_staffing", "suggest_headcount", "write_scenario", "yaml_duration"]


@dataclass(frozen=True)
class Staffing:
    """Agents per interval read from a CSV column; ``path`` is absolute, as the scenario
    references it (the scenario can then be moved without losing its headcount)."""
    path: str
    column: str
    values: tuple


def read_staffing(spec: str, data: IntervalData) -> Staffing:
    """``CSV:COLUMN``: whole agents >= 0, one row per interval of ``data`` (checked against an
    ``interval_start`` column when the file has one)."""
    file, _, column = spec.rpartition(":")
    if not file or not column:
        raise IntervalFileError(spec, None, "--staffing: expected CSV:COLUMN, e.g. plan.csv:agents")
    path = Path(file).resolve()
    header, lines = read_rows(path)
    if column not in header:
        raise IntervalFileError(path, 1, f"no column {shown(column)}"
                                f"{hint(column, header) or f' among its {len(header)} columns'}")
    index, values = header.index(column), []
    for k, (line, cells) in enumerate(lines):
        text = cells[index].strip() if index < len(cells) else ""
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (value >= 0 and value.is_integer()):
            raise IntervalFileError(path, line, f"{shown(column)[1:-1]}: expected a whole number "
                                    f"of agents >= 0, got {shown(text)}")
        if value > LIMITS.agents_per_group:
            raise IntervalFileError(path, line, f"{shown(column)[1:-1]}: at most "
                                    f"{LIMITS.agents_per_group:,} agents (the limit), got "
                                    f"{shown(text)}")
        values.append(int(value))
        when = cells[header.index("interval_start")].strip() if "interval_start" in header else ""
        try:
            same = not when or k >= len(data.starts) or parse_start(when) == data.starts[k]
        except ValueError:
            same = False
        if not same:
            raise IntervalFileError(path, line, f"interval_start {shown(when)} is not interval "
                                    f"{k + 1} of {data.path} ({stamp(data.starts[k])})")
    if len(values) != len(data.starts):
        raise IntervalFileError(path, None, f"{len(values)} rows, but {data.path} has "
                                f"{len(data.starts)} intervals: give one row per interval")
    return Staffing(str(path), column, tuple(values))


def suggest_headcount(data: IntervalData, queues, target: float = 0.8) -> tuple[int, ...]:
    """Erlang C per interval: the fewest agents answering ``target`` of the offered contacts
    within the shortest SL threshold of the queues (20 s if none), all queues pooled as one
    M/M/c queue with their offered-weighted mean handle time. At least one agent."""
    threshold = min((q.sl_threshold for q in queues if q.sl_threshold is not None), default=20.0)
    handle = {q.name: sum(q.mean(f) or 0.0 for f in ("talk_s", "hold_s", "acw_s")) for q in queues}
    agents = []
    for k in range(len(data.starts)):
        work = sum(q.series["offered"][k] * handle[q.name] for q in queues)
        contacts = sum(q.series["offered"][k] for q in queues)
        if work / data.interval >= LIMITS.agents_per_group:
            raise IntervalFileError(data.path, None, f"interval {stamp(data.starts[k])} brings "
                                    f"{work / data.interval:,.3g} erlangs of work: more than "
                                    f"the limit of {LIMITS.agents_per_group:,} agents could "
                                    "serve (check the counts and sums, or give --staffing)")
        agents.append(staff_erlang_c(work / data.interval, work / contacts, threshold, target)
                      if work > 0 else 1)
    return tuple(agents)


def yaml_duration(seconds: float) -> str:
    """A duration as the scenario format writes it: whole hours, minutes, else seconds."""
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def _type_lines(q: QueueStats) -> list[str]:
    """YAML of one contact type: its arrival column, exponential talk / hold / ACW, patience."""
    name = json.dumps(q.name)
    out = [f"  {name}:", f"    channel: {q.channel}",
           f"    arrivals: {{csv: arrivals.csv, column: {name}}}   "
           f"# {q.total('offered'):.10g} offered"]
    for part, field in (("talk", "talk_s"), ("hold", "hold_s"), ("acw", "acw_s")):
        if q.mean(field):  # a mean of 0 (or no column) means no such part
            out.append(f"    {part}: {{dist: exponential, mean: {q.mean(field):.6g}s}}   "
                       f"# {field} / handled")
    if q.channel in ("phone", "chat") and q.patience is not None:
        waited = q.total("wait_answered_s") + q.total("wait_abandoned_s")
        out.append("    patience: never   # nobody abandoned" if math.isinf(q.patience) else
                   f"    patience: {{dist: exponential, mean: {q.patience:.6g}s}}   # "
                   f"{waited:.10g}s waited / {q.total('abandoned'):.10g} abandoned")
    if q.sl_threshold is not None:
        out.append(f"    service_level: {{threshold: {q.sl_threshold:g}s}}   # target: the "
                   "default 80 %, not in the file")
    return out


def _arrivals_csv(data: IntervalData) -> str:
    """``interval_start`` and one column of offered contacts per queue, one row per interval."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["interval_start", *data.queues])
    for k, when in enumerate(data.starts):
        writer.writerow([stamp(when), *(f"{q.series['offered'][k]:.10g}"
                                        for q in data.queues.values())])
    return buffer.getvalue()


def _headcount_lines(data: IntervalData, queues, staffing: Staffing | None) -> list[str]:
    if staffing:
        return [f"    # agents per interval from --staffing {staffing.path}:{staffing.column}",
                f"    headcount: {{csv: {json.dumps(staffing.path)}, column: "
                f"{json.dumps(staffing.column)}}}"]
    agents = suggest_headcount(data, queues)
    return (["    # Erlang C suggestion, not the center's staffing: in each interval the fewest",
             "    # agents answering 80 % within the SL threshold, all queues pooled",
             "    headcount: ["]
            + ["      " + ", ".join(map(str, agents[i:i + 24])) + ","
               for i in range(0, len(agents), 24)] + ["    ]"])


def write_scenario(data: IntervalData, out, name: str | None = None,
                   staffing: Staffing | None = None,
                   forecast: tuple | None = None) -> tuple[list[Path], list[str]]:
    """Write ``arrivals.csv`` and ``scenario.yaml`` into ``out`` (created if needed, files
    replaced atomically); returns the two paths and notes for the user. ``forecast`` (day cv,
    interval cv, days) marks ``data`` as an average profile and sets its forecast error."""
    queues = [q for q in data.queues.values() if q.total("offered") > 0 and q.mean("talk_s")]
    notes = [f"queue {q.name} left out of the scenario: " + (
        "no contacts offered" if not q.total("offered") else "no handled contacts with talk time")
        for q in data.queues.values() if q not in queues]
    notes += [f"queue {q.name}: no abandoned and wait sums, so patience is not estimated and "
              "its contacts never abandon in the scenario" for q in queues
              if q.patience is None and q.channel in ("phone", "chat")]
    if not queues:
        raise IntervalFileError(data.path, None, "no queue has offered contacts and talk time: "
                                "nothing to simulate")
    if "interval_start" in data.queues:
        raise IntervalFileError(data.path, None, "a queue named 'interval_start' clashes with the "
                                "first column of arrivals.csv: rename it")
    if staffing:
        idle = sum(1 for k, v in enumerate(staffing.values)
                   if v == 0 and any(q.series["offered"][k] for q in queues))
        if idle:
            notes.append(f"{idle} interval(s) with contacts offered but 0 agents in --staffing")
    first = data.starts[0]
    clock = first.hour * 3600 + first.minute * 60 + first.second
    lines = [f"# Imported by `ccsim import-intervals` from {data.path}.",
             "# arrivals: offered contacts per interval (arrivals.csv); Poisson around them."
             if forecast is None else
             f"# arrivals: the average offered per interval over {forecast[2]} days "
             "(arrivals.csv), with the forecast error those days showed around it.",
             "# talk, hold, acw: exponential with the file's means (a first approximation).",
             "# patience: exponential; mean = time waited by all queued contacts / abandoned",
             "# (the maximum-likelihood estimate under the Erlang-A model).",
             f"name: {json.dumps(name or Path(data.path).stem)}",
             f"start: {json.dumps(first.strftime('%H:%M')) if clock % 60 == 0 else f'{clock}s'}",
             f"start_date: \"{first.date().isoformat()}\"",
             f"interval: {yaml_duration(data.interval)}",
             f"horizon: {yaml_duration(data.interval * len(data.starts))}   # {len(data.starts)} "
             "intervals", "replications: 10",
             *([] if forecast is None else [
                 f"forecast_error: {{day: {forecast[0]:.4f}, interval: {forecast[1]:.4f}}}   "
                 "# coefficients of variation estimated from the history"]),
             "contact_types:",
             *(line for q in queues for line in _type_lines(q)),
             "agent_groups:", "  all_agents:",
             "    skills: [" + ", ".join(json.dumps(q.name) for q in queues) + "]",
             *_headcount_lines(data, queues, staffing),
             "routing: longest_idle"]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "arrivals.csv", out / "scenario.yaml"]
    write_atomic(paths[0], _arrivals_csv(data))
    write_atomic(paths[1], "\n".join(lines) + "\n")
    return paths, notes
