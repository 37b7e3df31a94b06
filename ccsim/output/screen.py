"""Tables that fit the screen, and the same tables as CSV, Markdown or JSON.

A ``Table`` is format-neutral: a title, columns and rows of ``cells.Cell`` values, with notes
that say what the numbers mean. ``emit(tables, fmt)`` writes them:

- ``table``: rich tables sized to the terminal (``COLUMNS`` when set, else the terminal's width,
  else 120 columns off a terminal). A column is never narrower than its longest word, header
  or number, so headers wrap between words, a ``±`` half-width goes to its own line, and a
  number is never cut. When even that is too wide the table is split into parts that repeat
  its label columns.
- ``csv``: one block per table (blocks separated by a blank line), raw numbers in the units of
  ``--json`` with a ``<column>_ci95`` column beside each estimate.
- ``md``: Markdown tables with the written numbers, for pasting into a wiki or a ticket.
- ``json``: ``[{"key", "title", "columns", "rows", "notes"}]`` with raw numbers.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from dataclasses import dataclass, field

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleDimensions
from rich.table import Table as RichTable
from rich.text import Text

from .cells import Cell, raw, text

__all__ = ["Column", "Table", "FORMATS", "emit", "render", "screen_width", "console", "fit"]

FORMATS = ("table", "csv", "md", "json")
#: width of a table off a terminal when COLUMNS is not set
PIPE_WIDTH = 120


def screen_width() -> int:
    """``COLUMNS`` when set, else the width of the terminal we are on, else ``PIPE_WIDTH``."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns or PIPE_WIDTH
        except (AttributeError, ValueError, OSError):
            continue
    return PIPE_WIDTH


class _Screen(Console):
    """stdout, with its width looked up at every print (``COLUMNS`` may change, tests set it)."""

    @property
    def size(self) -> ConsoleDimensions:
        return ConsoleDimensions(screen_width(), 25)

    @size.setter
    def size(self, new_size) -> None:  # pragma: no cover - rich's API, unused
        pass


console = _Screen()


@dataclass(frozen=True)
class Column:
    """``header`` as shown; ``key`` names it in CSV and JSON; ``label`` columns are repeated
    in every part of a split table."""

    header: str
    key: str
    label: bool = False


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    inline: bool = False  # a single row: one line "Title (label): Header value, ..." on screen

    def add(self, *cells) -> None:
        self.rows.append(list(cells))


_EDGE, _GAP = 4, 3  # box borders and padding: "│ a │ b │" is widths + 3 per column + 1


def _words(value: str) -> int:
    return max((cell_len(word) for line in value.split("\n") for word in line.split()),
               default=0)


def fit(table: Table, width: int) -> list[tuple[list[int], list[int]]]:
    """Split ``table`` into parts whose columns, none narrower than its longest word, fit in
    ``width``: [(column indices, column widths)]."""
    texts = [[text(c) for c in row] for row in table.rows]
    n = len(table.columns)
    least = [max([_words(table.columns[i].header)] + [_words(r[i]) for r in texts]) or 1
             for i in range(n)]
    most = [max([cell_len(table.columns[i].header)] + [cell_len(r[i]) for r in texts]) or 1
            for i in range(n)]
    labels = [i for i in range(n) if table.columns[i].label]
    others = [i for i in range(n) if not table.columns[i].label]
    def cost(indices):
        return sum(least[i] for i in indices) + _GAP * len(indices) + 1

    count, current = 1, list(labels)
    for i in others:  # how many parts it takes, filling each in turn
        if len(current) > len(labels) and cost(current + [i]) > width:
            count, current = count + 1, list(labels)
        current.append(i)
    parts = _balanced(others, count, lambda chunk: cost(labels + chunk))
    parts = [labels + chunk for chunk in parts]
    laid = []
    for indices in parts:
        room = width - _GAP * len(indices) - 1
        widths = [least[i] for i in indices]
        spare = room - sum(widths)
        want = [most[i] - least[i] for i in indices]
        if spare >= sum(want):
            widths = [most[i] for i in indices]
        elif spare > 0:  # share the room out in proportion to what each column would like
            extra = [spare * w // sum(want) for w in want]
            widths = [w + e for w, e in zip(widths, extra)]
        laid.append((indices, widths))
    return laid


def _balanced(items: list, count: int, cost) -> list[list]:
    """``items`` cut into ``count`` runs (in order) whose largest cost is the smallest."""
    if count <= 1 or len(items) <= count:
        return [items] if count <= 1 else [[i] for i in items]
    best: dict = {}

    def solve(start: int, k: int):
        if (start, k) in best:
            return best[start, k]
        if k == 1:
            result = (cost(items[start:]), [items[start:]])
        else:
            result = None
            for end in range(start + 1, len(items) - k + 2):
                rest = solve(end, k - 1)
                here = (max(cost(items[start:end]), rest[0]), [items[start:end], *rest[1]])
                if result is None or here[0] < result[0]:
                    result = here
        best[start, k] = result
        return result

    return solve(0, count)[1]


def render(table: Table, width: int) -> list:
    """The rich renderables of ``table`` at ``width`` columns (several when it is split)."""
    if table.inline and len(table.rows) == 1:
        row = table.rows[0]
        line = Text(f"{table.title} ({text(row[0])}): " + ", ".join(
            f"{c.header} {text(v)}" for c, v in zip(table.columns[1:], row[1:])))
        return [line, *(Text(note) for note in table.notes)]
    out = []
    laid = fit(table, width)
    for part, (indices, widths) in enumerate(laid):
        title = table.title if len(laid) == 1 else f"{table.title} ({part + 1}/{len(laid)})"
        shown = RichTable(title=Text(title, style="bold") if part == 0 else Text(title),
                          title_justify="left", box=box.SQUARE, show_edge=True)
        for i, w in zip(indices, widths):
            shown.add_column(Text(table.columns[i].header), width=w, overflow="fold",
                             justify="left" if table.columns[i].label else "right")
        for row in table.rows:
            shown.add_row(*(Text(text(row[i])) for i in indices))
        out.append(shown)
    for note in table.notes:
        out.append(Text(note))
    return out


def _csv(tables: list[Table]) -> str:
    blocks = []
    for table in tables:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        header = ["table"]
        for i, column in enumerate(table.columns):
            header.append(column.key)
            if _has_ci(table, i):
                header.append(f"{column.key}_ci95")
        writer.writerow(header)
        for row in table.rows:
            line = [table.key]
            for i, cell in enumerate(row):
                mean, half = raw(cell)
                line.append("" if mean is None else mean)
                if _has_ci(table, i):
                    line.append("" if half is None else half)
            writer.writerow(line)
        blocks.append(buffer.getvalue())
    return "\n".join(blocks)


def _has_ci(table: Table, i: int) -> bool:
    return any(isinstance(row[i], Cell) and row[i].kind != "text" for row in table.rows)


def _md(tables: list[Table], lines=()) -> str:
    def escape(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    parts = [escape(str(line)) + "\n" for line in lines]
    for table in tables:
        lines = [f"### {escape(table.title)}", "",
                 "| " + " | ".join(escape(c.header) for c in table.columns) + " |",
                 "|" + "|".join(":---" if c.label else "---:" for c in table.columns) + "|"]
        lines += ["| " + " | ".join(escape(text(c)) for c in row) + " |" for row in table.rows]
        lines += [""] + [escape(note) for note in table.notes]
        parts.append("\n".join(lines).rstrip() + "\n")
    return "\n".join(parts)


def _json(tables: list[Table]) -> str:
    def value(cell):
        mean, half = raw(cell)
        if isinstance(cell, Cell) and cell.kind != "text":
            return {"mean": mean, "ci95": half, **({"note": cell.suffix} if cell.suffix else {})}
        return mean

    document = [{"key": t.key, "title": t.title,
                 "columns": [{"key": c.key, "header": c.header} for c in t.columns],
                 "rows": [{c.key: value(cell) for c, cell in zip(t.columns, row)}
                          for row in t.rows],
                 "notes": list(t.notes)} for t in tables]
    return json.dumps(document, indent=2, allow_nan=False)


def emit(tables, fmt: str = "table", lines=()) -> None:
    """Write ``tables`` (and, on screen, the ``lines`` of text before them) in ``fmt``."""
    tables = [t for t in tables if t is not None]
    if fmt == "table":
        for line in lines:
            console.print(Text(line) if isinstance(line, str) else line)
        for table in tables:
            for item in render(table, console.width):
                console.print(item)
        return
    sys.stdout.write(_md(tables, lines) if fmt == "md" else
                     _csv(tables) if fmt == "csv" else _json(tables))
    if fmt == "json":
        sys.stdout.write("\n")
    sys.stdout.flush()
