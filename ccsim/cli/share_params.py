"""Option types for shares and service-level targets as planners write them (``30%``,
``0.3``, ``80/20``), read by ``ccsim.units``; errors in the common format of ``params.py``."""

from __future__ import annotations

import click

from ..units import (SHARE_EXAMPLES, TARGET_EXAMPLES, UnitError, parse_service_target,
                     parse_share)
from .params import check_digits, shown

__all__ = ["Share", "ServiceTarget"]


def _share_range(low: float, high: float, low_open: bool, high_open: bool) -> str:
    return (f"{'>' if low_open else '≥'} {low:.0%} and {'<' if high_open else '≤'} "
            f"{high:.0%}")


class Share(click.ParamType):
    """A share written ``0.3`` or ``30%`` (``ccsim.units.parse_share``), inside bounds."""

    name = "share"

    def __init__(self, low=0.0, high=1.0, low_open=False, high_open=False):
        self.low, self.high, self.low_open, self.high_open = low, high, low_open, high_open

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        expected = (f"{SHARE_EXAMPLES}, "
                    f"{_share_range(self.low, self.high, self.low_open, self.high_open)}")
        check_digits(value, self, param, ctx)
        try:
            share = parse_share(value)
        except UnitError:
            self.fail(f"expected {expected}, got {shown(value)}", param, ctx)
        if (share < self.low or share > self.high or (self.low_open and share == self.low)
                or (self.high_open and share == self.high)):
            self.fail(f"expected {expected}, got {shown(value)}", param, ctx)
        return share


class ServiceTarget(click.ParamType):
    """A service-level target: ``80/20`` (80 % within 20 s), ``80%/30s``, ``80%``, ``0.8`` or
    ``sl>=0.80@20s``, as (share in (0, 1), threshold in seconds or None)."""

    name = "target"

    def __init__(self, threshold: bool = True, high_open: bool = True):
        self.threshold, self.high_open = threshold, high_open

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        check_digits(value, self, param, ctx)
        expected = TARGET_EXAMPLES if self.threshold else "a service level such as 80% or 0.8"
        try:
            share, threshold = parse_service_target(value)
        except UnitError:
            self.fail(f"expected {expected}, got {shown(value)}", param, ctx)
        if not 0 < share < 1 and not (share == 1 and not self.high_open):
            bounds = "above 0 and below 100%" if self.high_open else "above 0, at most 100%"
            self.fail(f"expected {expected}, {bounds}, got {shown(value)}", param, ctx)
        if threshold is not None and not self.threshold:
            self.fail(f"expected {expected} without a threshold (each contact type keeps its "
                      f"own), got {shown(value)}", param, ctx)
        return share, threshold
