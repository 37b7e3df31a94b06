"""Interval history → the average day or week and its forecast error, checked on histories
drawn from the Poisson–gamma model with known coefficients of variation."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.workforce.history import forecast_error, profile
from ccsim.workforce.importer import IntervalFileError, read_intervals

HEADER = "interval_start,interval_minutes,queue,channel,offered,handled,abandoned,talk_s"


def _history(tmp_path: Path, days: int, day_cv: float, interval_cv: float, seed: int = 1,
             start: datetime = datetime(2026, 3, 2)) -> Path:
    """Two queues, hourly intervals, a two-humped day around 60 calls an hour for queue A."""
    rng = np.random.default_rng(seed)
    shape = 40 + 30 * np.sin(np.linspace(0, 2 * math.pi, 24)) ** 2
    weekly = np.array([1.0, 1.1, 1.0, 0.95, 0.9, 0.6, 0.5])  # Monday first
    lines = [HEADER]
    for d in range(days):
        day = start + timedelta(days=d)
        busy = rng.gamma(1 / day_cv**2, day_cv**2) if day_cv else 1.0
        for k in range(24):
            for queue, share in (("A", 1.0), ("B", 0.5)):
                noise = rng.gamma(1 / interval_cv**2, interval_cv**2) if interval_cv else 1.0
                n = rng.poisson(shape[k] * share * weekly[day.weekday()] * busy * noise)
                when = (day + timedelta(hours=k)).isoformat(timespec="minutes")
                lines.append(f"{when},60,{queue},phone,{n},{n},0,{n * 180}")
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_average_week_is_the_mean_of_each_weekday_and_hour(tmp_path):
    data = read_intervals(_history(tmp_path, 21, 0.1, 0.0))
    week = profile(data, "week")
    assert len(week.starts) == 7 * 24 and week.starts[0].weekday() == 0  # a Monday, 00:00
    a = data.queues["A"].series["offered"]
    tuesday_9 = [a[d * 24 + 9] for d in range(21) if (data.starts[d * 24]).weekday() == 1]
    assert week.queues["A"].series["offered"][24 + 9] == pytest.approx(np.mean(tuesday_9))
    # means per handled contact are those of the whole history
    assert week.queues["A"].mean("talk_s") == pytest.approx(data.queues["A"].mean("talk_s"))
    day = profile(data, "day")
    assert len(day.starts) == 24
    assert sum(day.queues["B"].series["offered"]) == pytest.approx(
        data.queues["B"].total("offered") / 21)


@pytest.mark.parametrize("day_cv, interval_cv", [(0.15, 0.10), (0.0, 0.0), (0.25, 0.0)])
def test_forecast_error_recovers_the_coefficients_of_variation(tmp_path, day_cv, interval_cv):
    estimates = [forecast_error(read_intervals(_history(tmp_path, 56, day_cv, interval_cv,
                                                        seed=s)), "week")
                 for s in range(4)]
    day = np.mean([e[0] for e in estimates])
    interval = np.mean([e[1] for e in estimates])
    assert estimates[0][2] == 56  # every day used
    assert abs(day - day_cv) < 0.04, day
    assert abs(interval - interval_cv) < 0.04, interval


def test_a_profile_needs_whole_days(tmp_path):
    path = _history(tmp_path, 3, 0.0, 0.0, start=datetime(2026, 3, 2))
    data = read_intervals(path)
    with pytest.raises(IntervalFileError, match="at least 7 days"):
        profile(data, "week")
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], *lines[3:]]) + "\n")  # starts at 01:00 now
    with pytest.raises(IntervalFileError, match="whole days from midnight"):
        profile(read_intervals(path), "day")


def test_import_with_a_weekly_profile_writes_a_forecast_scenario(tmp_path):
    path = _history(tmp_path, 28, 0.12, 0.0)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import-intervals", str(path), "--out", str(out),
                                       "--profile", "week"])
    assert result.exit_code == 0, result.output
    scenario = ccsim.load_scenario(out / "scenario.yaml")
    assert scenario.horizon == 7 * 86400 and scenario.start_day == 0
    assert scenario.forecast_error.day > 0.05 and scenario.forecast_error.interval < 0.06
    week = profile(read_intervals(path), "week")
    rates = scenario.contact_type("A").arrival_rates
    assert [r * 3600 for r in rates] == pytest.approx(week.queues["A"].series["offered"])
    refused = CliRunner().invoke(main, ["import-intervals", str(path), "--out", str(out),
                                        "--profile", "day", "--staffing", "x.csv:agents"])
    assert refused.exit_code == 2 and "--staffing goes with --profile replay" in refused.output
