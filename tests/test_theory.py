"""Tests for ccsim.theory against independent reference values.

Reference values come from hand formulas, exact rational arithmetic,
balance equations solved directly with numpy.linalg, and a small
seeded simulation of the M/M/c+M queue; the module's own output is only
compared with itself for identities and limits.
"""

import heapq
import math
from fractions import Fraction

import numpy as np
import pytest

from ccsim import theory
from ccsim.theory import (
    ErlangA,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_asa,
    erlang_c_mean_queue,
    erlang_c_service_level,
    halfin_whitt_beta,
    square_root_staffing,
    staff_erlang_a,
    staff_erlang_c,
)


# ---------------------------------------------------------------------------
# independent reference helpers
# ---------------------------------------------------------------------------

def exact_erlang_b(c, load):
    """Erlang B from its defining ratio, in exact rational arithmetic."""
    a = Fraction(load)
    terms = [Fraction(1)]
    for k in range(1, c + 1):
        terms.append(terms[-1] * a / k)
    return float(terms[-1] / sum(terms))


def birth_death_stationary(c, lam, mu, theta, size):
    """Stationary law of the truncated M/M/c+M chain via numpy.linalg.

    Builds the full generator on states 0..size and solves pi Q = 0 with the
    normalisation row, without using the product form.
    """
    n_states = size + 1
    q = np.zeros((n_states, n_states))
    for n in range(n_states):
        if n < size:
            q[n, n + 1] = lam
        if n > 0:
            q[n, n - 1] = min(n, c) * mu + max(n - c, 0) * theta
        q[n, n] = -q[n].sum()
    # pi Q = 0 with one (redundant) balance equation replaced by sum(pi) = 1;
    # the generator is rescaled so both kinds of row have similar size.
    system = q.T / np.abs(q).max()
    system[-1, :] = 1.0
    rhs = np.zeros(n_states)
    rhs[-1] = 1.0
    return np.linalg.solve(system, rhs)


def poisson_pmf(mean, n_max):
    k = np.arange(n_max + 1)
    log_fact = np.array([math.lgamma(i + 1.0) for i in k])
    return np.exp(-mean + k * math.log(mean) - log_fact)


def erlang_cdf(shape, rate, t):
    """P(Gamma(shape, rate) <= t) for an integer shape, by the Poisson sum."""
    x = rate * t
    return 1.0 - sum(math.exp(-x + i * math.log(x) - math.lgamma(i + 1.0)) for i in range(shape))


def simulate_mmc_m(c, lam, aht, mean_patience, threshold, n_arrivals, seed):
    """Seeded FCFS simulation of M/M/c+M, tracking agents' free times.

    Each arrival is served by the earliest-free agent if that happens before
    its patience runs out; abandoning contacts never take an agent.
    Returns per-arrival indicator arrays.
    """
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1.0 / lam, n_arrivals))
    services = rng.exponential(aht, n_arrivals)
    patience = rng.exponential(mean_patience, n_arrivals)
    free = [0.0] * c
    waited = np.zeros(n_arrivals, dtype=bool)
    answered = np.zeros(n_arrivals, dtype=bool)
    wait = np.zeros(n_arrivals)
    for i in range(n_arrivals):
        t = arrivals[i]
        earliest = free[0]
        w = earliest - t if earliest > t else 0.0
        waited[i] = w > 0.0
        if w <= patience[i]:
            answered[i] = True
            wait[i] = w
            heapq.heapreplace(free, t + w + services[i])
        else:
            wait[i] = patience[i]
    sl = answered & (wait <= threshold)
    ab_early = (~answered) & (wait <= threshold)
    return {"waited": waited, "answered": answered, "wait": wait, "sl": sl, "ab_early": ab_early}


def batch_mean_and_se(values, n_batches=40):
    batches = np.array_split(np.asarray(values, dtype=float), n_batches)
    means = np.array([b.mean() for b in batches])
    return means.mean(), means.std(ddof=1) / math.sqrt(n_batches)


def std_normal_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def std_normal_pdf(x):
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


# ---------------------------------------------------------------------------
# Erlang B
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("a", [0.0, 0.1, 1.0, 2.5, 40.0])
def test_erlang_b_single_agent(a):
    assert erlang_b(1, a) == pytest.approx(a / (1.0 + a), rel=1e-14, abs=1e-300)


@pytest.mark.parametrize("a", [0.3, 1.0, 2.0, 7.5])
def test_erlang_b_two_agents(a):
    expected = (a * a / 2.0) / (1.0 + a + a * a / 2.0)
    assert erlang_b(2, a) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("c,load", [(5, Fraction(3)), (10, Fraction(5)), (10, Fraction(15, 2)),
                                    (20, Fraction(18)), (30, Fraction(45, 2))])
def test_erlang_b_matches_exact_rational(c, load):
    assert erlang_b(c, float(load)) == pytest.approx(exact_erlang_b(c, load), rel=1e-12)


def test_erlang_b_textbook_value():
    # 10 trunks offered 5 erlangs block about 1.84 % of calls
    assert erlang_b(10, 5.0) == pytest.approx(0.018384570336648, rel=1e-10)


def test_zero_load():
    assert erlang_b(4, 0.0) == 0.0
    assert erlang_c(4, 0.0) == 0.0
    assert erlang_c_asa(4, 0.0, 300.0) == 0.0
    assert erlang_c_mean_queue(4, 0.0) == 0.0
    assert erlang_c_service_level(4, 0.0, 300.0, 20.0) == 1.0


# ---------------------------------------------------------------------------
# Erlang C
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("c,load", [(1, 0.6), (4, 3.2), (10, 8.0), (25, 20.0)])
def test_erlang_c_against_balance_equations(c, load):
    aht = 180.0
    mu = 1.0 / aht
    lam = load * mu
    size = c + 400
    pi = birth_death_stationary(c, lam, mu, 0.0, size)
    p_wait = pi[c:].sum()
    queue = np.clip(np.arange(size + 1) - c, 0, None)
    mean_queue = float(np.dot(queue, pi))
    assert erlang_c(c, load) == pytest.approx(p_wait, rel=1e-8)
    assert erlang_c_mean_queue(c, load) == pytest.approx(mean_queue, rel=1e-7)
    # Little's law: mean wait over all contacts is E[Q] / lambda
    assert erlang_c_asa(c, load, aht) == pytest.approx(mean_queue / lam, rel=1e-7)
    # An arrival that finds c + j in system waits an Erlang(j + 1, c mu) time.
    threshold = 20.0
    sl = pi[:c].sum() + sum(pi[c + j] * erlang_cdf(j + 1, c * mu, threshold)
                            for j in range(0, 150))
    assert erlang_c_service_level(c, load, aht, threshold) == pytest.approx(sl, rel=1e-7)


def test_erlang_c_single_agent_is_utilisation():
    for rho in (0.1, 0.5, 0.95):
        assert erlang_c(1, rho) == pytest.approx(rho, rel=1e-14)
        assert erlang_c_mean_queue(1, rho) == pytest.approx(rho * rho / (1 - rho), rel=1e-12)


@pytest.mark.parametrize("c", [1, 3, 12, 150])
@pytest.mark.parametrize("frac", [0.2, 0.7, 0.99])
def test_erlang_c_from_erlang_b_identity(c, frac):
    load = frac * c
    b = erlang_b(c, load)
    rho = load / c
    assert erlang_c(c, load) == pytest.approx(b / (1.0 - rho * (1.0 - b)), rel=1e-12)
    assert erlang_c(c, load) >= b


def test_erlang_c_unstable():
    assert erlang_c(5, 5.0) == 1.0
    assert erlang_c(5, 6.5) == 1.0
    assert erlang_c_asa(5, 5.0, 100.0) == math.inf
    assert erlang_c_mean_queue(5, 7.0) == math.inf
    assert erlang_c_service_level(5, 5.0, 100.0, 20.0) == 0.0


def test_erlang_c_service_level_limits():
    c, load, aht = 8, 6.0, 240.0
    assert erlang_c_service_level(c, load, aht, 0.0) == pytest.approx(1 - erlang_c(c, load))
    assert erlang_c_service_level(c, load, aht, math.inf) == 1.0
    levels = [erlang_c_service_level(c, load, aht, t) for t in (0, 5, 20, 60, 300)]
    assert levels == sorted(levels)


# ---------------------------------------------------------------------------
# stability at large scale
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("load", [1500.0, 1990.0, 2000.0, 2400.0])
def test_erlang_b_large_and_monotone(load):
    values = [erlang_b(c, load) for c in range(1990, 2011)]
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values)
    assert all(x > y for x, y in zip(values, values[1:]))


def test_erlang_c_large_and_monotone():
    load = 1950.0
    values = [erlang_c(c, load) for c in range(1951, 2011)]
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values)
    assert all(x > y for x, y in zip(values, values[1:]))
    sls = [erlang_c_service_level(c, load, 300.0, 20.0) for c in range(1951, 2011)]
    assert all(x < y for x, y in zip(sls, sls[1:]))
    assert 0.0 < erlang_c(2000, 1999.9) < 1.0
    assert math.isfinite(erlang_c_asa(2000, 1999.9, 300.0))


def test_erlang_a_large_scale_overload():
    model = erlang_a(2000, 2400.0 / 300.0, 300.0, 180.0)
    for value in (model.p_wait, model.p_abandon, model.service_level(20.0),
                  model.p_abandon_within(20.0)):
        assert math.isfinite(value) and 0.0 <= value <= 1.0
    # far in overload almost the whole excess abandons: (a - c) / a
    assert model.p_abandon == pytest.approx(400.0 / 2400.0, rel=1e-3)
    assert math.isfinite(model.asa) and model.asa > 0.0
    sls = [erlang_a(c, 2000.0 / 300.0, 300.0, 180.0).service_level(20.0)
           for c in (1980, 2000, 2020, 2040)]
    assert all(x < y for x, y in zip(sls, sls[1:]))


# ---------------------------------------------------------------------------
# Erlang A
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("c,load,aht,patience", [(3, 2.4, 1.0, 2.0), (5, 6.0, 100.0, 50.0),
                                                 (12, 10.0, 240.0, 600.0), (1, 0.5, 10.0, 3.0)])
def test_erlang_a_against_balance_equations(c, load, aht, patience):
    mu, theta = 1.0 / aht, 1.0 / patience
    lam = load * mu
    size = c + 300
    pi = birth_death_stationary(c, lam, mu, theta, size)
    queue = np.clip(np.arange(size + 1) - c, 0, None)
    mean_queue = float(np.dot(queue, pi))
    model = erlang_a(c, lam, aht, patience)
    assert model.p_wait == pytest.approx(pi[c:].sum(), rel=1e-8)
    assert model.mean_queue == pytest.approx(mean_queue, rel=1e-7)
    # abandonment rate theta E[Q] per arrival; Little's law for the mean wait
    assert model.p_abandon == pytest.approx(theta * mean_queue / lam, rel=1e-7)
    assert model.mean_wait_all == pytest.approx(mean_queue / lam, rel=1e-7)


@pytest.mark.parametrize("c,load", [(1, 0.7), (4, 3.0), (10, 12.0), (30, 25.0)])
def test_erlang_a_equal_rates_gives_poisson(c, load):
    # with theta = mu every contact leaves at rate mu: N ~ Poisson(load)
    aht = 200.0
    model = erlang_a(c, load / aht, aht, aht)
    pmf = poisson_pmf(load, 400)
    assert model.p_wait == pytest.approx(pmf[c:].sum(), rel=1e-9)
    queue = np.clip(np.arange(401) - c, 0, None)
    assert model.mean_queue == pytest.approx(float(np.dot(queue, pmf)), rel=1e-9)


@pytest.mark.parametrize("c,load", [(4, 3.0), (10, 7.0), (40, 36.0)])
def test_erlang_a_long_patience_tends_to_erlang_c(c, load):
    aht, threshold = 180.0, 20.0
    lam = load / aht
    exact = erlang_a(c, lam, aht, math.inf)
    assert exact.p_wait == pytest.approx(erlang_c(c, load), rel=1e-12)
    assert exact.asa == pytest.approx(erlang_c_asa(c, load, aht), rel=1e-12)
    assert exact.p_abandon == 0.0
    near = erlang_a(c, lam, aht, 1e7 * aht)
    # Erlang C reference computed independently from balance equations
    pi = birth_death_stationary(c, lam, 1.0 / aht, 0.0, c + 600)
    sl = pi[:c].sum() + sum(pi[c + j] * erlang_cdf(j + 1, c / aht, threshold)
                            for j in range(0, 200))
    assert near.p_wait == pytest.approx(pi[c:].sum(), rel=1e-5)
    assert near.service_level(threshold) == pytest.approx(sl, rel=1e-5)
    assert near.asa == pytest.approx(erlang_c_asa(c, load, aht), rel=1e-5)
    assert near.p_abandon < 1e-5


def test_erlang_a_infinite_patience_overloaded():
    model = erlang_a(5, 6.0 / 100.0, 100.0, math.inf)
    assert model.p_wait == 1.0
    assert model.asa == math.inf
    assert model.service_level(30.0) == 0.0


def test_erlang_a_internal_identities():
    model = erlang_a(6, 5.5 / 120.0, 120.0, 90.0)
    assert model.p_answered == pytest.approx(1.0 - model.p_abandon)
    assert model.service_level(0.0) == pytest.approx(1.0 - model.p_wait, rel=1e-12)
    assert model.p_abandon_within(0.0) == 0.0
    assert model.service_level(math.inf) == pytest.approx(1.0 - model.p_abandon, rel=1e-12)
    assert model.p_abandon_within(math.inf) == pytest.approx(model.p_abandon, rel=1e-12)
    # very long threshold converges to the infinite one
    assert model.service_level(1e5) == pytest.approx(1.0 - model.p_abandon, rel=1e-10)
    assert model.p_abandon_within(1e5) == pytest.approx(model.p_abandon, rel=1e-10)
    ts = [0.0, 1.0, 10.0, 30.0, 120.0, 600.0]
    sls = [model.service_level(t) for t in ts]
    abs_ = [model.p_abandon_within(t) for t in ts]
    assert sls == sorted(sls) and abs_ == sorted(abs_)
    # answered contacts are the ones that happened to wait less
    assert 0.0 < model.asa < model.mean_wait_all
    assert 0.0 < model.asa < model.mean_wait_all / model.p_wait


def test_erlang_a_zero_arrivals():
    model = erlang_a(3, 0.0, 100.0, 60.0)
    assert model.p_wait == 0.0 and model.p_abandon == 0.0
    assert model.service_level(10.0) == 1.0


def test_erlang_a_against_simulation():
    c, aht, patience, threshold = 3, 1.0, 2.0, 0.5
    lam = 3.0  # offered load equals c; only abandonment keeps it stable
    sim = simulate_mmc_m(c, lam, aht, patience, threshold, 80_000, seed=20240611)
    model = ErlangA(c, lam, aht, patience)
    checks = {
        "p_wait": (sim["waited"], model.p_wait),
        "p_abandon": (~sim["answered"], model.p_abandon),
        "service_level": (sim["sl"], model.service_level(threshold)),
        "p_abandon_within": (sim["ab_early"], model.p_abandon_within(threshold)),
        "mean_wait_all": (sim["wait"], model.mean_wait_all),
    }
    for name, (samples, expected) in checks.items():
        mean, se = batch_mean_and_se(samples)
        assert abs(mean - expected) < 4.5 * se + 1e-3, (name, mean, se, expected)
    # asa: mean wait of answered contacts, a ratio estimated batch by batch
    ratios = np.array([w[a].mean() for w, a in zip(np.array_split(sim["wait"], 40),
                                                   np.array_split(sim["answered"], 40))])
    se = ratios.std(ddof=1) / math.sqrt(40)
    estimate = sim["wait"][sim["answered"]].mean()
    assert abs(estimate - model.asa) < 4.5 * se + 1e-3, (estimate, se, model.asa)


def test_erlang_a_result_alias_and_frozen():
    model = erlang_a(2, 0.01, 100.0, 50.0)
    assert isinstance(model, theory.ErlangAResult)
    with pytest.raises(Exception):
        model.c = 3


# ---------------------------------------------------------------------------
# staffing rules
# ---------------------------------------------------------------------------

def test_square_root_staffing():
    assert square_root_staffing(100.0, 1.0) == 110
    assert square_root_staffing(100.0, 0.5) == 105
    assert square_root_staffing(50.0, 0.0) == 50
    assert square_root_staffing(2.0, 1.0) == math.ceil(2.0 + math.sqrt(2.0))
    assert square_root_staffing(0.0, 1.0) == 1


@pytest.mark.parametrize("p", [0.01, 0.2, 0.5, 0.8, 0.99])
def test_halfin_whitt_beta_solves_its_equation(p):
    beta = halfin_whitt_beta(p)
    value = 1.0 / (1.0 + beta * std_normal_cdf(beta) / std_normal_pdf(beta))
    assert value == pytest.approx(p, rel=1e-9)


def test_halfin_whitt_beta_predicts_erlang_c_at_scale():
    load = 2000.0
    for p in (0.2, 0.5, 0.8):
        beta = halfin_whitt_beta(p)
        agents = load + beta * math.sqrt(load)
        lo = erlang_c(math.ceil(agents), load)
        hi = erlang_c(math.floor(agents), load)
        assert lo - 0.01 <= p <= hi + 0.01


@pytest.mark.parametrize("load,aht,threshold,target", [(8.0, 180.0, 20.0, 0.8),
                                                        (24.0, 240.0, 20.0, 0.8),
                                                        (300.0, 300.0, 30.0, 0.9),
                                                        (0.5, 60.0, 10.0, 0.95)])
def test_staff_erlang_c_is_smallest(load, aht, threshold, target):
    c = staff_erlang_c(load, aht, threshold, target)
    assert erlang_c_service_level(c, load, aht, threshold) >= target
    if c > 1:
        assert erlang_c_service_level(c - 1, load, aht, threshold) < target
    # independent SL from the balance equations at the chosen c
    mu = 1.0 / aht
    pi = birth_death_stationary(c, load * mu, mu, 0.0, c + 500) if c < 60 else None
    if pi is not None:
        sl = pi[:c].sum() + sum(pi[c + j] * erlang_cdf(j + 1, c * mu, threshold)
                                for j in range(150))
        assert sl >= target - 1e-9


def test_staff_erlang_c_zero_load():
    assert staff_erlang_c(0.0, 100.0, 20.0, 0.8) == 1


@pytest.mark.parametrize("lam,aht,patience,threshold,target,max_ab", [
    (10.0 / 180.0, 180.0, 60.0, 20.0, 0.8, None),
    (40.0 / 300.0, 300.0, 120.0, 30.0, 0.7, None),
    (40.0 / 300.0, 300.0, 120.0, 30.0, 0.5, 0.01),
    (3.0 / 200.0, 200.0, math.inf, 20.0, 0.8, None),
])
def test_staff_erlang_a_is_smallest(lam, aht, patience, threshold, target, max_ab):
    c = staff_erlang_a(lam, aht, patience, threshold, target, max_abandon=max_ab)

    def ok(k):
        model = erlang_a(k, lam, aht, patience)
        good = model.service_level(threshold) >= target
        if max_ab is not None:
            good = good and model.p_abandon <= max_ab
        return good

    assert ok(c)
    if c > 1:
        assert not ok(c - 1)


def test_staff_erlang_a_infinite_patience_matches_erlang_c():
    aht, threshold, target = 200.0, 20.0, 0.8
    for load in (3.0, 17.0, 60.0):
        assert staff_erlang_a(load / aht, aht, math.inf, threshold, target) == \
            staff_erlang_c(load, aht, threshold, target)


# ---------------------------------------------------------------------------
# input validation
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("call,name", [
    (lambda: erlang_b(0, 1.0), "c"),
    (lambda: erlang_b(2.5, 1.0), "c"),
    (lambda: erlang_b(True, 1.0), "c"),
    (lambda: erlang_c(3, -1.0), "load"),
    (lambda: erlang_c(3, float("nan")), "load"),
    (lambda: erlang_c_asa(3, 1.0, 0.0), "aht"),
    (lambda: erlang_c_service_level(3, 1.0, 10.0, -5.0), "threshold"),
    (lambda: erlang_a(3, -0.1, 10.0, 5.0), "arrival_rate"),
    (lambda: erlang_a(3, 0.1, 10.0, 0.0), "mean_patience"),
    (lambda: staff_erlang_c(5.0, 100.0, 20.0, 1.5), "target_sl"),
    (lambda: staff_erlang_a(0.1, 10.0, 5.0, 20.0, 0.8, max_abandon=0.0), "max_abandon"),
    (lambda: halfin_whitt_beta(0.0), "p_wait"),
])
def test_invalid_inputs_raise_value_error(call, name):
    with pytest.raises(ValueError) as info:
        call()
    assert name in str(info.value)


def test_error_message_shows_value():
    with pytest.raises(ValueError, match="-3"):
        erlang_b(-3, 1.0)
