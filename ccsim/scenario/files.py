"""Reading the text files a user hands over (YAML and CSV) with their size, encoding and
fields checked before anything is built from them.

A scenario saved by a spreadsheet as UTF-16 or Latin-1, a binary file named by mistake, a
100 MB CSV: each ends in a ``TextFileError`` saying what was found and where (line, column or
byte offset), never in a traceback or an unbounded allocation. Messages quote at most one
cell, shortened, so a file that is not what the scenario says it is is not echoed.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from ..limits import LIMITS

__all__ = ["TextFileError", "read_text", "csv_rows", "shown"]

QUOTE = 60  # characters of a user's cell quoted in a message


class TextFileError(Exception):
    """A file that cannot be read as text: ``line`` and ``column`` are 1-based or None."""

    def __init__(self, path, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = str(path), line, column, message
        super().__init__(message)


def shown(text) -> str:
    """``repr`` of a user's value, shortened to about ``QUOTE`` characters."""
    text = repr(text)
    return text if len(text) <= QUOTE else text[:QUOTE - 5] + "...'"


def _where(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    return line, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1


def decode(raw: bytes, path) -> str:
    """UTF-8 text of ``raw`` (a UTF-8 byte-order mark is dropped), or a TextFileError naming
    the encoding found or the first byte that is not UTF-8."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom):
            raise TextFileError(path, None, None, f"the file is encoded in {name} (it starts "
                                f"with a {name} byte-order mark): save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    nul = raw.find(b"\0")
    if nul >= 0:
        line, column = _where(raw, nul)
        sixteen = raw[1:200:2].count(0) > 40 or raw[0:200:2].count(0) > 40
        what = ("the file looks UTF-16 encoded (every other byte is 0): save it as UTF-8"
                if sixteen else "this is not a text file (or is damaged): expected UTF-8 text")
        raise TextFileError(path, line, column, f"NUL byte at byte offset {nul}: {what}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _where(raw, exc.start)
        raise TextFileError(path, line, column, f"byte 0x{raw[exc.start]:02X} at byte offset "
                            f"{exc.start} is not UTF-8 (the file may be Latin-1 or Windows-1252):"
                            f" save it as UTF-8") from None


def read_text(path, limit: int, what: str) -> str:
    """The UTF-8 text of a file of at most ``limit`` bytes (its size is checked before it is
    read). A missing file raises FileNotFoundError; other OS problems TextFileError."""
    path = Path(path)
    try:
        if path.is_dir():
            raise TextFileError(path, None, None, f"is a directory, expected a {what} file")
        size = path.stat().st_size
        if size > limit:
            raise TextFileError(path, None, None, f"the file has {size:,} bytes, more than the "
                                f"limit of {limit:,} bytes for a {what} file")
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)  # a file growing while read stays bounded too
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise TextFileError(path, None, None, f"cannot read the file "
                            f"({exc.strerror or exc})") from None
    if len(raw) > limit:
        raise TextFileError(path, None, None, f"the file has more than the limit of {limit:,} "
                            f"bytes for a {what} file")
    return decode(raw, path)


def csv_rows(path, max_rows: int | None = None):
    """(line, cells) for each row of a CSV file, checked as it is read: file size, encoding,
    the length of every field and, if given, the number of rows."""
    text = read_text(path, LIMITS.csv_bytes, "CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    count = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TextFileError(path, start, None, f"malformed CSV ({exc})") from None
        for column, cell in enumerate(row, start=1):
            if len(cell) > LIMITS.csv_field:
                raise TextFileError(path, start, None, f"field {column} has {len(cell):,} "
                                    f"characters, more than the limit of {LIMITS.csv_field:,}")
        count += 1
        if max_rows is not None and count > max_rows:
            raise TextFileError(path, start, None, f"more than {max_rows:,} rows (the limit "
                                f"of intervals in a horizon)")
        yield start, row
