"""A bounded mutation fuzz of the scenario loader: every mutant of the shipped scenarios
either loads or is rejected with a ScenarioError — never another exception.

The mutator is ``experiments/fuzz_loader.py`` (its longer run is an experiment); here a fixed
seed and a few hundred mutants keep the test fast and reproducible.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent.parent / "experiments" / "fuzz_loader.py"
spec = importlib.util.spec_from_file_location("fuzz_loader", FUZZ)
fuzz_loader = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fuzz_loader)


@pytest.mark.slow
def test_mutants_load_or_fail_with_a_located_error():
    started = time.perf_counter()
    crashes = {}
    for label, text, base in fuzz_loader.mutants(300, seed=2026):
        site = fuzz_loader.try_mutant(text, base)
        if site:
            crashes.setdefault(site, label)
    assert crashes == {}, f"mutants that crashed the loader (site: first mutant): {crashes}"
    assert time.perf_counter() - started < 60  # about 10 s on one core; generous for a busy machine


def test_the_mutator_is_reproducible_and_really_mutates():
    first = [text for _, text, _ in fuzz_loader.mutants(20, seed=5)]
    assert first == [text for _, text, _ in fuzz_loader.mutants(20, seed=5)]
    originals = {p.read_text(encoding="utf-8") for p in fuzz_loader.SEEDS}
    assert sum(text not in originals for text in first) >= 18


def test_a_crash_is_reported_with_its_site():
    """The harness itself can fail: an exception other than ScenarioError is a site."""
    try:
        {}["missing"]
    except KeyError as exc:
        site = fuzz_loader.failure_site(exc)
    assert site.startswith("KeyError at test_fuzz_loader.py:")
