"""PiecewisePoisson: arrival times by inverting the cumulative rate.

Counting checks use R independent replications of the process driven by unit-mean exponential
gaps from a fixed Generator. A Poisson count with mean m has variance m and fourth central moment
m + 3m^2, so over R replications the sample mean has standard error sqrt(m / R) and the sample
variance about sqrt((m + 2m^2) / R). Bounds are Z = 4.5 standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ccsim.arrivals import PiecewisePoisson

Z = 4.5


def arrival_times(process, horizon, rng, start=0.0):
    """All arrival times in [start, horizon) for one replication."""
    times = []
    t = start
    while True:
        for gap in rng.exponential(1.0, 64).tolist():
            t = process.next_arrival(t, gap, horizon)
            if t == math.inf:
                return times
            times.append(t)


def assert_poisson_counts(counts, mean, what):
    counts = np.asarray(counts, dtype=float)
    r = counts.size
    assert abs(counts.mean() - mean) <= Z * math.sqrt(mean / r), (
        f"{what}: mean count {counts.mean():.3f}, expected {mean}")
    assert abs(counts.var(ddof=1) - mean) <= Z * math.sqrt((mean + 2 * mean**2) / r), (
        f"{what}: count variance {counts.var(ddof=1):.3f}, expected {mean}")


def test_constant_rate_counts_are_poisson():
    rate, horizon, replications = 0.25, 200.0, 3000   # λT = 50
    process = PiecewisePoisson((rate,), interval=50.0)
    rng = np.random.Generator(np.random.PCG64(101))
    counts = []
    for _ in range(replications):
        times = arrival_times(process, horizon, rng)
        assert all(0 < a < b < horizon for a, b in zip(times, times[1:]))
        counts.append(len(times))
    assert_poisson_counts(counts, rate * horizon, "constant rate")


def test_constant_rate_written_as_several_equal_intervals_is_still_poisson():
    # the general (multi-interval) code path with equal rates: the same Poisson process
    process = PiecewisePoisson((0.25, 0.25, 0.25, 0.25), interval=50.0)
    rng = np.random.Generator(np.random.PCG64(102))
    counts = [len(arrival_times(process, 200.0, rng)) for _ in range(3000)]
    assert_poisson_counts(counts, 50.0, "equal rates")


def test_piecewise_profile_counts_per_interval():
    rates, interval = (0.0, 2.0, 0.5), 10.0     # expected 0, 20 and 5 arrivals per interval
    process = PiecewisePoisson(rates, interval)
    horizon = 30.0
    rng = np.random.Generator(np.random.PCG64(103))
    per_interval = []
    for _ in range(3000):
        times = np.asarray(arrival_times(process, horizon, rng))
        per_interval.append(np.bincount((times // interval).astype(int), minlength=3))
    per_interval = np.asarray(per_interval)
    assert per_interval.shape[1] == 3   # nothing at or after the horizon
    assert per_interval[:, 0].sum() == 0, "an arrival fell in a zero-rate interval"
    assert_poisson_counts(per_interval[:, 1], 20.0, "interval 1 (rate 2)")
    assert_poisson_counts(per_interval[:, 2], 5.0, "interval 2 (rate 0.5)")


def test_cyclic_repetition_of_a_short_profile():
    rates, interval = (0.0, 1.0), 5.0           # a 10 s cycle: 5 s closed, 5 s at 1/s
    process = PiecewisePoisson(rates, interval)
    horizon = 40.0                              # four cycles, eight intervals
    rng = np.random.Generator(np.random.PCG64(104))
    per_interval = []
    for _ in range(2000):
        times = np.asarray(arrival_times(process, horizon, rng))
        per_interval.append(np.bincount((times // interval).astype(int), minlength=8))
    per_interval = np.asarray(per_interval)
    assert per_interval.shape[1] == 8
    for k in range(8):
        if k % 2 == 0:
            assert per_interval[:, k].sum() == 0, f"arrival in closed interval {k}"
        else:
            assert_poisson_counts(per_interval[:, k], 5.0, f"interval {k}")


def test_rate_at_repeats_cyclically():
    process = PiecewisePoisson((1.0, 2.0, 3.0), interval=10.0)
    assert [process.rate_at(t) for t in (0, 9.99, 10, 25, 30, 59.9, 60)] == [
        1.0, 1.0, 2.0, 3.0, 1.0, 3.0, 1.0]


# --- exact inversions by hand ----------------------------------------------------------------

def test_inversion_by_hand_constant_rate():
    process = PiecewisePoisson((0.5,), interval=10.0)
    assert process.next_arrival(3.0, 2.0, 100.0) == pytest.approx(7.0)   # 2 / 0.5 = 4 s later


def test_inversion_by_hand_piecewise():
    process = PiecewisePoisson((0.0, 2.0, 0.5), interval=10.0)
    # the closed interval [0, 10) is skipped, then 1 unit at rate 2 takes 0.5 s
    assert process.next_arrival(0.0, 1.0, 1000.0) == pytest.approx(10.5)
    # 20 units fill [10, 20) at rate 2, the remaining 5 take all of [20, 30) at rate 0.5
    assert process.next_arrival(0.0, 25.0, 1000.0) == pytest.approx(30.0)
    # one more unit: [30, 40) is closed again (the cycle repeats), then 0.5 s at rate 2
    assert process.next_arrival(0.0, 26.0, 1000.0) == pytest.approx(40.5)
    # starting mid-interval: from 15, 10 units remain before 20, then 2 units at 0.5 → 24
    assert process.next_arrival(15.0, 12.0, 1000.0) == pytest.approx(24.0)


def test_many_cycles_are_skipped_exactly():
    process = PiecewisePoisson((0.0, 1.0), interval=1.0)
    # each 2 s cycle gives 1 unit: 100.25 units end 0.25 s into the open half of cycle 100
    assert process.next_arrival(0.0, 100.25, 1e9) == pytest.approx(201.25)


# --- the horizon -----------------------------------------------------------------------------

@pytest.mark.parametrize("rates", [(1.0,), (1.0, 1.0), (0.0, 1.0)])
def test_infinite_at_or_after_the_horizon(rates):
    process = PiecewisePoisson(rates, interval=5.0)
    assert process.next_arrival(10.0, 0.1, 10.0) == math.inf      # starting at the horizon
    assert process.next_arrival(12.0, 0.1, 10.0) == math.inf      # starting after it
    assert process.next_arrival(0.0, 1e6, 10.0) == math.inf       # landing beyond it


def test_an_arrival_exactly_at_the_horizon_is_not_returned():
    assert PiecewisePoisson((1.0,), 5.0).next_arrival(0.0, 10.0, 10.0) == math.inf
    assert PiecewisePoisson((1.0, 1.0), 5.0).next_arrival(0.0, 10.0, 10.0) == math.inf
    assert PiecewisePoisson((1.0, 1.0), 5.0).next_arrival(0.0, 9.5, 10.0) == pytest.approx(9.5)


def test_all_zero_rates_never_arrive():
    assert PiecewisePoisson((0.0,), 5.0).next_arrival(0.0, 0.5, 100.0) == math.inf
    assert PiecewisePoisson((0.0, 0.0), 5.0).next_arrival(0.0, 0.5, 100.0) == math.inf


@pytest.mark.parametrize("rates", [(), (-1.0,), (1.0, math.inf), (math.nan,)])
def test_invalid_rates_are_rejected(rates):
    with pytest.raises(ValueError, match="rates"):
        PiecewisePoisson(rates, 10.0)
