"""Erlang A: M/M/c+M, the single queue with exponentially impatient callers.

Exact values from the number-in-system birth-death chain, computed in log space and truncated
where the tail is negligible; time-dependent figures by uniformization of the tagged caller's
position in queue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
import numpy as np

from ._checks import _check_agents, _check_nonneg, _check_positive
from .erlang import erlang_b_raw, erlang_c_from_b, erlang_c_sl

__all__ = ["ErlangA", "ErlangAResult", "erlang_a"]

# Relative size below which a stationary tail term of the Erlang-A chain is
# dropped (about e**-39 ~ 1e-17, comfortably under the 1e-15 requirement).
_LOG_TAIL_CUTOFF = -39.0
# Largest number of queue states the Erlang-A chain may be expanded to.
_MAX_QUEUE_STATES = 2_000_000
# Probability mass treated as zero inside the uniformization loop.
_NEGLIGIBLE = 1e-18

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
                pw = erlang_c_from_b(c, load, erlang_b_raw(c, load))
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
            return erlang_c_sl(self.c, st["load"], self.aht, threshold, st["p_wait"])
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
