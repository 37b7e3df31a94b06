"""The files of one run: ``summary.json``, ``intervals.csv`` and ``run.json`` (what made them)."""

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


def write_results(results, out: Path) -> list[Path]:
    """``summary.json``, ``intervals.csv`` and ``run.json`` in ``out`` (created if needed)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "summary.json": json.dumps(results.to_dict(), indent=2, allow_nan=False) + "\n",
        "intervals.csv": csv_text(results.interval_sums()),
        "run.json": json.dumps(run_metadata(results), indent=2) + "\n",
    }
    written = []
    for name, text in files.items():
        write_atomic(out / name, text)
        written.append(out / name)
    return written
