"""Writing files atomically, so a killed run never leaves a half-written file.

Every file ccsim writes (results, event logs, stored replications, charts, reports) goes through
``write_atomic``.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic", "write_figure", "csv_text"]

# the process's umask, read once (reading it means setting it, which is not thread-safe)
_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to a temporary file beside ``path``, flush it to disk, then
    rename: readers see the old file or the new one, never half of one."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes owner-only files; results are shared
        binary = isinstance(text, bytes)
        with (os.fdopen(handle, "wb") if binary else
              os.fdopen(handle, "w", encoding="utf-8", newline="")) as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def write_figure(figure, path: Path) -> None:
    """Save a matplotlib figure atomically (format from the file extension), then close it."""
    import matplotlib.pyplot as plt

    path = Path(path)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=path.suffix.lstrip(".") or "png", dpi=110)
    plt.close(figure)
    write_atomic(path, buffer.getvalue())


def csv_text(rows: list[dict]) -> str:
    """Rows of one shape (dicts with the same keys, in order) as CSV text with a header."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()
