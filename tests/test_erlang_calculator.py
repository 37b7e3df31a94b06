"""``ccsim erlang`` as a planner's calculator: the fewest agents for a target, grossed up by
shrinkage to scheduled agents and FTE, per interval of a forecast; checked against the Erlang
formulas by scanning the headcount independently."""

from __future__ import annotations

import json
import math
import re

import pytest
from click.testing import CliRunner

from ccsim import theory
from ccsim.cli import main


def _scan(ok, start=1):
    """The first c >= start with ok(c): the plain definition, no bracketing."""
    c = start
    while not ok(c):
        c += 1
    return c


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_the_acceptance_command_prints_agents_and_fte_that_agree_with_erlang_c():
    result = run("erlang", "c", "--rate", "240/h", "--aht", "5min", "--target", "80/20",
                 "--shrinkage", "30%")
    assert result.exit_code == 0, result.output
    load = 240 / 3600 * 300
    expected = _scan(lambda c: c > load and theory.erlang_c_service_level(c, load, 300, 20)
                     >= 0.8)
    agents = int(re.search(r"Agents\s*│\s*(\d+)", result.output).group(1))
    assert agents == expected
    scheduled = expected / (1 - 0.3)
    assert re.search(rf"Scheduled agents \(30% shrinkage\)\s*│\s*{scheduled:.1f}", result.output)
    assert re.search(rf"FTE .*│\s*{scheduled:.1f}", result.output)  # open all day: FTE = seats


def test_json_gives_the_same_answer_and_the_fte_definition():
    document = json.loads(run("erlang", "c", "--rate", "240/h", "--aht", "5min", "--target",
                              "80%", "--threshold", "20s", "--shrinkage", "0.3",
                              "--open-hours", "15h", "--json").output)
    load = 20.0
    expected = _scan(lambda c: c > load and theory.erlang_c_service_level(c, load, 300, 20)
                     >= 0.8)
    assert document["agents"] == expected and document["solved"] and document["meets_targets"]
    assert document["fte"] == pytest.approx(expected / 0.7 * 15 / 7.5)


def test_occupancy_cap_and_asa_bind_when_stricter():
    load = 20.0
    document = json.loads(run("erlang", "c", "--rate", "240/h", "--aht", "5min", "--target",
                              "80/20", "--max-occupancy", "75%", "--json").output)
    assert document["agents"] == math.ceil(load / 0.75) and document["occupancy"] <= 0.75
    document = json.loads(run("erlang", "c", "--rate", "240/h", "--aht", "5min", "--asa",
                              "5s", "--json").output)
    assert document["agents"] == _scan(lambda c: c > load and
                                       theory.erlang_c_asa(c, load, 300) <= 5)


def test_erlang_a_target_with_abandonment_cap_agrees_with_a_scan():
    lam, aht, patience = 360 / 3600, 300.0, 600.0
    document = json.loads(run("erlang", "a", "--rate", "360/h", "--aht", "5min", "--patience",
                              "10min", "--target", "90/30", "--max-abandon", "1%",
                              "--json").output)

    def ok(c):
        model = theory.erlang_a(c, lam, aht, patience)
        return model.service_level(30) >= 0.9 and model.p_abandon <= 0.01

    assert document["agents"] == _scan(ok)
    assert document["p_abandon"] <= 0.01


@pytest.mark.parametrize("rate, aht, threshold, target", [
    (0.01, 240.0, 20.0, 0.8), (1.0, 300.0, 30.0, 0.9), (0.5, 60.0, 0.0, 0.5), (2.0, 180, 60, 0.95),
])
def test_agents_for_is_the_smallest_headcount(rate, aht, threshold, target):
    load = rate * aht
    got = theory.agents_for(target, rate, aht, threshold).agents
    assert got == _scan(lambda c: c > load and
                        theory.erlang_c_service_level(c, load, aht, threshold) >= target)
    assert got == theory.staff_erlang_c(load, aht, threshold, target)


def test_lines_for_blocking():
    lines = theory.lines_for(7.0, 0.01)
    assert theory.erlang_b(lines, 7.0) <= 0.01 < theory.erlang_b(lines - 1, 7.0)


def test_shrinkage_gross_up():
    assert theory.scheduled_agents(21, 0.3) == pytest.approx(30.0)
    with pytest.raises(ValueError):
        theory.scheduled_agents(21, 1.0)


FORECAST = """\
interval_start,volume,aht
08:00,40,300
08:30,80,4min
09:00,120,
09:30,0,300
"""


def test_forecast_mode_staffs_every_interval_and_totals_the_fte(tmp_path):
    path = tmp_path / "forecast.csv"
    path.write_text(FORECAST)
    result = run("erlang", "c", "--forecast", str(path), "--aht", "5min", "--target", "80/20",
                 "--shrinkage", "25%", "--hours-per-fte", "8h", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    expected = []
    for volume, aht in ((40, 300), (80, 240), (120, 300)):
        load = volume / 1800 * aht
        expected.append(_scan(lambda c: c > load and
                              theory.erlang_c_service_level(c, load, aht, 20) >= 0.8))
    expected.append(0)  # nobody expected, nobody needed
    assert [row["agents"] for row in document["intervals"]] == expected
    assert document["agent_hours"] == pytest.approx(sum(expected) * 0.5)
    assert document["fte"] == pytest.approx(sum(expected) * 0.5 / 0.75 / 8)
    table = run("erlang", "c", "--forecast", str(path), "--aht", "5min", "--target", "80/20")
    assert table.exit_code == 0 and "09:00" in table.output and "Total:" in table.output
    assert f"peak {max(expected)} agents at 09:00" in table.output


@pytest.mark.parametrize("text, fragment", [
    ("start,volume\n08:00,40\n08:30,-5\n", ":3: volume: expected a number of contacts"),
    ("start,volume\n08:00,40\n08:45,50\n08:30,10\n", ":4: expected the next interval"),
    ("start,volume\n08:00,40\n25:99,50\n", ":3: start: expected a start such as 08:30"),
    ("when,volume\n08:00,40\n", ":1: expected columns interval_start and volume"),
    ("start,volume,aht\n08:00,40,0\n08:30,50,300\n", ":2: aht: expected a handle time > 0"),
    ("start,volume\n08:00,40\n", ":2: one interval only: give its length with --interval"),
    ("start,volume\n08:00,40\n08:30,10\n", ":2: no aht in this row: give --aht"),
])
def test_forecast_mistakes_are_located(tmp_path, text, fragment):
    path = tmp_path / "f.csv"
    path.write_text(text)
    args = ["erlang", "c", "--forecast", str(path), "--target", "80/20"]
    result = run(*args, *(["--aht", "5min"] if "no aht" not in fragment else []))
    assert result.exit_code == 2, result.output
    assert f"error: {path}{fragment}" in result.output, result.output
    assert "Traceback" not in result.output


def test_forecast_with_dates_and_given_interval(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Interval Start,Offered\n2026-03-02 08:00,100\n")
    document = json.loads(run("erlang", "c", "--forecast", str(path), "--aht", "5min",
                              "--target", "80/20", "--interval", "15min", "--json").output)
    load = 100 / 900 * 300
    assert document["intervals"][0]["agents"] == _scan(
        lambda c: c > load and theory.erlang_c_service_level(c, load, 300, 20) >= 0.8)
    assert document["intervals"][0]["interval_start"] == "2026-03-02 08:00"
