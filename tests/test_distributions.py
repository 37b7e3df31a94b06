"""Distributions: exact moments against closed forms, sample moments against CI-derived bounds.

Sample checks draw N = 200,000 values from a fixed Generator. The sample mean has standard error
sigma / sqrt(N); the sample variance has standard error sqrt((mu4 - sigma^4) / N), with mu4 the
fourth central moment from each family's closed-form kurtosis. Bounds are Z = 4.5 standard errors
(two-sided probability about 7e-6 for a fresh seed), so they are tight yet not seed-tuned.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ccsim.distributions import (DISTRIBUTIONS, Deterministic, Empirical, Erlang, Exponential,
                                 Gamma, Lognormal, Triangular, Uniform, make_distribution)

N = 200_000
Z = 4.5


def _lognormal_excess_kurtosis(cv):
    s2 = math.log1p(cv * cv)
    return math.exp(4 * s2) + 2 * math.exp(3 * s2) + 3 * math.exp(2 * s2) - 6


def _triangular_variance(a, c, b):  # min a, mode c, max b (Wikipedia form, written independently)
    return (a * a + b * b + c * c - a * b - a * c - b * c) / 18


# (distribution, closed-form mean, closed-form variance, closed-form excess kurtosis)
CASES = {
    "exponential": (Exponential(mean=180.0), 180.0, 180.0**2, 6.0),
    "lognormal": (Lognormal(mean=270.0, cv=0.5), 270.0, (270.0 * 0.5) ** 2,
                  _lognormal_excess_kurtosis(0.5)),
    "gamma": (Gamma(mean=60.0, cv=0.5), 60.0, 30.0**2, 6 * 0.5**2),      # shape k = 1/cv^2 = 4
    "gamma_cv_above_1": (Gamma(mean=60.0, cv=1.5), 60.0, 90.0**2, 6 * 1.5**2),
    "erlang": (Erlang(mean=240.0, k=3), 240.0, 240.0**2 / 3, 6 / 3),
    "deterministic": (Deterministic(value=45.0), 45.0, 0.0, 0.0),
    "uniform": (Uniform(min=0.0, max=60.0), 30.0, 60.0**2 / 12, -6 / 5),
    "uniform_offset": (Uniform(min=30.0, max=90.0), 60.0, 60.0**2 / 12, -6 / 5),
    "triangular": (Triangular(min=60.0, mode=120.0, max=240.0), 140.0,
                   _triangular_variance(60.0, 120.0, 240.0), -3 / 5),
}


@pytest.mark.parametrize("name", CASES)
def test_exact_mean_and_variance(name):
    distribution, mean, variance, _ = CASES[name]
    assert distribution.mean == pytest.approx(mean, rel=1e-12)
    assert distribution.variance == pytest.approx(variance, rel=1e-12, abs=1e-12)
    expected_cv = math.sqrt(variance) / mean
    assert distribution.cv == pytest.approx(expected_cv, rel=1e-12, abs=1e-12)


def test_triangular_moments_by_hand():
    # min 0, mode 0, max 3: density 2(3-x)/9; mean = 1, E[X^2] = 1.5, variance = 0.5
    distribution = Triangular(min=0.0, mode=0.0, max=3.0)
    assert distribution.mean == pytest.approx(1.0)
    assert distribution.variance == pytest.approx(0.5)


def test_empirical_exact_moments_are_those_of_the_values():
    values = (60.0, 120.0, 120.0, 300.0)
    distribution = Empirical(values)
    # mean 150; squared deviations 8100, 900, 900, 22500 → population variance 8100
    assert distribution.mean == pytest.approx(150.0)
    assert distribution.variance == pytest.approx(8100.0)


@pytest.mark.parametrize("name", CASES)
def test_sample_moments_within_confidence_bounds(name):
    distribution, mean, variance, excess_kurtosis = CASES[name]
    rng = np.random.Generator(np.random.PCG64(20240611))
    sample = distribution.sample(rng, N)
    assert sample.shape == (N,)
    assert np.all(sample >= 0)
    sd = math.sqrt(variance)
    if variance == 0:
        assert np.all(sample == mean)
        return
    assert abs(sample.mean() - mean) <= Z * sd / math.sqrt(N), (
        f"{name}: sample mean {sample.mean():.4f} vs {mean}")
    mu4 = (excess_kurtosis + 3) * variance**2
    se_var = math.sqrt((mu4 - variance**2) / N)
    assert abs(sample.var(ddof=1) - variance) <= Z * se_var, (
        f"{name}: sample variance {sample.var(ddof=1):.4f} vs {variance}")


def test_empirical_sample_moments_and_frequencies():
    values = (60.0, 120.0, 120.0, 300.0)
    distribution = Empirical(values)
    rng = np.random.Generator(np.random.PCG64(7))
    sample = distribution.sample(rng, N)
    assert set(np.unique(sample)) <= set(values)
    # each listed value is drawn with probability 1/4 (120 twice: 1/2)
    for value, p in ((60.0, 0.25), (120.0, 0.5), (300.0, 0.25)):
        share = float(np.mean(sample == value))
        assert abs(share - p) <= Z * math.sqrt(p * (1 - p) / N)
    assert abs(sample.mean() - 150.0) <= Z * 90.0 / math.sqrt(N)


def test_empirical_resampling_only_returns_given_values():
    values = (3.5, 17.25, 42.0, 1000.125, 0.0)
    sample = Empirical(values).sample(np.random.Generator(np.random.PCG64(1)), 10_000)
    assert set(sample.tolist()) == set(values)  # every value appears, nothing else does


def test_empirical_single_value_is_constant():
    sample = Empirical((12.0,)).sample(np.random.default_rng(0), 100)
    assert np.all(sample == 12.0)


def test_empirical_accepts_integer_values():
    # observed talk times are often whole seconds; 1, 2, 3 are finite numbers >= 0
    distribution = Empirical((60, 90, 120))
    assert distribution.mean == pytest.approx(90.0)


def test_samples_are_reproducible_with_the_same_generator_seed():
    for distribution, *_ in CASES.values():
        a = distribution.sample(np.random.Generator(np.random.PCG64(5)), 50)
        b = distribution.sample(np.random.Generator(np.random.PCG64(5)), 50)
        assert np.array_equal(a, b)


# --- make_distribution -----------------------------------------------------------------------

def test_lognormal_sd_and_cv_are_equivalent():
    by_sd = make_distribution("lognormal", {"mean": 270.0, "sd": 135.0})
    by_cv = make_distribution("lognormal", {"mean": 270.0, "cv": 0.5})
    assert by_sd == by_cv == Lognormal(mean=270.0, cv=0.5)
    assert by_sd.variance == pytest.approx(135.0**2)
    a = by_sd.sample(np.random.Generator(np.random.PCG64(3)), 1000)
    b = by_cv.sample(np.random.Generator(np.random.PCG64(3)), 1000)
    assert np.allclose(a, b, rtol=1e-12)


def test_gamma_sd_and_cv_are_equivalent():
    by_sd = make_distribution("gamma", {"mean": 360.0, "sd": 240.0})
    assert by_sd == make_distribution("gamma", {"mean": 360.0, "cv": 2 / 3})
    assert by_sd.variance == pytest.approx(240.0**2)


def test_make_distribution_builds_each_family():
    params = {
        "exponential": {"mean": 10.0}, "lognormal": {"mean": 10.0, "cv": 1.0},
        "gamma": {"mean": 10.0, "cv": 1.0}, "erlang": {"mean": 10.0, "k": 2},
        "deterministic": {"value": 10.0}, "uniform": {"min": 5.0, "max": 15.0},
        "triangular": {"min": 5.0, "mode": 10.0, "max": 15.0},
        "empirical": {"values": [5.0, 10.0, 15.0]},
    }
    assert set(params) == set(DISTRIBUTIONS)
    for family, given in params.items():
        distribution = make_distribution(family, given)
        assert isinstance(distribution, DISTRIBUTIONS[family][0])
        assert distribution.mean == pytest.approx(10.0)


@pytest.mark.parametrize("build, parameter", [
    pytest.param(lambda: Exponential(0.0), "mean", id="exponential_zero_mean"),
    pytest.param(lambda: Exponential(-5.0), "mean", id="exponential_negative_mean"),
    pytest.param(lambda: Exponential(math.inf), "mean", id="exponential_infinite_mean"),
    pytest.param(lambda: Exponential(math.nan), "mean", id="exponential_nan_mean"),
    pytest.param(lambda: Lognormal(10.0, 0.0), "cv", id="lognormal_zero_cv"),
    pytest.param(lambda: Lognormal(-1.0, 0.5), "mean", id="lognormal_negative_mean"),
    pytest.param(lambda: Gamma(10.0, -1.0), "cv", id="gamma_negative_cv"),
    pytest.param(lambda: Erlang(10.0, 0), "k", id="erlang_k_zero"),
    pytest.param(lambda: Erlang(10.0, 2.5), "k", id="erlang_k_fraction"),
    pytest.param(lambda: Erlang(10.0, True), "k", id="erlang_k_bool"),
    pytest.param(lambda: Deterministic(-1.0), "value", id="deterministic_negative"),
    pytest.param(lambda: Uniform(-1.0, 5.0), "min", id="uniform_negative_min"),
    pytest.param(lambda: Uniform(5.0, 5.0), "max", id="uniform_min_equals_max"),
    pytest.param(lambda: Uniform(6.0, 5.0), "max", id="uniform_min_above_max"),
    pytest.param(lambda: Triangular(1.0, 5.0, 3.0), "mode", id="triangular_mode_above_max"),
    pytest.param(lambda: Triangular(2.0, 2.0, 2.0), "mode", id="triangular_all_equal"),
    pytest.param(lambda: Empirical(()), "values", id="empirical_empty"),
    pytest.param(lambda: Empirical((1.0, -2.0)), "values", id="empirical_negative_value"),
    pytest.param(lambda: Empirical((1.0, math.inf)), "values", id="empirical_infinite_value"),
    pytest.param(lambda: make_distribution("lognormal", {"mean": 60.0}), "cv",
                 id="lognormal_neither_cv_nor_sd"),
    pytest.param(lambda: make_distribution("lognormal", {"mean": 60.0, "sd": 30.0, "cv": 0.5}),
                 "sd", id="lognormal_sd_and_cv"),
    pytest.param(lambda: make_distribution("gamma", {"mean": 60.0, "sd": -3.0}), "sd",
                 id="gamma_negative_sd"),
    pytest.param(lambda: make_distribution("gamma", {"mean": 60.0, "sd": math.nan}), "sd",
                 id="gamma_nan_sd"),
    # the sd check says "finite", so an infinite sd must be reported as sd, not as cv
    pytest.param(lambda: make_distribution("lognormal", {"mean": 60.0, "sd": math.inf}), "sd",
                 id="lognormal_infinite_sd"),
])
def test_parameter_errors_name_the_parameter(build, parameter):
    with pytest.raises(ValueError) as info:
        build()
    assert str(info.value).startswith(f"{parameter}: "), str(info.value)


def test_distributions_are_immutable():
    distribution = Exponential(10.0)
    with pytest.raises(AttributeError):
        distribution.mean = 20.0
