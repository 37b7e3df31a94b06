"""The files of one run: ``summary.json``, ``intervals.csv`` (raw sums), the planner tables
``interval_overall.csv``, ``interval_types.csv`` and ``interval_groups.csv`` (means with
clock times and CI bounds), ``results.xlsx`` on request, and ``run.json`` (what made them)."""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..files import csv_text, write_atomic

__all__ = ["run_metadata", "write_results"]


def run_metadata(results) -> dict:
    scenario = results.scenario
    return {
        "ccsim_version": __version__,
        "scenario": scenario.name,
        "scenario_file": scenario.source,
        "scenario_hash": scenario.digest(),
        "seed": results.seed,
        "replications": results.n,
        "policy": results.policy,
    }


def write_results(results, out: Path, xlsx: bool = False) -> list[Path]:
    """The files of a run in ``out`` (created if needed); ``results.xlsx`` too with ``xlsx``
    (it needs openpyxl: ImportError naming the extra otherwise, before anything is written)."""
    from .interval_tables import planner_tables

    out = Path(out)
    tables = planner_tables(results)
    files = {
        "summary.json": json.dumps(results.to_dict(), indent=2, allow_nan=False) + "\n",
        "intervals.csv": csv_text(results.interval_sums()),
        **{f"{name}.csv": csv_text(rows) for name, rows in tables.items()},
    }
    if xlsx:
        from .workbook import workbook_bytes
        files["results.xlsx"] = workbook_bytes(tables)
    files["run.json"] = json.dumps(run_metadata(results), indent=2) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        write_atomic(out / name, text)
        written.append(out / name)
    return written
