"""Shift scheduling: from agents required per interval to the cheapest set of shifts, simulated.

``plan_shifts`` reads a shift catalogue, solves the integer programme of ``ip.py`` (how many
agents on each shift type, start, length and break placement), lays the answer out as a
runnable scenario with ``shifts:`` for the planned groups (through the ordinary scenario
loader, so it is checked like any file), and — given ``evaluate`` — simulates that schedule as
it is (breaks, lunches, absence and adherence included), raises the requirements where the
simulation asks for more agents and solves again. Whatever is still missed at the end is
listed in ``ShiftPlan.missed`` with its reason: the plan never passes for better than it is.
"""

from __future__ import annotations

import copy
from collections import defaultdict

import attrs
import yaml

from ...calendar import DAYS
from ...scenario import scenario_from_text
from ...units import format_clock
from ...limits import LIMITS
from .catalogue import Catalogue, catalogue_error, load_catalogue
from .ip import candidates, solve

__all__ = ["ShiftPlan", "plan_shifts", "load_catalogue", "Catalogue", "ROW_HEADER"]

ROW_HEADER = ("group", "shift_type", "start", "length", "count", "paid_hours", "cost")


def duration_text(seconds: float) -> str:
    """8h30min, 15min, 2h: a duration as the scenario files write it."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}min" if minutes else "")
    return text + (f"{secs}s" if secs or not text else "")


def clock_text(scenario, k: int) -> str:
    """Clock time of the start of interval ``k`` (with the weekday beyond one day)."""
    moment = scenario.start + k * scenario.interval
    text = format_clock(moment % 86400)
    if scenario.horizon > 86400:
        text = f"{DAYS[(scenario.start_day + int(moment // 86400)) % 7]} {text}"
    return text


@attrs.frozen
class PlannedShift:
    """Agents working one column of the programme: a shift type at a start, with a length and
    the start of each of its activities (offsets from the start of the shift)."""

    group: str
    shift_type: str
    name: str  # the shift's name in the planned scenario
    start: float
    length: float
    offsets: tuple[float, ...]
    count: int
    paid_hours: float  # all its agents over the horizon
    cost: float


@attrs.frozen
class ShiftPlan:
    """The plan: a runnable scenario, the shifts chosen, their coverage, cost and what is missed."""

    scenario: object
    shifts: tuple[PlannedShift, ...]
    coverage: dict  # group -> agents on the phones per interval (breaks taken out)
    requirements: dict  # group -> per interval, after the simulation's corrections
    cost: float
    paid_hours: float
    missed: tuple  # (group, interval index, reason)
    corrections: int  # times the simulation raised the requirements
    notes: tuple  # solver remarks: a time limit reached, the gap left
    yaml_text: str = attrs.field(repr=False)

    @property
    def counts(self) -> list[tuple[str, str, str, int]]:
        """(group, shift type, start clock time, agents), break placements added together."""
        total = defaultdict(int)
        for s in self.shifts:
            total[(s.group, s.shift_type, format_clock(s.start))] += s.count
        return [(*key, count) for key, count in total.items()]

    def rows(self) -> list[tuple]:
        """CSV rows after ``ROW_HEADER``: one per group, shift type, start and length."""
        total: dict = {}
        for s in self.shifts:
            key = (s.group, s.shift_type, format_clock(s.start), duration_text(s.length))
            count, hours, cost = total.get(key, (0, 0.0, 0.0))
            total[key] = (count + s.count, hours + s.paid_hours, cost + s.cost)
        return [(*key, count, round(hours, 4), round(cost, 4))
                for key, (count, hours, cost) in total.items()]

    def to_yaml(self) -> str:
        return self.yaml_text


def plan_shifts(scenario, requirements: dict[str, list[int]], catalogue_path, evaluate=None,
                max_corrections: int = 5) -> ShiftPlan:
    """The cheapest shifts covering ``requirements`` (group → agents needed on the phones per
    interval) from the catalogue at ``catalogue_path``; with ``evaluate(scenario) → {group:
    extra agents per interval}``, corrected by simulation up to ``max_corrections`` times."""
    if scenario.positions is None:
        raise ValueError("plan_shifts needs a scenario read from YAML (load_scenario or "
                         "scenario_from_text): the plan is written as a scenario file")
    known = [g.name for g in scenario.agent_groups]
    for group, values in requirements.items():
        if group not in known:
            raise ValueError(f"requirements for unknown agent group {group!r} (the scenario's "
                             f"groups: {', '.join(known)})")
        if len(values) != scenario.n_intervals:
            raise ValueError(f"requirements of {group!r}: {len(values)} values for "
                             f"{scenario.n_intervals} intervals")
    catalogue = load_catalogue(catalogue_path, scenario)
    groups = list(requirements)
    for group in groups:
        if not catalogue.types_for(group):
            raise catalogue_error(catalogue, f"no shift type for group {group!r}, which is to be "
                                             f"planned: add one with 'group: {group}'",
                                  "shift_types")
    cols = candidates(scenario, catalogue, groups, lambda n: catalogue_error(
        catalogue, f"the catalogue makes {n:,} variables (shifts "
                   f"× start × length, and activity placements), more than the limit of "
                   f"{LIMITS.shift_columns:,}: use a coarser "
                   f"start grid, fewer lengths or a coarser activity step ('every')",
        "shift_types"))
    needs = {g: [float(max(r, 0)) for r in requirements[g]] for g in groups}
    _check_coverable(scenario, catalogue, cols, needs)
    corrections, asks = 0, {}
    while True:
        solution = solve(cols, needs, catalogue) or solve(cols, needs, catalogue, shortfall=True)
        if solution is None:
            raise catalogue_error(catalogue, "the catalogue's own rules admit no plan at all: "
                                             "check the min counts against max counts and the "
                                             "part-time share")
        if solution.status == "no plan":
            raise catalogue_error(catalogue, f"the solver found no plan within the time limit "
                                             f"of {catalogue.time_limit:g}s ({solution.message}): "
                                             f"raise time_limit or coarsen the start grid",
                                  *(("time_limit",) if catalogue.at().has("time_limit") else ()))
        plan = _plan(scenario, catalogue, cols, solution, needs, corrections)
        if evaluate is None:
            break
        extra = evaluate(plan.scenario)
        asks = {(g, k): float(e) for g in groups for k, e in enumerate(extra.get(g, ()))
                if e > 0}
        if not asks or corrections >= max_corrections:
            break
        for (g, k), e in asks.items():
            needs[g][k] = max(needs[g][k], plan.coverage[g][k] + e)
        corrections += 1
    return attrs.evolve(plan, missed=_missed(scenario, plan, cols, asks, corrections))


def _check_coverable(scenario, catalogue, cols, needs) -> None:
    """Every interval that needs agents must be worked by some shift type of the group."""
    for group, values in needs.items():
        worked = [any(c.coverage[k] > 0 for c in cols if c.group == group)
                  for k in range(scenario.n_intervals)]
        gaps = [k for k, r in enumerate(values) if r > 0 and not worked[k]]
        if gaps:
            shown = ", ".join(clock_text(scenario, k) for k in gaps[:3])
            more = f" and {len(gaps) - 3} more intervals" if len(gaps) > 3 else ""
            raise catalogue_error(
                catalogue, f"group {group!r} needs agents at {shown}{more}, but no shift type of "
                           f"the catalogue has it on the phones then: widen the start grid or "
                           f"add a shift type", "shift_types")


def _agents(candidate, placements, count):
    """(offsets, agents) per distinct activity pattern: the i-th agent takes the i-th placement
    of each activity in order of time (any pairing is valid: each window is its own)."""
    per_activity = [[o for (o, _), n in zip(options, counts) for _ in range(n)]
                    for options, counts in zip(candidate.placements, placements)]
    patterns = defaultdict(int)
    for i in range(count):
        patterns[tuple(offsets[i] for offsets in per_activity)] += 1
    return sorted(patterns.items())


def _plan(scenario, catalogue, cols, solution, needs, corrections) -> ShiftPlan:
    chosen, names, made = [], defaultdict(int), []
    for column, count, placements in zip(cols, solution.counts, solution.placements):
        if count <= 0:
            continue
        for offsets, agents in _agents(column, placements, count):
            base = f"{column.shift_type.name}-{format_clock(column.start).replace(':', '')}"
            names[(column.group, base)] += 1
            index = names[(column.group, base)]
            chosen.append(PlannedShift(column.group, column.shift_type.name,
                                       base if index == 1 else f"{base}-{index}", column.start,
                                       column.length, offsets, agents,
                                       agents * column.paid_hours, agents * column.cost))
            made.append(column.shift(chosen[-1].name, agents, offsets))
    data = copy.deepcopy(scenario.positions.data)
    data.setdefault("name", scenario.name)  # not the name of the file it is written to
    for group in needs:
        spec = data["agent_groups"][group]
        spec.pop("headcount", None)
        spec.pop("shifts", None)
        mine = [shift for planned, shift in zip(chosen, made) if planned.group == group]
        if not mine:
            spec["headcount"] = 0
            continue
        spec["shifts"] = {shift.name: _shift_data(shift) for shift in mine}
    text = (f"# Shift plan for {scenario.source}: shifts chosen by ccsim from a shift "
            f"catalogue\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    planned = scenario_from_text(text, f"{scenario.source} [shift plan]", scenario.base_dir)
    coverage = {g: [planned.headcount(planned.agent_group(g), k)
                    for k in range(planned.n_intervals)] for g in needs}
    notes = ()
    if solution.status != "optimal":
        notes = (f"the solver stopped at its time limit of {catalogue.time_limit:g}s: the plan "
                 f"may cost up to {solution.gap:.2%} more than the optimum (raise time_limit "
                 f"in the catalogue)",)
    return ShiftPlan(scenario=planned, shifts=tuple(chosen), coverage=coverage,
                     requirements={g: list(v) for g, v in needs.items()},
                     cost=sum(s.cost for s in chosen), paid_hours=sum(s.paid_hours for s in chosen),
                     missed=(), corrections=corrections, notes=notes, yaml_text=text)


def _shift_data(shift) -> dict:
    data = {"start": format_clock(shift.start), "length": duration_text(shift.length),
            "count": shift.count}
    if len(shift.days) < 7:
        data["days"] = ",".join(DAYS[d] for d in sorted(shift.days))
    if shift.activities:
        data["activities"] = [{"name": a.name, "at": duration_text(a.start),
                               "length": duration_text(a.length), "paid": a.paid}
                              for a in shift.activities]
    return data


def _missed(scenario, plan, cols, asks, corrections) -> tuple:
    """(group, interval, reason) for every interval the plan still falls short in."""
    missed = []
    for group, needed in plan.requirements.items():
        for k, need in enumerate(needed):
            have = plan.coverage[group][k]
            reason = None
            if have < need - 1e-6:
                if not any(c.coverage[k] > 0 for c in cols if c.group == group):
                    reason = (f"no shift type of the catalogue works at "
                              f"{clock_text(scenario, k)}, where the simulation asks for "
                              f"{need - have:g} more agents")
                else:
                    reason = (f"the catalogue's limits (max counts, part-time share) leave "
                              f"{have:g} agents on the phones at {clock_text(scenario, k)}, "
                              f"{need:g} are needed")
            elif (group, k) in asks:
                reason = (f"the simulated schedule still misses its target at "
                          f"{clock_text(scenario, k)} after {corrections} correction(s): it "
                          f"asks for {asks[(group, k)]:g} more agents")
            if reason:
                missed.append((group, k, reason))
    return tuple(missed)
