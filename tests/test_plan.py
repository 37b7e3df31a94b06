"""ccsim plan: multi-group staffing by simulation (issue 13)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

import ccsim
from ccsim import theory
from ccsim.workforce.plan import held_out, parse_plan_target

SINGLE = """
name: single queue day
horizon: 6h
warmup: 1h
interval: 1h
seed: 5
contact_types:
  calls:
    arrivals: {per_interval: [120, 120, 180, 180, 120, 120]}
    talk: {dist: exponential, mean: 5min}
    patience: {dist: exponential, mean: 10min}
    service_level: {threshold: 20s, target: 0.8}
agent_groups:
  agents:
    headcount: 10
    skills: [calls]
"""

POOLED = """
name: two queues, one flexible group
horizon: 4h
warmup: 1h
interval: 1h
seed: 3
contact_types:
  a:
    arrivals: {per_interval: [30, 30, 45, 30]}
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 8min}
  b:
    arrivals: {per_interval: [30, 45, 30, 30]}
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 8min}
agent_groups:
  only_a: {headcount: 4, skills: [a]}
  only_b: {headcount: 4, skills: [b]}
  both: {headcount: 2, skills: {a: {rank: 1}, b: {rank: 1}}}
"""


def test_single_queue_plan_is_erlang_a_within_one():
    # the default search (one seed, 90 % confidence); with validate=True the plan keeps up to
    # two agents more in the noisy interval after the peak (docs/planning.md)
    scenario = ccsim.scenario_from_text(SINGLE)
    result = ccsim.plan(scenario, ["sl>=0.80@20s"], replications=8, seed=11, max_rounds=30)
    assert not result.warnings()
    for k, agents in enumerate(result.required["agents"]):
        if k < 1:  # warm-up: not judged
            continue
        rate = scenario.contact_types[0].arrival_rates[k]
        expected = theory.staff_erlang_a(rate, 300.0, 600.0, 20.0, 0.8)
        assert abs(agents - expected) <= 1, (k, agents, expected)


def test_flexible_group_staffs_less_than_each_type_alone_and_holds_on_held_out_seed():
    scenario = ccsim.scenario_from_text(POOLED)
    result = ccsim.plan(scenario, ["sl>=0.80@20s"], replications=10, seed=21, max_rounds=30)
    assert not result.warnings()
    assert result.agent_hours() < result.agent_hours("baseline_a")
    # 20 fresh days the search never saw: every target holds in expectation (the mean of
    # every judged interval), and its 90 % bound holds in most cells
    fresh = held_out(result, seed=777, replications=20)
    for cell in fresh.cells.values():
        judged = [m for m in cell["mean"][1:] if m == m]  # interval 0 is the warm-up
        assert judged and min(judged) >= cell["target"].limit, cell
    assert fresh.share_met() >= 0.8


def test_target_not_reached_is_named():
    # the Erlang A start meets the mean, not a 99 % bound over 4 days; one round cannot fix it
    scenario = ccsim.scenario_from_text(POOLED)
    result = ccsim.plan(scenario, ["a:sl>=95%@5s"], replications=4, seed=2, max_rounds=1,
                        confidence=0.99)
    lines = result.warnings()
    assert lines and lines[0].startswith("a: SL ≥ 95% @ 5s is NOT met")
    assert "--max-rounds 1" in lines[-1]


def test_type_nobody_serves_is_an_error():
    # the loader refuses such a file; a scenario made in Python can still reach plan
    import attrs

    scenario = ccsim.scenario_from_text(POOLED)
    groups = tuple(attrs.evolve(g, skills=tuple(s for s in g.skills if s.contact_type == "a"))
                   if g.name != "only_b" else attrs.evolve(g, skills=g.skills[:0] + (
                       attrs.evolve(g.skills[0], contact_type="a"),))
                   for g in scenario.agent_groups)
    with pytest.raises(ValueError, match="no agent group serves b"):
        ccsim.plan(attrs.evolve(scenario, agent_groups=groups), ["sl>=0.8@20s"], replications=2)


@pytest.mark.parametrize("text, kind, limit", [
    ("sl>=0.80@20s", "sl", 0.8), ("billing:sl>=80%@30s", "sl", 0.8), ("asa<=30s", "asa", 30),
    ("abandon<=5%", "abandon", 0.05), ("email:response<=24h", "response", 86400),
    ("80/20", "sl", 0.8), ("billing:90%/30s", "sl", 0.9), ("85%", "sl", 0.85)])
def test_target_grammar(text, kind, limit):
    target = parse_plan_target(text)
    assert target.kind == kind and math.isclose(target.limit, limit)
    if kind == "sl":  # planners' 80/20 and 90%/30s carry the threshold; a share alone is 20 s
        assert target.threshold == (30.0 if "30s" in text else 20.0)


@pytest.mark.parametrize("text", ["sl>=0.8", "asa>=30s", "abandon<=150%", "x:", "sl>=2@20s"])
def test_bad_target_text(text):
    with pytest.raises(ValueError, match="target"):
        parse_plan_target(text)


def _cli(*args, tmp_path=None):
    return subprocess.run([sys.executable, "-m", "ccsim", "plan", *args], capture_output=True,
                          text=True, cwd=tmp_path)


@pytest.fixture
def pooled_file(tmp_path):
    path = tmp_path / "pooled.yaml"
    path.write_text(POOLED)
    return path


@pytest.mark.parametrize("target, message", [
    ("c:sl>=0.8@20s", "no contact type 'c'"), ("sl>0.8@20s", "--target"),
    ("response<=24h", "fits no contact type")])
def test_cli_bad_target_exits_2(pooled_file, target, message):
    done = _cli(str(pooled_file), "--target", target, "-q")
    assert done.returncode == 2, done.stderr
    assert "error:" in done.stderr and message in done.stderr and "Traceback" not in done.stderr


def test_cli_strict_impossible_exits_1(pooled_file):
    done = _cli(str(pooled_file), "--target", "a:sl>=95%@5s", "-r", "4", "--max-rounds", "1",
                "--confidence", "0.99", "--seed", "2", "--strict", "-q")
    assert done.returncode == 1, done.stderr
    assert "NOT met" in done.stderr and "a: SL ≥ 95% @ 5s" in done.stderr


@pytest.mark.slow
def test_jobs_do_not_change_the_plan_and_files_are_written(pooled_file, tmp_path):
    plans = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        done = _cli(str(pooled_file), "--target", "sl>=0.8@20s", "-r", "4", "--max-rounds", "6",
                    "--jobs", jobs, "--json", "--out", str(out))
        assert done.returncode == 0, done.stderr
        plans.append(json.loads(done.stdout)["required"])
    assert plans[0] == plans[1]
    written = {p.name for p in (tmp_path / "out1").iterdir()}
    assert {"plan-scenario.yaml", "requirements.csv", "fte.csv", "targets.csv",
            "summary.json", "plan-both.png"} <= written
    again = ccsim.load_scenario(tmp_path / "out1" / "plan-scenario.yaml")
    assert [list(g.headcount) for g in again.agent_groups] == \
        [plans[0][g.name] for g in again.agent_groups]


SHIFT_DAY = """
name: shift day
start: "08:00"
horizon: 6h
interval: 1h
seed: 5
contact_types:
  calls:
    arrivals: {per_interval: [60, 120, 120, 60, 60, 60]}
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 10min}
    service_level: {threshold: 20s, target: 0.8}
agent_groups:
  agents:
    headcount: 6
    skills: [calls]
"""

SHIFT_TYPES = """
shift_types:
  long:
    group: agents
    starts: {from: "08:00", to: "10:00", every: 1h}
    length: 4h
  short:
    group: agents
    starts: {from: "08:00", to: "12:00", every: 1h}
    length: 2h
"""


def test_shifts_are_planned_cover_the_requirements_and_run(tmp_path):
    """``plan(..., shifts=catalogue)``: the headcount plan, then shifts whose coverage is at
    least the requirement in every interval (recounted from the shifts of the plan's
    scenario), a scenario that loads and runs, and the targets judged on another seed."""
    scenario = ccsim.scenario_from_text(SHIFT_DAY, str(tmp_path / "day.yaml"))
    catalogue = tmp_path / "shifts.yaml"
    catalogue.write_text(SHIFT_TYPES)
    result = ccsim.plan(scenario, ["sl>=0.8@20s"], replications=4, seed=7, shifts=catalogue,
                        max_rounds=12)
    plan = result.shifts
    assert plan is not None and not plan.missed
    spec = plan.scenario.agent_groups[0]
    assert spec.shifts and not any(spec.headcount)
    on_phones = [0] * scenario.n_intervals
    for shift in spec.shifts:
        first = round((shift.start - scenario.start) / scenario.interval)
        for k in range(first, first + round(shift.length / scenario.interval)):
            on_phones[k] += shift.count
    assert all(have >= need for have, need in zip(on_phones, result.required["agents"]))
    reloaded = ccsim.scenario_from_text(plan.to_yaml(), str(tmp_path / "planned.yaml"))
    verdict = held_out(result, seed=1234, replications=4, scenario=reloaded)
    assert verdict is not None
    # the chart stacks the shift types to the plan's coverage, against the requirement
    from ccsim.output.plots import shift_coverage

    axes = shift_coverage(plan, "agents").axes[0]
    stacked = [c for c in axes.collections]
    assert len(stacked) == len({s.shift_type for s in plan.shifts})
    top = stacked[-1].get_paths()[0].vertices[:, 1].max()
    assert math.isclose(top, max(plan.coverage["agents"]))
    assert list(axes.get_lines()[0].get_ydata()[:-1]) == list(plan.requirements["agents"])


def test_cli_plans_shifts_and_writes_them(tmp_path):
    """``ccsim plan --shifts --out``: shifts.csv with one row per shift start, and the shift
    plan as a runnable plan-scenario.yaml (agents on shifts, not headcounts)."""
    scenario, catalogue = tmp_path / "day.yaml", tmp_path / "shifts.yaml"
    scenario.write_text(SHIFT_DAY)
    catalogue.write_text(SHIFT_TYPES)
    done = _cli(str(scenario), "--target", "80/20", "-r", "4", "--max-rounds", "12",
                "--shifts", str(catalogue), "--out", str(tmp_path / "out"), "-q")
    assert done.returncode == 0, done.stderr
    rows = (tmp_path / "out" / "shifts.csv").read_text().splitlines()
    assert rows[0] == "group,shift_type,start,length,count,paid_hours,cost" and len(rows) > 1
    planned = ccsim.load_scenario(tmp_path / "out" / "plan-scenario.yaml")
    assert planned.agent_groups[0].shifts and "Shifts:" in done.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())["shifts"]
    paid = sum(float(line.split(",")[5]) for line in rows[1:])
    assert math.isclose(summary["paid_hours"], paid) and isinstance(summary["short"], list)
    assert (tmp_path / "out" / "shifts-agents.png").exists()


def test_pooled_seed_of_two_types_sharing_a_group_lies_between_pooled_erlang_and_alone():
    # a and b share the group "both": staffed on their pooled load (same handle time and
    # patience, so the pooled queue is an exact M/M/c+M) they need fewer agents than alone
    from ccsim.workforce.plan import _prepared
    from ccsim.workforce.plan.seed import per_type_staffing, pooled_staffing, seed_plan

    scenario, _, by_type = _prepared(ccsim.scenario_from_text(POOLED), ["sl>=0.80@20s"])
    alone = per_type_staffing(scenario, by_type)
    start = seed_plan(scenario, pooled_staffing(scenario, by_type, alone))
    saved = 0
    for k in range(scenario.n_intervals):
        rate = sum(scenario.contact_types[t].arrival_rates[k] for t in (0, 1))
        pooled = theory.staff_erlang_a(rate, 240.0, 480.0, 20.0, 0.8)
        total = sum(row[k] for row in start)
        assert pooled - 1 <= total <= alone[0][k] + alone[1][k], (k, total, pooled)
        saved += alone[0][k] + alone[1][k] - total
    assert saved >= scenario.n_intervals  # pooling two queues of ~10 agents saves some


def test_pooled_seed_leaves_types_that_share_no_group_alone():
    import attrs

    from ccsim.workforce.plan import _prepared
    from ccsim.workforce.plan.seed import per_type_staffing, pooled_sets, pooled_staffing

    base = ccsim.scenario_from_text(POOLED)
    apart = attrs.evolve(base, agent_groups=base.agent_groups[:2])  # no flexible group
    scenario, _, by_type = _prepared(apart, ["sl>=0.80@20s"])
    assert pooled_sets(scenario, [0, 1]) == [[0], [1]]
    alone = per_type_staffing(scenario, by_type)
    assert pooled_staffing(scenario, by_type, alone) == {t: [float(a) for a in row]
                                                         for t, row in alone.items()}


def test_trim_takes_large_steps_back_to_erlang_a_from_twice_the_staff():
    # from twice Erlang A, one agent per interval per round would need ~10 trim rounds
    # (2 simulations each); steps sized by the margin and halved on failure need far fewer
    from ccsim.workforce.plan import _prepared
    from ccsim.workforce.plan.search import greedy_search

    scenario, _, by_type = _prepared(ccsim.scenario_from_text(SINGLE), ["sl>=0.80@20s"])
    expected = [theory.staff_erlang_a(r, 300.0, 600.0, 20.0, 0.8)
                for r in scenario.contact_types[0].arrival_rates]
    start = [[2 * e for e in expected]]
    plan, verdict, rounds, _ = greedy_search(scenario, by_type, start, [1.0], [[100] * 6], 8,
                                             11, 0.9, 1, max_rounds=14)
    assert not verdict.missed
    for k in range(1, 6):
        assert plan[0][k] <= expected[k] + 2, (k, plan[0], expected)


def test_plan_trimmed_on_two_seeds_holds_on_fresh_days():
    # Trimmed on the search seed alone, this plan passed its bound there in every cell but
    # only in 3 of 5 on fresh days (it fitted the search seed's days). Judged on a second seed
    # as well, its share met on days neither seed saw stays near the search seed's.
    scenario = ccsim.scenario_from_text(SINGLE)
    result = ccsim.plan(scenario, ["sl>=0.80@20s"], replications=8, seed=11, max_rounds=30,
                        validate=True)
    assert result.verdict.share_met() == 1.0
    fresh = held_out(result, seed=999, replications=8)
    assert fresh.share_met() >= result.verdict.share_met() - 0.2, fresh.missed


def test_a_removal_that_holds_on_the_search_seed_only_is_not_met():
    from ccsim.workforce.plan import _prepared
    from ccsim.workforce.plan.evaluate import evaluate_plans, validation_seed

    scenario, _, by_type = _prepared(ccsim.scenario_from_text(SINGLE), ["sl>=0.80@20s"])
    trimmed = [[13, 14, 20, 19, 15, 14]]  # one agent fewer in the last interval
    alone, = evaluate_plans(scenario, [trimmed], by_type, 8, 11, 0.9, 1)
    check, = evaluate_plans(scenario, [trimmed], by_type, 8, validation_seed(11), 0.9, 1)
    both, = evaluate_plans(scenario, [trimmed], by_type, 8, 11, 0.9, 1,
                           validation=validation_seed(11))
    assert (0, 5, "sl") not in alone.missed and (0, 5, "sl") in check.missed  # the setting
    assert (0, 5, "sl") in both.missed
    assert set(both.missed) == set(alone.missed) | set(check.missed)
    sl = both.cells[(0, "sl")]
    assert sl["bound"] == [min(a, b) if a == a and b == b else (a if a == a else b) for a, b in
                           zip(alone.cells[(0, "sl")]["bound"], check.cells[(0, "sl")]["bound"])]
    assert validation_seed(11) == validation_seed(11) != 11
