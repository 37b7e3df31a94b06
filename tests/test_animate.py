"""``ccsim animate``: a GIF of one replication, whose per-frame counts are the trace's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image

from ccsim.output.animate import frame_data, parse_clock, write_animation
from ccsim.cli import main
from ccsim.scenario import load_scenario
from ccsim.study.trace import trace_replication

BANK = Path(__file__).parent.parent / "scenarios" / "retail_bank_day.yaml"


def _at(series, times):
    index = np.searchsorted(series.times, times, side="right") - 1
    return series.values[np.maximum(index, 0)]


def test_gif_of_twenty_frames_agrees_with_the_trace(tmp_path):
    scenario = load_scenario(BANK)
    data = frame_data(scenario, parse_clock("10:00"), minutes=20, seed=11)
    assert len(data.times) == 20
    assert np.allclose(np.diff(data.times), 60) and data.clock(0) == "10:00:00"

    target = tmp_path / "center.gif"
    write_animation(data, target, fps=8)
    assert target.read_bytes()[:6] == b"GIF89a"
    with Image.open(target) as image:
        assert image.n_frames == 20
    assert [p.name for p in tmp_path.iterdir()] == ["center.gif"]  # no temporary left behind

    trace = trace_replication(scenario, seed=11)  # the same replication, traced on its own
    busy_seen = 0
    for spec in scenario.agent_groups:
        name = spec.name
        talking, acw, staffed = data.talking[name], data.acw[name], data.staffed[name]
        assert (talking >= 0).all() and (acw >= 0).all()
        assert (talking + acw <= staffed * spec.concurrency).all()
        assert (staffed * spec.concurrency <= data.slots[name]).all()
        np.testing.assert_array_equal(talking + acw, _at(trace.busy[name], data.times))
        np.testing.assert_array_equal(staffed, _at(trace.staffed[name], data.times))
        busy_seen += int((talking + acw).sum())
    assert busy_seen > 0 and sum(int(data.acw[g].sum()) for g in data.groups) > 0
    for name, queue in data.queue.items():
        np.testing.assert_array_equal(queue, _at(trace.queue[name], data.times))
    assert data.ivr is None  # the bank has no IVR: no IVR bar


def test_cli_writes_a_gif_and_rejects_a_bad_start(tmp_path):
    target = tmp_path / "center.gif"
    result = CliRunner().invoke(main, ["animate", str(BANK), "-o", str(target), "--start",
                                       "12:00", "--minutes", "5", "--fps", "4"])
    assert result.exit_code == 0, result.output
    with Image.open(target) as image:
        assert image.n_frames == 5
    for start in ("06:00", "noon"):  # before the bank opens; not a clock time
        result = CliRunner().invoke(main, ["animate", str(BANK), "-o", str(target),
                                           "--start", start])
        assert result.exit_code == 2


THREE_DAYS = """
name: three days
start: "08:00"
start_date: 2026-11-23   # a Monday
horizon: 3d
interval: 1h
contact_types:
  calls:
    arrivals: 40/h
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 3min}
agent_groups:
  team:
    headcount: [3, 4, 2]
    skills: [calls]
"""


def test_start_on_a_later_day_by_number_weekday_or_date():
    from ccsim.output.animate import parse_start
    from ccsim.scenario import scenario_from_text

    scenario = scenario_from_text(THREE_DAYS)  # Monday 08:00 to Thursday 08:00
    tuesday_ten = 86400 + 10 * 3600
    for text in ("day 2 10:00", "tue 10:00", "Tuesday 10:00", "2026-11-24 10:00"):
        assert parse_start(text, scenario) == tuesday_ten, text
    assert parse_start("10:00", scenario) == 10 * 3600  # a clock time alone: the first day
    assert parse_start("mon 09:00", scenario) == 9 * 3600
    assert parse_start("mon 07:00", scenario) == 7 * 86400 + 7 * 3600  # before the start: next week
    assert parse_start("thu 07:00", scenario) == 3 * 86400 + 7 * 3600

    data = frame_data(scenario, parse_start("wed 14:30", scenario), minutes=10, seed=3)
    begin = 2 * 86400 + 14.5 * 3600 - 8 * 3600  # simulated seconds since Monday 08:00
    assert data.times[0] == begin and data.clock(0) == "day 3 14:30:00"
    trace = trace_replication(scenario, seed=3)
    np.testing.assert_array_equal(data.queue["calls"], _at(trace.queue["calls"], data.times))
    np.testing.assert_array_equal(data.staffed["team"], _at(trace.staffed["team"], data.times))


def test_cli_starts_on_a_later_day_and_says_where_the_horizon_is(tmp_path):
    scenario = tmp_path / "three.yaml"
    scenario.write_text(THREE_DAYS)
    gifs = []
    for i, start in enumerate(("day 2 10:00", "tue 10:00", "2026-11-24 10:00")):
        target = tmp_path / f"{i}.gif"
        result = CliRunner().invoke(main, ["animate", str(scenario), "-o", str(target),
                                           "--start", start, "--minutes", "3"])
        assert result.exit_code == 0, result.output
        assert "(3 frames from day 2 10:00)" in result.output
        gifs.append(target.read_bytes())
    assert gifs[0] == gifs[1] == gifs[2]
    for start, message in (("day 4 10:00", "outside the scenario (08:00 to day 4 08:00)"),
                           ("mon 07:00", "outside the scenario"), ("day 0 10:00", "from 1"),
                           ("someday 10:00", "a weekday")):
        result = CliRunner().invoke(main, ["animate", str(scenario), "-o",
                                           str(tmp_path / "x.gif"), "--start", start])
        assert result.exit_code == 2 and message in result.output, (start, result.output)
    undated = tmp_path / "undated.yaml"
    undated.write_text(THREE_DAYS.replace("start_date: 2026-11-23   # a Monday", ""))
    result = CliRunner().invoke(main, ["animate", str(undated), "-o", str(tmp_path / "x.gif"),
                                       "--start", "2026-11-24 10:00"])
    assert result.exit_code == 2 and "no start_date" in result.output
