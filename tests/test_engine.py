"""Engine details that theory tests would only catch by luck."""

from __future__ import annotations

import math

import simpy
from hypothesis import given
from hypothesis import strategies as st

import ccsim
from ccsim.engine.center import Center, _delay_until
from ccsim.measure.observers import Observer
from ccsim.routing import get_router
from ccsim.skills import SkillGraph
from ccsim.streams import Streams

# patience deadlines far later than "now": the case where now + (deadline - now) can round
# below the deadline (found with replications 156 and 229 of this center, seed 7)
EARLY_DEADLINES = """
horizon: 10h
interval: 1h
contact_types:
  calls:
    arrivals: 6/h
    talk: {dist: exponential, mean: 1min}
    patience: {dist: uniform, min: 0s, max: 10h}
agent_groups:
  agents:
    headcount: [0, 0, 0, 0, 0, 0, 0, 0, 0, 5]
    skills: [calls]
"""


class PatienceAudit(Observer):
    """Fails if a contact is answered after, or abandons other than at, arrival + patience."""

    def answer(self, contact, agent, now, duration):
        assert now <= contact.arrival + contact.patience, f"{contact} answered too late"

    def abandon(self, contact, now):
        deadline = contact.arrival + contact.patience
        assert math.isclose(now, deadline, rel_tol=1e-12), f"{contact} left at {now}"


def test_patience_is_honoured_even_when_deadlines_are_far_ahead():
    scenario = ccsim.scenario_from_text(EARLY_DEADLINES)
    graph = SkillGraph(scenario)
    for replication in (156, 229, 0, 1):
        env = simpy.Environment()
        router = get_router("longest_idle")(graph, {})
        Center(env, scenario, graph, router, PatienceAudit(), Streams(7, replication)).run()


@given(now=st.floats(0, 1e7), ahead=st.floats(0, 1e7))
def test_delay_until_never_lands_early(now, ahead):
    when = now + ahead
    assert now + _delay_until(now, when) >= when
