"""The policy library: each policy's choices on the fake view of test_routing.py, its parameter
checks, and two simulations (time-based overflow, and "no choice, no effect" on an M/M/c center).

The invariants every policy must keep inside a real simulation are checked for all registered
policies (and a user-supplied one) by ``test_router_in_a_real_simulation`` in test_routing.py.
"""

from __future__ import annotations

import inspect
import itertools
import math
from pathlib import Path

import numpy as np
import pytest

import ccsim
from ccsim.measure.observers import Observer, Observers
from ccsim.measure.interval_sums import Statistics
from ccsim.routing import get_router
from ccsim.skills import SkillGraph
from ccsim.streams import Streams
from ccsim.engine.center import simulate_replication
from test_routing import SCENARIO, USER_POLICY, FakeAgent, FakeContact, FakeView, InvariantChecker

HERE = Path(__file__).resolve().parent
NEW = ("time_overflow", "weighted_wait", "segment_priority", "least_occupied", "specialists_first",
       "threshold_reservation", "expected_delay", "random", "least_loaded")

# vip and std share the front desk; the back office serves std and the slow web type
SEGMENTED = """\
horizon: 1h
interval: 1h
contact_types:
  vip: {arrivals: 10/h, talk: {dist: exponential, mean: 2min}, segment: vip}
  std: {arrivals: 10/h, talk: {dist: exponential, mean: 4min}}
  web: {arrivals: 10/h, talk: {dist: exponential, mean: 6min}, channel: phone}
agent_groups:
  front: {headcount: 2, skills: [vip, std]}
  back: {headcount: 1, skills: [std, web]}
"""

# X (2 min) is served by P and Q, Y (10 min) by P and R, Z (1 min) by Q only
UNBALANCED = """\
horizon: 1h
interval: 1h
contact_types:
  X: {arrivals: 10/h, talk: {dist: deterministic, value: 2min}}
  Y: {arrivals: 10/h, talk: {dist: deterministic, value: 10min}}
  Z: {arrivals: 10/h, talk: {dist: deterministic, value: 1min}}
agent_groups:
  P: {headcount: 1, skills: [X, Y]}
  Q: {headcount: 1, skills: [X, Z]}
  R: {headcount: 1, skills: [Y]}
"""


class Setup:
    """A scenario, its graph and a contact factory (contacts take their type's attributes)."""

    def __init__(self, text):
        self.scenario = ccsim.scenario_from_text(text)
        self.graph = SkillGraph(self.scenario)
        self._ids = itertools.count(1000)

    def router(self, name, params=None, rng=None):
        return ccsim.ROUTERS[name](self.graph, params or {}, rng=rng)

    def view(self, agents=(), contacts=(), now=100.0, busy=None):
        return FakeView(self.scenario, agents, contacts, now, busy)

    def contact(self, type_name, arrival, id=None):
        spec = self.scenario.contact_type(type_name)
        return FakeContact(next(self._ids) if id is None else id, type_name, arrival,
                           priority=spec.priority, segment=spec.segment)


@pytest.fixture(scope="module")
def four():
    return Setup(SCENARIO)  # A, B, C, D; G1 {A, B}, G2 {A, C}, G3 {A, B, C, D}


@pytest.fixture(scope="module")
def seg():
    return Setup(SEGMENTED)


@pytest.fixture(scope="module")
def unb():
    return Setup(UNBALANCED)


# --- the library as a whole -----------------------------------------------------------------

@pytest.mark.parametrize("name", NEW)
def test_policy_is_registered_documented_and_short(name):
    cls = ccsim.ROUTERS[name]
    assert cls.name == name and isinstance(cls.params_doc, dict)
    module = inspect.getmodule(cls)
    assert len(module.__doc__) > 300, "say what it does, when to use it, and where it comes from"
    assert len(inspect.getsource(module).splitlines()) < 120


@pytest.mark.parametrize("name", NEW)
def test_policy_works_with_default_parameters(name, four):
    router = four.router(name, rng=np.random.default_rng(0))
    assert router.params == ccsim.ROUTERS[name].check_params({})
    assert set(router.params) <= set(router.params_doc)


@pytest.mark.parametrize("name, params, key", [
    ("time_overflow", {"delays": {"G2": {"A": "soon"}}}, "delays"),
    ("time_overflow", {"delays": {"G2": {"A": "-5s"}}}, "delays"),
    ("time_overflow", {"delays": {"G2": {"A": "inf"}}}, "delays"),
    ("time_overflow", {"delays": {"G2": "30s"}}, "delays"),
    ("time_overflow", {"delays": ["G2"]}, "delays"),
    ("weighted_wait", {"weights": {"A": 0}}, "weights"),
    ("weighted_wait", {"weights": {"A": "2"}}, "weights"),
    ("weighted_wait", {"weights": {"A": True}}, "weights"),
    ("weighted_wait", {"weights": [1, 2]}, "weights"),
    ("segment_priority", {"aging": "0s"}, "aging"),
    ("segment_priority", {"aging": "a while"}, "aging"),
    ("segment_priority", {"segment_weights": {"vip": "high"}}, "segment_weights"),
    ("segment_priority", {"segment_weights": {"vip": math.nan}}, "segment_weights"),
    ("least_occupied", {"scope": "team"}, "scope"),
    ("threshold_reservation", {"reserve": {"G3": {"D": -1}}}, "reserve"),
    ("threshold_reservation", {"reserve": {"G3": {"D": 1.5}}}, "reserve"),
    ("threshold_reservation", {"reserve": {"G3": 2}}, "reserve"),
])
def test_bad_parameter_values_are_named(name, params, key):
    with pytest.raises(ValueError, match=f"^{key}: "):
        ccsim.ROUTERS[name].check_params(params)


@pytest.mark.parametrize("name, params, key", [
    ("time_overflow", {"delays": {"G1": {"C": "30s"}}}, "delays"),      # G1 does not serve C
    ("time_overflow", {"delays": {"G9": {"A": "30s"}}}, "delays"),
    ("weighted_wait", {"weights": {"E": 2}}, "weights"),
    ("segment_priority", {"segment_weights": {"gold": 1}}, "segment_weights"),
    ("threshold_reservation", {"reserve": {"G1": {"D": 1}}}, "reserve"),
])
def test_names_that_are_not_in_the_scenario_are_refused(name, params, key, four):
    with pytest.raises(ValueError, match=f"^{key}: "):
        four.router(name, params)


def test_a_scenario_with_bad_policy_parameters_is_a_scenario_error():
    text = SCENARIO + "routing: {policy: time_overflow, params: {delays: {G2: {A: soon}}}}\n"
    with pytest.raises(ccsim.ScenarioError, match="soon"):
        ccsim.scenario_from_text(text)


# --- time_overflow ---------------------------------------------------------------------------

DELAYS = {"delays": {"G2": {"A": "30s"}, "G3": {"A": "1min"}}}


def test_time_overflow_new_contact_goes_to_an_immediate_group(four):
    router = four.router("time_overflow", DELAYS)
    agents = [FakeAgent(1, "G2", 0.0), FakeAgent(2, "G3", 1.0), FakeAgent(3, "G1", 50.0)]
    view = four.view(agents, now=100.0)
    assert router.select_agent(four.contact("A", 100.0), view) is agents[2]
    assert view.rechecks == []


def test_time_overflow_asks_for_a_recheck_at_each_delay(four):
    router = four.router("time_overflow", DELAYS)
    agents = [FakeAgent(1, "G2", 0.0), FakeAgent(2, "G3", 1.0)]
    view = four.view(agents, now=100.0)
    assert router.select_agent(four.contact("A", 100.0), view) is None
    assert sorted(view.rechecks) == [130.0, 160.0]
    # a contact offered later (it has waited 40 s) may go to G2 but not yet to G3
    view = four.view(agents, now=140.0)
    assert router.select_agent(four.contact("A", 100.0), view) is agents[0]


def test_time_overflow_agent_takes_only_contacts_past_its_delay(four):
    router = four.router("time_overflow", DELAYS)
    g2 = FakeAgent(1, "G2", 0.0)
    young_a = four.contact("A", 80.0)           # waited 20 s < 30 s
    assert router.select_contact(g2, four.view(contacts=[young_a])) is None
    c = four.contact("C", 90.0)                 # G2 serves C at once
    assert router.select_contact(g2, four.view(contacts=[young_a, c])) is c
    old_a = four.contact("A", 70.0)             # waited exactly 30 s
    assert router.select_contact(g2, four.view(contacts=[old_a, c])) is old_a
    older_c = four.contact("C", 60.0)
    assert router.select_contact(g2, four.view(contacts=[old_a, older_c])) is older_c
    # G3's delay for A is a minute; G1 has none
    assert router.select_contact(FakeAgent(2, "G3", 0.0), four.view(contacts=[old_a])) is None
    assert router.select_contact(FakeAgent(3, "G1", 0.0), four.view(contacts=[young_a])) is young_a


def test_time_overflow_without_delays_is_longest_idle(four):
    router, plain = four.router("time_overflow"), four.router("longest_idle")
    agents = [FakeAgent(5, "G1", 10.0), FakeAgent(3, "G2", 2.0), FakeAgent(7, "G3", 4.0)]
    contacts = [four.contact("A", 99.0), four.contact("C", 50.0), four.contact("B", 70.0)]
    view = four.view(agents, contacts)
    for contact in contacts:
        assert router.select_agent(contact, view) is plain.select_agent(contact, view)
    for agent in agents:
        assert router.select_contact(agent, view) is plain.select_contact(agent, view)
    assert view.rechecks == []


# --- weighted_wait ---------------------------------------------------------------------------

def test_weighted_wait_maximises_weight_times_wait(four):
    router = four.router("weighted_wait", {"weights": {"B": 3}})
    g3 = FakeAgent(1, "G3", 0.0)
    a = four.contact("A", 10.0)                                    # 90 s × 1 = 90
    b = four.contact("B", 60.0)                                    # 40 s × 3 = 120
    assert router.select_contact(g3, four.view(contacts=[a, b])) is b
    b = four.contact("B", 71.0)                                    # 29 s × 3 = 87
    assert router.select_contact(g3, four.view(contacts=[a, b])) is a
    a, b = four.contact("A", 40.0), four.contact("B", 80.0)        # 60 = 60: earlier arrival
    assert router.select_contact(g3, four.view(contacts=[b, a])) is a
    # G2 does not serve B, however heavy
    c = four.contact("C", 95.0)
    assert router.select_contact(FakeAgent(2, "G2", 0.0), four.view(contacts=[b, c])) is c


def test_weighted_wait_new_contact_goes_to_the_longest_idle_agent(four):
    router = four.router("weighted_wait", {"weights": {"A": 5}})
    agents = [FakeAgent(5, "G1", 10.0), FakeAgent(3, "G2", 2.0)]
    assert router.select_agent(four.contact("A", 99.0), four.view(agents)) is agents[1]


# --- segment_priority ------------------------------------------------------------------------

def test_segment_priority_vip_first_until_standard_has_aged(seg):
    router = seg.router("segment_priority", {"segment_weights": {"vip": 2}, "aging": "1min"})
    front = FakeAgent(1, "front", 0.0)
    vip = seg.contact("vip", 990.0)                     # 2 + 10/60
    std = seg.contact("std", 900.0)                     # 100/60
    assert router.select_contact(front, seg.view(contacts=[vip, std], now=1000.0)) is vip
    std = seg.contact("std", 800.0)                     # 200/60 > 2 + 1/6
    assert router.select_contact(front, seg.view(contacts=[vip, std], now=1000.0)) is std
    vip, std = seg.contact("vip", 880.0), seg.contact("std", 760.0)   # 4 = 4: earlier arrival
    assert router.select_contact(front, seg.view(contacts=[vip, std], now=1000.0)) is std


def test_segment_priority_without_aging_is_strict(seg):
    router = seg.router("segment_priority", {"segment_weights": {"vip": 1}, "aging": "inf"})
    front = FakeAgent(1, "front", 0.0)
    vip, std = seg.contact("vip", 999.0), seg.contact("std", 0.0)
    assert router.select_contact(front, seg.view(contacts=[vip, std], now=1000.0)) is vip
    # same segment: first come, first served
    back = FakeAgent(2, "back", 0.0)
    web, std = seg.contact("web", 500.0), seg.contact("std", 400.0)
    assert router.select_contact(back, seg.view(contacts=[web, std], now=1000.0)) is std


def test_segment_priority_defaults(seg):
    router = seg.router("segment_priority")
    assert router.params == {"segment_weights": {}, "aging": 60.0}
    agents = [FakeAgent(4, "back", 3.0), FakeAgent(2, "front", 3.0)]
    assert router.select_agent(seg.contact("std", 99.0), seg.view(agents)) is agents[1]


# --- least_occupied --------------------------------------------------------------------------

def test_least_occupied_agent_scope(four):
    router = four.router("least_occupied")
    agents = [FakeAgent(1, "G1", 0.0, busy_time=500.0), FakeAgent(2, "G2", 50.0, busy_time=100.0),
              FakeAgent(3, "G3", 20.0, busy_time=100.0), FakeAgent(4, "G3", 90.0, busy_time=80.0)]
    view = four.view(agents)
    # least busy: agent 4 (though idle the shortest)
    assert router.select_agent(four.contact("A", 99.0), view) is agents[3]
    # equal busy time: longest idle; then lower id
    assert router.select_agent(four.contact("A", 99.0), four.view(agents[:3])) is agents[2]
    twins = [FakeAgent(9, "G1", 5.0, busy_time=1.0), FakeAgent(6, "G3", 5.0, busy_time=1.0)]
    assert router.select_agent(four.contact("B", 99.0), four.view(twins)) is twins[1]
    # only skilled agents: C goes to G2 or G3
    assert router.select_agent(four.contact("C", 99.0), view) is agents[3]


def test_least_occupied_group_scope(four):
    router = four.router("least_occupied", {"scope": "group"})
    agents = [FakeAgent(1, "G1", 0.0), FakeAgent(2, "G2", 10.0), FakeAgent(3, "G3", 30.0),
              FakeAgent(4, "G3", 20.0)]
    busy = {"G1": 3, "G2": 1, "G3": 0}      # busy shares 3/4, 1/2, 0/2
    assert router.select_agent(four.contact("A", 99.0), four.view(agents, busy=busy)) is agents[3]
    busy = {"G1": 1, "G2": 1, "G3": 2}      # 1/2, 1/2, 2/4: longest idle among the three
    assert router.select_agent(four.contact("A", 99.0), four.view(agents, busy=busy)) is agents[0]


def test_least_occupied_agent_takes_the_oldest_contact(four):
    router = four.router("least_occupied")
    contacts = [four.contact("B", 30.0), four.contact("A", 20.0), four.contact("D", 10.0)]
    assert router.select_contact(FakeAgent(1, "G1", 0.0), four.view(contacts=contacts)) \
        is contacts[1]


# --- specialists_first -----------------------------------------------------------------------

def test_specialists_first_prefers_narrow_groups(four):
    router = four.router("specialists_first")   # G1 and G2 have 2 skills, G3 has 4
    agents = [FakeAgent(1, "G3", 0.0), FakeAgent(2, "G2", 40.0), FakeAgent(3, "G1", 30.0)]
    assert router.select_agent(four.contact("A", 99.0), four.view(agents)) is agents[2]
    assert router.select_agent(four.contact("A", 99.0), four.view(agents[:2])) is agents[1]
    assert router.select_agent(four.contact("A", 99.0), four.view(agents[:1])) is agents[0]
    assert router.select_agent(four.contact("D", 99.0), four.view(agents[1:])) is None


def test_specialists_first_generalist_keeps_to_what_others_cannot_do(four):
    router = four.router("specialists_first")
    g3 = FakeAgent(1, "G3", 0.0)
    everyone = {"G1": 1, "G2": 1, "G3": 1}
    a, b, c, d = (four.contact("A", 10.0), four.contact("B", 30.0), four.contact("C", 20.0),
                  four.contact("D", 90.0))
    # others able: A 2 (G1, G2), B 1 (G1), C 1 (G2), D 0
    assert router.select_contact(g3, four.view(contacts=[a, b, c, d], busy=everyone)) is d
    assert router.select_contact(g3, four.view(contacts=[a, b, c], busy=everyone)) is c
    # nobody logged in at G1: only G3 can take B now
    alone = {"G2": 1, "G3": 1}
    assert router.select_contact(g3, four.view(contacts=[a, b, c], busy=alone)) is b


# --- threshold_reservation -------------------------------------------------------------------

def test_threshold_reservation_keeps_idle_agents_back(four):
    router = four.router("threshold_reservation", {"reserve": {"G3": {"D": 1}}})
    one = [FakeAgent(1, "G3", 0.0)]
    two = one + [FakeAgent(2, "G3", 5.0)]
    assert router.select_agent(four.contact("A", 99.0), four.view(one)) is None
    assert router.select_agent(four.contact("A", 99.0), four.view(two)) is two[0]
    assert router.select_agent(four.contact("D", 99.0), four.view(one)) is one[0]
    # a group without reservations is used even if a protected agent has been idle longer
    g1 = FakeAgent(3, "G1", 50.0)
    assert router.select_agent(four.contact("A", 99.0), four.view(one + [g1])) is g1


def test_threshold_reservation_sums_the_other_types_reserves(four):
    router = four.router("threshold_reservation", {"reserve": {"G3": {"B": 1, "D": 1}}})
    agents = [FakeAgent(i, "G3", float(i)) for i in range(1, 4)]
    assert router.select_agent(four.contact("B", 99.0), four.view(agents[:1])) is None
    assert router.select_agent(four.contact("B", 99.0), four.view(agents[:2])) is agents[0]
    assert router.select_agent(four.contact("A", 99.0), four.view(agents[:2])) is None
    assert router.select_agent(four.contact("A", 99.0), four.view(agents)) is agents[0]


def test_threshold_reservation_agent_serves_reserved_types_first(four):
    router = four.router("threshold_reservation", {"reserve": {"G3": {"D": 2}}})
    g3 = FakeAgent(1, "G3", 0.0)
    a, c, d = four.contact("A", 10.0), four.contact("C", 5.0), four.contact("D", 90.0)
    assert router.select_contact(g3, four.view(contacts=[a, c, d])) is d
    assert router.select_contact(g3, four.view(contacts=[a, c])) is c
    assert router.select_contact(FakeAgent(2, "G1", 0.0), four.view(contacts=[d])) is None


# --- expected_delay --------------------------------------------------------------------------

def test_expected_delay_sends_the_contact_to_the_group_least_needed_elsewhere(unb):
    router = unb.router("expected_delay")
    p, q = FakeAgent(1, "P", 0.0), FakeAgent(2, "Q", 50.0)
    # C(P, X) = D(Y) = 1 × 600 / (1 + 1) = 300;  C(Q, X) = D(Z) = 1 × 60 / 1 = 60
    view = unb.view([p, q], busy={"R": 1})
    assert router.select_agent(unb.contact("X", 99.0), view) is q
    # with 59 R agents, D(Y) = 600 / 60 = 10 < 60: P is less needed for Y than Q for Z
    view = unb.view([p, q], busy={"R": 59})
    assert router.select_agent(unb.contact("X", 99.0), view) is p
    # a single candidate group wins whatever its cost; none: the contact waits
    assert router.select_agent(unb.contact("X", 99.0), unb.view([p])) is p
    assert router.select_agent(unb.contact("Y", 99.0), unb.view([q])) is None


def test_expected_delay_agent_serves_the_queue_with_the_largest_predicted_delay(unb):
    router = unb.router("expected_delay")
    p = FakeAgent(1, "P", 0.0)
    busy = {"P": 1, "Q": 1, "R": 1}             # N(X) = N(Y) = 2

    def queues(n_x):
        xs = [unb.contact("X", float(i)) for i in range(n_x)]
        return xs, xs + [unb.contact("Y", 50.0)]

    xs, contacts = queues(1)                    # D(X) = 2 × 120 / 2 = 120 < D(Y) = 600
    assert router.select_contact(p, unb.view(contacts=contacts, busy=busy)) is contacts[-1]
    xs, contacts = queues(10)                   # D(X) = 11 × 120 / 2 = 660 > 600
    assert router.select_contact(p, unb.view(contacts=contacts, busy=busy)) is xs[0]
    xs, contacts = queues(9)                    # 600 = 600: the older head (X at 0)
    assert router.select_contact(p, unb.view(contacts=contacts, busy=busy)) is xs[0]


# --- random ----------------------------------------------------------------------------------

def test_random_draws_uniformly_among_idle_skilled_agents(four):
    router = four.router("random", rng=np.random.default_rng(7))
    agents = [FakeAgent(1, "G1", 0.0), FakeAgent(2, "G2", 0.0), FakeAgent(3, "G3", 0.0),
              FakeAgent(4, "G3", 1.0)]
    view = four.view(agents)
    counts, contact = {}, four.contact("B", 99.0)
    for _ in range(4000):
        agent = router.select_agent(contact, view)   # G1 and G3 serve B
        counts[agent.id] = counts.get(agent.id, 0) + 1
    assert set(counts) == {1, 3, 4}
    assert all(abs(n - 4000 / 3) < 150 for n in counts.values())


def test_random_agent_takes_a_queue_head(four):
    router = four.router("random", rng=np.random.default_rng(7))
    contacts = [four.contact("A", 1.0), four.contact("A", 2.0), four.contact("B", 3.0),
                four.contact("C", 4.0)]
    view = four.view(contacts=contacts)
    chosen = {router.select_contact(FakeAgent(1, "G1", 0.0), view).id for _ in range(200)}
    assert chosen == {contacts[0].id, contacts[2].id}


def test_random_makes_no_draw_without_a_choice(four):
    rng = np.random.default_rng(7)
    router = four.router("random", rng=rng)
    state = rng.bit_generator.state
    only = FakeAgent(1, "G1", 0.0)
    assert router.select_agent(four.contact("B", 99.0), four.view([only])) is only
    assert router.select_agent(four.contact("C", 99.0), four.view([only])) is None
    assert router.select_contact(only, four.view()) is None
    assert rng.bit_generator.state == state


def test_random_needs_the_routing_stream(four):
    with pytest.raises(ValueError, match="rng"):
        four.router("random")


# --- simulations -----------------------------------------------------------------------------

MMC = """\
horizon: 3h
interval: 1h
end: drain
contact_types:
  calls:
    arrivals: {per_interval: [60, 110, 80]}
    talk: {dist: exponential, mean: 3min}
    patience: {dist: exponential, mean: 2min}
    queue_capacity: 8
agent_groups:
  agents: {headcount: [3, 5, 6], skills: [calls]}
"""
# The headcount never falls: when it does, busy agents are told to leave after their contact,
# and which agents those are (so which remaining handle times) depends on who took which call.


@pytest.mark.parametrize("name", sorted(set(ccsim.ROUTERS) - {"longest_idle"}) + [USER_POLICY])
def test_without_a_choice_every_policy_gives_identical_results(name):
    # one type, one group: whom to serve and who serves are the same for every policy
    scenario = ccsim.scenario_from_text(MMC, base_dir=HERE)  # user policy files: tests/
    reference = ccsim.simulate(scenario, replications=3, seed=9, policy="longest_idle")
    results = ccsim.simulate(scenario, replications=3, seed=9, policy=name)
    assert results.policy == name
    for ours, theirs in zip(results.sums, reference.sums, strict=True):
        assert ours.keys() == theirs.keys()
        for key in ours:
            assert np.array_equal(ours[key], theirs[key]), f"{name}: {key} differs"


OVERFLOW = """\
horizon: 4h
interval: 1h
end: drain
contact_types:
  sales:
    arrivals: {per_interval: [40, 70, 55, 30]}
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 5min}
  service:
    arrivals: 25/h
    talk: {dist: exponential, mean: 5min}
agent_groups:
  sales_team: {headcount: 3, skills: [sales]}
  service_team: {headcount: 3, skills: [service, sales]}
routing: {policy: time_overflow, params: {delays: {service_team: {sales: 30s}}}}
"""


class OverflowChecker(Observer):
    """Fails when the overflow group answers a contact that has not waited its delay."""

    def __init__(self, delay):
        self.delay, self.overflow_waits = delay, []

    def answer(self, contact, agent, now, duration):
        if agent.group == "service_team" and contact.type == "sales":
            wait = now - contact.arrival
            assert wait >= self.delay - 1e-9, f"{contact!r} overflowed after only {wait:.6g}s"
            self.overflow_waits.append(wait)


@pytest.mark.parametrize("replication", range(3))
def test_time_overflow_never_overflows_before_the_delay(replication):
    scenario = ccsim.scenario_from_text(OVERFLOW)
    graph = SkillGraph(scenario)
    streams = Streams(2, replication)
    router = get_router(scenario.routing.policy)(graph, scenario.routing.params,
                                                 rng=streams("routing"))
    checker = OverflowChecker(30.0)
    observers = Observers([Statistics(scenario), InvariantChecker(graph, scenario.end), checker])
    simulate_replication(scenario, graph, router, observers, streams)
    waits = checker.overflow_waits
    assert len(waits) > 10, "the scenario should overflow often enough to test anything"
    # an idle backup agent picks the contact up the moment its delay runs out (the recheck)
    assert sum(1 for w in waits if abs(w - 30.0) < 1e-6) > 0
    assert max(waits) > 30.0 + 1e-6   # and a backup agent freed later takes older ones
