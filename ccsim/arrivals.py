"""Arrival processes: Poisson with a rate that is constant within each interval.

Arrival times are found by inverting the cumulative rate: with unit-mean exponential gaps
E1, E2, ... the n-th arrival is at Λ⁻¹(E1 + ... + En). This is exact for piecewise-constant rates,
needs one random number per arrival, and keeps common random numbers meaningful: scaling the
forecast by 10 % moves every arrival a little instead of reshuffling them all.
"""

from __future__ import annotations

import math

__all__ = ["PiecewisePoisson", "busyness", "actual_rates", "replication_rates", "ivr_rates"]

DAY = 86400.0


def busyness(cv: float, size: int, rng) -> list[float]:
    """Gamma factors with mean 1 and coefficient of variation ``cv`` (all 1 when cv is 0)."""
    if cv <= 0:
        return [1.0] * size
    shape = 1.0 / (cv * cv)
    return (rng.gamma(shape, 1.0 / shape, size)).tolist()


def actual_rates(forecast: tuple[float, ...], n_intervals: int, interval: float,
                 start_clock: float, day_factors: list[float], noise: list[float]) -> tuple:
    """The rates the day actually brings: the forecast of each interval times the factor of
    its day and its own noise factor. Given the factors, arrivals stay Poisson; over the
    factors' randomness the counts are overdispersed (Poisson–gamma), as real volumes are."""
    return tuple(forecast[k % len(forecast)] * noise[k]
                 * day_factors[int((start_clock + k * interval) // DAY)]
                 for k in range(n_intervals))


def replication_rates(scenario, streams) -> dict[str, tuple[float, ...]]:
    """Arrival rates per contact type for one replication: the forecast itself, or with
    forecast error one busyness factor per day shared by all types (a busy Monday is busy
    for everyone) and an interval factor per type."""
    error = scenario.forecast_error
    if error is None:
        return {t.name: t.arrival_rates for t in scenario.contact_types}
    day_factors = _day_factors(scenario, streams)
    n = scenario.n_intervals
    return {t.name: actual_rates(t.arrival_rates, n, scenario.interval, scenario.start,
                                 day_factors, busyness(error.interval, n,
                                                       streams(f"{t.name}.forecast")))
            for t in scenario.contact_types}


def ivr_rates(scenario, streams) -> tuple[float, ...]:
    """Rates of calls entering the IVR for one replication: forecast error applies to them as
    to the contact types' own arrivals (the same day factor, and an interval factor of the IVR
    stream's own), since they are part of the same demand."""
    error, ivr = scenario.forecast_error, scenario.ivr
    if error is None:
        return ivr.arrival_rates
    n = scenario.n_intervals
    return actual_rates(ivr.arrival_rates, n, scenario.interval, scenario.start,
                        _day_factors(scenario, streams),
                        busyness(error.interval, n, streams("ivr.forecast")))


def _day_factors(scenario, streams) -> list[float]:
    """One busyness factor per calendar day of the horizon, from the shared stream."""
    days = int((scenario.start + scenario.horizon) // DAY) + 1
    return busyness(scenario.forecast_error.day, days, streams("forecast.day"))


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
