"""Simulation-based staffing and stress tests, checked against Erlang A, against an
independent simulation and against the SIPP pitfall they exist to avoid."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import ccsim
from ccsim import simulate, theory
from ccsim.cli import main
from ccsim.scenario import scenario_from_text
from ccsim.workforce.staff import Target, parse_target, staff
from ccsim.workforce.stress import parse_axis, stress, wilson
from ccsim.study.whatif import with_headcount

# demand jumps for an hour (30 -> 120 -> 30 calls per half-hour) and calls last 25 minutes,
# so the queue lags behind the demand
PEAK = Path(__file__).resolve().parent.parent / "scenarios" / "sipp_peak.yaml"

SINGLE = """\
horizon: 4h
interval: 4h
contact_types:
  calls:
    arrivals: 120/h
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 5min}
agent_groups:
  team: {headcount: 1, skills: [calls]}
"""


def _interval_sl(results, k: int) -> np.ndarray:
    within = np.array([s["type.answered_within"][k].sum() for s in results.sums])
    offered = np.array([(s["type.offered"][k] - s["type.short_abandoned"][k]).sum()
                        for s in results.sums])
    return within / offered


@pytest.fixture(scope="module")
def peak_plan():
    return staff(ccsim.load_scenario(PEAK), Target(0.8, 20.0), replications=10, seed=1)


def test_per_interval_erlang_c_misses_after_the_rise(peak_plan):
    """SIPP staffs the hour after the peak for its own small demand; the calls still in
    service from the peak take the agents, and the service level falls well short."""
    erlang_c = peak_plan.outcome["erlang_c"]
    after = 4  # 10:00, the first interval after the peak
    assert peak_plan.erlang_c[after] < peak_plan.erlang_c[after - 1]
    assert not erlang_c["met"][after]
    assert erlang_c["sl"][after] < 0.8
    # during the rise itself Erlang C is generous: the queue has not caught up yet
    assert erlang_c["met"][2] and erlang_c["sl"][2] > 0.9


def test_simulation_based_staffing_meets_every_interval(peak_plan):
    assert all(peak_plan.outcome["required"]["met"])
    assert peak_plan.required[4] > peak_plan.erlang_c[4]  # the lag is staffed for
    # an independent check, on other days than the search saw
    scenario = with_headcount(peak_plan.scenario, "support", peak_plan.required)
    check = simulate(scenario, replications=20, seed=991)
    for k in range(scenario.n_intervals):
        levels = _interval_sl(check, k)
        assert levels.mean() + 2.1 * levels.std(ddof=1) / math.sqrt(len(levels)) >= 0.8, k


def test_single_interval_staffing_matches_erlang_a():
    scenario = scenario_from_text(SINGLE, "single.yaml")
    plan = staff(scenario, Target(0.8, 20.0), replications=20)
    expected = theory.staff_erlang_a(120 / 3600, 240.0, 300.0, 20.0, 0.8)
    assert plan.erlang_a == (expected,)
    assert abs(plan.required[0] - expected) <= 1


def test_an_abandonment_cap_can_only_add_agents():
    scenario = scenario_from_text(SINGLE.replace("5min", "1min"), "single.yaml")
    loose = staff(scenario, Target(0.5, 20.0), replications=10)
    capped = staff(scenario, Target(0.5, 20.0, max_abandon=0.02), replications=10)
    assert capped.required[0] >= loose.required[0]
    assert capped.outcome["required"]["abandon_high"][0] <= 0.02


@pytest.mark.parametrize("text, expected", [("sl>=0.80@20s", (0.8, 20.0)),
                                            ("SL >= 90% @ 15s", (0.9, 15.0)),
                                            ("sl>=0.7@1min", (0.7, 60.0))])
def test_targets_are_read_with_their_units(text, expected):
    assert parse_target(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["sl>0.8@20s", "sl>=1.5@20s", "asa<=20s", "sl>=0.8"])
def test_bad_targets_are_refused(text):
    with pytest.raises(ValueError, match="target"):
        parse_target(text)


def test_stress_points_share_their_contacts_and_order_sensibly():
    scenario = scenario_from_text(SINGLE.replace("headcount: 1", "headcount: 10"), "s.yaml")
    points = stress(scenario, {"volume": (1.0, 1.2), "absence": (0.0, 0.1)}, replications=8)
    by = {(p.factors["volume"], p.factors["absence"]): p for p in points}
    base = simulate(scenario, replications=8).summary()["overall"]["service_level"]
    assert by[(1.0, 0.0)].kpis["service_level"] == base  # same seed: the very same days
    sl = {key: p.kpis["service_level"]["mean"] for key, p in by.items()}
    assert sl[(1.2, 0.0)] < sl[(1.0, 0.0)] and sl[(1.0, 0.1)] < sl[(1.0, 0.0)]
    for p in points:
        assert p.p_meet_low <= p.p_meet <= p.p_meet_high


def test_axes_and_wilson_intervals():
    assert parse_axis("0.9:1.3:0.1") == (0.9, 1.0, 1.1, 1.2, 1.3)
    assert parse_axis("0,5%,15%") == (0.0, 0.05, 0.15)
    with pytest.raises(ValueError):
        parse_axis("1.3:0.9:0.1")
    low, high = wilson(0, 10)
    assert low == 0.0 and 0.25 < high < 0.35  # the rule of three, roughly
    low, high = wilson(5, 10)
    assert low == pytest.approx(1 - high)


def test_the_staff_and_stress_commands_write_their_tables(tmp_path):
    path = tmp_path / "single.yaml"
    path.write_text(SINGLE)
    runner = CliRunner()
    result = runner.invoke(main, ["staff", str(path), "-r", "5", "--json", "--out",
                                  str(tmp_path / "staff")])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output[result.output.index("{"):])
    assert document["intervals"][0]["required"] >= 1
    assert (tmp_path / "staff" / "staffing.csv").read_text().startswith("interval,")
    assert (tmp_path / "staff" / "staffing.png").stat().st_size > 1000
    result = runner.invoke(main, ["stress", str(path), "-r", "3", "--volume", "1,1.1",
                                  "--aht", "1", "--absence", "0", "--out", str(tmp_path / "st")],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "P(day meets SL)" in result.output
    assert len((tmp_path / "st" / "stress.csv").read_text().splitlines()) == 3


@pytest.mark.parametrize("args, fragment", [
    (["--target", "sl>0.8"], "--target"),
    (["--group", "nobody"], "no agent group 'nobody'"),
])
def test_staff_refuses_bad_options_with_status_2(tmp_path, args, fragment):
    path = tmp_path / "single.yaml"
    path.write_text(SINGLE)
    result = CliRunner().invoke(main, ["staff", str(path), "-r", "3", *args])
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output


def test_email_only_groups_have_no_service_level_to_staff_for():
    text = """\
horizon: 8h
contact_types:
  mail: {channel: email, arrivals: 30/h, talk: {dist: exponential, mean: 5min}}
agent_groups:
  back_office: {headcount: 3, skills: [mail]}
"""
    with pytest.raises(ValueError, match="no phone or chat contact type"):
        staff(scenario_from_text(text, "mail.yaml"), Target(0.8, 20.0), replications=2)


# the sales group is also skilled for service, but the service group takes most of it
SHARED = """\
horizon: 2h
interval: 1h
seed: 3
contact_types:
  sales:
    arrivals: 60/h
    talk: {dist: exponential, mean: 4min}
  service:
    arrivals: 240/h
    talk: {dist: exponential, mean: 4min}
agent_groups:
  sales: {headcount: 6, skills: [sales, service]}
  service: {headcount: 22, skills: [service]}
routing: priority
"""


def test_the_erlang_baseline_loads_a_group_with_the_work_it_does():
    """The Erlang C column must staff for what the sales group answers (all of sales and its
    share of service in a simulation of the input plan), not for both types whole. Checked
    against Erlang C of the load recomputed from the answered counts of an independent run
    of the input plan (one agent of margin per interval for the counts' noise)."""
    scenario = scenario_from_text(SHARED)
    plan = staff(scenario, Target(0.8, 20.0), group="sales", replications=6, seed=3,
                 max_rounds=1)
    check = simulate(scenario, replications=6, seed=8)
    aht = 240.0
    handled, everything = [], []
    for k in range(2):
        answered = np.mean([s["group.answered_by_type"][k, 0].sum() for s in check.sums])
        handled.append(theory.staff_erlang_c(answered / 3600 * aht, aht, 20.0, 0.8))
        everything.append(theory.staff_erlang_c(300 / 3600 * aht, aht, 20.0, 0.8))
    assert sum(plan.erlang_c) <= sum(handled) + 2
    assert sum(plan.erlang_c) < sum(everything)
    assert "share of service that sales answered" in plan.baseline


IVR_FED = """\
horizon: 2h
interval: 1h
ivr:
  arrivals: 120/h
  menu:
    main: {branches: {calls: 0.75, self_service: 0.25}}
contact_types:
  calls:
    talk: {dist: exponential, mean: 3min}
agent_groups:
  team: {headcount: 8, skills: [calls]}
"""


def test_the_erlang_baseline_of_an_ivr_fed_type_is_its_routed_volume():
    plan = staff(scenario_from_text(IVR_FED), Target(0.8, 20.0), replications=3, max_rounds=1)
    expected = theory.staff_erlang_c(90 / 3600 * 180, 180.0, 20.0, 0.8)  # 0.75 × 120/h
    assert plan.erlang_c == (expected, expected)
    assert "IVR routes to calls" in plan.baseline


def test_a_target_the_search_cannot_reach_is_reported_and_strict_exits_1(tmp_path):
    """Five trunk lines for 8 erlangs block about 40 % of the calls (Erlang B), and a blocked
    call counts against the service level: no number of agents reaches 99.9 %."""
    path = tmp_path / "single.yaml"
    path.write_text("trunks: 5\n" + SINGLE)
    args = ["staff", str(path), "--target", "sl>=99.9%@1s", "--max-rounds", "2", "-r", "3",
            "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "SL ≥ 99.9% within 1s" in result.stdout  # the target as written, not "100%"
    assert "warning" in result.stderr and "00:00: " in result.stderr
    assert "does NOT meet it" in result.stderr
    assert "round 1/2" in result.stderr and "round 1" not in result.stdout  # progress: stderr
    csv = (tmp_path / "out" / "staffing.csv").read_text()
    assert "required misses the target" in csv
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1, strict.output
    plain = tmp_path / "plain.yaml"
    plain.write_text(SINGLE)
    met = CliRunner().invoke(main, ["staff", str(plain), "-r", "5", "--strict"])
    assert met.exit_code == 0, met.output
    assert "SL ≥ 80% within 20s" in met.stdout and "warning" not in met.stderr


def test_every_check_mark_shows_the_confidence_bound_behind_it(tmp_path):
    path = tmp_path / "peak.yaml"
    path.write_text(PEAK.read_text())
    result = CliRunner().invoke(main, ["staff", str(path), "-r", "4", "--max-rounds", "1",
                                       "-q"], env={"COLUMNS": "400"})  # one line per row
    assert result.exit_code == 0, result.output
    import re
    cells = re.findall(r"([0-9.]+)% \(lower ([0-9.]+)%\) ([✓✗])", result.stdout)
    assert len(cells) >= 10
    for mean, lower, mark in cells:
        assert float(lower) <= float(mean)
        assert (mark == "✓") == (float(lower) >= 80.0 - 0.05)  # the bound decides, not the mean
    assert "lower confidence bound" in result.stdout
