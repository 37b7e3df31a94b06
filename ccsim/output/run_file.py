"""The ``run.json`` of a results directory (``ccsim run --out``), read as untrusted input.

``ccsim report DIR`` simulates a run again from it; a hand-edited, truncated or foreign file
must end in an error naming the file, the key, what was expected and what was found, never a
TypeError deep in the simulator.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..limits import LIMITS

__all__ = ["RunFileError", "read_run"]


class RunFileError(ValueError):
    """A run.json that ``ccsim run --out`` could not have written; the message locates it."""


_RUN_BYTES = 1_000_000
# run.json: key → (check, what is expected, required)
_RUN_KEYS = {
    "scenario_file": (lambda v: isinstance(v, str) and v != "", "a file name", True),
    "seed": (lambda v: type(v) is int and 0 <= v < 2**64, "a whole number ≥ 0", False),
    "replications": (lambda v: type(v) is int and 1 <= v <= LIMITS.replications,
                     f"a whole number from 1 to {LIMITS.replications:,}", False),
    "policy": (lambda v: isinstance(v, str) and v != "", "a routing policy name", False),
    "scenario_hash": (lambda v: isinstance(v, str), "a text", False),
}


def read_run(directory: Path) -> dict:
    """The run.json of a results directory, checked key by key: a located RunFileError
    (file, key, expected, found) for anything ``ccsim run --out`` could not have written."""
    file = directory / "run.json"
    try:
        size = file.stat().st_size
        if size > _RUN_BYTES:
            raise RunFileError(f"{file}: expected the run.json of `ccsim run --out` (a few "
                              f"hundred bytes), found {size:,} bytes")
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunFileError(f"{directory}: not a results directory of `ccsim run --out` "
                          f"(no run.json)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RunFileError(f"{file}: cannot read run.json: {exc}") from None
    try:
        run = json.loads(text)
    except ValueError as exc:
        line, column = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
        raise RunFileError(f"{file}:{line}:{column}: not valid JSON: "
                          f"{getattr(exc, 'msg', exc)}") from None
    if not isinstance(run, dict):
        raise RunFileError(f"{file}: expected a JSON object with scenario_file, seed, "
                          f"replications and policy, found a {type(run).__name__}")
    for key, (valid, expected, required) in _RUN_KEYS.items():
        if key not in run:
            if required:
                raise RunFileError(f"{file}: key {key!r}: expected {expected}, found nothing "
                                  f"(the key is missing)")
            continue
        if not valid(run[key]):
            found = json.dumps(run[key])
            raise RunFileError(f"{file}: key {key!r}: expected {expected}, found "
                              f"{found[:60]}{'…' if len(found) > 60 else ''}")
    return run
