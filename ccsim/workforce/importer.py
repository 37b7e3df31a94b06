"""ACD interval exports → arrival profiles, handle-time means and a runnable ccsim scenario.

An export has one row per interval × queue. Its columns are matched to our fields by a preset
(our own ``ccsim`` schema, or column presets modelled on common exports) and the user's --map.
Per queue: arrivals per interval = offered; mean talk = talk_s / handled (hold, ACW alike);
patience follows the Erlang-A convention (exponential), estimated by maximum likelihood as
(wait_answered_s + wait_abandoned_s) / abandoned: answered contacts are censored observations.
Every mistake is an ``IntervalFileError`` naming the file and line, so the CLI never crashes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..limits import LIMITS
from ..scenario.files import TextFileError, csv_rows, shown
from .export_columns import (CHANNELS, COUNTS, DURATIONS, FIELDS, PRESETS, IntervalFileError, hint,
                             match_columns)

__all__ = ["IntervalFileError", "IntervalData", "QueueStats", "FIELDS", "PRESETS",
           "read_intervals", "read_rows", "parse_start", "stamp", "hint"]

# the largest value a cell may hold: a count of contacts, or a sum of seconds (all of them
# waiting or talking a whole day); beyond that the file is wrong, and Erlang C would not end
MAX_COUNT = LIMITS.contacts
MAX_SECONDS = LIMITS.contacts * 86400.0
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
            "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%Y-%m-%d %I:%M %p")


@dataclass(frozen=True)
class QueueStats:
    """One queue: per-interval sums by field (aligned with ``IntervalData.starts``)."""
    name: str
    channel: str
    series: dict
    sl_threshold: float | None = None
    short_abandon: float | None = None

    def total(self, name: str) -> float:
        return sum(self.series.get(name, ()))

    def mean(self, name: str) -> float | None:
        """Sum per handled contact (mean talk, hold, ACW, ASA); None if the file lacks it."""
        handled = self.total("handled")
        return self.total(name) / handled if name in self.series and handled > 0 else None

    @property
    def patience(self) -> float | None:
        """Mean exponential patience: time waited by all queued contacts / abandoned (the
        Erlang-A MLE). inf when nobody abandoned, None without wait and abandon sums."""
        if not {"abandoned", "wait_answered_s", "wait_abandoned_s"} <= set(self.series):
            return None
        waited = self.total("wait_answered_s") + self.total("wait_abandoned_s")
        return waited / self.total("abandoned") if self.total("abandoned") else math.inf


@dataclass(frozen=True)
class IntervalData:
    path: str
    interval: float  # seconds
    starts: tuple    # datetime of each interval, gap-free
    queues: dict     # name → QueueStats
    warnings: tuple = ()


def parse_start(text: str) -> datetime:
    """An interval start: ISO 8601 (any UTC offset dropped), or one of a few US-style forms."""
    for form in (None, *_FORMATS):
        try:
            return (datetime.fromisoformat(text).replace(tzinfo=None) if form is None
                    else datetime.strptime(text, form))
        except ValueError:
            pass
    raise ValueError(text)


def _seconds(text: str) -> float:
    """Seconds from a plain number or ``[H:]MM:SS`` (hours may exceed 24 in sums)."""
    parts = [float(p) for p in text.split(":")]
    if len(parts) > 3 or len(parts) > 1 and any(p < 0 or not math.isfinite(p) for p in parts):
        raise ValueError(text)
    return sum(p * 60.0 ** i for i, p in enumerate(reversed(parts)))


def _parse_row(path, line: int, cells: dict, names: dict) -> dict:
    """Our fields of one row, checked; numeric cells left blank become None."""
    def fail(ours, expected):
        raise IntervalFileError(path, line, f"{shown(names[ours])[1:-1]}: expected {expected}, "
                                f"got {shown(cells[ours])}")
    row = {}
    for ours, text in cells.items():
        if ours in ("queue", "channel", "date", "time", "interval_start"):
            row[ours] = text
        elif text == "" and ours not in ("offered", "interval_minutes"):
            row[ours] = None
        else:
            try:
                row[ours] = _seconds(text) if ours in DURATIONS else float(text)
            except ValueError:
                fail(ours, "seconds or HH:MM:SS" if ours in DURATIONS else "a number")
            value = row[ours]
            if ours == "interval_minutes":
                if not 1 / 60 <= value <= 1440:  # also refuses NaN
                    fail(ours, "minutes between 1 second and 1 day (1440)")
            elif not 0 <= value <= math.inf:
                fail(ours, "a number >= 0")
            elif value > (MAX_SECONDS if ours in DURATIONS else MAX_COUNT):
                fail(ours, "at most " + (f"{MAX_SECONDS:.3g} seconds" if ours in DURATIONS
                                         else f"{MAX_COUNT:,.0f} contacts") + " (the limit)")
    if "date" in row and "interval_start" not in row:
        clock = re.split(r"\s*-\s*", row["time"])[0]  # "08:00-08:30", "0800" and "8:00 AM" too
        clock = f"{clock[:-2]}:{clock[-2:]}" if re.fullmatch(r"\d{3,4}", clock) else clock
        row["interval_start"], names["interval_start"] = f"{row['date']} {clock}", names["date"]
        cells["interval_start"] = row["interval_start"]
    try:
        row["interval_start"] = parse_start(row["interval_start"])
    except ValueError:
        fail("interval_start", "a date and time such as 1999-08-01T07:30")
    if not row["queue"]:
        fail("queue", "a queue name")
    if (row.get("channel") or "phone").lower() not in CHANNELS:
        fail("channel", f"one of {', '.join(CHANNELS)}")
    row["channel"] = CHANNELS[(row.get("channel") or "phone").lower()]
    return row


def stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds" if when.second else "minutes")


def read_rows(path) -> tuple[list, list]:
    """Header (trimmed) and the non-blank (line, cells) rows of a UTF-8 CSV file, read within
    the file-size and field limits."""
    try:
        lines = [(line, row) for line, row in csv_rows(path) if any(c.strip() for c in row)]
    except FileNotFoundError:
        raise IntervalFileError(path, None, "no such file") from None
    except TextFileError as exc:
        raise IntervalFileError(path, exc.line, f"{exc.message}; expected a CSV file in "
                                "UTF-8") from None
    if len(lines) < 2:
        raise IntervalFileError(path, 1, ("only a header" if lines else "the file is empty") +
                                ": expected a header row, then one row per interval and queue")
    return [h.strip() for h in lines[0][1]], lines[1:]


def read_intervals(path, preset: str = "ccsim", mapping: dict | None = None) -> IntervalData:
    """Read, check and aggregate an interval export (see the module docstring)."""
    header, lines = read_rows(path)
    columns, unmatched = match_columns(path, header, preset, mapping or {})
    names = {ours: header[i] for i, ours in columns.items()}
    rows, over = {}, []
    for line, cells in lines:
        texts = {ours: cells[i].strip() if i < len(cells) else "" for i, ours in columns.items()}
        row = _parse_row(path, line, texts, names)
        queue = rows.setdefault(row["queue"], {})
        if row["interval_start"] in queue:
            raise IntervalFileError(path, line, f"interval {stamp(row['interval_start'])} appears "
                                    f"twice for queue {row['queue']} (first on line "
                                    f"{queue[row['interval_start']][0]})")
        queue[row["interval_start"]] = (line, row)
        if (row.get("handled") or 0) + (row.get("abandoned") or 0) - row["offered"] > max(
                1.0, 0.05 * row["offered"]):
            over.append(line)
    warnings = [f"{len(over)} row(s) with handled + abandoned > offered (carry-over between "
                f"intervals?), first at {path}:{over[0]}"] if over else []
    absent = [f for f in ("handled", "abandoned", "talk_s") if f not in columns.values()]
    if absent:
        warnings.append(f"no column for {', '.join(absent)} with --preset {preset} (columns that "
                        f"match nothing: {', '.join(unmatched) or 'none'}); see --preset, --map")
    interval = _interval_length(path, rows)
    first = min(min(q) for q in rows.values())
    n = round((max(max(q) for q in rows.values()) - first) / interval) + 1
    if n > LIMITS.intervals:
        raise IntervalFileError(path, None, f"the file spans {n:,} intervals of {interval} "
                                f"(from {stamp(first)}), more than the limit of "
                                f"{LIMITS.intervals:,}")
    queues = {name: _queue(path, name, queue, first, interval, n, columns.values(), warnings)
              for name, queue in sorted(rows.items())}
    return IntervalData(str(path), interval.total_seconds(),
                        tuple(first + k * interval for k in range(n)), queues, tuple(warnings))


def _interval_length(path, rows: dict) -> timedelta:
    """From ``interval_minutes`` (the same on every row), else the shortest step between rows."""
    lengths = {}
    for line, row in sorted(r for q in rows.values() for r in q.values()):
        if row.get("interval_minutes") is not None:
            lengths.setdefault(row["interval_minutes"], line)
            if len(lengths) > 1:
                (a, first), (b, _) = lengths.items()
                raise IntervalFileError(path, line, f"inconsistent interval lengths: {b:g} min "
                                        f"here, {a:g} min on line {first}")
    steps = [b - a for q in rows.values() for a, b in zip(sorted(q), sorted(q)[1:])]
    if not lengths and not steps:
        raise IntervalFileError(path, None, "cannot tell the interval length from a single "
                                "interval: map a column to interval_minutes")
    length = timedelta(minutes=next(iter(lengths))) if lengths else min(steps)
    if length < timedelta(seconds=1):
        raise IntervalFileError(path, None, f"intervals of {length.total_seconds():g} seconds: "
                                "expected at least 1 second (map interval_minutes?)")
    return length


def _queue(path, name, rows: dict, first, interval, n, fields, warnings) -> QueueStats:
    """One queue's rows on the time line, refusing gaps and rows off the interval grid."""
    series = {f: [0.0] * n for f in (*COUNTS, *DURATIONS) if f in fields}
    seen, previous = set(), None
    for when in sorted(rows):
        line, row = rows[when]
        k, rest = divmod(when - first, interval)
        if rest:
            raise IntervalFileError(path, line, f"inconsistent interval lengths: {stamp(when)} is "
                                    f"not on the {interval} grid that starts {stamp(first)}")
        if previous is not None and when - previous > interval:
            raise IntervalFileError(path, line, f"interval {stamp(previous + interval)} missing "
                                    f"for queue {name} (previous row {stamp(previous)})")
        previous = when
        for f in series:
            if row.get(f) is not None:
                series[f][k] = row[f]
                seen.add(f)
    if len(rows) < n:
        warnings.append(f"queue {name}: rows for {len(rows)} of {n} intervals; the others count "
                        f"as 0 offered")
    common = [Counter(r[f] for _, r in rows.values() if r.get(f) is not None).most_common(1)
              for f in ("sl_threshold_s", "short_abandon_threshold_s")]
    return QueueStats(name, rows[min(rows)][1]["channel"],
                      {f: tuple(v) for f, v in series.items() if f in seen | {"offered"}},
                      *(c[0][0] if c else None for c in common))

