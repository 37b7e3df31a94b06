"""Erlang B (loss) and Erlang C (delay) for M/M/c, by stable ratio recursions."""

from __future__ import annotations

import math

from ._checks import _check_agents, _check_nonneg, _check_positive

__all__ = ["erlang_b", "erlang_c", "erlang_c_asa", "erlang_c_service_level", "erlang_c_mean_queue"]

# ---------------------------------------------------------------------------
# Erlang B / Erlang C
# ---------------------------------------------------------------------------

def erlang_b_step(k: int, load: float, prev: float) -> float:
    """One step of the blocking recursion, from k-1 to k servers."""
    x = load * prev
    return x / (k + x)


def erlang_b_raw(c: int, load: float) -> float:
    b = 1.0
    for k in range(1, c + 1):
        b = erlang_b_step(k, load, b)
    return b


def erlang_c_from_b(c: int, load: float, b: float) -> float:
    """Waiting probability from the blocking probability with the same c."""
    if load >= c:
        return 1.0
    if load == 0.0:
        return 0.0
    rho = load / c
    return min(1.0, max(0.0, b / (1.0 - rho * (1.0 - b))))


def erlang_c_sl(c: int, load: float, aht: float, threshold: float, pw: float) -> float:
    if load >= c:
        return 0.0
    if math.isinf(threshold):
        return 1.0
    return min(1.0, max(0.0, 1.0 - pw * math.exp(-(c - load) * threshold / aht)))


def erlang_b(c: int, load: float) -> float:
    """Blocking probability of an M/M/c/c loss system (Erlang B).

    Uses the forward recursion B(k) = a B(k-1) / (k + a B(k-1)), which only
    ever handles numbers in [0, 1] and so cannot overflow.
    """
    c = _check_agents("c", c)
    load = _check_nonneg("load", load)
    return erlang_b_raw(c, load)


def erlang_c(c: int, load: float) -> float:
    """Probability that a contact has to wait in M/M/c (Erlang C).

    Obtained from Erlang B through C = B / (1 - rho (1 - B)); equals 1.0 when
    the system is not stable (load >= c).
    """
    c = _check_agents("c", c)
    load = _check_nonneg("load", load)
    if load >= c:
        return 1.0
    return erlang_c_from_b(c, load, erlang_b_raw(c, load))


def erlang_c_asa(c: int, load: float, aht: float) -> float:
    """Mean wait over all contacts in M/M/c, C * aht / (c - load).

    Contacts answered at once count with a wait of zero; ``inf`` when
    load >= c.
    """
    c = _check_agents("c", c)
    load = _check_nonneg("load", load)
    aht = _check_positive("aht", aht)
    if load >= c:
        return math.inf
    return erlang_c_from_b(c, load, erlang_b_raw(c, load)) * aht / (c - load)


def erlang_c_service_level(c: int, load: float, aht: float, threshold: float) -> float:
    """P(wait <= threshold) in M/M/c: 1 - C exp(-(c - load) threshold / aht).

    Returns 0.0 when load >= c (the queue grows without bound).
    """
    c = _check_agents("c", c)
    load = _check_nonneg("load", load)
    aht = _check_positive("aht", aht)
    threshold = _check_nonneg("threshold", threshold, allow_inf=True)
    if load >= c:
        return 0.0
    pw = erlang_c_from_b(c, load, erlang_b_raw(c, load))
    return erlang_c_sl(c, load, aht, threshold, pw)


def erlang_c_mean_queue(c: int, load: float) -> float:
    """Mean number of contacts waiting in M/M/c, C * load / (c - load).

    ``inf`` when load >= c.
    """
    c = _check_agents("c", c)
    load = _check_nonneg("load", load)
    if load >= c:
        return math.inf
    return erlang_c_from_b(c, load, erlang_b_raw(c, load)) * load / (c - load)
