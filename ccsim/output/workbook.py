"""Excel workbooks (``.xlsx``) of tables, one sheet per table, through openpyxl.

openpyxl is an extra (``pip install 'ccsim[xlsx]'``). Cells hold real values: numbers as
numbers, an empty cell for an undefined value, and the clock columns of the CSV files
(``date`` ``2026-11-23``, ``time`` ``07:30``) as Excel dates and times, formatted so, so that
a planner can sort, filter and chart them without converting text.
"""

from __future__ import annotations

import datetime as dt
import io

__all__ = ["XLSX_HINT", "have_openpyxl", "workbook_bytes"]

XLSX_HINT = "Excel files need openpyxl: pip install 'ccsim[xlsx]'"


def have_openpyxl() -> bool:
    from importlib.util import find_spec

    return find_spec("openpyxl") is not None


def _cell(key: str, value):
    """A CSV value as the Excel value it stands for, with its number format (or None)."""
    if key == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value), "yyyy-mm-dd"
    if key == "time" and isinstance(value, str):
        hours, _, minutes = value.partition(":")
        return dt.time(int(hours), int(minutes)), "hh:mm"
    return value, None


def workbook_bytes(sheets: dict[str, list[dict]]) -> bytes:
    """The workbook of ``sheets`` (sheet name → rows of one shape), header row first."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise ImportError(XLSX_HINT) from None
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name[:31])  # Excel's limit on sheet names
        if not rows:
            continue
        header = list(rows[0])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for c, key in enumerate(header, start=1):
                value, number_format = _cell(key, row[key])
                cell = sheet.cell(row=r, column=c, value=value)
                if number_format:
                    cell.number_format = number_format
        sheet.freeze_panes = "A2"
        for c, key in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = \
                max(8, len(key) + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
