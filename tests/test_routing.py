"""Routing policies: decisions on a hand-made fake view, and invariants inside real simulations.

The fake view implements exactly the read-only questions listed in ``ccsim/routing/base.py``;
a router that asked anything else would fail with AttributeError.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import attrs
import pytest

import ccsim
from ccsim.measure.observers import Observer, Observers
from ccsim.measure.interval_sums import Statistics
from ccsim.routing.longest_idle import LongestIdle
from ccsim.routing import get_router
from ccsim.routing.priority import Priority
from ccsim.scenario import Routing
from ccsim.skills import SkillGraph
from ccsim.streams import Streams
from ccsim.engine.center import simulate_replication

# A: priority 0, B: priority 5, C: priority 1, D: priority 5
# G1 serves A (rank 1), B (rank 1); G2 serves A (rank 2), C (rank 1);
# G3 serves A (rank 1), B, C and D (rank 2)
SCENARIO = """\
horizon: 1h
interval: 1h
contact_types:
  A: {arrivals: 10/h, talk: {dist: exponential, mean: 1min}, priority: 0}
  B: {arrivals: 10/h, talk: {dist: exponential, mean: 1min}, priority: 5}
  C: {arrivals: 10/h, talk: {dist: exponential, mean: 1min}, priority: 1}
  D: {arrivals: 10/h, talk: {dist: exponential, mean: 1min}, priority: 5}
agent_groups:
  G1:
    headcount: 1
    skills: {A: {rank: 1}, B: {rank: 1}}
  G2:
    headcount: 1
    skills: {A: {rank: 2}, C: {rank: 1}}
  G3:
    headcount: 1
    skills: {A: {rank: 1}, B: {rank: 2}, C: {rank: 2}, D: {rank: 2}}
"""


@dataclass
class FakeAgent:
    id: int
    group: str
    idle_since: float
    busy_time: float = 0.0


@dataclass
class FakeContact:
    id: int
    type: str
    arrival: float
    priority: int = 0
    segment: str = "standard"


class FakeView:
    """Idle agents per group and waiting contacts per type, ordered as the contract says.

    ``busy`` gives busy agents per group (default 0); a group's staffed count is its idle plus
    busy agents. ``recheck_at`` calls are recorded in ``rechecks``."""

    def __init__(self, scenario, agents=(), contacts=(), now=100.0, busy=None):
        self.now = now
        self.rechecks = []
        self._busy = dict(busy or {})
        self._idle = {g.name: [] for g in scenario.agent_groups}
        self._waiting = {t.name: [] for t in scenario.contact_types}
        for agent in agents:
            self._idle[agent.group].append(agent)
        for contact in contacts:
            self._waiting[contact.type].append(contact)
        for agents_ in self._idle.values():
            agents_.sort(key=lambda a: (a.idle_since, a.id))
        for contacts_ in self._waiting.values():
            contacts_.sort(key=lambda c: (c.arrival, c.id))

    def oldest(self, type_name):
        queue = self._waiting[type_name]
        return queue[0] if queue else None

    def waiting(self, type_name):
        return iter(list(self._waiting[type_name]))

    def queue_length(self, type_name):
        return len(self._waiting[type_name])

    def longest_idle(self, group):
        idle = self._idle[group]
        return idle[0] if idle else None

    def idle_agents(self, group):
        return iter(list(self._idle[group]))

    def idle_count(self, group):
        return len(self._idle[group])

    def busy_count(self, group):
        return self._busy.get(group, 0)

    def staffed(self, group):
        return len(self._idle[group]) + self.busy_count(group)

    def recheck_at(self, time):
        self.rechecks.append(time)


@pytest.fixture(scope="module")
def scenario():
    return ccsim.scenario_from_text(SCENARIO)


@pytest.fixture(scope="module")
def graph(scenario):
    return SkillGraph(scenario)


@pytest.fixture
def contact(scenario):
    counter = iter(range(1000, 2000))

    def make(type_name, arrival, id=None):
        return FakeContact(next(counter) if id is None else id, type_name, arrival,
                           priority=scenario.contact_type(type_name).priority)
    return make


def test_registry_holds_the_two_policies():
    assert ccsim.ROUTERS["longest_idle"] is LongestIdle
    assert ccsim.ROUTERS["priority"] is Priority


# --- longest idle --------------------------------------------------------------------------

def test_longest_idle_picks_longest_idle_agent_across_skilled_groups(scenario, graph, contact):
    router = LongestIdle(graph)
    agents = [FakeAgent(5, "G1", 10.0), FakeAgent(3, "G2", 2.0), FakeAgent(7, "G3", 4.0),
              FakeAgent(8, "G1", 20.0)]
    view = FakeView(scenario, agents)
    # ranks are ignored: G2 (rank 2 for A) has the agent idle longest
    assert router.select_agent(contact("A", 99.0), view) is agents[1]
    # B is served by G1 and G3 only
    assert router.select_agent(contact("B", 99.0), view) is agents[2]


def test_longest_idle_ignores_agents_without_the_skill(scenario, graph, contact):
    router = LongestIdle(graph)
    agents = [FakeAgent(1, "G1", 0.0), FakeAgent(2, "G3", 50.0)]
    assert router.select_agent(contact("C", 99.0), FakeView(scenario, agents)) is agents[1]


def test_longest_idle_agent_ties_go_to_the_lower_id(scenario, graph, contact):
    router = LongestIdle(graph)
    agents = [FakeAgent(9, "G1", 2.0), FakeAgent(6, "G2", 2.0), FakeAgent(4, "G3", 2.0)]
    assert router.select_agent(contact("A", 99.0), FakeView(scenario, agents)) is agents[2]
    assert router.select_agent(contact("A", 99.0), FakeView(scenario, agents[:2])) is agents[1]


def test_longest_idle_returns_none_without_a_skilled_idle_agent(scenario, graph, contact):
    router = LongestIdle(graph)
    assert router.select_agent(contact("A", 99.0), FakeView(scenario)) is None
    only_g1 = FakeView(scenario, [FakeAgent(1, "G1", 0.0)])
    assert router.select_agent(contact("C", 99.0), only_g1) is None
    assert router.select_agent(contact("D", 99.0), only_g1) is None


def test_longest_idle_agent_takes_the_oldest_contact_across_its_types(scenario, graph, contact):
    router = LongestIdle(graph)
    contacts = [contact("A", 5.0), contact("B", 3.0), contact("C", 4.0), contact("D", 3.5),
                contact("A", 1.0)]
    view = FakeView(scenario, contacts=contacts)
    # G3 serves all four types; ranks and priorities are ignored
    assert router.select_contact(FakeAgent(1, "G3", 0.0), view) is contacts[4]
    # G2 serves A and C
    assert router.select_contact(FakeAgent(1, "G2", 0.0), view) is contacts[4]
    # without the old A: G3 takes B (3.0), G2 takes C (4.0) over A (5.0)
    view = FakeView(scenario, contacts=contacts[:4])
    assert router.select_contact(FakeAgent(1, "G3", 0.0), view) is contacts[1]
    assert router.select_contact(FakeAgent(1, "G2", 0.0), view) is contacts[2]


def test_longest_idle_contact_ties_go_to_the_lower_id(scenario, graph, contact):
    router = LongestIdle(graph)
    contacts = [contact("B", 3.0, id=20), contact("D", 3.0, id=12), contact("C", 3.0, id=15)]
    view = FakeView(scenario, contacts=contacts)
    assert router.select_contact(FakeAgent(1, "G3", 0.0), view) is contacts[1]


def test_longest_idle_returns_none_without_a_waiting_contact_it_can_serve(scenario, graph,
                                                                          contact):
    router = LongestIdle(graph)
    assert router.select_contact(FakeAgent(1, "G3", 0.0), FakeView(scenario)) is None
    view = FakeView(scenario, contacts=[contact("C", 1.0), contact("D", 2.0)])
    assert router.select_contact(FakeAgent(1, "G1", 0.0), view) is None


# --- priority ------------------------------------------------------------------------------

def test_priority_prefers_the_first_rank_tier(scenario, graph, contact):
    router = Priority(graph)
    agents = [FakeAgent(1, "G2", 0.0), FakeAgent(2, "G3", 5.0), FakeAgent(3, "G1", 8.0)]
    # A: rank 1 = {G1, G3}, rank 2 = {G2}; G2's agent is idle longest but is overflow
    assert router.select_agent(contact("A", 99.0), FakeView(scenario, agents)) is agents[1]


def test_priority_falls_back_to_the_next_tier(scenario, graph, contact):
    router = Priority(graph)
    agents = [FakeAgent(1, "G2", 50.0)]
    assert router.select_agent(contact("A", 99.0), FakeView(scenario, agents)) is agents[0]
    # C: rank 1 = {G2}, rank 2 = {G3}
    agents = [FakeAgent(4, "G3", 0.0), FakeAgent(7, "G1", 0.0)]
    assert router.select_agent(contact("C", 99.0), FakeView(scenario, agents)) is agents[0]


def test_priority_within_a_tier_longest_idle_then_lower_id(scenario, graph, contact):
    router = Priority(graph)
    agents = [FakeAgent(1, "G1", 9.0), FakeAgent(2, "G3", 3.0)]
    assert router.select_agent(contact("A", 99.0), FakeView(scenario, agents)) is agents[1]
    agents = [FakeAgent(8, "G1", 3.0), FakeAgent(2, "G3", 3.0)]
    assert router.select_agent(contact("A", 99.0), FakeView(scenario, agents)) is agents[1]
    agents = [FakeAgent(2, "G1", 3.0), FakeAgent(8, "G3", 3.0)]
    assert router.select_agent(contact("A", 99.0), FakeView(scenario, agents)) is agents[0]


def test_priority_select_agent_none(scenario, graph, contact):
    router = Priority(graph)
    assert router.select_agent(contact("A", 99.0), FakeView(scenario)) is None
    only_g2 = FakeView(scenario, [FakeAgent(1, "G2", 0.0)])
    assert router.select_agent(contact("B", 99.0), only_g2) is None
    assert router.select_agent(contact("D", 99.0), only_g2) is None


def test_priority_agent_takes_its_first_rank_types_first(scenario, graph, contact):
    router = Priority(graph)
    contacts = [contact("A", 90.0), contact("B", 1.0), contact("C", 2.0), contact("D", 3.0)]
    view = FakeView(scenario, contacts=contacts)
    # G3: rank 1 = {A}, rank 2 = {B, C, D}: the young A contact goes first
    assert router.select_contact(FakeAgent(1, "G3", 0.0), view) is contacts[0]
    # G2: rank 1 = {C}, rank 2 = {A}
    assert router.select_contact(FakeAgent(1, "G2", 0.0), view) is contacts[2]


def test_priority_within_a_tier_higher_priority_then_oldest(scenario, graph, contact):
    router = Priority(graph)
    agent = FakeAgent(1, "G3", 0.0)
    # tier {B (5), C (1), D (5)}: C is oldest but has the lowest priority
    contacts = [contact("C", 1.0), contact("B", 20.0), contact("D", 10.0)]
    assert router.select_contact(agent, FakeView(scenario, contacts=contacts)) is contacts[2]
    contacts = [contact("C", 1.0), contact("B", 5.0), contact("D", 10.0)]
    assert router.select_contact(agent, FakeView(scenario, contacts=contacts)) is contacts[1]
    # same priority and arrival: lower id
    contacts = [contact("B", 5.0, id=31), contact("D", 5.0, id=30)]
    assert router.select_contact(agent, FakeView(scenario, contacts=contacts)) is contacts[1]
    # only the low-priority type waits: it is served
    contacts = [contact("C", 7.0)]
    assert router.select_contact(agent, FakeView(scenario, contacts=contacts)) is contacts[0]


def test_priority_within_g1_tier_priority_beats_age(scenario, graph, contact):
    router = Priority(graph)
    # G1: A and B both rank 1; B has priority 5 > A's 0
    contacts = [contact("A", 1.0), contact("B", 50.0)]
    view = FakeView(scenario, contacts=contacts)
    assert router.select_contact(FakeAgent(1, "G1", 0.0), view) is contacts[1]


def test_priority_select_contact_none(scenario, graph, contact):
    router = Priority(graph)
    assert router.select_contact(FakeAgent(1, "G1", 0.0), FakeView(scenario)) is None
    view = FakeView(scenario, contacts=[contact("C", 1.0), contact("D", 1.0)])
    assert router.select_contact(FakeAgent(1, "G1", 0.0), view) is None


@pytest.mark.parametrize("name", sorted(ccsim.ROUTERS))
def test_every_router_rejects_unknown_parameters(name, graph):
    with pytest.raises(ValueError, match="unknown parameter"):
        ccsim.ROUTERS[name](graph, {"no_such_parameter": 1})


# --- every registered router inside a real simulation -------------------------------------------

# The busy two-group center lives in a YAML file routed by a user-supplied policy
# (tests/policies/my_router.py); registered policies run on the same center by swapping the policy.
CENTER_FILE = Path(__file__).resolve().parent / "user_policy_center.yaml"
USER_POLICY = "policies/my_router.py:MyRouter"
POLICIES = sorted(ccsim.ROUTERS) + [USER_POLICY]


def busy_center(policy):
    """The busy center routed by ``policy`` (a registered name or the user's file:Class)."""
    scenario = ccsim.load_scenario(CENTER_FILE)
    assert scenario.routing.policy == USER_POLICY
    if policy != USER_POLICY:
        scenario = attrs.evolve(scenario, routing=Routing(policy=policy))
    return scenario


class InvariantChecker(Observer):
    """Fails on the first answer the routing rules forbid; counts what happened."""

    def __init__(self, graph, end_mode):
        self.graph, self.end_mode = graph, end_mode
        self.arrived, self.answered, self.abandoned, self.blocked = set(), set(), set(), set()
        self.completed = set()
        self.serving = {}  # agent id -> contact id
        self.by_group = {}

    def arrival(self, contact, now):
        assert contact.id not in self.arrived
        self.arrived.add(contact.id)

    def answer(self, contact, agent, now, duration):
        skill = self.graph.skill(contact.type, agent.group)
        assert skill is not None, f"{agent!r} of {agent.group} has no skill for {contact!r}"
        assert contact.id in self.arrived
        assert contact.id not in self.answered, f"{contact!r} answered twice"
        assert contact.id not in self.abandoned | self.blocked
        assert agent.id not in self.serving, f"{agent!r} answered while busy"
        assert contact.arrival <= now <= contact.arrival + contact.patience
        expected = (contact.talk + contact.hold + contact.acw) * skill["proficiency"]
        assert duration == pytest.approx(expected)
        self.answered.add(contact.id)
        self.serving[agent.id] = contact.id
        self.by_group[agent.group] = self.by_group.get(agent.group, 0) + 1

    def abandon(self, contact, now):
        assert contact.id in self.arrived and contact.id not in self.answered
        assert contact.id not in self.abandoned
        assert now == pytest.approx(contact.arrival + contact.patience)
        self.abandoned.add(contact.id)

    def block(self, contact, now):
        assert contact.id not in self.blocked
        self.blocked.add(contact.id)

    def complete(self, contact, agent, factor, now):
        assert self.serving.pop(agent.id) == contact.id
        self.completed.add(contact.id)

    def end(self, now, center):
        if self.end_mode == "drain":
            assert self.arrived == self.answered | self.abandoned | self.blocked
            assert self.completed == self.answered and not self.serving


@pytest.mark.parametrize("name", POLICIES)
def test_router_in_a_real_simulation(name):
    scenario = busy_center(name)
    graph = SkillGraph(scenario)
    # loaded the way run_replication loads it: by name, or from the file next to the scenario
    router_class = get_router(scenario.routing.policy, scenario.base_dir)
    for replication in range(2):
        checker = InvariantChecker(graph, scenario.end)  # ids restart in every replication
        streams = Streams(5, replication)
        router = router_class(graph, scenario.routing.params, rng=streams("routing"))
        simulate_replication(scenario, graph, router,
                             Observers([Statistics(scenario), checker]), streams)
        # busy enough to exercise queueing, abandonment, blocking and both groups
        assert len(checker.answered) > 250
        assert checker.abandoned and checker.blocked
        assert set(checker.by_group) == {"sales_team", "service_team"}
    # same seed → identical results; another seed → different ones
    first = ccsim.simulate(scenario, replications=2, seed=3).to_dict()
    again = ccsim.simulate(scenario, replications=2, seed=3).to_dict()
    other = ccsim.simulate(scenario, replications=2, seed=4).to_dict()
    assert first["policy"] == name
    assert first == again
    assert first["summary"] != other["summary"]
