"""Event logs (records): every contact and agent-state record agrees with the interval sums of
the same replication, the logs obey Little's law and the agents' timelines, and they come back
from disk as they were written."""

from __future__ import annotations

import csv
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from ccsim import load_scenario, scenario_from_text
from ccsim.engine.center import simulate_replication
from ccsim.measure.kpis import replication_kpis
from ccsim.measure.observers import Observers
from ccsim.measure.interval_sums import Statistics
from ccsim.measure.records import AGENT_STATE_COLUMNS, CONTACT_COLUMNS, Records, records_observer
from ccsim.routing import get_router
from ccsim.skills import SkillGraph
from ccsim.streams import Streams

SCENARIOS = Path(__file__).parent.parent / "scenarios"
ANSWERED = ("handled", "in_service")


def run_with_records(scenario, directory, seed=None, replication=0, fmt="csv"):
    """``run_replication`` with the records observer attached beside the statistics: the
    wiring ``experiment.py`` uses when records are asked for. Returns (sums, records)."""
    seed = scenario.seed if seed is None else seed
    graph = SkillGraph(scenario)
    streams = Streams(seed, replication)
    router = get_router(scenario.routing.policy, scenario.base_dir)(
        graph, scenario.routing.params, rng=streams("routing"))
    statistics = Statistics(scenario)
    records = records_observer(scenario, replication, directory, fmt)
    observer = statistics if records is None else Observers([statistics, records])
    simulate_replication(scenario, graph, router, observer, streams)
    if records is not None:
        records.write()
    return statistics.data(), records


@pytest.fixture(scope="module")
def omnichannel(tmp_path_factory):
    """A week of every access point: IVR, trunks, chat, email backlog, callbacks, redials,
    repeats, transfers, opening hours."""
    scenario = load_scenario(SCENARIOS / "omnichannel_bank.yaml")
    return (scenario, *run_with_records(scenario, tmp_path_factory.mktemp("omni"), seed=5))


STOPPED = """\
start: "08:00"
horizon: 4h
interval: 30min
end: stop
contact_types:
  sales:
    arrivals: {per_interval: [40, 80, 120, 160, 120, 100, 140, 220]}
    talk: {dist: exponential, mean: 4min}
    acw: {dist: deterministic, value: 30s}
    patience: {dist: exponential, mean: 3min}
    queue_capacity: 6
  service:
    arrivals: 90/h
    talk: {dist: lognormal, mean: 6min, cv: 0.7}
    hold: {dist: exponential, mean: 40s}
agent_groups:
  sales_team: {headcount: [6, 10, 14, 16, 12, 10, 8, 8], skills: [sales]}
  generalists:
    headcount: [4, 6, 8, 8, 6, 4, 4, 4]
    skills: {service: {rank: 1}, sales: {rank: 2, proficiency: 1.2}}
"""


@pytest.fixture(scope="module")
def stopped(tmp_path_factory):
    """Four busy hours cut at the horizon: blocked callers (queue capacity), headcount that
    rises and falls, an overflow group slower on its second skill, and contacts still waiting
    or in service at the end."""
    scenario = scenario_from_text(STOPPED, "stopped.yaml")
    return (scenario, *run_with_records(scenario, tmp_path_factory.mktemp("stopped"), seed=3,
                                        replication=2))


@pytest.fixture(scope="module")
def shifts(tmp_path_factory):
    """A day on shifts, with breaks, lunches, a team meeting, absence and adherence lapses."""
    scenario = load_scenario(SCENARIOS / "workforce_day.yaml")
    return (scenario, *run_with_records(scenario, tmp_path_factory.mktemp("shifts")))


CASES = ("omnichannel", "stopped", "shifts")


def _by(rows, key, where=lambda row: True, value=lambda row: 1):
    totals = defaultdict(float)
    for row in rows:
        if where(row):
            totals[key(row)] += value(row)
    return totals


def _cells(scenario, rows, where, value=lambda row: 1):
    """Records summed into the (interval × contact type) layout of the interval sums."""
    types = {t.name: i for i, t in enumerate(scenario.contact_types)}
    grid = np.zeros((scenario.n_intervals + 1, len(types)))
    for (k, name), total in _by(rows, lambda r: (r["interval"], r["contact_type"]),
                                lambda r: r["contact_type"] and where(r), value).items():
        grid[k, types[name]] = total
    return grid


@pytest.mark.parametrize("case", CASES)
def test_contact_records_add_up_to_the_interval_sums(case, request):
    scenario, sums, records = request.getfixturevalue(case)
    rows = records.contact_rows()
    outcome = lambda *names: lambda r: r["outcome"] in names  # noqa: E731
    counts = {"offered": lambda r: r["outcome"] != "turned_away",
              "answered": outcome(*ANSWERED), "handled": outcome("handled"),
              "abandoned": outcome("abandoned"), "blocked": outcome("blocked"),
              "closed": outcome("turned_away"), "waiting_at_end": outcome("waiting"),
              "in_service_at_end": outcome("in_service"),
              "callback_not_reached": outcome("not_reached", "callback_failed"),
              "callback_failed": outcome("callback_failed"),
              "redialed": lambda r: r["redialed"],
              "transferred": lambda r: r["resolution"] == "transferred",
              "resolved": lambda r: r["resolution"] == "resolved",
              "unresolved": lambda r: r["resolution"] == "unresolved",
              "unique": lambda r: r["origin"] == "new" and r["outcome"] != "turned_away",
              "callback_accepted": lambda r: (r["callback"] == "accepted"
                                              and r["origin"] != "callback retry")}
    for name, where in counts.items():
        np.testing.assert_array_equal(_cells(scenario, rows, where), sums[f"type.{name}"],
                                      err_msg=name)
    wait = lambda r: r["wait"]  # noqa: E731
    for name, where, value in (("wait_answered", outcome(*ANSWERED), wait),
                               ("wait_abandoned", outcome("abandoned"), wait),
                               ("wait_at_end", outcome("waiting"), wait),
                               ("talk", outcome("handled"), lambda r: r["talk"]),
                               ("hold", outcome("handled"), lambda r: r["hold"]),
                               ("acw", outcome("handled"), lambda r: r["acw"])):
        np.testing.assert_allclose(_cells(scenario, rows, where, value), sums[f"type.{name}"],
                                   rtol=1e-9, atol=1e-6, err_msg=name)
    assert sum(r["outcome"] != "turned_away" for r in rows if r["contact_type"]) > 1000


@pytest.mark.parametrize("case", CASES)
def test_mean_wait_of_the_answered_is_the_asa(case, request):
    scenario, sums, records = request.getfixturevalue(case)
    kpis = replication_kpis(sums, scenario)
    first = round(scenario.warmup / scenario.interval)  # the summary window starts here
    for t in scenario.contact_types:
        waits = [r["wait"] for r in records.contact_rows() if r["contact_type"] == t.name
                 and r["outcome"] in ANSWERED and first <= r["interval"] < scenario.n_intervals]
        if waits:
            assert np.mean(waits) == pytest.approx(kpis["by_type"][t.name]["asa"], rel=1e-9)


@pytest.mark.parametrize("case", CASES)
def test_handle_times_of_each_group_are_its_busy_time(case, request):
    scenario, sums, records = request.getfixturevalue(case)
    rows = records.contact_rows()
    for g, group in enumerate(scenario.agent_groups):
        mine = [r for r in rows if r["agent_group"] == group.name]
        handled = [r for r in mine if r["outcome"] == "handled"]
        assert sum(r["handle_time"] for r in mine) == pytest.approx(
            sums["group.busy_area"][:, g].sum(), rel=1e-9)
        assert sum(r["handle_time"] for r in handled) == pytest.approx(
            sums["group.handle_time"][:, g].sum(), rel=1e-9)
        assert len(handled) == sums["group.handled"][:, g].sum()
        for r in handled:  # the engine's handle time: the parts, stretched by the factor
            assert r["handle_time"] == pytest.approx(r["talk"] + r["hold"] + r["acw"])
            assert r["service_end"] == pytest.approx(r["service_start"] + r["handle_time"])
            assert r["factor"] > 0


@pytest.mark.parametrize("case", CASES)
def test_littles_law_holds_on_the_records(case, request):
    """Over [0, T] (T = end of the run), the time-average number waiting L = Σ time in queue
    / T equals λ·W with λ = contacts that queued / T and W their mean time in queue; and Σ
    time in queue is the queue-area counter. The backlog waits from t = 0 on."""
    scenario, sums, records = request.getfixturevalue(case)
    end = records.closed_at
    for t, spec in enumerate(scenario.contact_types):
        queued = [r for r in records.contact_rows()
                  if r["contact_type"] == spec.name and r["queue_entry"] is not None]
        spells = [(r["queue_exit"] if r["queue_exit"] is not None else end)
                  - max(r["queue_entry"], 0.0) for r in queued]
        if not spells:
            continue
        assert min(spells) >= 0
        rate, mean_wait = len(spells) / end, float(np.mean(spells))
        area = sums["type.queue_area"][:, t].sum()
        assert rate * mean_wait == pytest.approx(area / end, rel=1e-9, abs=1e-12)


def _logged_in_spans(periods):
    """Maximal stretches of consecutive idle/busy periods: when the agent was logged in."""
    spans = []
    for p in periods:
        if p["state"] in ("idle", "busy"):
            if spans and spans[-1][1] == p["start"]:
                spans[-1][1] = p["end"]
            else:
                spans.append([p["start"], p["end"]])
    return spans


@pytest.mark.parametrize("case", CASES)
def test_agent_timelines_are_consistent_with_the_contacts(case, request):
    scenario, sums, records = request.getfixturevalue(case)
    concurrency = {g.name: g.concurrency for g in scenario.agent_groups}
    timelines = defaultdict(list)
    for p in records.agent_state_rows():
        timelines[p["agent_id"]].append(p)
    services = defaultdict(list)
    for r in records.contact_rows():
        if r["outcome"] in ANSWERED:
            services[r["agent_id"]].append((r["service_start"], r["service_end"] or math.inf))
    for agent, periods in timelines.items():
        for before, after in zip(periods, periods[1:]):  # back to back, each a change
            assert before["end"] == after["start"] and before["state"] != after["state"]
        assert all(p["duration"] > 0 for p in periods)
        assert periods[-1]["end"] == records.closed_at
        spans, busy = _logged_in_spans(periods), [p for p in periods if p["state"] == "busy"]
        limit = concurrency[periods[0]["agent_group"]]
        events = sorted([(s, 1) for s, _ in services[agent]]
                        + [(e, -1) for _, e in services[agent]])
        held = 0
        for _, change in events:  # ends sort before starts at the same instant
            held += change
            assert held <= limit
        for start, end in services[agent]:
            end = min(end, records.closed_at)
            assert any(a <= start and end <= b for a, b in spans), (agent, start, end)
            assert any(p["start"] <= start and end <= p["end"] for p in busy), (agent, start)
        if limit == 1:  # busy time is exactly the handling
            assert sum(p["duration"] for p in busy) == pytest.approx(
                sum(min(e, records.closed_at) - s for s, e in services[agent]), rel=1e-9)
    for g, group in enumerate(scenario.agent_groups):  # logged-in time is staffed time
        logged_in = sum(p["duration"] for p in records.agent_state_rows()
                        if p["agent_group"] == group.name and p["state"] in ("idle", "busy"))
        assert logged_in == pytest.approx(sums["group.staffed_area"][:, g].sum(), rel=1e-9)


def test_breaks_of_a_shift_plan_are_agent_states(shifts):
    scenario, sums, records = shifts
    periods = records.agent_state_rows()
    planned = {a.name: a.length for shift in scenario.agent_groups[0].shifts
               for a in shift.activities}
    seen = Counter(p["state"] for p in periods)
    assert set(planned) <= set(seen)  # break, lunch, team meeting
    assert set(seen) == set(planned) | {"idle", "busy", "logged_out"}
    for p in periods:  # finish_contact: an activity lasts in full, plus any overrun
        if p["state"] in planned:
            assert p["duration"] >= planned[p["state"]] - 1e-6
    # the early shift (17 agents, less absences) all take two breaks and a lunch
    assert 2 * 12 <= seen["break"] and 12 <= seen["lunch"]


def test_follow_ups_keep_the_first_contact_id_and_calls_from_the_ivr_show_it(omnichannel):
    scenario, sums, records = omnichannel
    rows = records.contact_rows()
    by_id = {r["contact_id"]: r for r in rows}
    origins = Counter(r["origin"] for r in rows)
    assert {"new", "redial", "repeat", "transfer"} <= set(origins)
    for r in rows:
        first = by_id[r["customer_id"]]
        assert first["origin"] == "new" and first["customer_id"] == first["contact_id"]
        assert first["arrival"] <= r["arrival"]
        assert r["day"] * 86400 + r["clock"] == pytest.approx(scenario.start + r["arrival"])
        if r["origin"] != "new":
            assert r["attempt"] >= 1 and r["customer_id"] != r["contact_id"]
    ivr = [r for r in rows if r["ivr_entry"] is not None]
    outcomes = Counter(r["outcome"] for r in ivr if not r["contact_type"])
    for event, outcome in (("contained", "contained"), ("hangup", "ivr_hangup"),
                           ("blocked", "ivr_blocked")):
        assert outcomes[outcome] == sums[f"ivr.{event}"].sum()
    assert sum(bool(r["contact_type"]) for r in ivr) == sums["ivr.routed"].sum()
    assert sum(r["ivr_exit"] - r["ivr_entry"] for r in ivr) == pytest.approx(
        sums["ivr.time"].sum(), rel=1e-9)
    assert Counter(r["callback"] for r in rows)["accepted"] > 0


def _read_csv(path, columns):
    kinds = dict(columns)
    with open(path, newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        assert tuple(reader.fieldnames) == tuple(kinds)
        return [{k: (kinds[k](v) if v != "" else None) for k, v in row.items()}
                for row in reader]


def _same(written, read):
    """Rows equal after the round trip, types and missing values included."""
    assert len(written) == len(read)
    for a, b in zip(written, read):
        assert a == b


@pytest.mark.parametrize("case", CASES)
def test_csv_files_round_trip_with_their_types(case, request):
    scenario, sums, records = request.getfixturevalue(case)
    folder = records.directory
    assert folder.name == f"replication-{records.replication}"
    assert sorted(p.name for p in folder.iterdir()) == ["agent_states.csv", "contacts.csv"]
    _same(records.contact_rows(), _read_csv(folder / "contacts.csv", CONTACT_COLUMNS))
    _same(records.agent_state_rows(), _read_csv(folder / "agent_states.csv",
                                                AGENT_STATE_COLUMNS))


def test_a_run_cut_at_the_horizon_leaves_every_kind_of_outcome(stopped):
    scenario, sums, records = stopped
    outcomes = Counter(r["outcome"] for r in records.contact_rows())
    assert outcomes.keys() == {"handled", "abandoned", "blocked", "waiting", "in_service"}
    for r in records.contact_rows():
        if r["outcome"] == "in_service":  # answered, not finished: the planned handle time
            assert r["service_end"] is None and r["handle_time"] > 0
        elif r["outcome"] == "blocked":  # never in the queue, never served
            assert r["queue_entry"] is None and r["wait"] is None and r["agent_id"] is None
        elif r["outcome"] == "waiting":  # its wait so far
            assert r["wait"] == pytest.approx(records.closed_at - r["arrival"])
    slower = [r for r in records.contact_rows() if r["contact_type"] == "sales"
              and r["agent_group"] == "generalists"]
    assert slower and all(r["factor"] == 1.2 for r in slower)


def test_parquet_files_round_trip(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    scenario = load_scenario(SCENARIOS / "workforce_day.yaml")
    _, records = run_with_records(scenario, tmp_path, fmt="parquet")
    contacts = pq.read_table(records.directory / "contacts.parquet")
    assert contacts.column_names == [name for name, _ in CONTACT_COLUMNS]
    _same(records.contact_rows(), contacts.to_pylist())
    states = pq.read_table(records.directory / "agent_states.parquet").to_pylist()
    _same(records.agent_state_rows(), states)


def test_parquet_without_pyarrow_says_what_to_install(tmp_path, monkeypatch):
    scenario = load_scenario(SCENARIOS / "erlang_c.yaml")
    records = Records(scenario, 0, tmp_path, "parquet")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    with pytest.raises(RuntimeError, match=r"pip install ccsim\[parquet\]"):
        records.write()
    assert not any(records.directory.iterdir())  # nothing half-written


def test_records_are_off_unless_asked_for_and_change_nothing(tmp_path):
    scenario = load_scenario(SCENARIOS / "workforce_day.yaml")
    assert records_observer(scenario, 0, None) is None
    plain, _ = run_with_records(scenario, None)
    logged, _ = run_with_records(scenario, tmp_path)
    for key, value in plain.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, logged[key], err_msg=key)
    with pytest.raises(ValueError, match="records format"):
        Records(scenario, 0, tmp_path, "xlsx")


def test_every_column_is_documented():
    text = (Path(__file__).parent.parent / "docs" / "output-format.md").read_text(encoding="utf-8")
    section = text[text.index("## Event logs (records)"):]
    for name, _ in CONTACT_COLUMNS + AGENT_STATE_COLUMNS:
        assert f"`{name}`" in section, name


def test_a_break_running_past_the_shift_end_ends_with_the_log_off(tmp_path):
    """The break delayed by a 50-minute email runs 0:50-1:04, past the 1:00 shift end: the
    agent is logged out when it is over, not on break to the end of the run (issue 15,
    item 12: 14 minutes shown as 70)."""
    scenario = load_scenario(Path(__file__).parent / "late_break_shift.yaml")
    _, records = run_with_records(scenario, tmp_path, seed=1)
    periods = [(p["state"], p["start"], p["end"]) for p in records.agent_state_rows()]
    assert periods == [("busy", 0.0, 3000.0), ("break", 3000.0, 3840.0),
                       ("logged_out", 3840.0, 7200.0)]
    written = _read_csv(tmp_path / "replication-0" / "agent_states.csv", AGENT_STATE_COLUMNS)
    assert [row["state"] for row in written] == ["busy", "break", "logged_out"]
