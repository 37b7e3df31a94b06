"""Hours of operation, deferrable channels and the backlog at the start."""

from __future__ import annotations

import math

import numpy as np
import pytest
import simpy

import ccsim
from ccsim.calendar import Calendar, open_periods, parse_day_spec, parse_ranges
from ccsim.engine.center import Center
from ccsim.study.experiment import run_replication
from ccsim.measure.observers import Observer, Observers
from ccsim.measure.interval_sums import Statistics
from ccsim.routing import get_router
from ccsim.skills import SkillGraph
from ccsim.streams import Streams
from ccsim.measure.stats import mean_ci
from helpers import assert_agrees

WEEK = """
start: "00:00"
start_day: mon
horizon: 7d
interval: 1h
hours:
  phone: {mon-fri: "08:00-18:00", sat: "09:00-12:00"}
  email: {mon-fri: ["08:00-12:00", "13:00-17:00"]}
contact_types:
  calls:
    channel: phone
    arrivals: 30/h
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 5min}
  mail:
    channel: email
    arrivals: 12/h
    talk: {dist: exponential, mean: 6min}
    initial_backlog: 40
    backlog_age: {dist: uniform, min: 0s, max: 16h}
    service_level: {threshold: 4h, target: 0.8}
agent_groups:
  team:
    headcount: 4
    skills: {calls: {rank: 1}, mail: {rank: 2}}
routing: priority
"""


def test_calendar_parsing_and_periods():
    assert parse_day_spec("mon-fri") == [0, 1, 2, 3, 4]
    assert parse_day_spec("fri-mon") == [4, 5, 6, 0]
    assert parse_ranges(["13:00-17:00", "08:00-12:00"]) == [(28800.0, 43200.0), (46800.0, 61200.0)]
    with pytest.raises(ValueError, match="overlap"):
        parse_ranges(["08:00-12:00", "11:00-13:00"])
    calendar = Calendar({d: [(28800.0, 64800.0)] for d in range(5)})
    # starting on a Friday at 07:00: Friday 08-18, then Monday 08-18
    assert open_periods(calendar, 7 * 3600, 4, None, 4 * 86400) == [
        (3600.0, 39600.0), (3 * 86400 + 3600.0, 3 * 86400 + 39600.0)]


class HoursAudit(Observer):
    """Nothing of a closed channel is answered; records what the checks need."""

    def __init__(self, scenario):
        self.periods = {channel: open_periods(calendar, scenario.start, scenario.start_day,
                                              scenario.start_date, scenario.horizon)
                        for channel, calendar in scenario.hours.items()}
        self.channel = {t.name: t.channel for t in scenario.contact_types}
        self.n_turned_away = 0

    def is_open(self, channel, now):
        periods = self.periods.get(channel)
        return periods is None or any(a <= now < b for a, b in periods)

    def answer(self, contact, agent, now, duration):
        assert self.is_open(self.channel[contact.type], now), f"{contact} answered while closed"

    def turned_away(self, contact, now):
        assert not self.is_open(self.channel[contact.type], now)
        self.n_turned_away += 1


def _run(scenario, seed, replication=0):
    graph = SkillGraph(scenario)
    statistics, audit = Statistics(scenario), HoursAudit(scenario)
    router = get_router(scenario.routing.policy)(graph, scenario.routing.params)
    Center(simpy.Environment(), scenario, graph, router, Observers([statistics, audit]),
           Streams(seed, replication)).run()
    return statistics.data(), audit


def test_nothing_is_answered_while_closed_and_closed_calls_are_turned_away():
    scenario = ccsim.scenario_from_text(WEEK)
    turned_away, closed_hours = [], 0.0
    periods = open_periods(scenario.hours["phone"], 0, 0, None, scenario.horizon)
    closed_hours = (scenario.horizon - sum(b - a for a, b in periods)) / 3600
    for replication in range(6):
        data, audit = _run(scenario, seed=5, replication=replication)
        calls = scenario.contact_types.index(scenario.contact_type("calls"))
        assert data["type.closed"][:, calls].sum() == audit.n_turned_away
        turned_away.append(audit.n_turned_away)
    # calls arriving while closed are a Poisson count with mean rate × closed hours
    expected = 30 * closed_hours
    assert_agrees(turned_away, expected, "calls turned away", max_half_width=0.05 * expected)


def test_email_backlog_arithmetic_over_open_and_closed_hours():
    """Email never abandons: what arrived (plus the backlog at the start) is either handled,
    being handled, or still waiting — and while closed the backlog only grows."""
    scenario = ccsim.scenario_from_text(WEEK)
    kpis, sums = run_replication(scenario, seed=9, replication=0)
    mail = [t.name for t in scenario.contact_types].index("mail")
    offered = sums["type.offered"][:, mail].sum()
    assert sums["type.abandoned"][:, mail].sum() == 0
    assert offered == (sums["type.handled"][:, mail].sum() + sums["type.in_service_at_end"][:, mail].sum()
                       + sums["type.waiting_at_end"][:, mail].sum())
    assert sums["type.offered"][0, mail] >= 40  # the initial backlog is counted at the start
    # Sunday is closed for email: the queue never shrinks then (no answer happens)
    sunday = slice(6 * 24, 7 * 24)
    assert sums["type.answered"][sunday, mail].sum() == 0
    assert kpis["by_channel"]["email"]["abandon_rate"] == 0


def test_deferrable_contacts_cannot_have_patience_and_backlog_only_for_them():
    with pytest.raises(ccsim.ScenarioError, match="never abandon"):
        ccsim.scenario_from_text(WEEK.replace("    initial_backlog: 40",
                                              "    patience: {dist: exponential, mean: 1h}"))
    with pytest.raises(ccsim.ScenarioError, match="only email and social"):
        ccsim.scenario_from_text(WEEK.replace("    patience: {dist: exponential, mean: 5min}",
                                              "    initial_backlog: 3"))


def test_always_open_calendar_changes_nothing():
    base = ccsim.load_scenario("scenarios/erlang_c.yaml")
    text = open("scenarios/erlang_c.yaml").read() + "\nhours: {phone: always}\n"
    always = ccsim.scenario_from_text(text, base_dir="scenarios")
    a, _ = run_replication(base, 3, 0)
    b, _ = run_replication(always, 3, 0)
    assert a == b or np.allclose(a["overall"]["asa"], b["overall"]["asa"])
    assert math.isclose(a["overall"]["service_level"], b["overall"]["service_level"])


BLEND = """
horizon: 8h
interval: 1h
contact_types:
  calls:
    channel: phone
    arrivals: 100/h
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 3min}
  mail:
    channel: email
    arrivals: 40/h
    talk: {dist: exponential, mean: 5min}
    initial_backlog: 30
    service_level: {threshold: 4h}
agent_groups:
  blended:
    headcount: 9
    skills: {calls: {rank: 1}, mail: {rank: 2}}
routing: priority
"""


class BlendAudit(Observer):
    """An email is only ever answered while no call is waiting (deferrable work fills idle
    time); tracks the call queue from the engine's queue reports."""

    def __init__(self):
        self.calls_waiting, self.emails_answered = 0, 0

    def queue_changed(self, type_index, length, now):
        if type_index == 0:
            self.calls_waiting = length

    def answer(self, contact, agent, now, duration):
        if contact.type == "mail":
            assert self.calls_waiting == 0, "an email was taken while a call waited"
            self.emails_answered += 1


def test_blended_agents_take_email_only_when_no_call_waits():
    scenario = ccsim.scenario_from_text(BLEND)
    graph = SkillGraph(scenario)
    audit = BlendAudit()
    router = get_router("priority")(graph, {})
    Center(simpy.Environment(), scenario, graph, router, audit, Streams(2, 0)).run()
    assert audit.emails_answered > 100  # idle time was used for email


def test_blending_raises_occupancy_and_a_reserve_protects_calls():
    """Email fills idle time (occupancy rises against a phone-only center); keeping agents
    free for calls (strict threshold reservation) gives back service level to the calls."""
    def blended(reserve):
        routing = ("routing: {policy: threshold_reservation, params: {reserve: {blended: "
                   f"{{calls: {reserve}}}}}, strict: true}}}}")
        return ccsim.scenario_from_text(BLEND.replace("routing: priority", routing)
                                        .replace("arrivals: 40/h", "arrivals: 12/h"))
    phone_only = ccsim.scenario_from_text(BLEND.replace("    initial_backlog: 30\n", "")
                                          .replace("arrivals: 40/h", "arrivals: 0.001/h"))
    none, three = (ccsim.simulate(blended(r), replications=8, seed=8) for r in (0, 3))
    alone = ccsim.simulate(phone_only, replications=8, seed=8)
    assert (none.values("by_group.blended.occupancy").mean()
            > alone.values("by_group.blended.occupancy").mean() + 0.05)
    gain = three.values("by_type.calls.service_level") - none.values("by_type.calls.service_level")
    mean, half = mean_ci(gain)
    assert mean - half > 0, f"the reserve should help the calls ({mean:.3f} ± {half:.3f})"


# --- callback retries in closed hours, and what is still waiting at the end of the horizon ---

CALLBACK_RETRIES = """
start: "08:00"
horizon: 3h
interval: 30min
hours:
  phone: {daily: ["08:00-09:00", "09:30-12:00"]}   # closed 09:00-09:30
contact_types:
  calls:
    arrivals: 60/h
    talk: {dist: exponential, mean: 3min}
    callback: {offer_after: 1s, accept: 1.0, reach: 0.5, retries: 2,
               retry_delay: {dist: deterministic, value: 20min}}
agent_groups:
  team:
    headcount: 2
    skills: [calls]
routing: longest_idle
"""


class RetryAudit(Observer):
    """When each callback retry arrives and when the agent next tries the customer."""

    def __init__(self):
        self.arrived, self.tried, self.lost, self.reached = {}, {}, [], set()

    def arrival(self, contact, now):
        if contact.origin == "callback retry":
            self.arrived[contact.id] = now

    def turned_away(self, contact, now):
        self.lost.append(contact.origin)

    def journey(self, event, contact, now):
        if event in ("callback reached", "callback not reached") and contact.id in self.arrived:
            self.tried.setdefault(contact.id, now)
            if event == "callback reached":
                self.reached.add(contact.id)


def test_a_callback_retry_due_while_closed_is_made_after_the_opening():
    """A planner expects a promised callback to be kept: a retry that falls in closed hours
    waits (parked, offered in the interval it fell due) and is called after the opening."""
    scenario = ccsim.scenario_from_text(CALLBACK_RETRIES)
    closes, opens = 3600.0, 5400.0
    parked = 0
    for replication in range(3):
        graph = SkillGraph(scenario)
        audit, statistics = RetryAudit(), Statistics(scenario)
        router = get_router("longest_idle")(graph, {})
        Center(simpy.Environment(), scenario, graph, router, Observers([statistics, audit]),
               Streams(7, replication)).run()
        assert "callback retry" not in audit.lost  # none is lost at the closed door
        due_closed = [i for i, t in audit.arrived.items() if closes <= t < opens]
        parked += len(due_closed)
        for contact_id in due_closed:
            assert audit.tried[contact_id] >= opens  # called once the line is open again
        assert set(audit.tried) == set(audit.arrived)  # every retry was made
        sums = statistics.data()
        # retries due while closed count as offered in the closed intervals (2 = 09:00-09:30)
        assert sums["type.callback_retries"][2, 0] == len(due_closed)
        # only retries arrive then (new calls are turned away); those reached are answered
        assert sums["type.answered"][2, 0] == len(audit.reached & set(due_closed))
    assert parked >= 10  # the scenario does put retries into the closed half hour


HORIZON_END = """
start: "08:00"
horizon: 2h
interval: 1h
end: {end}
hours:
  email: {{daily: "08:00-18:00"}}   # open when the horizon ends
  social: {{daily: "08:00-09:00"}}  # closed when the horizon ends
contact_types:
  mail:
    channel: email
    arrivals: 40/h
    talk: {{dist: exponential, mean: 3min}}
  posts:
    channel: social
    arrivals: 10/h
    talk: {{dist: exponential, mean: 3min}}
agent_groups:
  mail_team:
    headcount: 1
    skills: [mail]
  social_team:
    headcount: 1
    skills: [posts]
routing: longest_idle
"""


def test_the_end_of_the_horizon_drains_open_channels_and_leaves_closed_ones_waiting():
    """end: drain works off what waits in a channel that is open at the horizon (the calendar
    is not closed by the horizon); a channel closed then stays closed, its contacts counted as
    waiting_at_end. end: stop stops everything at the horizon."""
    drain = ccsim.scenario_from_text(HORIZON_END.format(end="drain"))
    stop = ccsim.scenario_from_text(HORIZON_END.format(end="stop"))
    for replication in range(3):
        kpis, sums = run_replication(drain, seed=5, replication=replication)
        mail, posts = kpis["by_type"]["mail"], kpis["by_type"]["posts"]
        assert mail["offered"] > 70  # twice what one agent handles in 2 h: a queue at the end
        assert mail["waiting_at_end"] == 0 and mail["handled"] == mail["offered"]
        arrived_closed = sums["type.offered"][1, 1]  # posts of 09:00-10:00, channel closed
        assert arrived_closed > 0 and sums["type.answered"][1, 1] == 0
        assert posts["waiting_at_end"] >= arrived_closed
        assert posts["handled"] + posts["waiting_at_end"] == posts["offered"]

        kpis, _ = run_replication(stop, seed=5, replication=replication)
        mail = kpis["by_type"]["mail"]
        assert mail["waiting_at_end"] > 0
        assert mail["offered"] == mail["handled"] + mail["in_service_at_end"] + \
            mail["waiting_at_end"]
