"""Shared helpers for tests: small scenarios from parameters, and CI-based agreement checks."""

from __future__ import annotations

import math

from ccsim import scenario_from_text
from ccsim.measure.stats import mean_ci


def single_queue(agents: int, rate_per_min: float, aht_min: float, *, patience_min=None,
                 capacity=None, talk=None, warmup_min=None, window_min=None, replications=10,
                 seed=11, threshold="20s"):
    """One contact type served by one group: the M/M/c family, with horizons in minutes."""
    warmup = warmup_min if warmup_min is not None else 100 * aht_min
    window = window_min if window_min is not None else warmup * 5
    talk = talk or f"{{dist: exponential, mean: {aht_min}min}}"
    lines = [
        f"horizon: {warmup + window}min", f"interval: {warmup}min", f"warmup: {warmup}min",
        f"replications: {replications}", f"seed: {seed}", "contact_types:", "  calls:",
        f"    arrivals: {rate_per_min * 60}/h", f"    talk: {talk}",
        f"    service_level: {{threshold: {threshold}}}",
    ]
    if patience_min is not None:
        lines.append(f"    patience: {{dist: exponential, mean: {patience_min}min}}")
    if capacity is not None:
        lines.append(f"    queue_capacity: {capacity}")
    lines += ["agent_groups:", "  agents:", f"    headcount: {agents}", "    skills: [calls]"]
    return scenario_from_text("\n".join(lines) + "\n")


def assert_agrees(values, expected: float, what: str, level: float = 0.999,
                  max_half_width: float | None = None, floor: float = 1e-3) -> None:
    """The simulated mean's ``level`` confidence interval over replications covers ``expected``.

    ``max_half_width`` guards against a test that passes only because it is too noisy;
    ``floor`` is the smallest tolerance, for figures pinned at 0 or 1 in every replication
    (P(wait) = 1 in a heavily overloaded center has a zero-width interval)."""
    mean, half = mean_ci(values, level)
    assert math.isfinite(half), f"{what}: need at least two replications"
    if max_half_width is not None:
        assert half <= max_half_width, (
            f"{what}: confidence half-width {half:.4g} is too wide to test anything "
            f"(limit {max_half_width:.4g})")
    assert abs(mean - expected) <= max(half, floor), (
        f"{what}: simulated {mean:.5g} ± {half:.3g} ({level:.1%} CI) does not cover theory "
        f"{expected:.5g}")
