"""The planning layers a planner decides on: what-if volume and forecast error with an IVR in
front, the stress test's probability that a day meets its target, and forecast accuracy.
Checked against the arrival process's own laws (Poisson counts, Poisson–gamma variance) and
against independent recomputations from the interval sums."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ccsim import simulate
from ccsim.scenario import scenario_from_text
from ccsim.workforce.stress import default_target, stress
from ccsim.study.whatif import scaled

# all phone demand enters through the IVR: the contact type has no arrivals of its own
IVR_ONLY = """\
horizon: 4h
interval: 1h
seed: 5
ivr:
  arrivals: 120/h
  menu:
    main: {branches: {calls: 0.75, self_service: 0.25}}
contact_types:
  calls:
    talk: {dist: exponential, mean: 3min}
    patience: {dist: exponential, mean: 2min}
    service_level: {threshold: 20s, target: 0.7}
agent_groups:
  team: {headcount: 8, skills: [calls]}
"""


def test_volume_scales_the_calls_entering_the_ivr():
    """×1.5 volume: the routed calls are Poisson with mean 1.5 × 120/h × 4 h × 0.75 = 540 a day;
    the total over the replications must fall in its 99.9 % Poisson interval (before the fix
    the IVR kept its 360 a day)."""
    base = scenario_from_text(IVR_ONLY)
    busier = scaled(base, arrivals=1.5)
    assert busier.ivr.arrival_rates == pytest.approx(tuple(1.5 * r for r in base.ivr.arrival_rates))
    n = 10
    for scenario, expected in ((base, 360.0), (busier, 540.0)):
        offered = simulate(scenario, replications=n, seed=3).values("overall.offered").sum()
        assert abs(offered - n * expected) <= 3.29 * math.sqrt(n * expected), (offered, expected)


def test_stress_without_a_target_weights_ivr_fed_types_and_sees_more_volume():
    scenario = scenario_from_text(IVR_ONLY)
    assert default_target(scenario) == pytest.approx(0.7)  # was a division by zero
    points = stress(scenario, {"volume": (1.0, 1.5)}, replications=4, seed=2)
    low, high = (p.kpis["service_level"]["mean"] for p in points)
    assert high < low - 0.1  # 4.5 → 6.75 erlangs on 8 agents: the service level must fall


def test_default_target_weights_types_by_their_expected_routed_volume():
    """Own arrivals 30/h at target 0.9; the IVR routes 0.75 × 120/h = 90/h at target 0.7."""
    text = IVR_ONLY.replace("menu:", "menu:").replace(
        "agent_groups:", "  email_like:\n    arrivals: 30/h\n    talk: {dist: exponential, "
        "mean: 3min}\n    service_level: {threshold: 20s, target: 0.9}\nagent_groups:").replace(
        "skills: [calls]", "skills: [calls, email_like]")
    scenario = scenario_from_text(text)
    assert default_target(scenario) == pytest.approx((90 * 0.7 + 30 * 0.9) / 120)


def test_stress_cli_runs_without_target_on_an_ivr_fed_center(tmp_path):
    from click.testing import CliRunner

    from ccsim.cli import main

    path = tmp_path / "ivr.yaml"
    path.write_text(IVR_ONLY)
    result = CliRunner().invoke(main, ["stress", str(path), "--volume", "1,1.5", "--aht", "1",
                                       "--absence", "0", "-r", "2", "-q"])
    assert result.exit_code == 0, result.output
    assert "SL ≥ 70.0%" in result.output


FORECAST_IVR = """\
horizon: 8h
interval: 1h
ivr:
  arrivals: 60/h
  menu:
    main: {{branches: {{calls: 1.0}}}}
contact_types:
  calls:
    talk: {{dist: exponential, mean: 1min}}
  own:
    arrivals: 60/h
    talk: {{dist: exponential, mean: 1min}}
agent_groups:
  team: {{headcount: 20, skills: [calls, own]}}
{error}
"""


def _ivr_daily(error: str, n: int = 120):
    scenario = scenario_from_text(FORECAST_IVR.format(error=error), "f.yaml")
    results = simulate(scenario, replications=n, seed=9)
    entered = np.array([s["ivr.entered"].sum() for s in results.sums])
    own = results.values("by_type.own.offered")
    return entered, own


@pytest.mark.slow
def test_forecast_error_makes_ivr_entries_poisson_gamma_with_a_shared_day_factor():
    """Var N = μ + (cv μ)² for the IVR's daily entries too (μ = 480, day cv 20 %), and the day
    factor is the one the types see: the IVR's and the type's daily counts move together."""
    mu = 480.0
    entered, own = _ivr_daily("forecast_error: {day: 20%}")
    assert abs(entered.mean() - mu) < 3 * math.sqrt((mu + (0.2 * mu) ** 2) / len(entered))
    ratio = entered.var(ddof=1) / (mu + (0.2 * mu) ** 2)
    assert 0.6 < ratio < 1.5  # a chi-square interval, widened for the gamma's heavier tail
    # correlation: (cv μ)² / (μ + (cv μ)²) = 0.95 for a shared factor, 0 for independent ones
    assert np.corrcoef(entered, own)[0, 1] > 0.8
    plain, _ = _ivr_daily("")
    assert 0.6 < plain.var(ddof=1) / mu < 1.5  # without forecast error: Poisson


# three days and a half from noon, the first half-day a warm-up: days 1, 2 and 3 (midnight
# to midnight) are the calendar days of the summary window
MULTI_DAY = """\
start: "12:00"
horizon: 84h
interval: 1h
warmup: 12h
seed: 21
contact_types:
  calls:
    arrivals: 100/h
    talk: {dist: exponential, mean: 3min}
    patience: {dist: exponential, mean: 1min}
    service_level: {threshold: 20s}
agent_groups:
  team: {headcount: 6, skills: [calls]}
"""


def test_p_day_meets_sl_counts_calendar_days_of_every_replication():
    """Recomputed here from the per-interval sums of each replication: the service level of
    each calendar day in the window (answered within / offered less short abandons), and the
    share of (replication, day) pairs that reach the target — not the share of replications
    whose whole horizon reaches it."""
    scenario = scenario_from_text(MULTI_DAY)
    results = simulate(scenario, replications=6, seed=21)
    per_day = []
    for data in results.sums:
        hours = np.arange(12, scenario.n_intervals)  # after the warm-up
        day = (12 + hours) // 24  # calendar day of each hour (t = 0 is 12:00 on day 0)
        within = data["type.answered_within"][hours, 0]
        offered = data["type.offered"][hours, 0] - data["type.short_abandoned"][hours, 0]
        per_day.append([within[day == d].sum() / offered[day == d].sum()
                        for d in np.unique(day)])
    levels = np.array(per_day)
    assert levels.shape == (6, 3)  # 12:00 + 12 h warm-up = day 1 00:00; 72 h more: days 1-3
    target = float(np.median(levels))
    expected = float((levels >= target - 1e-12).mean())
    assert 0 < expected < 1
    (point,) = stress(scenario, {"volume": (1.0,)}, replications=6, seed=21, target=target)
    assert point.days == 18
    assert point.p_meet == pytest.approx(expected)
    assert point.p_meet_low <= point.p_meet <= point.p_meet_high
    # the interval is no narrower than Wilson over 18 independent days, no wider than over 6
    from ccsim.workforce.stress import wilson
    narrow, wide = wilson(expected * 18, 18), wilson(expected * 6, 6)
    assert wide[0] - 1e-9 <= point.p_meet_low <= narrow[0] + 1e-9


BACKLOG = """\
horizon: 8h
interval: 1h
contact_types:
  mail:
    channel: email
    arrivals: 60/h
    initial_backlog: 100
    talk: {dist: exponential, mean: 1min}
  calls:
    arrivals: 30/h
    talk: {dist: exponential, mean: 2min}
    resolution: {fcr: 0.5, repeat_probability: 1.0,
                 repeat_delay: {dist: exponential, mean: 1h}}
hours:
  phone: {daily: "00:00-04:00"}
agent_groups:
  team: {headcount: 3, skills: [mail, calls]}
"""


def _poisson_mad(mu: float) -> float:
    """E|N − μ| of a Poisson(μ) count, exactly (summed over its support)."""
    return sum(abs(n - mu) * math.exp(-mu + n * math.log(mu) - math.lgamma(n + 1))
               for n in range(int(mu + 20 * math.sqrt(mu)) + 20))


def test_forecast_accuracy_leaves_out_the_backlog_and_turned_away_follow_ups():
    """No forecast error: the email queue's 100 contacts waiting at the start and the phone
    repeats that come while the phones are closed are not demand the forecast missed (the
    new calls turned away then are). The accuracy
    is that of the Poisson arrivals alone, 1 − E|N − λ|/λ, and the volume error is the
    Poisson noise of 480 contacts (before: +46.5 % for the backlog alone)."""
    results = simulate(scenario_from_text(BACKLOG), replications=40, seed=2)
    summary = results.summary()["by_type"]
    for name, mu in (("mail", 60.0), ("calls", 30.0)):
        accuracy = results.values(f"by_type.{name}.forecast_accuracy")
        half = 3.29 * accuracy.std(ddof=1) / math.sqrt(len(accuracy))
        assert abs(accuracy.mean() - (1 - _poisson_mad(mu) / mu)) <= half, name
        error = results.values(f"by_type.{name}.forecast_error")
        assert abs(error.mean()) <= 3.29 * math.sqrt(1 / (8 * mu) / len(error)), name
    assert summary["mail"]["offered"]["mean"] > summary["mail"]["forecast"]["mean"] + 90
    turned_away_repeats = sum(s["type.closed"][:, 1].sum() - s["type.new_arrivals"][4:8, 1].sum()
                              for s in results.sums)
    assert turned_away_repeats > 0  # the scenario does turn follow-ups away


IVR_AND_OWN = IVR_ONLY.replace("  calls:\n", "  calls:\n    arrivals: 40/h\n")


def test_calls_routed_by_the_ivr_are_not_counted_against_the_types_own_forecast():
    results = simulate(scenario_from_text(IVR_AND_OWN), replications=30, seed=4)
    accuracy = results.values("by_type.calls.forecast_accuracy")
    half = 3.29 * accuracy.std(ddof=1) / math.sqrt(len(accuracy))
    assert abs(accuracy.mean() - (1 - _poisson_mad(40.0) / 40.0)) <= half
