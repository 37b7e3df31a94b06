"""Small statistical tools: wait histograms with percentiles, and Student-t intervals.

Waits are kept in a sparse histogram (a dict bin → count) instead of one value per contact, so
memory does not grow with the number of contacts. Bins are 0.5 s wide below 2 min, 5 s below
20 min, 1 min below 10 h and 5 min beyond; waits of exactly zero (answered at once) are an atom
of their own, so "p50 = 0" is reported as 0 and not as a quarter of a second.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

__all__ = ["wait_bin", "wait_bins", "bin_edges", "percentile", "merge_histograms", "t_quantile",
           "mean_ci", "ZERO_BIN"]

ZERO_BIN = -1
# (start of range, bin width, first bin index of the range)
_RANGES = ((0.0, 0.5, 0), (120.0, 5.0, 240), (1200.0, 60.0, 456), (36000.0, 300.0, 1036))


def wait_bin(wait: float) -> int:
    """The histogram bin of a wait in seconds."""
    if wait <= 0.0:
        return ZERO_BIN
    if wait < 120.0:
        return int(wait * 2.0)
    if wait < 1200.0:
        return 240 + int((wait - 120.0) / 5.0)
    if wait < 36000.0:
        return 456 + int((wait - 1200.0) / 60.0)
    return 1036 + int((wait - 36000.0) / 300.0)


def wait_bins(waits):
    """The histogram bins of an array of waits, all above zero (``wait_bin`` of each)."""
    bins = np.empty(len(waits), dtype=np.int64)
    below = np.ones(len(waits), dtype=bool)
    for start, width, first in reversed(_RANGES):
        here = below & (waits >= start)
        # x / 0.5 and x * 2.0 are the same double: the first range agrees with wait_bin
        bins[here] = first + ((waits[here] - start) / width).astype(np.int64)
        below &= ~here
    return bins


def bin_edges(index: int) -> tuple[float, float]:
    """Lower and upper edge (seconds) of a bin."""
    if index == ZERO_BIN:
        return 0.0, 0.0
    for start, width, first in reversed(_RANGES):
        if index >= first:
            low = start + (index - first) * width
            return low, low + width
    raise ValueError(f"bad bin index {index}")


def merge_histograms(histograms) -> dict[int, int]:
    merged: dict[int, int] = {}
    for histogram in histograms:
        for index, count in histogram.items():
            merged[index] = merged.get(index, 0) + count
    return merged


def percentile(histogram: dict[int, int], q: float) -> float:
    """The ``q``-quantile (0 < q < 1) of the binned waits, interpolated inside its bin."""
    total = sum(histogram.values())
    if total == 0:
        return math.nan
    rank = q * total
    seen = 0
    for index in sorted(histogram):
        count = histogram[index]
        if seen + count >= rank:
            low, high = bin_edges(index)
            return low + (high - low) * max(0.0, rank - seen) / count
        seen += count
    return bin_edges(max(histogram))[1]


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularised incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def _t_cdf(t: float, df: float) -> float:
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


@lru_cache(maxsize=256)
def t_quantile(p: float, df: float) -> float:
    """Quantile of Student's t with ``df`` degrees of freedom (bisection on its CDF; cached,
    since a report asks for the same few quantiles thousands of times)."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError(f"need 0 < p < 1 and df > 0 (got p={p}, df={df})")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while _t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if _t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0


def mean_ci(values, level: float = 0.95) -> tuple[float, float]:
    """Mean and half-width of the Student-t confidence interval over replications.

    NaN values (a KPI undefined in some replication, e.g. ASA with no answered contact) are
    left out; with fewer than two values the half-width is NaN."""
    array = np.asarray(values, dtype=float)
    array = array[~np.isnan(array)]
    n = array.size
    if n == 0:
        return math.nan, math.nan
    mean = float(array.mean())
    if n < 2:
        return mean, math.nan
    sd = float(array.std(ddof=1))
    return mean, t_quantile(0.5 + level / 2.0, n - 1) * sd / math.sqrt(n)


def mean_ci_columns(matrix, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """``mean_ci`` of every column of ``matrix`` (replications × columns) at once: NaN cells
    are left out, a column with fewer than two values gets a NaN half-width."""
    data = np.asarray(matrix, dtype=float)
    valid = ~np.isnan(data)
    n = valid.sum(axis=0)
    filled = np.where(valid, data, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
        squares = np.where(valid, (data - mean) ** 2, 0.0).sum(axis=0)
        sd = np.sqrt(squares / (n - 1))
        quantiles = np.array([t_quantile(0.5 + level / 2.0, k - 1) if k >= 2 else np.nan
                              for k in n])
        half = quantiles * sd / np.sqrt(n)
    mean = np.where(n > 0, mean, np.nan)
    return mean, np.where(n >= 2, half, np.nan)
