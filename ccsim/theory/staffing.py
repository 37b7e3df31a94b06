"""Staffing: square-root rule, Halfin-Whitt beta, smallest headcount meeting a target."""

from __future__ import annotations

import math
from typing import Optional

from ._checks import _as_real, _check_nonneg, _check_positive, _check_target
from .erlang import _erlang_b_step, _erlang_c_from_b, _erlang_c_sl
from .erlang_a import ErlangA

__all__ = ["square_root_staffing", "halfin_whitt_beta", "staff_erlang_c", "staff_erlang_a"]

# ---------------------------------------------------------------------------
# staffing
# ---------------------------------------------------------------------------

def square_root_staffing(load: float, beta: float) -> int:
    """Square-root staffing rule: ceil(load + beta * sqrt(load)), at least 1."""
    load = _check_nonneg("load", load)
    beta = _as_real("beta", beta)
    if math.isinf(beta):
        raise ValueError(f"beta must be finite, got {beta!r}")
    target = load + beta * math.sqrt(load)
    # tolerate rounding noise so that an exact integer is not pushed up by one
    staff = math.ceil(target - 1e-9 * max(1.0, abs(target)))
    return max(1, staff)


def _halfin_whitt_log_odds(beta: float) -> float:
    """log(beta Phi(beta) / phi(beta)), increasing in beta > 0."""
    log_cdf = math.log(0.5 * math.erfc(-beta / math.sqrt(2.0)))
    log_pdf = -0.5 * beta * beta - 0.5 * math.log(2.0 * math.pi)
    return math.log(beta) + log_cdf - log_pdf


def halfin_whitt_beta(p_wait: float) -> float:
    """Quality-of-service parameter beta of the Halfin-Whitt regime.

    Solves p_wait = 1 / (1 + beta Phi(beta) / phi(beta)) by bisection, so
    that ``square_root_staffing(load, beta)`` gives roughly that waiting
    probability for large loads.  p_wait = 1 gives beta = 0.
    """
    p = _as_real("p_wait", p_wait)
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p_wait must lie in (0, 1], got {p_wait!r}")
    if p == 1.0:
        return 0.0
    goal = math.log1p(-p) - math.log(p)          # log(1/p - 1)
    lo, hi = 0.0, 1.0
    while _halfin_whitt_log_odds(hi) < goal:
        lo, hi = hi, 2.0 * hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if _halfin_whitt_log_odds(mid) < goal:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def staff_erlang_c(load: float, aht: float, threshold: float, target_sl: float) -> int:
    """Smallest number of agents whose Erlang C service level meets the target.

    Walks c upward while carrying the Erlang B recursion along, so the cost
    is linear in the answer.
    """
    load = _check_nonneg("load", load)
    aht = _check_positive("aht", aht)
    threshold = _check_nonneg("threshold", threshold, allow_inf=True)
    target = _check_target("target_sl", target_sl)
    b = 1.0
    k = 0
    while True:
        k += 1
        b = _erlang_b_step(k, load, b)
        if load >= k:
            sl = 0.0
        else:
            sl = _erlang_c_sl(k, load, aht, threshold, _erlang_c_from_b(k, load, b))
        if sl >= target:
            return k


def staff_erlang_a(arrival_rate: float, aht: float, mean_patience: float,
                   threshold: float, target_sl: float,
                   max_abandon: Optional[float] = None) -> int:
    """Smallest number of agents meeting an Erlang A service-level target.

    The service level is "answered within threshold / offered" (see
    :meth:`ErlangA.service_level`); if ``max_abandon`` is given the abandon
    fraction must also not exceed it.  Both figures improve as agents are
    added, so the answer is bracketed around the offered load and then found
    by bisection.
    """
    lam = _check_nonneg("arrival_rate", arrival_rate)
    aht = _check_positive("aht", aht)
    patience = _check_positive("mean_patience", mean_patience, allow_inf=True)
    threshold = _check_nonneg("threshold", threshold, allow_inf=True)
    target = _check_target("target_sl", target_sl)
    if max_abandon is not None:
        max_abandon = _as_real("max_abandon", max_abandon)
        if not 0.0 < max_abandon <= 1.0:
            raise ValueError(f"max_abandon must lie in (0, 1], got {max_abandon!r}")

    def meets(c: int) -> bool:
        model = ErlangA(c, lam, aht, patience)
        if max_abandon is not None and model.p_abandon > max_abandon:
            return False
        return model.service_level(threshold) >= target

    guess = max(1, math.ceil(lam * aht))
    if meets(guess):
        hi, step = guess, 1
        lo = guess - step
        while lo >= 1 and meets(lo):
            hi = lo
            step *= 2
            lo = hi - step
        lo = max(lo, 0)                  # c = 0 counts as failing
    else:
        lo, step = guess, 1
        hi = guess + step
        while not meets(hi):
            lo = hi
            step *= 2
            hi = lo + step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if meets(mid):
            hi = mid
        else:
            lo = mid
    return hi
