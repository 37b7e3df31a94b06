"""The per-interval KPIs, read cell by cell from the interval sums (``interval_kpis``), are the
numbers the general scalar computation (``contact_kpis`` / ``group_kpis`` over one interval)
gives: checked exactly, on scenarios with several types, groups, channels and hours."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import ccsim
from ccsim.measure.kpis import contact_kpis, group_kpis, replication_kpis
from ccsim.measure.interval_sums import Statistics
from ccsim.engine.center import simulate_replication
from ccsim.routing import get_router
from ccsim.skills import SkillGraph
from ccsim.streams import Streams

SCENARIOS = Path(__file__).parent.parent / "scenarios"


def _same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b and type(a) is type(b)


def _sums(scenario, seed=3):
    graph = SkillGraph(scenario)
    streams = Streams(seed, 0)
    router = get_router(scenario.routing.policy)(graph, scenario.routing.params,
                                                 rng=streams("routing"))
    statistics = Statistics(scenario)
    simulate_replication(scenario, graph, router, statistics, streams)
    return statistics.data()


@pytest.mark.parametrize("name", ["retail_bank_day", "multiskill_telecom", "workforce_day"])
def test_interval_kpis_equal_the_scalar_computation(name):
    scenario = ccsim.load_scenario(SCENARIOS / f"{name}.yaml")
    data = _sums(scenario)
    tree = replication_kpis(data, scenario)
    forecast = [[scenario.arrival_rate(t, k) * scenario.interval for t in scenario.contact_types]
                for k in range(scenario.n_intervals)]

    full = {**data, "type.forecast": np.vstack([np.array(forecast, dtype=float),
                                                np.zeros((1, len(forecast[0])))])}
    types = list(range(len(scenario.contact_types)))
    capacity = [g.concurrency for g in scenario.agent_groups]
    compared = 0
    for k, block in enumerate(tree["intervals"]):
        row = slice(k, k + 1)
        for t, spec in enumerate(scenario.contact_types):
            expected = contact_kpis(full, row, [t], spec.service_level.formula,
                                    scenario.interval, float(data["type.queue_area"][row][:, [t]].sum()),
                                    float(data["type.queue_max"][row][:, [t]].max()))
            assert _same(block["by_type"][spec.name], expected), (k, spec.name)
            compared += 1
        formulas = {s.service_level.formula for s in scenario.contact_types}
        expected = contact_kpis(full, row, types,
                                formulas.pop() if len(formulas) == 1 else "over_offered",
                                scenario.interval, float(data["total.queue_area"][row].sum()),
                                float(data["total.queue_max"][row].max()))
        assert _same(block["all"], expected), k
        for g, spec in enumerate(scenario.agent_groups):
            assert _same(block["by_group"][spec.name],
                         group_kpis(full, row, [g], scenario.interval, capacity)), (k, spec.name)
    assert compared >= scenario.n_intervals and tree["overall"]["answered"] > 0


def test_wait_percentiles_in_one_walk_equal_percentile_one_by_one():
    """The one-pass percentiles of the interval tables against ``stats.percentile`` asked
    once per percentile: random histograms, a single bin, the zero-wait atom alone, counts
    that put a rank exactly on a bin's upper edge, and the empty histogram."""
    from ccsim.measure.kpi_figures import PERCENTILES, wait_percentiles
    from ccsim.measure.stats import ZERO_BIN, percentile, wait_bin

    rng = np.random.default_rng(12)
    cases = [{}, {ZERO_BIN: 7}, {wait_bin(30.0): 1}, {ZERO_BIN: 50, 3: 30, 700: 20},
             {ZERO_BIN: 1, 5: 1}]
    for _ in range(300):
        waits = rng.exponential(rng.choice([5.0, 120.0, 4000.0]), rng.integers(1, 60))
        histogram: dict = {}
        for w in np.where(rng.random(len(waits)) < 0.3, 0.0, waits):
            histogram[wait_bin(float(w))] = histogram.get(wait_bin(float(w)), 0) + 1
        cases.append(histogram)
    for histogram in cases:
        expected = [percentile(histogram, p / 100) for p in PERCENTILES]
        got = wait_percentiles(histogram)
        assert len(got) == len(expected)
        for a, b in zip(got, expected):
            assert (math.isnan(a) and math.isnan(b)) or (a == b and type(a) is type(b)), histogram


def test_interval_kpis_of_the_omnichannel_week_equal_the_scalar_computation():
    """The week has hours, an IVR, chats held three at a time and empty night intervals: the
    whole-table figures are the scalar ones there too (every 7th interval, every type)."""
    scenario = ccsim.load_scenario(SCENARIOS / "omnichannel_bank.yaml")
    data = _sums(scenario, seed=5)
    tree = replication_kpis(data, scenario)
    forecast = np.zeros_like(data["type.queue_area"])
    for k in range(scenario.n_intervals):
        forecast[k] = [scenario.arrival_rate(t, k) * scenario.interval
                       for t in scenario.contact_types]
    full = {**data, "type.forecast": forecast}
    capacity = [g.concurrency for g in scenario.agent_groups]
    for k in range(0, scenario.n_intervals, 7):
        row = slice(k, k + 1)
        block = tree["intervals"][k]
        for t, spec in enumerate(scenario.contact_types):
            expected = contact_kpis(full, row, [t], spec.service_level.formula,
                                    scenario.interval,
                                    float(data["type.queue_area"][row][:, [t]].sum()),
                                    float(data["type.queue_max"][row][:, [t]].max()))
            assert _same(block["by_type"][spec.name], expected), (k, spec.name)
        for g, spec in enumerate(scenario.agent_groups):
            assert _same(block["by_group"][spec.name],
                         group_kpis(full, row, [g], scenario.interval, capacity)), (k, spec.name)


def test_a_missing_interval_figure_is_math_nan_itself():
    """Python's == takes a NaN as equal only to the same object: the interval tables give
    ``math.nan`` itself where a ratio has no denominator, as the scalar formulas do, so two
    KPI trees of the same sums compare equal (tests compare whole trees that way)."""
    scenario = ccsim.load_scenario(SCENARIOS / "retail_bank_day.yaml")
    data = _sums(scenario)
    tree = replication_kpis(data, scenario)
    missing = [v for block in tree["intervals"] for part in block["by_type"].values()
               for v in part.values() if v != v]
    assert missing and all(v is math.nan for v in missing)
    assert replication_kpis(data, scenario) == tree
