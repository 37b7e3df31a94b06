"""Staffing: square-root rule, Halfin-Whitt beta, smallest headcount meeting a target."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional

from ..limits import LIMITS

from ._checks import _as_real, _check_nonneg, _check_positive, _check_target
from .erlang import erlang_b_step, erlang_c_from_b, erlang_c_sl
from .erlang_a import ErlangA

__all__ = ["square_root_staffing", "halfin_whitt_beta", "staff_erlang_c", "staff_erlang_a",
           "Staffing", "figures", "agents_for", "lines_for", "scheduled_agents"]

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
        b = erlang_b_step(k, load, b)
        if load >= k:
            sl = 0.0
        else:
            sl = erlang_c_sl(k, load, aht, threshold, erlang_c_from_b(k, load, b))
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

    return _smallest(meets, max(1, math.ceil(lam * aht)))


def _smallest(meets: Callable[[int], bool], guess: int, ceiling: int | None = None) -> int:
    """Smallest c >= 1 with ``meets(c)``, for a ``meets`` that stays true once true:
    bracketed from ``guess`` by doubling steps, then bisected. Past ``ceiling`` it gives up
    with a ValueError (a target no headcount within the limits reaches)."""
    ceiling = ceiling or LIMITS.agents_per_group
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
            if hi >= ceiling:
                raise ValueError(f"no headcount up to {ceiling:,} agents (the limit) meets "
                                 f"the target")
            lo = hi
            step *= 2
            hi = min(lo + step, ceiling)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if meets(mid):
            hi = mid
        else:
            lo = mid
    return hi


@dataclass(frozen=True)
class Staffing:
    """What ``agents`` agents give on one queue in steady state (Erlang C, or Erlang A with a
    finite ``patience``): ``asa`` is the mean wait of answered contacts (in Erlang C every
    contact is answered, so of all), ``service_level`` is answered within
    ``threshold`` / offered, ``occupancy`` the carried load per agent."""

    agents: int
    load: float
    occupancy: float
    p_wait: float
    asa: float
    service_level: float
    p_abandon: float
    threshold: float


def figures(agents: int, arrival_rate: float, aht: float, threshold: float = 20.0,
            patience: float | None = None) -> Staffing:
    """The steady-state figures of ``agents`` agents (see :class:`Staffing`); ``patience``
    None or inf is Erlang C."""
    model = ErlangA(agents, arrival_rate, aht, math.inf if patience is None else patience)
    carried = model.load * (1.0 - model.p_abandon)
    return Staffing(agents=model.c, load=model.load, occupancy=min(1.0, carried / model.c),
                    p_wait=model.p_wait, asa=model.asa,
                    service_level=model.service_level(threshold), p_abandon=model.p_abandon,
                    threshold=threshold)


def agents_for(target_sl: float | None, arrival_rate: float, aht: float,
               threshold: float = 20.0, patience: float | None = None,
               asa: float | None = None, max_abandon: float | None = None,
               max_occupancy: float | None = None) -> Staffing:
    """The fewest agents meeting every target given, with their figures.

    Targets: service level ``target_sl`` within ``threshold`` (answered within / offered),
    ``asa`` (mean wait of answered contacts at most this), ``max_abandon`` (abandon share,
    Erlang A only) and ``max_occupancy`` (carried load per agent at most this: a cap that
    keeps agents from running flat out). ``patience`` None or inf is Erlang C. Each figure
    improves as agents are added, so the answer is bracketed and bisected.
    """
    lam = _check_nonneg("arrival_rate", arrival_rate)
    aht = _check_positive("aht", aht)
    threshold = _check_nonneg("threshold", threshold, allow_inf=True)
    if patience is not None:
        patience = _check_positive("patience", patience, allow_inf=True)
    if target_sl is not None:
        target_sl = _check_target("target_sl", target_sl)
    if asa is not None:
        asa = _check_positive("asa", asa)
    for name, share in (("max_abandon", max_abandon), ("max_occupancy", max_occupancy)):
        if share is not None and not 0.0 < _as_real(name, share) <= 1.0:
            raise ValueError(f"{name} must lie in (0, 1], got {share!r}")
    if max_abandon is not None and (patience is None or math.isinf(patience)):
        raise ValueError("max_abandon needs a finite patience (Erlang A): without it nobody "
                         "abandons")
    if target_sl is None and asa is None and max_abandon is None and max_occupancy is None:
        raise ValueError("give at least one target: target_sl, asa, max_abandon or "
                         "max_occupancy")

    def meets(c: int) -> bool:
        got = figures(c, lam, aht, threshold, patience)
        return ((target_sl is None or got.service_level >= target_sl)
                and (asa is None or got.asa <= asa)
                and (max_abandon is None or got.p_abandon <= max_abandon)
                and (max_occupancy is None or got.occupancy <= max_occupancy + 1e-12))

    agents = _smallest(meets, max(1, math.ceil(lam * aht)))
    return figures(agents, lam, aht, threshold, patience)


def lines_for(load: float, max_blocking: float) -> int:
    """Fewest lines (or agents without a queue) whose Erlang B blocking is at most
    ``max_blocking``; the recursion is carried along, so the cost is linear in the answer."""
    load = _check_nonneg("load", load)
    max_blocking = _as_real("max_blocking", max_blocking)
    if not 0.0 < max_blocking <= 1.0:
        raise ValueError(f"max_blocking must lie in (0, 1], got {max_blocking!r}")
    b, k = 1.0, 0
    while True:
        k += 1
        b = erlang_b_step(k, load, b)
        if b <= max_blocking:
            return k
        if k >= LIMITS.agents_per_group:
            raise ValueError(f"no number of lines up to {k:,} (the limit) keeps blocking at "
                             f"most {max_blocking:g}")


def scheduled_agents(agents: float, shrinkage: float) -> float:
    """Agents to schedule so that ``agents`` remain after ``shrinkage`` (the share of paid
    time not available for contacts: breaks, training, absence): agents / (1 - shrinkage)."""
    agents = _check_nonneg("agents", agents)
    shrinkage = _as_real("shrinkage", shrinkage)
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError(f"shrinkage must lie in [0, 1), got {shrinkage!r}")
    return agents / (1.0 - shrinkage)
