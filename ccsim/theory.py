"""Analytic queueing formulas for contact-center staffing.

The functions here give closed-form or numerically exact reference values
(Erlang B, Erlang C, Erlang A and staffing rules) that the simulator is
checked against and that reports and the ``ccsim erlang`` command print.

Conventions: every time is in seconds; ``load`` is the offered load in
erlangs, i.e. arrival rate times mean handle time (``aht``); ``c`` is the
number of agents.  All routines stay finite for ``c`` up to a few thousand
and loads above ``c``: they use ratio recursions or log-space sums instead
of factorials and large powers.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

__all__ = [
    "erlang_b",
    "erlang_c",
    "erlang_c_asa",
    "erlang_c_service_level",
    "erlang_c_mean_queue",
    "ErlangA",
    "ErlangAResult",
    "erlang_a",
    "square_root_staffing",
    "halfin_whitt_beta",
    "staff_erlang_c",
    "staff_erlang_a",
]

# Relative size below which a stationary tail term of the Erlang-A chain is
# dropped (about e**-39 ~ 1e-17, comfortably under the 1e-15 requirement).
_LOG_TAIL_CUTOFF = -39.0
# Largest number of queue states the Erlang-A chain may be expanded to.
_MAX_QUEUE_STATES = 2_000_000
# Probability mass treated as zero inside the uniformization loop.
_NEGLIGIBLE = 1e-18


# ---------------------------------------------------------------------------
# argument checks
# ---------------------------------------------------------------------------

def _check_agents(name: str, value) -> int:
    """Return ``value`` as an int if it is an integral number >= 1."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if isinstance(value, numbers.Integral):
        ivalue = int(value)
    elif isinstance(value, numbers.Real) and math.isfinite(value) and float(value).is_integer():
        ivalue = int(value)
    else:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if ivalue < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return ivalue


def _as_real(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    fvalue = float(value)
    if math.isnan(fvalue):
        raise ValueError(f"{name} must not be NaN, got {value!r}")
    return fvalue


def _check_nonneg(name: str, value, allow_inf: bool = False) -> float:
    fvalue = _as_real(name, value)
    if fvalue < 0 or (math.isinf(fvalue) and not allow_inf):
        kind = "a non-negative number" if allow_inf else "a finite non-negative number"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return fvalue


def _check_positive(name: str, value, allow_inf: bool = False) -> float:
    fvalue = _as_real(name, value)
    if fvalue <= 0 or (math.isinf(fvalue) and not allow_inf):
        kind = "a positive number" if allow_inf else "a finite positive number"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return fvalue


def _check_target(name: str, value) -> float:
    fvalue = _as_real(name, value)
    if not 0.0 <= fvalue < 1.0:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return fvalue


# ---------------------------------------------------------------------------
# Erlang B / Erlang C
# ---------------------------------------------------------------------------

def _erlang_b_step(k: int, load: float, prev: float) -> float:
    """One step of the blocking recursion, from k-1 to k servers."""
    x = load * prev
    return x / (k + x)


def _erlang_b_raw(c: int, load: float) -> float:
    b = 1.0
    for k in range(1, c + 1):
        b = _erlang_b_step(k, load, b)
    return b


def _erlang_c_from_b(c: int, load: float, b: float) -> float:
    """Waiting probability from the blocking probability with the same c."""
    if load >= c:
        return 1.0
    if load == 0.0:
        return 0.0
    rho = load / c
    return min(1.0, max(0.0, b / (1.0 - rho * (1.0 - b))))


def _erlang_c_sl(c: int, load: float, aht: float, threshold: float, pw: float) -> float:
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
    return _erlang_b_raw(c, load)


def erlang_c(c: int, load: float) -> float:
    """Probability that a contact has to wait in M/M/c (Erlang C).

    Obtained from Erlang B through C = B / (1 - rho (1 - B)); equals 1.0 when
    the system is not stable (load >= c).
    """
    c = _check_agents("c", c)
    load = _check_nonneg("load", load)
    if load >= c:
        return 1.0
    return _erlang_c_from_b(c, load, _erlang_b_raw(c, load))


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
    return _erlang_c_from_b(c, load, _erlang_b_raw(c, load)) * aht / (c - load)


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
    pw = _erlang_c_from_b(c, load, _erlang_b_raw(c, load))
    return _erlang_c_sl(c, load, aht, threshold, pw)


def erlang_c_mean_queue(c: int, load: float) -> float:
    """Mean number of contacts waiting in M/M/c, C * load / (c - load).

    ``inf`` when load >= c.
    """
    c = _check_agents("c", c)
    load = _check_nonneg("load", load)
    if load >= c:
        return math.inf
    return _erlang_c_from_b(c, load, _erlang_b_raw(c, load)) * load / (c - load)


# ---------------------------------------------------------------------------
# Erlang A (M/M/c+M)
# ---------------------------------------------------------------------------

def _log_sum_exp(values: np.ndarray) -> float:
    top = float(np.max(values))
    return top + math.log(float(np.sum(np.exp(values - top))))


@dataclass(frozen=True)
class ErlangA:
    """Steady-state figures of the M/M/c+M (Erlang A) queue.

    Poisson arrivals at ``arrival_rate`` per second, exponential handle times
    with mean ``aht``, exponential patience with mean ``mean_patience``
    (``math.inf`` gives Erlang C), ``c`` agents, FCFS and unlimited waiting
    room.

    How it is computed: the number in system is a birth-death chain (birth
    lambda, death min(n, c) mu + max(n - c, 0) theta), whose stationary law is
    built in log space and cut where the tail is below about 1e-17 of the
    total.  An arrival that finds j contacts queued stands at position j + 1;
    it moves forward at rate c mu + (i - 1) theta from position i and gives
    up at rate theta, so P(answered | j) = c mu / (c mu + (j + 1) theta) and
    mean waits follow in closed form.  Time-limited quantities
    (``service_level`` and ``p_abandon_within``) come from uniformization of
    that small absorbing chain over queue positions.
    """

    c: int
    arrival_rate: float
    aht: float
    mean_patience: float
    _state: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        c = _check_agents("c", self.c)
        lam = _check_nonneg("arrival_rate", self.arrival_rate)
        aht = _check_positive("aht", self.aht)
        patience = _check_positive("mean_patience", self.mean_patience, allow_inf=True)
        object.__setattr__(self, "c", c)
        object.__setattr__(self, "arrival_rate", lam)
        object.__setattr__(self, "aht", aht)
        object.__setattr__(self, "mean_patience", patience)
        object.__setattr__(self, "_state", self._solve(c, lam, aht, patience))

    # -- stationary solution ------------------------------------------------

    @staticmethod
    def _solve(c: int, lam: float, aht: float, patience: float) -> dict:
        mu = 1.0 / aht
        theta = 0.0 if math.isinf(patience) else 1.0 / patience
        load = lam * aht
        state = {"mu": mu, "theta": theta, "load": load}

        if lam == 0.0:
            state.update(kind="empty", p_wait=0.0, p_below=1.0, mean_queue=0.0,
                         p_abandon=0.0, mean_wait_all=0.0, asa=0.0)
            return state

        if theta == 0.0:
            if load >= c:
                state.update(kind="unstable", p_wait=1.0, p_below=0.0,
                             mean_queue=math.inf, p_abandon=0.0,
                             mean_wait_all=math.inf, asa=math.inf)
            else:
                pw = _erlang_c_from_b(c, load, _erlang_b_raw(c, load))
                wait = pw * aht / (c - load)
                state.update(kind="erlang_c", p_wait=pw, p_below=1.0 - pw,
                             mean_queue=pw * load / (c - load), p_abandon=0.0,
                             mean_wait_all=wait, asa=wait)
            return state

        # log of unnormalised probabilities for n = 0..c: n log(a) - log(n!)
        n = np.arange(c + 1, dtype=float)
        log_fact = np.array([math.lgamma(k + 1.0) for k in range(c + 1)])
        log_low = n * math.log(load) - log_fact
        log_pc = float(log_low[-1])

        cmu = c * mu
        log_lam = math.log(lam)
        # first guess at the queue length that holds all the mass; doubled below
        # until the cut-off tail is negligible
        mode = max(0.0, (lam - cmu) / theta)
        guess = mode + 12.0 * math.sqrt(lam / theta)
        if lam < cmu:  # the tail falls at least as fast as (lam / c mu) ** j
            guess = min(guess, 45.0 / math.log(cmu / lam))
        size = int(min(_MAX_QUEUE_STATES, guess + 64.0))
        while True:
            j = np.arange(1, size + 1, dtype=float)
            log_q = np.empty(size + 1)
            log_q[0] = log_pc
            log_q[1:] = log_pc + np.cumsum(log_lam - np.log(cmu + j * theta))
            log_z = _log_sum_exp(np.concatenate((log_low, log_q[1:])))
            ratio = lam / (cmu + (size + 1) * theta)
            if ratio < 1.0:
                tail = log_q[-1] + math.log(ratio) - math.log1p(-ratio) - log_z
                if tail < _LOG_TAIL_CUTOFF:
                    break
            if size >= _MAX_QUEUE_STATES:
                raise ValueError(
                    "mean_patience is too long for this load to solve Erlang A exactly "
                    f"(mean_patience={patience!r}, load={load!r}, c={c!r}); "
                    "use math.inf for the Erlang C limit")
            size = min(_MAX_QUEUE_STATES, 2 * size)

        p_queue = np.exp(log_q - log_z)            # P(N = c + j), j = 0..size
        p_below = float(np.sum(np.exp(log_low[:-1] - log_z)))
        p_wait = float(np.sum(p_queue))
        ahead = np.arange(size + 1, dtype=float)   # j contacts ahead
        exit_rate = cmu + (ahead + 1.0) * theta    # leave position j + 1
        p_served = cmu / exit_rate                 # P(answered | j ahead)
        time_to_head = np.cumsum(1.0 / exit_rate)  # E[time to reach an agent | j]
        mean_queue = float(np.dot(ahead, p_queue))
        p_abandon = float(np.dot(p_queue, (ahead + 1.0) * theta / exit_rate))
        mean_wait_all = float(np.dot(p_queue, (ahead + 1.0) / exit_rate))
        wait_answered = float(np.dot(p_queue, p_served * time_to_head))
        p_answer = 1.0 - p_abandon
        asa = wait_answered / p_answer if p_answer > 0.0 else math.inf
        state.update(kind="general", p_wait=min(1.0, p_wait), p_below=min(1.0, p_below),
                     mean_queue=mean_queue, p_abandon=min(1.0, max(0.0, p_abandon)),
                     mean_wait_all=mean_wait_all, asa=asa, p_queue=p_queue,
                     exit_rate=exit_rate)
        return state

    # -- stationary figures -------------------------------------------------

    @property
    def load(self) -> float:
        """Offered load in erlangs (arrival_rate * aht)."""
        return self._state["load"]

    @property
    def p_wait(self) -> float:
        """P(an arriving contact finds all agents busy) = P(N >= c) (PASTA)."""
        return self._state["p_wait"]

    @property
    def p_abandon(self) -> float:
        """Fraction of arrivals that abandon, equal to theta E[Q] / lambda."""
        return self._state["p_abandon"]

    @property
    def p_answered(self) -> float:
        """Fraction of arrivals that reach an agent."""
        return 1.0 - self._state["p_abandon"]

    @property
    def asa(self) -> float:
        """Average speed of answer: mean wait of answered contacts only."""
        return self._state["asa"]

    @property
    def mean_wait_all(self) -> float:
        """Mean wait over all arrivals, abandoned ones included (E[Q] / lambda)."""
        return self._state["mean_wait_all"]

    @property
    def mean_queue(self) -> float:
        """Mean number of contacts waiting, E[Q]."""
        return self._state["mean_queue"]

    # -- time-limited figures -----------------------------------------------

    def service_level(self, threshold: float) -> float:
        """P(answered and waited <= threshold), over all arrivals.

        This is the "answered within threshold / offered" definition, so
        early abandons count against the service level.
        """
        threshold = _check_nonneg("threshold", threshold, allow_inf=True)
        st = self._state
        kind = st["kind"]
        if kind == "empty":
            return 1.0
        if kind == "unstable":
            return 0.0
        if kind == "erlang_c":
            return _erlang_c_sl(self.c, st["load"], self.aht, threshold, st["p_wait"])
        answered, _ = self._queued_outcomes(threshold)
        return min(1.0, max(0.0, st["p_below"] + answered))

    def p_abandon_within(self, threshold: float) -> float:
        """P(abandon after waiting <= threshold), over all arrivals.

        Lets a report leave out very short abandons from the service level.
        """
        threshold = _check_nonneg("threshold", threshold, allow_inf=True)
        if self._state["kind"] != "general":
            return 0.0
        _, abandoned = self._queued_outcomes(threshold)
        return min(1.0, max(0.0, abandoned))

    def _queued_outcomes(self, t: float) -> tuple[float, float]:
        """(P(queued, answered by t), P(abandoned by t)) over all arrivals."""
        st = self._state
        if t == 0.0:
            return 0.0, 0.0
        if math.isinf(t):
            return st["p_wait"] - st["p_abandon"], st["p_abandon"]
        p_queue = st["p_queue"]
        if float(np.sum(p_queue)) <= _NEGLIGIBLE:
            return 0.0, 0.0
        theta = st["theta"]
        cmu = self.c * st["mu"]
        exit_rate = st["exit_rate"]
        unif = float(exit_rate[-1])                  # uniformization rate
        stay = 1.0 - exit_rate / unif
        advance = (exit_rate[1:] - theta) / unif     # position i -> i - 1, i >= 2
        to_agent = cmu / unif
        to_abandon = theta / unif
        mean_jumps = unif * t
        log_mean = math.log(mean_jumps)

        v = p_queue.copy()
        nxt = np.empty_like(v)
        shifted = np.empty(v.size - 1)
        answered = abandoned = 0.0
        cdf = carry = 0.0
        k = 0
        while True:
            # P(Poisson(mean_jumps) >= k + 1): chance that jump k + 1 fell by t
            pmf = math.exp(-mean_jumps + k * log_mean - math.lgamma(k + 1.0))
            # compensated summation keeps 1 - cdf accurate to ~1e-16
            y = pmf - carry
            total = cdf + y
            carry = (total - cdf) - y
            cdf = total
            survive = max(0.0, 1.0 - cdf)
            if k > mean_jumps + 1.0:
                # past the mode the Poisson tail is below a geometric series
                tail_bound = pmf * mean_jumps / (k + 1.0 - mean_jumps)
                if tail_bound <= _NEGLIGIBLE:
                    break
            mass = float(np.sum(v))
            if mass <= _NEGLIGIBLE:
                break
            answered += float(v[0]) * to_agent * survive
            abandoned += mass * to_abandon * survive
            np.multiply(v, stay, out=nxt)
            np.multiply(v[1:], advance, out=shifted)
            nxt[:-1] += shifted
            v, nxt = nxt, v
            k += 1
        return answered, abandoned


ErlangAResult = ErlangA


def erlang_a(c: int, arrival_rate: float, aht: float, mean_patience: float) -> ErlangA:
    """Solve the M/M/c+M (Erlang A) queue; see :class:`ErlangA`."""
    return ErlangA(c, arrival_rate, aht, mean_patience)


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
