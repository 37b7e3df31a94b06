"""The command line's parameter types, shared by every command (``command.py`` prints their
errors).

Every bad value ends the same way: ``error: --option: expected ..., got ...`` on stderr and
exit status 2, before anything runs. Numbers are bounded (digits, ``ccsim.limits``), NaN and
infinity are refused where they mean nothing, and output paths are checked where they will
be written (an existing directory, not under a regular file, a supported suffix).
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from ..limits import LIMITS
from ..units import UnitError, parse_duration, parse_rate

__all__ = ["Number", "Integer", "Duration", "Rate", "OutputFile", "OutputDir", "PolicyList",
           "Axis", "OneOf", "literal", "errors", "REPLICATIONS", "SEED", "JOBS",
           "FIGURE_SUFFIXES"]

errors = Console(stderr=True)

#: figure formats a chart can be saved in (matplotlib's raster and vector writers)
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
_DIGITS = re.compile(r"\d")
_WORDS_FOR_INFINITY = ("inf", "infinite", "never")


def literal(text: str) -> Text:
    """``text`` as rich prints it literally: no markup (``[red]``), no emoji (``:x:``)."""
    return Text(str(text))


def shown(text: str) -> str:
    """A value as an error message quotes it (strings in quotes)."""
    return repr(text) if isinstance(text, str) else str(text)


def check_digits(value: str, self, param, ctx) -> None:
    """Fail the option when ``value`` has more digits than ``LIMITS.number_digits``."""
    if len(_DIGITS.findall(str(value))) > LIMITS.number_digits:
        self.fail(f"expected a number of at most {LIMITS.number_digits} digits, got one of "
                  f"{len(_DIGITS.findall(str(value)))} digits", param, ctx)


class Number(click.ParamType):
    """A finite real number, optionally inside bounds."""

    name = "number"

    def __init__(self, low=None, high=None, low_open=False, high_open=False):
        self.low, self.high, self.low_open, self.high_open = low, high, low_open, high_open

    def _range(self) -> str:
        parts = []
        if self.low is not None:
            parts.append(f"{'>' if self.low_open else '≥'} {self.low:g}")
        if self.high is not None:
            parts.append(f"{'<' if self.high_open else '≤'} {self.high:g}")
        return f"a number {' and '.join(parts)}" if parts else "a finite number"

    def _check(self, number: float, value, param, ctx) -> None:
        low, high = self.low, self.high
        if not math.isfinite(number) or (
                low is not None and (number < low or (self.low_open and number == low))) or (
                high is not None and (number > high or (self.high_open and number == high))):
            self.fail(f"expected {self._range()}, got {shown(value)}", param, ctx)

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            check_digits(value, self, param, ctx)
            try:
                number = float(value)
            except ValueError:
                self.fail(f"expected {self._range()}, got {shown(value)}", param, ctx)
        self._check(number, value, param, ctx)
        return number


class Integer(click.ParamType):
    """A whole number inside bounds (``high`` defaults to none, digits are always bounded)."""

    name = "integer"

    def __init__(self, low=None, high=None):
        self.low, self.high = low, high

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            check_digits(value, self, param, ctx)
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"expected a whole number{self._range()}, got {shown(value)}",
                          param, ctx)
        if (self.low is not None and number < self.low) or (
                self.high is not None and number > self.high):
            self.fail(f"expected a whole number{self._range()}, got {shown(value)}", param, ctx)
        return number

    def _range(self) -> str:
        if self.low is not None and self.high is not None:
            return f" from {self.low} to {self.high:,}"
        if self.low is not None:
            return f" ≥ {self.low}"
        return f" ≤ {self.high:,}" if self.high is not None else ""


class Duration(click.ParamType):
    """A duration with its unit (``20s``, ``5min``), > 0 unless ``zero``; infinity only when
    ``infinite`` and written as a word (``inf``, ``never``)."""

    name = "duration"

    def __init__(self, zero: bool = False, infinite: bool = False):
        self.zero, self.infinite = zero, infinite

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        expected = (f"a duration {'≥ 0' if self.zero else '> 0'} such as 20s, 5min or 1.5h"
                    + (" (or inf)" if self.infinite else ""))
        check_digits(value, self, param, ctx)
        if self.infinite and str(value).strip().lower() in _WORDS_FOR_INFINITY:
            return math.inf
        try:
            seconds = parse_duration(value)
        except UnitError:
            self.fail(f"expected {expected}, got {shown(value)}", param, ctx)
        if not math.isfinite(seconds) or seconds < 0 or (seconds == 0 and not self.zero):
            self.fail(f"expected {expected}, got {shown(value)}", param, ctx)
        return seconds


class Rate(click.ParamType):
    """A positive, finite rate with its unit (``240/h``), in events per second."""

    name = "rate"

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        check_digits(value, self, param, ctx)
        try:
            rate = parse_rate(value)
        except UnitError:
            rate = math.nan
        if not (math.isfinite(rate) and rate > 0):
            self.fail(f"expected a rate > 0 with its unit such as 240/h or 4/min, got "
                      f"{shown(value)}", param, ctx)
        return rate


class OneOf(click.Choice):
    """click's Choice with the common error format."""

    def convert(self, value, param, ctx):
        if value in self.choices:
            return value
        self.fail(f"expected one of {', '.join(self.choices)}, got {shown(value)}", param, ctx)


def _writable_directory(folder: Path) -> str | None:
    """Why files cannot be created in ``folder`` (None when they can)."""
    if not folder.exists():
        return f"the directory {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is a file, not a directory"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the directory {folder} is not writable"
    return None


class OutputFile(click.ParamType):
    """A file to write: in an existing, writable directory, with one of ``suffixes``."""

    name = "file"

    def __init__(self, suffixes: tuple[str, ...] | None = None):
        self.suffixes = suffixes

    def convert(self, value, param, ctx):
        path = Path(value)
        kinds = "/".join(s.lstrip(".").upper() for s in self.suffixes or ())
        if self.suffixes and path.suffix.lower() not in self.suffixes:
            self.fail(f"expected a {kinds} file name ({', '.join(self.suffixes)}), got "
                      f"{shown(value)}", param, ctx)
        if path.is_dir():
            self.fail(f"expected a file to write, got the directory {shown(value)}", param, ctx)
        problem = _writable_directory(path.parent if str(path.parent) else Path("."))
        if problem:
            self.fail(f"expected a file in a writable directory, got {shown(value)} "
                      f"({problem})", param, ctx)
        return str(path)


class OutputDir(click.ParamType):
    """A directory to write into: existing and writable, or creatable (its nearest existing
    ancestor is a writable directory, not a file)."""

    name = "directory"

    def convert(self, value, param, ctx):
        path = Path(value)
        existing = next((p for p in (path, *path.parents) if p.exists()), Path("."))
        if not existing.is_dir():
            self.fail(f"expected a directory to write into, got {shown(value)} ({existing} "
                      f"is a file)", param, ctx)
        problem = _writable_directory(existing)
        if problem:
            self.fail(f"expected a directory to write into, got {shown(value)} ({problem})",
                      param, ctx)
        return str(path)


class PolicyList(click.ParamType):
    """Comma-separated routing policy names (built-in or ``file.py:Class``), none empty,
    none twice. Whether each exists is checked by the command (it knows the scenario)."""

    name = "policies"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        names = [name.strip() for name in str(value).split(",")]
        if not any(names) or not all(names):
            self.fail(f"expected comma-separated policy names such as longest_idle,priority, "
                      f"got {shown(value)}", param, ctx)
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            self.fail(f"expected each policy once, got {', '.join(twice)} more than once",
                      param, ctx)
        return names


class Axis(click.ParamType):
    """Factors of a stress axis: ``first:last:step`` or a list ``a,b,c`` (``%`` allowed).
    The number of points is worked out before anything is expanded, and refused beyond
    ``LIMITS.grid_points``."""

    name = "factors"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        from ..workforce.stress import parse_axis

        text = str(value)
        items = text.split(":") if ":" in text else [p for p in text.split(",") if p.strip()]
        try:
            numbers = [_factor(item) for item in items]
        except ValueError:
            numbers = None
        expected = "factors such as 0.9:1.3:0.1 or 0.9,1.0,1.2"
        if not numbers or (":" in text and len(numbers) != 3):
            self.fail(f"expected {expected}, got {shown(value)}", param, ctx)
        if ":" in text:
            first, last, step = numbers
            if not step > 0 or last < first:
                self.fail(f"expected {expected} (first ≤ last, step > 0), got {shown(value)}",
                          param, ctx)
            count = math.floor((last - first) / step + 1e-9) + 1
        else:
            count = len(numbers)
        if count > LIMITS.grid_points:
            self.fail(f"expected at most {LIMITS.grid_points:,} points (the grid limit), got "
                      f"{shown(value)}, which makes {count:,}", param, ctx)
        if any(n < 0 for n in numbers[:2]):
            self.fail(f"expected factors ≥ 0, got {shown(value)}", param, ctx)
        return parse_axis(text)


def _factor(item: str) -> float:
    item = item.strip()
    if len(_DIGITS.findall(item)) > LIMITS.number_digits:
        raise ValueError(item)
    number = float(item[:-1]) / 100 if item.endswith("%") else float(item)
    if not math.isfinite(number):
        raise ValueError(item)
    return number


REPLICATIONS = Integer(1, LIMITS.replications)
SEED = Integer(0, 2**64 - 1)
#: local worker processes: more than this many is a typo, not a machine
JOBS = Integer(0, 256)
