"""Arrival processes: Poisson with a rate that is constant within each interval.

Arrival times are found by inverting the cumulative rate: with unit-mean exponential gaps
E1, E2, ... the n-th arrival is at Λ⁻¹(E1 + ... + En). This is exact for piecewise-constant rates,
needs one random number per arrival, and keeps common random numbers meaningful: scaling the
forecast by 10 % moves every arrival a little instead of reshuffling them all.
"""

from __future__ import annotations

import math

__all__ = ["PiecewisePoisson"]


class PiecewisePoisson:
    """Rates per second, one per interval of ``interval`` seconds, repeating cyclically."""

    __slots__ = ("rates", "interval")

    def __init__(self, rates: tuple[float, ...], interval: float):
        if not rates or any(r < 0 or not math.isfinite(r) for r in rates):
            raise ValueError(f"rates must be finite and >= 0 (got {rates!r})")
        self.rates = tuple(float(r) for r in rates)
        self.interval = float(interval)

    def rate_at(self, t: float) -> float:
        return self.rates[int(t // self.interval) % len(self.rates)]

    def next_arrival(self, t: float, gap: float, horizon: float) -> float:
        """The time at which ``gap`` units of cumulative rate have passed after ``t``
        (``math.inf`` if that is at or beyond ``horizon``)."""
        rates, interval, n = self.rates, self.interval, len(self.rates)
        if n == 1:
            rate = rates[0]
            t = t + gap / rate if rate > 0 else math.inf
            return t if t < horizon else math.inf
        k = int(t // interval)
        while t < horizon:
            end = (k + 1) * interval
            rate = rates[k % n]
            room = rate * (end - t)
            if gap <= room and rate > 0:
                t += gap / rate
                return t if t < horizon else math.inf
            gap -= room
            t = end
            k += 1
        return math.inf
