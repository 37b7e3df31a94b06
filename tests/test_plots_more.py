"""Charts read as planners read them: weekday/date axes on multi-day runs, the skills matrix,
stress maps with readable axes and a colour scale centred on the target, the SL target in
comparison charts, waits in seconds, and ``ax=`` on every chart (draw into a given Axes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.collections import LineCollection

import ccsim
from ccsim.cli import main
from ccsim.output import plots
from ccsim.output.chart_axes import day_label, moment
from ccsim.output.plots_stress import axis_ticks, stress_figures
from ccsim.skills import SkillGraph
from ccsim.study.compare import compare
from ccsim.study.trace import trace_replication
from test_plots import SMALL

ROOT = Path(__file__).parent.parent
BANK = ROOT / "scenarios" / "retail_bank_day.yaml"

# two days from Saturday 28 Nov 2026, 06:00, hourly: the axes must name weekday and date
TWO_DAYS = """
name: weekend
start: "06:00"
start_day: sat
start_date: 2026-11-28
horizon: 2d
interval: 1h
contact_types:
  calls:
    arrivals: 20/h
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 3min}
agent_groups:
  team:
    headcount: 2
    skills: [calls]
"""


@pytest.fixture(scope="module")
def small():
    results = ccsim.simulate(ccsim.scenario_from_text(SMALL), replications=3, seed=2)
    yield results
    plt.close("all")


@pytest.fixture(scope="module")
def weekend():
    results = ccsim.simulate(ccsim.scenario_from_text(TWO_DAYS), replications=2, seed=1)
    yield results
    plt.close("all")


def test_multi_day_axes_name_weekday_and_date(weekend):
    scenario = weekend.scenario
    assert day_label(scenario.start, scenario) == "Sat 28 Nov"
    assert day_label(scenario.start + 86400, scenario) == "Sun 29 Nov"
    assert moment(30 * 3600, scenario) == "Sun 29 Nov 06:00"
    axes = plots.service_level_by_interval(weekend).axes[0]
    axes.figure.canvas.draw()
    labels = [t.get_text() for t in axes.get_xticklabels() if t.get_text()]
    # ticks every 4 h from Sat 08:00 to Mon 04:00; each tick says its day
    assert "08:00\nSat 28 Nov" in labels and "00:00\nSun 29 Nov" in labels
    assert "00:00\nMon 30 Nov" in labels
    for label in labels:  # the weekday named is that date's weekday
        weekday, number, month = label.split("\n")[1].split()
        assert month == "Nov" and dt.date(2026, 11, int(number)).strftime("%a") == weekday
    assert "day" in axes.get_xlabel() and "clock time" in axes.get_xlabel()
    # without a start date: weekdays only
    undated = ccsim.scenario_from_text(TWO_DAYS.replace("start_date: 2026-11-28\n", ""))
    assert day_label(undated.start, undated) == "Sat" and moment(0, undated) == "Sat 00:00"


def test_one_day_axes_keep_clock_times(small):
    axes = plots.volumes_by_interval(small).axes[0]
    assert axes.get_xlabel() == "clock time (hh:mm)"
    assert axes.xaxis.get_major_formatter()(small.scenario.start, 0) == "08:00"


def test_skills_matrix_cells_are_the_ranks_and_proficiencies():
    scenario = ccsim.load_scenario(ROOT / "scenarios" / "omnichannel_bank.yaml")
    graph = SkillGraph(scenario)
    figure = plots.skills_matrix(graph)
    axes = figure.axes[0]
    image = axes.get_images()[0]
    cells = np.ma.getdata(image.get_array()).astype(float)
    mask = np.ma.getmaskarray(image.get_array())
    texts = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
             for t in axes.texts}
    for i, t in enumerate(scenario.contact_types):
        for j, g in enumerate(scenario.agent_groups):
            skill = g.skill(t.name)  # straight from the scenario, not the graph
            if skill is None:
                assert mask[i, j] and (i, j) not in texts
            else:
                assert not mask[i, j] and cells[i, j] == min(skill.rank, 4)
                assert texts[(i, j)] == f"r{skill.rank} ×{skill.proficiency:g}"
    assert [t.get_text() for t in axes.get_yticklabels()] == [t.name for t in
                                                              scenario.contact_types]
    assert [t.get_text() for t in axes.get_xticklabels()] == [g.name for g in
                                                              scenario.agent_groups]
    assert "Skills matrix" in axes.get_title()
    plt.close(figure)


def test_graph_command_draws_the_matrix_when_crowded(tmp_path):
    runner = CliRunner()
    week = ROOT / "scenarios" / "omnichannel_bank.yaml"
    auto = runner.invoke(main, ["graph", str(week), "-o", str(tmp_path / "week.svg")])
    assert auto.exit_code == 0 and "skills matrix drawn to" in auto.output
    bank = runner.invoke(main, ["graph", str(BANK), "-o", str(tmp_path / "bank.svg")])
    assert bank.exit_code == 0 and "graph drawn to" in bank.output
    forced = runner.invoke(main, ["graph", str(BANK), "--matrix", "-o", str(tmp_path / "m.svg")])
    assert forced.exit_code == 0 and "skills matrix drawn to" in forced.output
    assert "Skills matrix" in (tmp_path / "m.svg").read_text()
    drawn = runner.invoke(main, ["graph", str(week), "--network", "-o", str(tmp_path / "n.svg")])
    assert drawn.exit_code == 0 and "graph drawn to" in drawn.output


def test_stress_axes_read_as_changes():
    assert axis_ticks("volume", [0.9, 1.0, 1.1, 1.25]) == ["−10 %", "±0 %", "+10 %", "+25 %"]
    assert axis_ticks("aht", [1.2]) == ["+20 %"]
    assert axis_ticks("absence", [0.0, 0.05, 0.1]) == ["0 %", "5 %", "10 %"]


class _Point:
    """What stress() returns, for the figures (its numbers are made up here on purpose: the
    chart must show them as given)."""

    def __init__(self, factors, level, p):
        self.factors, self.target, self.p_meet = factors, 0.8, p
        self.kpis = {"service_level": {"mean": level, "ci95": 0.02}}


def test_stress_maps_show_sl_centred_on_the_target_beside_p_meet():
    grid = {"volume": (1.0, 1.1, 1.2), "absence": (0.0, 0.1)}
    levels = {(1.0, 0.0): 0.9, (1.1, 0.0): 0.82, (1.2, 0.0): 0.7, (1.0, 0.1): 0.81,
              (1.1, 0.1): 0.72, (1.2, 0.1): 0.6}
    points = [_Point({"volume": v, "absence": a}, levels[(v, a)], 1.0 if levels[(v, a)] > 0.8
                     else 0.2) for a in grid["absence"] for v in grid["volume"]]
    figures = stress_figures(ccsim.scenario_from_text(SMALL), grid, points)
    figure = figures["stress.png"]
    sl, p_meet, _, _ = figure.axes  # two maps, then their colour bars
    np.testing.assert_allclose(np.ma.getdata(sl.get_images()[0].get_array()),
                               [[0.9, 0.82, 0.7], [0.81, 0.72, 0.6]])
    np.testing.assert_allclose(np.ma.getdata(p_meet.get_images()[0].get_array()),
                               [[1.0, 1.0, 0.2], [1.0, 0.2, 0.2]])
    norm = sl.get_images()[0].norm
    assert norm.vcenter == 0.8 and norm(0.8) == 0.5  # the target sits mid-scale
    assert norm(0.82) > 0.5 > norm(0.72)
    assert [t.get_text() for t in sl.get_xticklabels()] == ["±0 %", "+10 %", "+20 %"]
    assert [t.get_text() for t in sl.get_yticklabels()] == ["0 %", "10 %"]
    assert sl.get_xlabel() == "volume vs forecast" and "absence" in sl.get_ylabel()
    assert [t.get_text() for t in sl.texts][0] == "90 %\n± 2 %"
    assert "P(a day meets SL ≥ 80%)" in p_meet.get_title()
    plt.close("all")


def test_comparison_marks_the_sl_target():
    scenario = ccsim.scenario_from_text(SMALL)
    comparison = compare(scenario, ["longest_idle", "priority"], replications=2)
    axes = plots.comparison_bars(comparison).axes[0]
    target, = [c for c in axes.collections if isinstance(c, LineCollection)
               and c.get_label() == "SL target"]
    segments = target.get_segments()
    groups = [t.get_text() for t in axes.get_xticklabels()]
    # SMALL: both types 80 %, so the "all" bars get the target too
    assert len(segments) == len(groups) == 3
    assert all(np.allclose(s[:, 1], 0.8) for s in segments)
    assert "SL target" in [t.get_text() for t in axes.get_legend().get_texts()]
    asa = plots.comparison_bars(comparison, "asa").axes[0]
    assert not [c for c in asa.collections if c.get_label() == "SL target"]
    plt.close("all")


def test_short_waits_are_labelled_in_seconds(small):
    axes = plots.wait_distribution(small, "sales").axes[0]
    assert axes.get_xlabel() == "wait before answer (s)"
    long = plots.wait_histogram(small, "support")
    if long["edges"][-1] > 900:
        title = plots.wait_distribution(small, "support").axes[0].get_title()
        assert f"= {long['width']:g} s" in title
    plt.close("all")


def test_every_chart_draws_into_a_given_axes(small):
    results = small
    scenario = results.scenario
    trace = trace_replication(scenario, seed=results.seed)
    comparison = compare(scenario, ["longest_idle", "priority"], replications=2)
    single = {
        "service_level_by_interval": lambda ax: plots.service_level_by_interval(results, ax=ax),
        "volumes_by_interval": lambda ax: plots.volumes_by_interval(results, "sales", ax=ax),
        "wait_distribution": lambda ax: plots.wait_distribution(results, ax=ax),
        "occupancy_heatmap": lambda ax: plots.occupancy_heatmap(results, ax=ax),
        "skill_graph": lambda ax: plots.skill_graph(SkillGraph(scenario), ax=ax),
        "skills_matrix": lambda ax: plots.skills_matrix(SkillGraph(scenario), ax=ax),
        "comparison_bars": lambda ax: plots.comparison_bars(comparison, ax=ax),
        "staffing_required_vs_scheduled": lambda ax: plots.staffing_required_vs_scheduled(
            scenario, [3] * scenario.n_intervals, ax=ax),
        "stress_heatmap": lambda ax: plots.stress_heatmap([1, 2], [1], [[0.5, 0.9]], "x", "y",
                                                          ax=ax),
    }
    for name, draw in single.items():
        figure, (mine, other) = plt.subplots(1, 2)
        assert draw(mine) is figure, name
        assert mine.has_data() or mine.texts or mine.collections, name
        assert not other.has_data(), name  # only the given Axes is drawn on
        plt.close(figure)
    figure, pair = plt.subplots(2, 1)
    assert plots.queue_and_busy(trace, ax=pair) is figure
    assert [l.get_label() for l in pair[0].get_lines()] == ["sales", "support"]
    figure, pair = plt.subplots(1, 2)
    assert plots.stress_maps("volume", [1.0, 1.1], "aht", [1.0], [[0.85, 0.7]], [[1.0, 0.0]],
                             0.8, ax=pair) is figure
    assert [t.get_text() for t in pair[0].texts] == ["85 %", "70 %"]
    with pytest.raises(ValueError, match="ax must be two Axes"):
        plots.queue_and_busy(trace, ax=[pair[0]])
    # every public chart function takes ax=
    import inspect
    for name in plots.__all__:
        function = getattr(plots, name)
        if name != "wait_histogram":  # numbers, not a chart
            assert "ax" in inspect.signature(function).parameters, name
    plt.close("all")
