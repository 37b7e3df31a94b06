"""Frozen probability distributions for durations (handle-time parts, patience, delays).

Each distribution is an immutable value with an exact ``mean`` and ``sample(rng, n)``, which draws
``n`` values from a numpy Generator passed in (no global randomness). Parameters are in seconds.
``DISTRIBUTIONS`` names each family and its parameters so the scenario loader can build and
validate them generically, and the JSON Schema can describe them.
"""

from __future__ import annotations

import math

import attrs
import numpy as np

__all__ = [
    "Distribution", "Exponential", "Lognormal", "Gamma", "Erlang", "Deterministic", "Uniform",
    "Triangular", "Empirical", "DISTRIBUTIONS", "REQUIRED", "make_distribution",
]


class Distribution:
    """Base: subclasses define ``mean`` and ``sample``; ``scaled`` multiplies every value."""

    mean: float

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    @property
    def cv(self) -> float:
        """Coefficient of variation (standard deviation over mean)."""
        return math.sqrt(self.variance) / self.mean if self.mean > 0 else 0.0

    @property
    def variance(self) -> float:  # pragma: no cover - every family overrides
        raise NotImplementedError


def _positive(instance, attribute, value):
    if not value > 0 or math.isinf(value):
        raise ValueError(f"{attribute.name}: must be a finite number > 0 (got {value:g})")


def _non_negative(instance, attribute, value):
    if not value >= 0 or math.isinf(value):
        raise ValueError(f"{attribute.name}: must be a finite number >= 0 (got {value:g})")


@attrs.frozen
class Exponential(Distribution):
    """Memoryless; the classic model of talk time and of patience in Erlang C / A."""

    mean: float = attrs.field(validator=_positive)

    @property
    def variance(self) -> float:
        return self.mean**2

    def sample(self, rng, n):
        return rng.exponential(self.mean, n)


@attrs.frozen
class Lognormal(Distribution):
    """Right-skewed; fits measured talk times well. Given by its mean and coefficient of variation."""

    mean: float = attrs.field(validator=_positive)
    cv: float = attrs.field(validator=_positive)

    @property
    def variance(self) -> float:
        return (self.mean * self.cv) ** 2

    def sample(self, rng, n):
        sigma2 = math.log1p(self.cv**2)
        return rng.lognormal(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2), n)


@attrs.frozen
class Gamma(Distribution):
    """Flexible shape between deterministic (cv → 0) and very variable (cv > 1)."""

    mean: float = attrs.field(validator=_positive)
    cv: float = attrs.field(validator=_positive)

    @property
    def variance(self) -> float:
        return (self.mean * self.cv) ** 2

    def sample(self, rng, n):
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean / shape, n)


@attrs.frozen
class Erlang(Distribution):
    """Sum of ``k`` exponential phases: a gamma with integer shape."""

    mean: float = attrs.field(validator=_positive)
    k: int = attrs.field()

    @k.validator
    def _k(self, attribute, value):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"k: must be a whole number >= 1 (got {value!r})")

    @property
    def variance(self) -> float:
        return self.mean**2 / self.k

    def sample(self, rng, n):
        return rng.gamma(self.k, self.mean / self.k, n)


@attrs.frozen
class Deterministic(Distribution):
    """Always the same value (e.g. a scripted IVR message)."""

    value: float = attrs.field(validator=_non_negative)

    @property
    def mean(self) -> float:
        return self.value

    @property
    def variance(self) -> float:
        return 0.0

    def sample(self, rng, n):
        return np.full(n, self.value)


@attrs.frozen
class Uniform(Distribution):
    """Equally likely anywhere between ``min`` and ``max``."""

    min: float = attrs.field(validator=_non_negative)
    max: float = attrs.field(validator=_positive)

    def __attrs_post_init__(self):
        if not self.min < self.max:
            raise ValueError(f"max: must be greater than min ({self.min:g}) (got {self.max:g})")

    @property
    def mean(self) -> float:
        return (self.min + self.max) / 2

    @property
    def variance(self) -> float:
        return (self.max - self.min) ** 2 / 12

    def sample(self, rng, n):
        return rng.uniform(self.min, self.max, n)


@attrs.frozen
class Triangular(Distribution):
    """A planner's three-point estimate: shortest, most likely, longest."""

    min: float = attrs.field(validator=_non_negative)
    mode: float = attrs.field(validator=_non_negative)
    max: float = attrs.field(validator=_positive)

    def __attrs_post_init__(self):
        if not self.min <= self.mode <= self.max or not self.min < self.max:
            raise ValueError(
                f"mode: need min <= mode <= max with min < max "
                f"(got {self.min:g}, {self.mode:g}, {self.max:g})"
            )

    @property
    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3

    @property
    def variance(self) -> float:
        a, b, c = self.min, self.mode, self.max
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18

    def sample(self, rng, n):
        return rng.triangular(self.min, self.mode, self.max, n)


@attrs.frozen
class Empirical(Distribution):
    """Resamples observed values with equal probability (e.g. talk times from an ACD export)."""

    values: tuple = attrs.field(converter=lambda values: tuple(
        float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
        for v in values))

    @values.validator
    def _values(self, attribute, value):
        if len(value) == 0:
            raise ValueError("values: need at least one observed value (got none)")
        bad = [v for v in value if not (isinstance(v, float) and 0 <= v < math.inf)]
        if bad:
            raise ValueError(f"values: every value must be a finite number >= 0 (got {bad[0]!r})")

    @property
    def mean(self) -> float:
        return math.fsum(self.values) / len(self.values)

    @property
    def variance(self) -> float:
        m = self.mean
        return math.fsum((v - m) ** 2 for v in self.values) / len(self.values)

    def sample(self, rng, n):
        return np.asarray(self.values)[rng.integers(0, len(self.values), n)]


# family name -> (class, {parameter: kind}); kinds: "duration" (seconds, units allowed),
# "number" (dimensionless), "integer", "durations" (a list). Alternatives are resolved in
# make_distribution (lognormal takes sd or cv).
DISTRIBUTIONS: dict[str, tuple[type, dict[str, str]]] = {
    "exponential": (Exponential, {"mean": "duration"}),
    "lognormal": (Lognormal, {"mean": "duration", "cv": "number", "sd": "duration"}),
    "gamma": (Gamma, {"mean": "duration", "cv": "number", "sd": "duration"}),
    "erlang": (Erlang, {"mean": "duration", "k": "integer"}),
    "deterministic": (Deterministic, {"value": "duration"}),
    "uniform": (Uniform, {"min": "duration", "max": "duration"}),
    "triangular": (Triangular, {"min": "duration", "mode": "duration", "max": "duration"}),
    "empirical": (Empirical, {"values": "durations"}),
}


# parameters a family cannot do without (lognormal and gamma also need one of cv / sd)
REQUIRED: dict[str, tuple[str, ...]] = {
    "exponential": ("mean",), "lognormal": ("mean",), "gamma": ("mean",), "erlang": ("mean", "k"),
    "deterministic": ("value",), "uniform": ("min", "max"), "triangular": ("min", "mode", "max"),
    "empirical": ("values",),
}


def make_distribution(family: str, params: dict) -> Distribution:
    """Build a distribution from already-converted parameters; ValueError names the parameter."""
    cls, _ = DISTRIBUTIONS[family]
    params = dict(params)
    if family in ("lognormal", "gamma"):
        if "sd" in params and "cv" in params:
            raise ValueError("sd: give either sd or cv, not both")
        if "sd" in params:
            sd = params.pop("sd")
            if not 0 < sd < math.inf:
                raise ValueError(f"sd: must be a finite number > 0 (got {sd:g})")
            params["cv"] = sd / params["mean"] if params.get("mean", 0) > 0 else sd
        if "cv" not in params:
            raise ValueError("cv: missing; give cv or sd")
    return cls(**params)
