"""Workforce plans: shifts and activities, absence, adherence and forecast error, checked
against what the plan implies by arithmetic and against the laws of the arrival process."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ccsim import simulate
from ccsim.study.experiment import run_replication
from ccsim.measure.observers import Observer
from ccsim.scenario import scenario_from_text
from ccsim.schedules import shift_profile
from ccsim.skills import SkillGraph
from ccsim.streams import Streams

SHIFTS = """\
start: "07:00"
horizon: 12h
interval: 30min
end: stop
contact_types:
  calls:
    arrivals: {rate}
    talk: {{dist: deterministic, value: {talk}}}
agent_groups:
  team:
    skills: [calls]
{group}    shifts:
      early:
        start: "07:00"
        length: 8h
        count: 4
        activities:
          - {{name: break, at: 2h, length: 15min}}
          - {{name: lunch, at: 4h, length: 30min, paid: false}}
      late:
        start: "11:00"
        length: 8h
        agents: [ann, bob]
"""


def _scenario(rate="0.001/h", talk="1s", group="", **replace):
    text = SHIFTS.format(rate=rate, talk=talk, group=group)
    for key, value in replace.items():
        text = text.replace(key, value)
    return scenario_from_text(text, "shifts.yaml")


def _staffed_area(scenario, seed=1, replication=0):
    sums = run_replication(scenario, seed, replication)[1]
    return sums["group.staffed_area"][: scenario.n_intervals, 0]


def test_the_shift_profile_is_the_plan_laid_on_the_intervals():
    planned, paid = shift_profile(_scenario().agent_groups[0].shifts, 24, 1800.0, 7 * 3600.0, 0)
    # early: 4 agents 07:00-15:00 (intervals 0-15), break 09:00-09:15 (half of interval 4),
    # unpaid lunch 11:00-11:30 (interval 8); late: 2 agents 11:00-19:00 (intervals 8-23)
    expected_planned = [4] * 4 + [2] + [4] * 3 + [2] + [6] * 7 + [2] * 8
    expected_paid = [4] * 8 + [2] + [6] * 7 + [2] * 8
    assert planned == pytest.approx(expected_planned)
    assert paid == pytest.approx(expected_paid)


def test_agents_follow_their_shifts_when_nothing_else_happens():
    scenario = _scenario()
    staffed = _staffed_area(scenario)
    planned = [scenario.headcount(scenario.agent_groups[0], k) * 1800 for k in range(24)]
    assert staffed == pytest.approx(planned, abs=2.0)  # at most a 1-second call in the way


class _Staffing(Observer):
    def __init__(self):
        self.changes = []

    def staffing(self, group_index, staffed, now):
        self.changes.append((now, staffed))


def _changes(scenario, seed=3):
    from ccsim.engine.center import simulate_replication
    from ccsim.routing import get_router

    graph = SkillGraph(scenario)
    streams = Streams(seed, 0)
    router = get_router("longest_idle")(graph, {}, rng=streams("routing"))
    observer = _Staffing()
    simulate_replication(scenario, graph, router, observer, streams)
    return observer.changes


@pytest.mark.parametrize("finish_contact", [True, False])
def test_a_break_waits_for_the_contact_in_hand(finish_contact):
    """One agent, always busy with 7-minute calls: the break due at 08:00 starts when the
    call in hand ends; it then lasts its full 15 minutes, or ends on schedule at 08:15."""
    text = f"""\
start: "07:00"
horizon: 2h
interval: 30min
end: stop
contact_types:
  calls:
    arrivals: 600/h
    talk: {{dist: deterministic, value: 7min}}
agent_groups:
  team:
    skills: [calls]
    finish_contact: {'true' if finish_contact else 'false'}
    shifts:
      one: {{start: "07:00", length: 2h, count: 1, activities: [{{at: 1h, length: 15min}}]}}
"""
    changes = _changes(scenario_from_text(text, "break.yaml"))
    left = next(now for now, staffed in changes if staffed == 0 and now > 0)
    back = next(now for now, staffed in changes if staffed == 1 and now > left)
    assert 3600 < left < 3600 + 420  # the call in hand at 08:00 ends within 7 minutes
    assert back == pytest.approx(left + 900 if finish_contact else 3600 + 900)


def test_unplanned_absence_of_10_percent_removes_10_percent_of_staffed_time():
    """Each agent-day is absent with probability 0.1, so staffed time falls by 10 % in
    expectation; the replications' ratios must cover 0.90 with their 99 % interval."""
    text = SHIFTS.replace("horizon: 12h", "horizon: 5d").replace("count: 4", "count: 80")
    base = scenario_from_text(text.format(rate="1/h", talk="1s", group=""), "a.yaml")
    absent = scenario_from_text(text.format(rate="1/h", talk="1s", group="    absence: 10%\n"),
                                "b.yaml")
    ratios = [_staffed_area(absent, 5, r).sum() / _staffed_area(base, 5, r).sum()
              for r in range(30)]
    mean, half = np.mean(ratios), 2.756 * np.std(ratios, ddof=1) / math.sqrt(len(ratios))
    assert abs(mean - 0.90) <= half
    assert half < 0.01  # precise enough to tell 10 % from 8 % or 12 %


def test_headcount_groups_lose_the_absent_share_too():
    text = """\
horizon: 5d
interval: 1h
end: stop
contact_types:
  calls: {arrivals: 1/h, talk: {dist: deterministic, value: 1s}}
agent_groups:
  team: {headcount: 50, skills: [calls], absence: 10%}
"""
    scenario = scenario_from_text(text, "h.yaml")
    ratios = [_staffed_area(scenario, 2, r).sum() / (50 * 5 * 86400) for r in range(20)]
    mean, half = np.mean(ratios), 2.861 * np.std(ratios, ddof=1) / math.sqrt(len(ratios))
    assert abs(mean - 0.90) <= half


def test_late_log_ins_cost_exactly_their_minutes():
    late = ("    adherence:\n      late_login: {probability: 100%, by: "
            "{dist: deterministic, value: 10min}}\n")
    base, lazy = _scenario(), _scenario(group=late)
    lost = _staffed_area(base).sum() - _staffed_area(lazy).sum()
    assert lost == pytest.approx(6 * 600, abs=2.0)  # six agents, ten minutes each


def test_long_breaks_and_early_log_outs_shorten_the_day():
    lapses = ("    adherence:\n"
              "      early_logout: {probability: 100%, by: {dist: deterministic, value: 20min}}\n"
              "      long_breaks: {probability: 100%, by: {dist: deterministic, value: 5min}}\n")
    base, lapsed = _scenario(), _scenario(group=lapses)
    lost = _staffed_area(base).sum() - _staffed_area(lapsed).sum()
    # early: 4 agents leave 20 min early and overrun 2 activities by 5 min each;
    # late: 2 agents (no activities) leave at 18:40 instead of 19:00, the end of the horizon
    assert lost == pytest.approx(4 * (1200 + 2 * 300) + 2 * 1200, abs=2.0)


def test_absence_draws_are_common_random_numbers_across_policies():
    scenario = _scenario(rate="200/h", talk="1min", group="    absence: 20%\n")
    a = simulate(scenario, replications=3, seed=4, policy="longest_idle")
    b = simulate(scenario, replications=3, seed=4, policy="random")
    assert a.values("by_group.team.mean_scheduled").tolist() == \
        b.values("by_group.team.mean_scheduled").tolist()
    absent = [s["group.staffed_area"].sum() for s in a.sums]
    assert absent == pytest.approx([s["group.staffed_area"].sum() for s in b.sums], rel=0.01)


FORECAST = """\
horizon: 8h
interval: 1h
contact_types:
  calls:
    arrivals: 60/h
    talk: {{dist: exponential, mean: 1min}}
agent_groups:
  team: {{headcount: 20, skills: [calls]}}
{error}
"""


def _daily_counts(error: str, n: int = 120) -> np.ndarray:
    scenario = scenario_from_text(FORECAST.format(error=error), "f.yaml")
    results = simulate(scenario, replications=n, seed=9)
    return results.values("overall.offered")


def test_day_busyness_makes_volumes_poisson_gamma():
    """Var N = μ + (cv μ)²: with μ = 480 and a 20 % day factor, 9,696 instead of 480."""
    counts = _daily_counts("forecast_error: {day: 20%}")
    mu = 480.0
    assert abs(counts.mean() - mu) < 3 * math.sqrt((mu + (0.2 * mu) ** 2) / len(counts))
    ratio = counts.var(ddof=1) / (mu + (0.2 * mu) ** 2)
    assert 0.6 < ratio < 1.5  # a chi-square interval, widened for the gamma's heavier tail
    plain = _daily_counts("")
    assert 0.6 < plain.var(ddof=1) / mu < 1.5  # without the factor: Poisson


def test_forecast_accuracy_of_a_perfect_forecast_is_poisson_noise():
    """With no forecast error the interval counts are Poisson(60): E|N - 60| ≈ √(2·60/π),
    so interval accuracy (1 - WAPE) ≈ 1 - 6.18/60."""
    scenario = scenario_from_text(FORECAST.format(error=""), "f.yaml")
    results = simulate(scenario, replications=40, seed=2)
    accuracy = results.values("overall.forecast_accuracy")
    exact = sum(abs(n - 60) * math.exp(-60 + n * math.log(60) - math.lgamma(n + 1))
                for n in range(200)) / 60
    half = 2.708 * accuracy.std(ddof=1) / math.sqrt(len(accuracy))
    assert abs(accuracy.mean() - (1 - exact)) <= half
    assert results.summary()["overall"]["forecast"]["mean"] == pytest.approx(480)


def test_an_activity_window_spreads_the_team_over_it():
    """Four agents, a 15-minute break in a one-hour window: one agent away at a time."""
    scenario = _scenario(**{"{name: break, at: 2h, length: 15min}":
                            "{name: break, at: 2h, length: 15min, window: 1h}"})
    planned, _ = shift_profile(scenario.agent_groups[0].shifts, 24, 1800.0, 7 * 3600.0, 0)
    assert planned[4] == pytest.approx(3.0) and planned[5] == pytest.approx(3.0)
    staffed = _staffed_area(scenario)
    assert staffed[4] == pytest.approx(3 * 1800, abs=2.0)  # the engine follows the same plan
    assert staffed[5] == pytest.approx(3 * 1800, abs=2.0)


def test_paid_planned_shrinkage_and_adherence_follow_from_the_plan():
    """Six agents log in 10 minutes late: staffed time is the planned time less one hour, all
    of it inside planned intervals, so adherence = 1 − 3600 / planned and shrinkage =
    1 − staffed / paid, with paid and planned as laid out by the shifts."""
    late = ("    adherence:\n      late_login: {probability: 100%, by: "
            "{dist: deterministic, value: 10min}}\n")
    scenario = _scenario(group=late)
    planned, paid = (sum(p) * 1800 for p in shift_profile(
        scenario.agent_groups[0].shifts, 24, 1800.0, 7 * 3600.0, 0))
    kpis = simulate(scenario, replications=1, seed=1).replications[0]["by_group"]["team"]
    horizon = scenario.horizon
    assert kpis["mean_scheduled"] == pytest.approx(paid / horizon)
    assert kpis["mean_planned"] == pytest.approx(planned / horizon)
    staffed = planned - 6 * 600
    assert kpis["mean_staffed"] == pytest.approx(staffed / horizon, abs=2 / horizon)
    assert kpis["adherence"] == pytest.approx(staffed / planned, abs=1e-4)
    assert kpis["shrinkage"] == pytest.approx(1 - staffed / paid, abs=1e-4)
