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
