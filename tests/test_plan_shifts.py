"""Shift scheduling (issue 13 item 2): the plan obeys every rule of its catalogue (recounted here
from the chosen shifts, not taken from the solver), is optimal on an instance small enough to
enumerate, runs as a scenario whose simulated staffing is the plan's coverage, is corrected by
simulation in the loop, and bad catalogues fail with located messages."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from ccsim import simulate
from ccsim.scenario import ScenarioError, scenario_from_text
from ccsim.study.experiment import run_replication
from ccsim.workforce.plan.shifts import ROW_HEADER, plan_shifts

BROKEN = Path(__file__).parent / "broken_catalogues"

SCENARIO = """\
start: "08:00"
horizon: 8h
interval: {interval}
end: stop
seed: 3
costs: {{agent_hour: 10}}
contact_types:
  calls:
    arrivals: 0.001/h
    talk: {{dist: deterministic, value: 1s}}
agent_groups:
  team: {{headcount: 1, skills: [calls]}}
  other: {{headcount: 2, skills: [calls]}}
"""

CATALOGUE = """\
part_time_share: 25%
shift_types:
  full:
    groups: [team, other]
    starts: {from: "08:00", to: "12:00", every: 30min}
    length: 4h
    max: 12
    activities:
      - {name: break, length: 15min, between: [1h, 2h], every: 15min}
      - {name: lunch, length: 30min, paid: false, between: [2h, 3h30min], every: 30min}
  short:
    group: team
    part_time: true
    starts: {from: "08:00", to: "14:00", every: 1h}
    length: 2h
    cost: 25
"""


def _scenario(interval="30min"):
    return scenario_from_text(SCENARIO.format(interval=interval), "center.yaml")


def _catalogue(tmp_path, text=CATALOGUE, name="catalogue.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _on_phones(shift, n, interval, start):
    """Agents of ``shift`` on the phones per interval, recounted by hand: the shift's span
    minus its activities, cut on the interval grid."""
    busy = np.zeros(n)

    def add(a, b, weight):
        for k in range(n):
            lo, hi = start + k * interval, start + (k + 1) * interval
            busy[k] += weight * max(0.0, min(b, hi) - max(a, lo)) / interval

    add(shift.start, shift.start + shift.length, shift.count)
    for activity in shift.activities:
        add(shift.start + activity.start, shift.start + activity.start + activity.length,
            -shift.count)
    return busy


REQUIRED = {"team": [2, 3, 3, 4, 4, 5, 5, 5, 4, 4, 3, 3, 3, 2, 2, 1],
            "other": [1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1]}


def test_the_plan_obeys_every_rule_of_its_catalogue(tmp_path):
    scenario = _scenario()
    plan = plan_shifts(scenario, REQUIRED, _catalogue(tmp_path))
    assert plan.missed == () and plan.notes == ()
    for group, required in REQUIRED.items():
        spec = plan.scenario.agent_group(group)
        assert spec.shifts and not spec.headcount
        coverage = sum(_on_phones(s, 16, 1800.0, 8 * 3600.0) for s in spec.shifts)
        assert coverage == pytest.approx(plan.coverage[group])
        assert all(c >= r - 1e-9 for c, r in zip(coverage, required)), (group, coverage)
        paid = {"full": 0.0, "short": 0.0}
        for s in spec.shifts:
            kind = "full" if s.name.startswith("full-") else "short"
            assert s.days == frozenset(range(7))
            if kind == "full":
                assert s.length == 4 * 3600 and 8 * 3600 <= s.start <= 12 * 3600
                assert s.start % 1800 == 0
                (brk, lunch) = s.activities
                assert (brk.name, brk.length, brk.paid) == ("break", 900, True)
                assert 3600 <= brk.start and brk.start + 900 <= 7200 and brk.start % 900 == 0
                assert (lunch.name, lunch.length, lunch.paid) == ("lunch", 1800, False)
                assert 7200 <= lunch.start and lunch.start + 1800 <= 3.5 * 3600
                assert brk.window == lunch.window == 0
                paid[kind] += s.count * 3.5
            else:
                assert group == "team" and s.length == 7200 and not s.activities
                assert s.start in [h * 3600 for h in range(8, 15)]
                paid[kind] += s.count * 2
        assert sum(s.count for s in spec.shifts if s.name.startswith("full-")) <= 12
        assert paid["short"] <= 0.25 * (paid["full"] + paid["short"]) + 1e-9
        cost = paid["full"] * 10 + paid["short"] / 2 * 25
        assert sum(r[6] for r in plan.rows() if r[0] == group) == pytest.approx(cost)
    assert plan.cost == pytest.approx(sum(r[6] for r in plan.rows()))
    assert len(ROW_HEADER) == len(plan.rows()[0])
    assert sum(c for _, _, _, c in plan.counts) == sum(
        s.count for g in REQUIRED for s in plan.scenario.agent_group(g).shifts)


BRUTE = """\
shift_types:
  long:
    group: team
    starts: {from: "08:00", to: "10:00", every: 1h}
    length: 4h
    activities:
      - {name: lunch, length: 1h, paid: false, between: [1h, 3h], every: 1h}
  short:
    group: team
    part_time: true
    starts: {from: "08:00", to: "14:00", every: 1h}
    length: 2h
    cost: 25
"""


def test_the_plan_is_optimal_on_an_instance_small_enough_to_enumerate(tmp_path):
    """Every count of 0..2 on each of the 13 patterns (3 starts × 2 lunch placements of the long
    shift, costing 3 paid hours × 10; 7 starts of the short one, 25 each) is tried: the
    cheapest that covers the requirement must cost what the programme's plan costs."""
    scenario = _scenario("1h")
    required = [1, 2, 2, 1, 2, 2, 1, 1]
    patterns, costs = [], []
    for start in (0, 1, 2):
        for lunch in (1, 2):
            patterns.append([1 if start <= k < start + 4 and k != start + lunch else 0
                             for k in range(8)])
            costs.append(30)
    for start in range(7):
        patterns.append([1 if start <= k < start + 2 else 0 for k in range(8)])
        costs.append(25)
    matrix, costs = np.array(patterns), np.array(costs)
    best = np.inf
    for block in itertools.product(range(3), repeat=6):
        long = np.array(block)
        base, spent = long @ matrix[:6], long @ costs[:6]
        shorts = np.array(list(itertools.product(range(3), repeat=7)))
        ok = np.all(base + shorts @ matrix[6:] >= required, axis=1)
        if ok.any():
            best = min(best, spent + (shorts[ok] @ costs[6:]).min())
    plan = plan_shifts(scenario, {"team": required}, _catalogue(tmp_path, BRUTE))
    assert plan.cost == pytest.approx(best)
    assert all(c >= r for c, r in zip(plan.coverage["team"], required))


def test_the_plan_runs_as_a_scenario_and_the_simulation_staffs_its_coverage(tmp_path):
    scenario = _scenario()
    plan = plan_shifts(scenario, REQUIRED, _catalogue(tmp_path))
    again = scenario_from_text(plan.to_yaml(), "plan.yaml")
    assert again == plan.scenario
    results = simulate(plan.scenario, replications=2, seed=1)
    assert results.values("overall.offered").shape == (2,)
    sums = run_replication(plan.scenario, 1, 0)[1]["group.staffed_area"][:16]
    for index, group in enumerate(g.name for g in plan.scenario.agent_groups):
        # a 1-second call at a break can hold an agent back by at most a second
        assert sums[:, index] == pytest.approx(np.array(plan.coverage[group]) * 1800, abs=2.0)


def test_a_group_not_planned_keeps_its_headcount(tmp_path):
    plan = plan_shifts(_scenario(), {"team": REQUIRED["team"]}, _catalogue(tmp_path))
    assert plan.scenario.agent_group("other") == _scenario().agent_group("other")
    assert set(plan.coverage) == {"team"}


def test_simulation_in_the_loop_covers_what_the_first_plan_missed(tmp_path):
    scenario, seen = _scenario(), []

    def evaluate(candidate):
        seen.append(candidate)
        extra = {"team": [0] * 16, "other": [0] * 16}
        if len(seen) == 1:
            extra["team"][6] = 1
        return extra

    first = plan_shifts(scenario, REQUIRED, _catalogue(tmp_path))
    plan = plan_shifts(scenario, REQUIRED, _catalogue(tmp_path), evaluate=evaluate)
    assert len(seen) == 2 and plan.corrections == 1 and plan.missed == ()
    assert seen[0] == first.scenario and seen[1] == plan.scenario
    assert plan.coverage["team"][6] >= first.coverage["team"][6] + 1
    assert plan.requirements["team"][6] == first.coverage["team"][6] + 1
    assert plan.cost > first.cost


def test_what_the_simulation_still_misses_is_reported_with_its_reason(tmp_path):
    calls = []

    def never_enough(candidate):
        calls.append(candidate)
        return {"team": [1 if k == 3 else 0 for k in range(16)]}

    plan = plan_shifts(_scenario(), REQUIRED, _catalogue(tmp_path), evaluate=never_enough,
                       max_corrections=2)
    assert len(calls) == 3 and plan.corrections == 2
    assert [(g, k) for g, k, _ in plan.missed] == [("team", 3)]
    assert "still misses its target at 09:30 after 2 correction(s)" in plan.missed[0][2]


def test_limits_that_cannot_cover_the_requirement_are_reported_not_hidden(tmp_path):
    text = CATALOGUE.replace("max: 12", "max: 1").replace("part_time_share: 25%",
                                                         "part_time_share: 0%")
    text = text.replace("    part_time: true\n", "    part_time: true\n    max: 0\n")
    plan = plan_shifts(_scenario(), {"team": REQUIRED["team"]}, _catalogue(tmp_path, text))
    short = [k for k, (c, r) in enumerate(zip(plan.coverage["team"], REQUIRED["team"]))
             if c < r]
    assert short and [k for _, k, _ in plan.missed] == short
    assert all("catalogue's limits" in reason for _, _, reason in plan.missed)


def _expectation(file: Path):
    first, second = file.read_text(encoding="utf-8").splitlines()[:2]
    path, _, fragment = first.removeprefix("# expect:").partition("|")
    return path.strip(), fragment.strip(), int(second.removeprefix("# line:").strip())


@pytest.mark.parametrize("file", sorted(BROKEN.glob("*.yaml")), ids=lambda f: f.stem)
def test_a_broken_catalogue_gets_a_located_error(file: Path):
    path, fragment, line = _expectation(file)
    with pytest.raises(ScenarioError) as caught:
        plan_shifts(_scenario("1h"), {"team": [1] * 8}, file)
    message = str(caught.value)
    match = re.match(rf"{re.escape(str(file))}:(\d+):(\d+): {re.escape(path)}: (.*)$", message)
    assert match, message
    assert int(match[1]) == line, message
    assert fragment.lower() in match[3].lower(), message


def test_a_planned_group_without_shift_types_is_a_located_error(tmp_path):
    with pytest.raises(ScenarioError, match=r"catalogue.yaml:\d+:\d+: shift_types: no shift "
                                            r"type for group 'other'"):
        plan_shifts(_scenario(), {"other": [1] * 16},
                    _catalogue(tmp_path, BRUTE.replace("1h, 3h", "1h, 3h")))


def test_the_example_catalogue_fits_the_retail_bank():
    from ccsim.scenario import load_scenario
    from ccsim.workforce.plan.catalogue import load_catalogue

    root = Path(__file__).parent.parent
    bank = load_scenario(root / "scenarios/retail_bank_day.yaml")
    catalogue = load_catalogue(root / "scenarios/shift_catalogues/retail_bank.yaml", bank)
    assert {g for t in catalogue.shift_types for g in t.groups} == {"service", "sales"}
