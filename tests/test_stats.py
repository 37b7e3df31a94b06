"""Wait histograms, percentiles, Student-t quantiles and confidence intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsim.measure.stats import (ZERO_BIN, bin_edges, mean_ci, merge_histograms, percentile,
                                t_quantile, wait_bin, wait_bins)

# --- bins ------------------------------------------------------------------------------------

# documented widths: 0.5 s below 2 min, 5 s below 20 min, 1 min below 10 h, 5 min beyond
RANGES = ((0.0, 120.0, 0.5), (120.0, 1200.0, 5.0), (1200.0, 36000.0, 60.0),
          (36000.0, 1e7, 300.0))


def _assert_inside(wait):
    index = wait_bin(wait)
    low, high = bin_edges(index)
    assert low <= wait < high, f"wait {wait!r} in bin {index} with edges [{low}, {high})"
    return index, low, high


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=0.0, max_value=1e7, exclude_min=True, allow_nan=False))
def test_every_positive_wait_falls_inside_its_bin(wait):
    _assert_inside(wait)


def test_waits_at_and_next_to_every_bin_edge():
    for start, stop, width in RANGES:
        n = round((min(stop, start + 400 * width) - start) / width)
        for k in range(n + 1):
            edge = start + k * width
            for wait in (math.nextafter(edge, 0.0), edge, math.nextafter(edge, math.inf)):
                if wait > 0:
                    _assert_inside(wait)


def test_the_array_bins_are_the_scalar_bins():
    """``wait_bins`` (the ledger's) gives ``wait_bin`` of every wait, at and next to each edge
    and on random waits across the ranges."""
    edges = [start + k * width for start, stop, width in RANGES
             for k in range(round((min(stop, start + 400 * width) - start) / width) + 1)]
    waits = [w for edge in edges
             for w in (math.nextafter(edge, 0.0), edge, math.nextafter(edge, math.inf)) if w > 0]
    waits += np.random.default_rng(3).exponential(900.0, 20_000).tolist() + [1e-300, 9e6]
    assert wait_bins(np.array(waits)).tolist() == [wait_bin(w) for w in waits]


@pytest.mark.parametrize("start, stop, width", RANGES)
def test_bin_widths_are_as_documented(start, stop, width):
    for wait in np.linspace(start, min(stop, start + 50 * width), 97)[1:-1]:
        _, low, high = _assert_inside(float(wait))
        assert high - low == pytest.approx(width)


def test_bins_are_contiguous_and_ordered():
    previous_high = 0.0
    for index in range(0, 1200):
        low, high = bin_edges(index)
        assert low == pytest.approx(previous_high) and high > low
        previous_high = high


def test_zero_wait_is_its_own_atom():
    assert wait_bin(0.0) == ZERO_BIN
    assert bin_edges(ZERO_BIN) == (0.0, 0.0)
    assert wait_bin(1e-9) != ZERO_BIN
    assert bin_edges(wait_bin(1e-9)) == (0.0, 0.5)


def test_bad_bin_index():
    with pytest.raises(ValueError):
        bin_edges(-7)


# --- percentiles on hand-built histograms -----------------------------------------------------

def test_zero_atom_majority_gives_zero_median():
    # 60 % of waits exactly 0, 40 % at 10-10.5 s
    histogram = {ZERO_BIN: 60, wait_bin(10.2): 40}
    assert percentile(histogram, 0.5) == 0.0
    assert percentile(histogram, 0.6) == 0.0
    # rank 80 is the 20th of 40 waits in [10, 10.5): linear interpolation gives 10.25
    assert percentile(histogram, 0.8) == pytest.approx(10.25)


def test_percentile_interpolates_inside_a_bin():
    histogram = {wait_bin(130.0): 10}   # 10 waits in [130, 135)
    assert percentile(histogram, 0.5) == pytest.approx(132.5)
    assert percentile(histogram, 0.1) == pytest.approx(130.5)
    assert percentile(histogram, 0.9) == pytest.approx(134.5)


def test_percentile_across_bins_by_hand():
    # 25 waits in [0, 0.5), 25 in [30, 30.5), 50 in [600, 605)
    histogram = {wait_bin(0.2): 25, wait_bin(30.1): 25, wait_bin(601.0): 50}
    assert percentile(histogram, 0.25) == pytest.approx(0.5)        # top of the first bin
    assert percentile(histogram, 0.40) == pytest.approx(30.3)       # 15/25 through [30, 30.5)
    assert percentile(histogram, 0.90) == pytest.approx(604.0)      # 40/50 through [600, 605)


def test_percentile_is_monotone_in_q():
    rng = np.random.default_rng(3)
    histogram = {}
    for wait in rng.exponential(200.0, 5000):
        histogram[wait_bin(float(wait))] = histogram.get(wait_bin(float(wait)), 0) + 1
    histogram[ZERO_BIN] = 2000
    values = [percentile(histogram, q) for q in np.linspace(0.01, 0.99, 99)]
    assert all(a <= b for a, b in zip(values, values[1:]))


def test_percentile_matches_sample_quantile_within_bin_width():
    rng = np.random.default_rng(8)
    waits = rng.exponential(90.0, 20_000)
    histogram = {}
    for wait in waits:
        histogram[wait_bin(float(wait))] = histogram.get(wait_bin(float(wait)), 0) + 1
    for q in (0.5, 0.8, 0.9, 0.95):
        exact = float(np.quantile(waits, q))
        low, high = bin_edges(wait_bin(exact))
        assert abs(percentile(histogram, q) - exact) <= high - low


def test_percentile_of_empty_histogram_is_nan():
    assert math.isnan(percentile({}, 0.5))


def test_merge_histograms_adds_counts():
    merged = merge_histograms([{ZERO_BIN: 2, 5: 1}, {5: 3, 300: 4}, {}])
    assert merged == {ZERO_BIN: 2, 5: 4, 300: 4}


# --- Student t ----------------------------------------------------------------------------------

# two-sided 95 % and 99 % critical values from a standard t table (3 decimals)
T_TABLE = {
    1: (12.706, 63.657), 2: (4.303, 9.925), 5: (2.571, 4.032),
    10: (2.228, 3.169), 30: (2.042, 2.750), 120: (1.980, 2.617),
}


@pytest.mark.parametrize("df", T_TABLE)
def test_t_quantile_against_table(df):
    t975, t995 = T_TABLE[df]
    assert t_quantile(0.975, df) == pytest.approx(t975, abs=6e-4)
    assert t_quantile(0.995, df) == pytest.approx(t995, abs=6e-4)


@pytest.mark.parametrize("p", [0.6, 0.9, 0.975, 0.995, 0.9995])
def test_t_quantile_closed_forms_for_one_and_two_degrees_of_freedom(p):
    # df = 1 is the Cauchy distribution; df = 2 has F^-1(p) = (2p - 1) / sqrt(2p(1 - p))
    assert t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-9)
    assert t_quantile(p, 2) == pytest.approx((2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-9)


def test_t_quantile_tends_to_the_normal():
    assert t_quantile(0.975, 1e7) == pytest.approx(1.959964, abs=1e-5)
    assert t_quantile(0.995, 1e7) == pytest.approx(2.575829, abs=1e-5)


@pytest.mark.parametrize("df", [1, 3, 9, 50])
def test_t_quantile_symmetry(df):
    assert t_quantile(0.5, df) == pytest.approx(0.0, abs=1e-9)
    assert t_quantile(0.025, df) == pytest.approx(-t_quantile(0.975, df), rel=1e-12)


@pytest.mark.parametrize("p, df", [(0.0, 5), (1.0, 5), (-0.1, 5), (1.5, 5), (0.9, 0), (0.9, -1)])
def test_t_quantile_rejects_bad_arguments(p, df):
    with pytest.raises(ValueError):
        t_quantile(p, df)


# --- mean_ci -----------------------------------------------------------------------------------

def test_mean_ci_by_hand():
    # values 1..5: mean 3, sd sqrt(2.5); half-width t(0.975, 4) sqrt(2.5)/sqrt(5), t = 2.776
    mean, half = mean_ci([1, 2, 3, 4, 5])
    assert mean == pytest.approx(3.0)
    assert half == pytest.approx(2.776 * math.sqrt(2.5 / 5), abs=5e-4)


def test_mean_ci_coverage_of_normal_samples():
    # 2,000 samples of 10 from N(50, 8^2): the 95 % interval covers 50 in 95 % of them; the
    # binomial standard error of the coverage is sqrt(.95 * .05 / 2000) = 0.49 %, so ±1.5 % is ~3 SE
    rng = np.random.Generator(np.random.PCG64(1234))
    samples = rng.normal(50.0, 8.0, size=(2000, 10))
    covered = 0
    for sample in samples:
        mean, half = mean_ci(sample, 0.95)
        covered += abs(mean - 50.0) <= half
    assert abs(covered / 2000 - 0.95) <= 0.015


def test_mean_ci_leaves_out_nan():
    mean, half = mean_ci([1.0, math.nan, 3.0])
    assert mean == pytest.approx(2.0)
    # two values: sd sqrt(2), n 2, t(0.975, 1) = 12.706
    assert half == pytest.approx(12.706, abs=1e-3)


def test_mean_ci_with_too_few_values():
    assert all(math.isnan(x) for x in mean_ci([]))
    assert all(math.isnan(x) for x in mean_ci([math.nan, math.nan]))
    mean, half = mean_ci([4.0])
    assert mean == 4.0 and math.isnan(half)
    mean, half = mean_ci([4.0, math.nan])
    assert mean == 4.0 and math.isnan(half)


def test_mean_ci_of_constant_values_has_zero_width():
    assert mean_ci([7.0] * 5) == (7.0, 0.0)


def test_mean_ci_wider_at_higher_level():
    values = [3.0, 5.0, 4.0, 8.0, 6.0]
    assert mean_ci(values, 0.99)[1] > mean_ci(values, 0.95)[1] > mean_ci(values, 0.80)[1]


def test_column_wise_intervals_equal_the_one_at_a_time_ones():
    from ccsim.measure.stats import mean_ci, mean_ci_columns

    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(7, 5))
    matrix[2, 1] = np.nan  # an undefined KPI in one replication
    matrix[:, 3] = np.nan  # undefined everywhere
    matrix[1:, 4] = np.nan  # defined once: no half-width
    means, halves = mean_ci_columns(matrix)
    for j in range(5):
        mean, half = mean_ci(matrix[:, j])
        assert np.isclose(means[j], mean, rtol=1e-12, equal_nan=True)
        assert np.isclose(halves[j], half, rtol=1e-12, equal_nan=True)
