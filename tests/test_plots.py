"""Charts of a run: each shows what it says, with the numbers of the Results it was drawn from.

Also the trace of one replication (ccsim.study.trace): the same replication as in ``simulate``, and
levels whose time integrals are the Statistics observer's."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection, QuadMesh

import ccsim
from ccsim.output import plots
from ccsim.measure.kpis import replication_kpis
from ccsim.measure.stats import ZERO_BIN, bin_edges
from ccsim.study.trace import StepSeries, trace_replication

BANK = Path(__file__).parent.parent / "scenarios" / "retail_bank_day.yaml"

# a small center with a warm-up, one target for all, and one overloaded type without patience
# (waits of many minutes: the wait histogram then uses its 5 s and 1 min bins)
SMALL = """
name: small
start: "08:00"
horizon: 3h
interval: 30min
warmup: 30min
contact_types:
  sales:
    arrivals: 60/h
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 3min}
    service_level: {threshold: 20s, target: 0.8}
  support:
    arrivals: 40/h
    talk: {dist: exponential, mean: 6min}
    service_level: {threshold: 30s, target: 0.8}
agent_groups:
  both:
    headcount: [3, 4, 4, 3, 3, 2]
    skills: [sales, support]
  sales_only:
    headcount: 2
    skills: [sales]
routing: priority
"""

# phone closed for the first hour (contacts turned away) and a chat team holding two chats each
OMNI = """
name: omni
start: "07:00"
start_day: mon
horizon: 3h
interval: 30min
hours:
  phone: {mon-fri: "08:00-18:00"}
contact_types:
  calls:
    channel: phone
    arrivals: 40/h
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 4min}
  chats:
    channel: chat
    arrivals: 50/h
    talk: {dist: exponential, mean: 6min}
    patience: {dist: exponential, mean: 10min}
    service_level: {threshold: 1min, target: 0.8}
agent_groups:
  voice:
    headcount: 4
    skills: [calls]
  chat_team:
    headcount: 3
    concurrency: 2
    skills: [chats]
"""


@pytest.fixture(scope="module")
def bank():
    results = ccsim.simulate(ccsim.load_scenario(BANK), replications=3, seed=5)
    yield results, results.intervals(), results.group_intervals()
    plt.close("all")


@pytest.fixture(scope="module")
def small():
    results = ccsim.simulate(ccsim.scenario_from_text(SMALL), replications=3, seed=2)
    yield results, results.intervals()
    plt.close("all")


def _rows(intervals, name, kpi):
    return np.array([r[kpi] for r in intervals if r["contact_type"] == name], dtype=float)


def _edges(scenario):
    return scenario.start + np.arange(scenario.n_intervals + 1) * scenario.interval


def _line(axes, label):
    lines = [line for line in axes.get_lines() if line.get_label() == label]
    assert len(lines) == 1, [line.get_label() for line in axes.get_lines()]
    return lines[0]


def _bands(axes):
    return [c for c in axes.collections if isinstance(c, PolyCollection)
            and c.get_label() == "95 % CI"]


def test_agg_backend():
    assert matplotlib.get_backend().lower() == "agg"


def test_service_level_line_band_and_target(bank):
    results, intervals, _ = bank
    figure = plots.service_level_by_interval(results, "loans")
    axes = figure.axes[0]
    assert "service level by interval" in axes.get_title() and "loans" in axes.get_title()
    assert "clock time" in axes.get_xlabel() and "service level" in axes.get_ylabel()
    assert "20s" in axes.get_ylabel()
    means, halves = _rows(intervals, "loans", "service_level"), _rows(
        intervals, "loans", "service_level_ci95")
    line = _line(axes, "service level (mean)")
    np.testing.assert_array_equal(line.get_ydata()[:-1], means)
    np.testing.assert_array_equal(line.get_xdata(), _edges(results.scenario))
    assert line.get_drawstyle() == "steps-post"
    band, = _bands(axes)
    ys = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
    assert np.isclose(ys.min(), np.nanmin(means - halves)) and np.isclose(
        ys.max(), np.nanmax(means + halves))
    target = _line(axes, "target 80%")
    assert list(target.get_ydata()) == [0.8, 0.8]
    assert {t.get_text() for t in axes.get_legend().get_texts()} == {
        "95 % CI", "service level (mean)", "target 80%"}
    figure.canvas.draw()
    labels = [t.get_text() for t in axes.get_xticklabels() if t.get_text()]
    assert "10:00" in labels and "24:00" in labels


def test_service_level_of_all_types_and_warmup(bank, small):
    results, intervals, _ = bank
    axes = plots.service_level_by_interval(results).axes[0]
    np.testing.assert_array_equal(_line(axes, "service level (mean)").get_ydata()[:-1],
                                  _rows(intervals, "all", "service_level"))
    assert "all contact types" in axes.get_title() and "targets differ" in axes.get_title()
    assert not [l for l in axes.get_lines() if l.get_label().startswith("target")]
    results, intervals = small
    axes = plots.service_level_by_interval(results).axes[0]
    assert list(_line(axes, "target 80%").get_ydata()) == [0.8, 0.8]
    warm = [p for p in axes.patches if p.get_label().startswith("warm-up")]
    assert len(warm) == 1
    x0, x1 = warm[0].get_bbox().x0, warm[0].get_bbox().x1
    assert (x0, x1) == (8 * 3600, 8 * 3600 + 1800)
    with pytest.raises(ValueError, match="unknown contact type"):
        plots.service_level_by_interval(results, "nope")


def test_volumes_are_the_interval_means(bank):
    results, intervals, _ = bank
    axes = plots.volumes_by_interval(results, "accounts").axes[0]
    assert "accounts" in axes.get_title() and "contacts per 30min" == axes.get_ylabel()
    assert [l.get_label() for l in axes.get_lines()] == ["offered", "answered", "abandoned"]
    for kpi in ("offered", "answered", "abandoned"):
        np.testing.assert_array_equal(_line(axes, kpi).get_ydata()[:-1],
                                      _rows(intervals, "accounts", kpi))
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "offered", "answered", "abandoned"]


def _answered_after_warmup(results, t):
    first = round(results.scenario.warmup / results.scenario.interval)
    return sum(s["type.answered"][first:, t].sum() for s in results.sums)


@pytest.mark.parametrize("which", ["bank", "small"])
def test_wait_histogram_is_an_exact_regrouping(which, bank, small):
    results = bank[0] if which == "bank" else small[0]
    for t, spec in enumerate(results.scenario.contact_types):
        data = plots.wait_histogram(results, spec.name)
        assert data["answered"] == _answered_after_warmup(results, t)
        assert np.isclose(data["zero"] + data["shares"].sum() + data["beyond"], 1.0)
        edges, width = data["edges"], data["width"]
        assert np.allclose(np.diff(edges), width)
        expected = np.zeros(len(edges) - 1)
        for s in results.sums:
            for index, count in s["wait_histograms"][t].items():
                if index == ZERO_BIN:
                    continue
                low, high = bin_edges(index)
                if low < edges[-1]:
                    j = int(low // width)
                    assert high <= edges[j + 1] + 1e-9  # a histogram bin is never split
                    expected[j] += count
        np.testing.assert_allclose(data["shares"], expected / data["answered"])
    # the overloaded type waits minutes: coarser bins, still whole histogram bins
    if which == "small":
        assert plots.wait_histogram(results, "support")["width"] >= 5


def test_wait_distribution_bars_atom_and_threshold(bank):
    results = bank[0]
    figure = plots.wait_distribution(results, "cards")
    axes = figure.axes[0]
    data = plots.wait_histogram(results, "cards")
    assert "wait before answer" in axes.get_title() and "cards" in axes.get_title()
    assert axes.get_xlabel() == "wait before answer (s)" and "share" in axes.get_ylabel()
    bars, = axes.containers
    np.testing.assert_allclose([bar.get_height() for bar in bars], data["shares"])
    np.testing.assert_allclose([bar.get_x() for bar in bars], data["edges"][:-1])
    threshold = _line(axes, "threshold 15 s (target 90% within it)")
    assert list(threshold.get_xdata()) == [15.0, 15.0]
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert f"answered at once (wait 0): {data['zero']:.1%}" in legend
    assert data["zero"] > 0.5  # most cards calls are answered at once: the atom is not a bar
    all_types = plots.wait_distribution(results).axes[0]
    labels = [l.get_label() for l in all_types.get_lines()]
    assert labels == ["threshold 15 s (cards)", "threshold 20 s (accounts, loans)"]


def test_occupancy_heatmap_cells_are_the_group_interval_means(bank):
    results, _, group_intervals = bank
    figure = plots.occupancy_heatmap(results)
    axes, bar = figure.axes
    mesh, = [c for c in axes.collections if isinstance(c, QuadMesh)]
    names = [g.name for g in results.scenario.agent_groups]
    expected = np.array([[r["occupancy"] for r in group_intervals if r["agent_group"] == g]
                         for g in names])
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(expected.shape), expected)
    assert [t.get_text() for t in axes.get_yticklabels()] == names
    assert bar.get_ylabel() == "occupancy" and mesh.get_clim() == (0, 1)
    assert "occupancy by agent group" in axes.get_title() and "clock time" in axes.get_xlabel()


def test_queue_and_busy_draws_the_trace(bank):
    results = bank[0]
    scenario = results.scenario
    trace = trace_replication(scenario, seed=results.seed)
    figure = plots.queue_and_busy(trace)
    top, bottom = figure.axes
    assert [l.get_label() for l in top.get_lines()] == ["accounts", "cards", "loans"]
    assert [l.get_label() for l in bottom.get_lines()] == [
        "service busy", "service staffed", "sales busy", "sales staffed"]
    assert top.get_ylabel() == "contacts waiting" and bottom.get_ylabel() == "agents"
    assert "clock time" in bottom.get_xlabel() and "one replication" in figure._suptitle.get_text()
    loans = _line(top, "loans")
    series = trace.queue["loans"]
    np.testing.assert_array_equal(loans.get_xdata(),
                                  scenario.start + np.append(series.times, trace.end_time))
    np.testing.assert_array_equal(loans.get_ydata()[:-1], series.values)
    staffed = _line(bottom, "service staffed").get_ydata()
    assert staffed.max() == max(scenario.agent_group("service").headcount)


def test_trace_is_replication_zero_and_agrees_with_the_statistics(bank):
    results = bank[0]
    scenario = results.scenario
    trace = trace_replication(scenario, seed=results.seed, replication=0)
    data = trace.statistics.data()
    kpis = replication_kpis(data, scenario)
    first = results.replications[0]
    for path in ("overall.offered", "overall.asa", "by_type.loans.service_level",
                 "by_group.sales.occupancy"):
        a, b = kpis, first
        for part in path.split("."):
            a, b = a[part], b[part]
        assert a == b, path
    closed = data["closed_at"]
    assert trace.end_time == closed
    for t, name in enumerate(trace.type_names):
        assert np.isclose(trace.queue[name].integral(closed), data["type.queue_area"][:, t].sum())
        assert trace.queue[name].last == 0
    for g, name in enumerate(trace.group_names):
        assert np.isclose(trace.busy[name].integral(closed), data["group.busy_area"][:, g].sum())
        assert np.isclose(trace.staffed[name].integral(closed),
                          data["group.staffed_area"][:, g].sum())
        assert trace.busy[name].values.min() >= 0
        assert np.all(trace.busy[name].values <= trace.staffed[name].maximum())
    assert 0 < trace.points() < 10 * first["overall"]["offered"] + 1000


def test_step_series_collapses_same_instant_changes():
    series = StepSeries()
    series.add(1.0, 1)
    series.add(1.0, 1)
    series.set(2.0, 2)          # no change: no point
    series.add(3.0, -2)
    assert list(series.times) == [0.0, 1.0, 3.0] and list(series.values) == [0.0, 2.0, 0.0]
    assert series.integral(4.0) == 4.0 and series.mean(4.0) == 1.0


def test_trace_of_a_chat_group_counts_chats_against_its_capacity():
    scenario = ccsim.scenario_from_text(OMNI)
    trace = trace_replication(scenario, seed=3)
    data = trace.statistics.data()
    for g, name in enumerate(trace.group_names):
        assert np.isclose(trace.busy[name].integral(data["closed_at"]),
                          data["group.busy_area"][:, g].sum())
    assert trace.busy["chat_team"].maximum() == 6  # three agents, two chats each, at the peak
    bottom = plots.queue_and_busy(trace).axes[1]
    assert [l.get_label() for l in bottom.get_lines()] == [
        "voice busy", "voice staffed", "chat_team busy (chats)", "chat_team staffed × 2"]
    assert _line(bottom, "chat_team staffed × 2").get_ydata().max() == 6
    assert "chats held" in bottom.get_title()


# --- staffing required vs scheduled, stress heat map ------------------------------------------

def _shade(axes, label):
    found = [c for c in axes.collections if isinstance(c, PolyCollection)
             and c.get_label().startswith(label)]
    assert len(found) == 1, [c.get_label() for c in axes.collections]
    return found[0]


def _spans(collection):
    """(left, right, area) of each shaded polygon."""
    spans = []
    for path in collection.get_paths():
        x, y = path.vertices[:, 0], path.vertices[:, 1]
        area = 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
        spans.append((x.min(), x.max(), area))
    return sorted(spans)


def test_staffing_steps_and_over_and_under_shading(small):
    results, _ = small
    scenario = results.scenario
    edges = _edges(scenario)
    scheduled = np.array([5, 6, 6, 5, 5, 4], dtype=float)  # both + sales_only, from SMALL
    required = np.array([4, 7, 8, 5, 3, 2.5])
    figure = plots.staffing_required_vs_scheduled(scenario, required)
    axes = figure.axes[0]
    assert "staffing required vs scheduled" in axes.get_title()
    np.testing.assert_allclose(_line(axes, "required").get_ydata()[:-1], required)
    np.testing.assert_allclose(_line(axes, "scheduled").get_ydata()[:-1], scheduled)
    np.testing.assert_allclose(_line(axes, "scheduled").get_xdata(), edges)
    over, under = _shade(axes, "over-staffed"), _shade(axes, "under-staffed")
    # over: interval 0 alone, then intervals 4-5 as one region; under: intervals 1-2
    assert [s[:2] for s in _spans(over)] == [(edges[0], edges[1]), (edges[4], edges[6])]
    assert [s[:2] for s in _spans(under)] == [(edges[1], edges[3])]
    width = scenario.interval
    np.testing.assert_allclose([s[2] for s in _spans(over)], [1 * width, (2 + 1.5) * width])
    np.testing.assert_allclose([s[2] for s in _spans(under)], [(1 + 2) * width])
    # 30 min intervals: (1 + 2 + 1.5) × 0.5 h over, (1 + 2) × 0.5 h under
    assert "2.25 agent-hours" in over.get_label() and "1.5 agent-hours" in under.get_label()
    legend = axes.get_legend()
    assert legend is not None and legend.get_bbox_to_anchor().x0 > axes.bbox.x1 - 1
    assert axes.xaxis.get_major_formatter()(scenario.start, 0) == "08:00"


def test_staffing_of_one_group_and_given_schedule(small):
    scenario = small[0].scenario
    figure = plots.staffing_required_vs_scheduled(scenario, [2] * 6, group="sales_only")
    axes = figure.axes[0]
    np.testing.assert_allclose(_line(axes, "scheduled").get_ydata()[:-1], [2] * 6)
    assert len(_shade(axes, "over-staffed").get_paths()) == 0
    assert len(_shade(axes, "under-staffed").get_paths()) == 0
    assert "sales_only" in axes.get_title()
    figure = plots.staffing_required_vs_scheduled(scenario, [3] * 6, scheduled=[1, 2, 3, 4, 5, 6])
    axes = figure.axes[0]
    np.testing.assert_allclose(_line(axes, "scheduled").get_ydata()[:-1], [1, 2, 3, 4, 5, 6])
    assert len(_shade(axes, "over-staffed").get_paths()) == 1
    assert len(_shade(axes, "under-staffed").get_paths()) == 1
    plt.close("all")


def test_staffing_rejects_bad_input(small):
    scenario = small[0].scenario
    with pytest.raises(ValueError, match="one value per interval: expected 6"):
        plots.staffing_required_vs_scheduled(scenario, [3] * 5)
    with pytest.raises(ValueError, match="scheduled must give one value per interval"):
        plots.staffing_required_vs_scheduled(scenario, [3] * 6, scheduled=[[3] * 6])
    with pytest.raises(ValueError, match="non-negative"):
        plots.staffing_required_vs_scheduled(scenario, [3, 3, -1, 3, 3, 3])
    with pytest.raises(ValueError, match="unknown agent group 'nobody'"):
        plots.staffing_required_vs_scheduled(scenario, [3] * 6, group="nobody")


def _texts(axes):
    return [t.get_text() for t in axes.texts]


def test_stress_heatmap_cells_and_annotations():
    volumes, handles = [0.9, 1.0, 1.1, 1.2], [0.95, 1.05]
    matrix = np.array([[0.99, 0.95, 0.8, 0.52], [0.97, 0.88, 0.61, 0.3]])
    ci = np.full_like(matrix, 0.03)
    figure = plots.stress_heatmap(volumes, handles, matrix, "volume factor",
                                  "handle-time factor", ci=ci)
    axes, bar = figure.axes
    image = axes.get_images()[0]
    np.testing.assert_allclose(np.ma.getdata(image.get_array()), matrix)
    assert _texts(axes) == [f"{v:.2f}\n± 0.03" for v in matrix.ravel()]
    # each annotation sits on its cell: x = column, y = row
    assert [t.get_position() for t in axes.texts][:2] == [(0, 0), (1, 0)]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["0.9", "1", "1.1", "1.2"]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["0.95", "1.05"]
    assert axes.get_xlabel() == "volume factor" and axes.get_ylabel() == "handle-time factor"
    assert bar.get_ylabel() == "P(meet SL target)"
    assert image.get_clim() == (0.0, 1.0)
    assert "P(meet SL target)" in axes.get_title()


def test_stress_heatmap_of_a_kpi_without_ci():
    matrix = [[12.0, 35.5, float("nan")]]
    figure = plots.stress_heatmap([1, 2, 3], ["base"], matrix, "agents removed", "scenario",
                                  value_label="ASA (s)", title="ASA under stress")
    axes, bar = figure.axes
    assert axes.get_title() == "ASA under stress" and bar.get_ylabel() == "ASA (s)"
    assert _texts(axes) == ["12", "35.5", "–"]
    assert bool(np.ma.getmaskarray(axes.get_images()[0].get_array())[0, 2])
    plt.close("all")


def test_stress_heatmap_rejects_bad_shapes():
    with pytest.raises(ValueError, match=r"matrix has shape \(3, 2\); expected .* = \(2, 3\)"):
        plots.stress_heatmap([1, 2, 3], [1, 2], np.zeros((3, 2)), "x", "y")
    with pytest.raises(ValueError, match=r"ci has shape \(2, 1\); expected the matrix's shape"):
        plots.stress_heatmap([1, 2], [1, 2], np.zeros((2, 2)), "x", "y", ci=np.zeros((2, 1)))
    with pytest.raises(ValueError, match="x_values must be a non-empty sequence"):
        plots.stress_heatmap([], [1], np.zeros((1, 0)), "x", "y")
