"""The shift catalogue: which shifts a planner may give each agent group.

A catalogue is a YAML file (see ``docs/shift-catalogue.md``) of shift types: a start-time
grid, one or more lengths, working days, breaks and lunches each with the window it may be
placed in, min/max counts, whether the type is part time, and what a shift costs. It is read
with the same position-keeping loader as scenarios, so every mistake is a ``ScenarioError``
that names the file, line, column and YAML path. Checks that need the requirements (can the
catalogue cover every interval that needs agents?) are made by ``shifts.plan_shifts``.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import attrs

from ...schedules import DAY
from ...scenario.source import At, ScenarioError, load_source
from ...scenario.workforce import clock, fraction, working_days

__all__ = ["ActivityRule", "ShiftType", "Catalogue", "load_catalogue", "DEFAULT_STEP"]

TOP_KEYS = ("description", "shift_types", "part_time_share", "time_limit", "gap")
TYPE_KEYS = ("description", "group", "groups", "starts", "length", "lengths", "days",
             "activities", "part_time", "min", "max", "cost", "cost_per_hour")
START_KEYS = ("from", "to", "every")
ACTIVITY_KEYS = ("name", "length", "paid", "at", "between", "every")
DEFAULT_STEP = 900.0  # break placements every 15 minutes unless told
MAX_STARTS = 2000  # starts of one type: a 1-minute grid over a day and a half


@attrs.frozen
class ActivityRule:
    """A break, lunch or other activity: ``length`` seconds, to be placed so that it starts at
    ``earliest`` or later and ends by ``latest`` (offsets from the start of the shift), on a
    grid of ``step`` seconds. A fixed activity has ``earliest + length == latest``."""

    name: str
    length: float
    paid: bool
    earliest: float
    latest: float
    step: float

    def offsets(self) -> list[float]:
        """The starts the plan may choose for this activity."""
        last = self.latest - self.length
        count = int((last - self.earliest) // self.step + 1e-9) + 1
        return [self.earliest + i * self.step for i in range(count)]


@attrs.frozen
class ShiftType:
    """One allowed kind of shift, for the ``groups`` named (each group gets its own counts)."""

    name: str
    groups: tuple[str, ...]
    starts: tuple[float, ...]  # clock seconds after midnight
    lengths: tuple[float, ...]
    days: frozenset
    activities: tuple[ActivityRule, ...]
    part_time: bool = False
    min: int = 0
    max: int | None = None
    cost: float | None = None  # per shift worked
    cost_per_hour: float | None = None  # per paid hour

    def paid_length(self, length: float) -> float:
        """Paid seconds of one shift of ``length`` (unpaid activities left out)."""
        return length - sum(a.length for a in self.activities if not a.paid)


@attrs.frozen
class Catalogue:
    shift_types: tuple[ShiftType, ...]
    part_time_share: dict  # group -> largest share of its paid hours on part-time types
    time_limit: float = 60.0
    gap: float = 1e-4  # relative optimality gap at which the solver may stop
    source: object = attrs.field(default=None, eq=False, repr=False)

    def at(self, *path) -> At:
        """The catalogue value at ``path`` (for located errors)."""
        at = At(self.source)
        for key in path:
            at = at.child(key)
        return at

    def types_for(self, group: str) -> list[ShiftType]:
        return [t for t in self.shift_types if group in t.groups]


def load_catalogue(path: str | Path, scenario) -> Catalogue:
    """Read and check a shift catalogue for ``scenario`` (its groups, horizon and costs)."""
    source = load_source(path)
    root = At(source)
    if not isinstance(root.value, dict):
        raise root.expected("a shift catalogue: a mapping with shift_types")
    root.mapping(TOP_KEYS, required=("shift_types",))
    groups = [g.name for g in scenario.agent_groups]
    types_at = root.child("shift_types").mapping()
    if not types_at.value:
        raise types_at.error("needs at least one shift type (got none)")
    types = tuple(_shift_type(str(name), at, groups, scenario) for name, at in types_at.items())
    share = {g: 1.0 for g in groups}
    if root.has("part_time_share"):
        at = root.child("part_time_share")
        if isinstance(at.value, dict):
            for name, child in at.mapping().items():
                _known_group(child, name, groups, key=True)
                share[name] = fraction(child)
        else:
            share = {g: fraction(at) for g in groups}
    for group in groups:
        kinds = {t.part_time for t in types if group in t.groups}
        if kinds == {True} and share[group] < 1:
            raise root.child("part_time_share").error(
                f"group {group!r} has only part-time shift types, so at most "
                f"{share[group]:.0%} of its hours on part time leaves it no shifts at all")
    time_limit = (root.child("time_limit").duration(strict_low=True)
                  if root.has("time_limit") else 60.0)
    gap = fraction(root.child("gap")) if root.has("gap") else 1e-4
    return Catalogue(shift_types=types, part_time_share=share, time_limit=time_limit, gap=gap,
                     source=source)


def _known_group(at: At, name, groups, key=False) -> str:
    if name not in groups:
        hint = difflib.get_close_matches(str(name), groups, n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        raise at.error(f"unknown agent group {name!r} (the scenario's groups: "
                       f"{', '.join(groups)}){tip}", key=key)
    return name


def _shift_type(name: str, at: At, groups, scenario) -> ShiftType:
    at.mapping(TYPE_KEYS, required=("starts",))
    if at.has("group") == at.has("groups"):
        raise at.error("give either group (one agent group) or groups (a list of them)", key=True)
    if at.has("group"):
        names = (_known_group(at.child("group"), at.child("group").string(), groups),)
    else:
        items = at.child("groups").sequence(min_length=1)
        names = tuple(_known_group(item, item.string(), groups) for item in items)
    if at.has("length") == at.has("lengths"):
        raise at.error("give either length (one shift length) or lengths (a list)", key=True)
    length_items = ([at.child("length")] if at.has("length")
                    else at.child("lengths").sequence(min_length=1))
    lengths = tuple(_length(item, scenario) for item in length_items)
    days = working_days(at)
    activities = ()
    if at.has("activities"):
        activities = tuple(_activity(item, min(lengths))
                           for item in at.child("activities").sequence())
        _check_order(at.child("activities"), activities)
    low = at.child("min").number(low=0, integer=True) if at.has("min") else 0
    high = at.child("max").number(low=0, integer=True) if at.has("max") else None
    if high is not None and low > high:
        raise at.child("min").error(f"min ({low}) is more than max ({high})")
    if at.has("cost") and at.has("cost_per_hour"):
        raise at.error("give either cost (per shift) or cost_per_hour, not both", key=True)
    part_time = False
    if at.has("part_time"):
        if not isinstance(at.child("part_time").value, bool):
            raise at.child("part_time").expected("true or false")
        part_time = at.child("part_time").value
    return ShiftType(
        name=name, groups=names, starts=_starts(at.child("starts")), lengths=lengths, days=days,
        activities=activities, part_time=part_time, min=low, max=high,
        cost=at.child("cost").number(low=0) if at.has("cost") else None,
        cost_per_hour=(at.child("cost_per_hour").number(low=0)
                       if at.has("cost_per_hour") else None))


def _length(at: At, scenario) -> float:
    length = at.duration(strict_low=True)
    if length > DAY:
        raise at.error(f"a shift lasts at most 24h (got {at.value!r})")
    if length > scenario.horizon:
        raise at.error(f"a shift of {length / 3600:g}h is longer than the scenario's horizon "
                       f"({scenario.horizon / 3600:g}h)")
    return length


def _starts(at: At) -> tuple[float, ...]:
    """``{from: "07:00", to: "15:00", every: 30min}`` or a list of clock times."""
    if isinstance(at.value, list):
        starts = [clock(item) for item in at.sequence(min_length=1)]
    else:
        at.mapping(START_KEYS, required=("from", "to", "every"))
        first, last = clock(at.child("from")), clock(at.child("to"))
        step = at.child("every").duration(strict_low=True)
        if last < first:
            raise at.child("to").error(f"the last start ({at.child('to').value}) is before the "
                                       f"first ({at.child('from').value})")
        if (last - first) / step + 1 > MAX_STARTS:
            raise at.child("every").error(
                f"{(last - first) / step + 1:,.0f} start times, more than the limit of "
                f"{MAX_STARTS:,} per shift type: use a coarser step")
        starts = [first + i * step for i in range(int((last - first) // step + 1e-9) + 1)]
    if len(set(starts)) != len(starts):
        raise at.error("a start time is listed twice")
    return tuple(starts)


def _activity(at: At, shift_length: float) -> ActivityRule:
    at.mapping(ACTIVITY_KEYS, required=("length",))
    length = at.child("length").duration(strict_low=True)
    if at.has("at") == at.has("between"):
        raise at.error("give either at (a fixed offset from the start of the shift) or "
                       "between (the window it must lie in, e.g. [2h, 3h])", key=True)
    if at.has("at"):
        earliest = at.child("at").duration()
        latest, window = earliest + length, at.child("at")
    else:
        window = at.child("between")
        items = window.sequence()
        if len(items) != 2:
            raise window.error(f"expected [earliest start, latest end] after the start of the "
                               f"shift, e.g. [2h, 3h] (got {len(items)} values)")
        earliest, latest = items[0].duration(), items[1].duration()
        if latest < earliest + length:
            raise window.error(f"the window {latest / 60 - earliest / 60:g}min is shorter than "
                               f"the activity ({length / 60:g}min)")
    if latest > shift_length:
        raise window.error(f"the activity may end {latest / 60:g}min into the shift, but the "
                           f"shortest length of this type is {shift_length / 60:g}min: it must "
                           f"lie inside the shift")
    step = at.child("every").duration(strict_low=True) if at.has("every") else DEFAULT_STEP
    paid = True
    if at.has("paid"):
        if not isinstance(at.child("paid").value, bool):
            raise at.child("paid").expected("true or false")
        paid = at.child("paid").value
    name = at.child("name").string() if at.has("name") else "break"
    return ActivityRule(name=name, length=length, paid=paid, earliest=earliest, latest=latest,
                        step=step)


def _check_order(at: At, activities: tuple[ActivityRule, ...]) -> None:
    """Each activity has a window of its own, after the one before: then any placement of one
    goes with any placement of the others, which is what lets the programme choose breaks by
    counts per placement (see ``ip.py``)."""
    items = at.sequence()
    for (first, _), (second, item) in zip(zip(activities, items),
                                           list(zip(activities, items))[1:]):
        if second.earliest < first.latest - 1e-9:
            raise item.error(f"the window of {second.name!r} begins "
                             f"{second.earliest / 60:g}min into the shift, before the window of "
                             f"{first.name!r} ends ({first.latest / 60:g}min): list activities "
                             f"in order, each with a window of its own")


def catalogue_error(catalogue: Catalogue, message: str, *path) -> ScenarioError:
    """A located error about the catalogue as a whole (or at ``path``)."""
    return catalogue.at(*path).error(message, key=bool(path))
