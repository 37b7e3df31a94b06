"""Per-interval profiles of a scenario: YAML lists and CSV columns, bounded by the limits.

A profile gives one value per interval (arrivals, headcounts); it may come from a YAML list or
from a column of a CSV file named relative to the scenario. Both are read within
``LIMITS`` (intervals, agents per group, CSV size and fields), and a CSV's errors name its
file and line without quoting more than the offending cell.
"""

from __future__ import annotations

import difflib
import math

from ..limits import LIMITS
from .files import TextFileError, csv_rows, shown
from .source import At, Source
from .workforce import check_interval_column

__all__ = ["profile", "agents", "csv_column"]


def profile(at: At) -> list[At]:
    """The items of a per-interval list, at most one per interval of the longest horizon."""
    items = at.sequence(min_length=1)
    if len(items) > LIMITS.intervals:
        raise at.error(f"{len(items):,} values, more than the limit of {LIMITS.intervals:,} "
                       f"intervals")
    return items


def agents(at: At) -> int:
    count = at.number(low=0, integer=True)
    if count > LIMITS.agents_per_group:
        raise at.error(f"at most {LIMITS.agents_per_group:,} agents per group (the limit; got "
                       f"{shown(at.value)})")
    return count


def csv_column(at: At, source: Source, low: float, high: float | None = None,
                what: str = "") -> list[float]:
    """Numbers of one column of a CSV file named relative to the scenario file."""
    if not at.has("column"):
        raise at.error("missing required key 'column' (the CSV column to read)", key=True)
    file_at, column = at.child("csv"), at.child("column").string()
    path = source.base_dir / file_at.string()
    try:
        rows = [row for _, row in csv_rows(path, max_rows=LIMITS.intervals + 1)]
    except FileNotFoundError:
        raise file_at.error(f"CSV file not found: {path}") from None
    except TextFileError as exc:
        where = f"{path}:{exc.line}" if exc.line else f"CSV file {path}"
        raise file_at.error(f"{where}: {exc.message}") from None
    if not rows:
        raise file_at.error(f"CSV file {path} is empty")
    header = [h.strip() for h in rows[0]]
    if column not in header:
        # the header is not quoted: the file may not be what the scenario says it is
        hint = difflib.get_close_matches(column, header, n=1)
        tip = (f"; did you mean {shown(hint[0])}?" if hint else
               f"; its first row has {len(header)} column(s), none named {shown(column)}")
        raise at.child("column").error(f"no column {shown(column)} in {path}{tip}")
    check_interval_column(file_at, path, header, rows)
    index = header.index(column)
    values = []
    for line, row in enumerate(rows[1:], start=2):
        cell = row[index].strip() if index < len(row) else ""
        try:
            value = float(cell)
        except ValueError:
            raise file_at.error(f"{path}:{line}: column {shown(column)}: expected a number "
                                f"(got {shown(cell)})") from None
        if not math.isfinite(value) or value < low:
            raise file_at.error(f"{path}:{line}: column {shown(column)}: must be a finite "
                                f"number >= {low:g} (got {shown(cell)})")
        if high is not None and value > high:
            raise file_at.error(f"{path}:{line}: column {shown(column)}: at most {high:,g} "
                                f"{what} (the limit; got {shown(cell)})")
        values.append(value)
    if not values:
        raise file_at.error(f"CSV file {path} has no data rows")
    return values
