"""The routers' fast paths (``RouterBase.fast_paths``) decide exactly as their two methods do.

Checked two ways: decision by decision on the fake view of test_routing.py (every contact type
and group, many random states), and in real simulations, where a run with the fast paths must
give the same sums, to the bit, as a run of a subclass (which the engine routes through the
methods, because a subclass may override a decision).
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import ccsim
from ccsim.engine.center import simulate_replication
from ccsim.measure.interval_sums import Statistics
from ccsim.routing import LongestIdle, Priority
from ccsim.skills import SkillGraph
from ccsim.streams import Streams
from test_routing import SCENARIO, FakeAgent, FakeContact, FakeView

POLICIES = {"longest_idle": LongestIdle, "priority": Priority}

# the groups' ranks make priority tiers of one and of several types and groups; the caller
# priority of some contacts differs from its type's, as after an IVR with caller ID
BUSY = SCENARIO.replace("horizon: 1h", "horizon: 8h").replace("10/h", "70/h").replace(
    "exponential, mean: 1min}", "exponential, mean: 1min}, patience: {dist: exponential, "
    "mean: 2min}")


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_fast_paths_decide_as_the_methods_on_random_states(name):
    scenario = ccsim.scenario_from_text(SCENARIO)
    graph = SkillGraph(scenario)
    router = POLICIES[name](graph)
    groups = [g.name for g in scenario.agent_groups]
    types = [t.name for t in scenario.contact_types]
    rng = random.Random(4)
    for trial in range(300):
        agents = [FakeAgent(i, rng.choice(groups), float(rng.randint(0, 5)))
                  for i in range(rng.randint(0, 6))]
        contacts = [FakeContact(100 + i, rng.choice(types), float(rng.randint(0, 5)),
                                priority=rng.choice([0, 1, 5]))
                    for i in range(rng.randint(0, 6))]
        view = FakeView(scenario, agents, contacts)
        agent_for, contact_for = router.fast_paths(view)
        assert set(agent_for) == set(types) and set(contact_for) == set(groups)
        for t in types:
            contact = FakeContact(999, t, 10.0)
            assert agent_for[t](contact, view) is router.select_agent(contact, view)
        for g in groups:
            agent = FakeAgent(999, g, 10.0)
            assert contact_for[g](agent, view) is router.select_contact(agent, view)


def _sums(scenario, router_class, replication):
    graph = SkillGraph(scenario)
    streams = Streams(3, replication)
    statistics = Statistics(scenario)
    simulate_replication(scenario, graph, router_class(graph, {}, rng=streams("routing")),
                         statistics, streams)
    return statistics.data()


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_a_run_with_fast_paths_is_bit_identical_to_one_through_the_methods(name):
    policy = POLICIES[name]
    through_methods = type(f"Plain{policy.__name__}", (policy,), {})
    scenario = ccsim.scenario_from_text(BUSY)
    graph = SkillGraph(scenario)
    assert policy(graph).fast_paths(object()) is not None  # any view: prepared from its queries
    assert through_methods(graph).fast_paths(object()) is None
    for replication in range(2):
        fast, plain = _sums(scenario, policy, replication), _sums(scenario, through_methods,
                                                                   replication)
        assert fast["type.answered"].sum() > 1000 and fast["type.abandoned"].sum() > 50
        for key, value in plain.items():
            if isinstance(value, np.ndarray):
                assert np.array_equal(fast[key], value), key
            else:
                assert fast[key] == value, key
