"""Chats paced by the agent's current load (``stretch_model: dynamic``) and least-loaded routing,
checked against the exact Markov chain of c agents × k slots with load-dependent speed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import ccsim
from ccsim.scenario import ScenarioError
from helpers import assert_agrees

STRETCH = (1.0, 1.3, 1.8)


def chat_center(agents: int, rate_per_min: float, work_min: float, *, model="dynamic",
                routing="least_loaded", horizon_min=6000, warmup_min=600, end="stop",
                interval_min=600):
    stretch = ", ".join(map(str, STRETCH))
    return ccsim.scenario_from_text(f"""
horizon: {horizon_min}min
interval: {interval_min}min
warmup: {warmup_min}min
end: {end}
contact_types:
  chats:
    channel: chat
    arrivals: {rate_per_min * 60}/h
    talk: {{dist: exponential, mean: {work_min}min}}
    service_level: {{threshold: 1min}}
agent_groups:
  team:
    headcount: {agents}
    concurrency: {len(STRETCH)}
    stretch: [{stretch}]
    stretch_model: {model}
    skills: [chats]
routing: {{policy: {routing}}}
""")


def least_loaded_chain(agents: int, slots: int, rate: float, mu: float, stretch, max_queue=400):
    """Stationary law of the chain: state (sorted loads of the agents, queue length); a new chat
    goes to an agent holding the fewest, an agent holding j works each chat at rate mu /
    stretch[j-1], the queue (FCFS, no abandonment) forms only when every slot is taken.
    Returns (mean number in system, P(an arrival waits), mean queue length)."""
    loads = sorted({tuple(sorted(v)) for v in itertools.product(range(slots + 1), repeat=agents)})
    states = [(load, 0) for load in loads] + [((slots,) * agents, q)
                                               for q in range(1, max_queue + 1)]
    index = {state: i for i, state in enumerate(states)}
    generator = np.zeros((len(states), len(states)))

    def move(i, state, to, rate_):
        generator[i, index[to]] += rate_
        generator[i, i] -= rate_

    for i, (load, q) in enumerate(states):
        if load[0] < slots:
            move(i, (load, q), (tuple(sorted((load[0] + 1, *load[1:]))), q), rate)
        elif q < max_queue:
            move(i, (load, q), (load, q + 1), rate)
        for a, j in enumerate(load):
            if j == 0:
                continue
            speed = j * mu / stretch[j - 1]
            if q:  # the freed slot takes the head of the queue at once
                move(i, (load, q), (load, q - 1), speed)
            else:
                after = tuple(sorted((*load[:a], j - 1, *load[a + 1:])))
                move(i, (load, q), (after, q), speed)
    # pi Q = 0 with sum(pi) = 1
    system = np.vstack([generator.T, np.ones(len(states))])
    rhs = np.zeros(len(states) + 1)
    rhs[-1] = 1.0
    pi = np.linalg.lstsq(system, rhs, rcond=None)[0]
    assert pi[-1] < 1e-9, "queue truncated too early"
    number = sum(p * (sum(load) + q) for p, (load, q) in zip(pi, states))
    wait = sum(p for p, (load, q) in zip(pi, states) if load[0] == slots)
    queue = sum(p * q for p, (load, q) in zip(pi, states))
    return number, wait, queue


def test_the_chain_reduces_to_erlang_c_without_stretch():
    """Self-check of the solver: all factors 1 is M/M/(c·k)."""
    number, wait, queue = least_loaded_chain(2, 2, 3.0, 1.0, (1.0, 1.0), max_queue=300)
    assert wait == pytest.approx(ccsim.theory.erlang_c(4, 3.0), rel=1e-9)
    assert queue == pytest.approx(ccsim.theory.erlang_c(4, 3.0) * 3.0 / (4 - 3.0), rel=1e-9)
    assert number == pytest.approx(queue + 3.0, rel=1e-9)


@pytest.mark.slow
def test_dynamic_pace_with_least_loaded_routing_matches_the_exact_chain():
    agents, rate, work = 3, 0.8, 5.0  # chats per minute; minutes of work each (alone)
    number, wait, queue = least_loaded_chain(agents, len(STRETCH), rate, 1 / work, STRETCH)
    results = ccsim.simulate(chat_center(agents, rate, work), replications=12, seed=404)
    in_system = results.values("by_group.team.mean_busy") + results.values(
        "by_type.chats.mean_queue")
    assert_agrees(in_system, number, "mean chats in system", max_half_width=0.1 * number)
    assert_agrees(results.values("overall.p_wait"), wait, "P(wait)", max_half_width=0.05)
    assert_agrees(results.values("overall.asa") / 60, queue / rate, "mean wait (min)",
                  max_half_width=0.4 * queue / rate)


def test_busy_time_is_the_realised_handle_time_of_every_chat():
    """Re-timed chats move their busy time between intervals: with every chat drained and
    no warm-up, the busy time summed over intervals is the sum of the realised handle times."""
    scenario = chat_center(3, 0.9, 5.0, horizon_min=600, warmup_min=0, end="drain",
                           interval_min=30)
    results = ccsim.simulate(scenario, replications=2, seed=8)
    for sums in results.sums:
        busy = sums["group.busy_area"].sum()
        handle = sums["group.handle_time"].sum()
        assert busy == pytest.approx(handle, rel=1e-9)
    # and pacing changed the handle times: they are not the fixed model's
    fixed = ccsim.simulate(chat_center(3, 0.9, 5.0, horizon_min=600, warmup_min=0, end="drain",
                                       interval_min=30, model="fixed"), replications=2, seed=8)
    assert not np.array_equal(results.values("by_group.team.aht"),
                              fixed.values("by_group.team.aht"))


def test_least_loaded_sends_a_chat_to_the_agent_holding_fewest():
    from ccsim.routing import get_router
    from ccsim.skills import SkillGraph

    scenario = chat_center(3, 0.8, 5.0)
    router = get_router("least_loaded")(SkillGraph(scenario))

    class Agent:
        def __init__(self, id, held, idle_since):
            self.id, self.held, self.idle_since, self.group = id, held, idle_since, "team"

    class View:
        def __init__(self, agents):
            self.agents = agents

        def idle_agents(self, group):
            return iter(sorted(self.agents, key=lambda a: a.idle_since))

    class Chat:
        type = "chats"

    agents = [Agent(1, 2, 0.0), Agent(2, 1, 5.0), Agent(3, 1, 3.0), Agent(4, 2, 1.0)]
    assert router.select_agent(Chat(), View(agents)).id == 3  # fewest, then available longest
    assert router.select_agent(Chat(), View([])) is None


@pytest.mark.parametrize("text, message", [
    ("stretch_model: gradual", "expected one of fixed, dynamic"),
    ("stretch_model: 3", "one of fixed, dynamic"),
])
def test_a_bad_stretch_model_is_a_located_error(text, message):
    good = """horizon: 1h
contact_types:
  chats: {channel: chat, arrivals: 10/h, talk: {dist: exponential, mean: 5min}}
agent_groups:
  team:
    headcount: 2
    concurrency: 2
    stretch: [1, 1.2]
    skills: [chats]
"""
    with pytest.raises(ScenarioError, match=message) as error:
        ccsim.scenario_from_text(good + f"    {text}\n")
    assert error.value.line == 10
    with pytest.raises(ScenarioError, match="give `stretch`"):
        ccsim.scenario_from_text(good.replace("    stretch: [1, 1.2]\n", "")
                                 + "    stretch_model: dynamic\n")


def test_event_log_rows_of_paced_chats_hold_their_realised_handling(tmp_path):
    """Each handled chat's record: handle time = service end − start, its parts × the realised
    factor add up to it, and the rows sum to the statistics' handle time."""
    from ccsim.engine.center import simulate_replication
    from ccsim.measure.observers import Observers
    from ccsim.measure.interval_sums import Statistics
    from ccsim.measure.records import Records
    from ccsim.routing import get_router
    from ccsim.skills import SkillGraph
    from ccsim.streams import Streams

    scenario = chat_center(3, 0.9, 5.0, horizon_min=300, warmup_min=0, end="drain",
                           interval_min=30)
    graph, streams = SkillGraph(scenario), Streams(5, 0)
    statistics, records = Statistics(scenario), Records(scenario, 0, tmp_path)
    router = get_router("least_loaded")(graph)
    simulate_replication(scenario, graph, router, Observers([statistics, records]), streams)
    rows = [r for r in records.contact_rows() if r["outcome"] == "handled"]
    assert len(rows) > 100
    for row in rows:
        assert row["handle_time"] == pytest.approx(row["service_end"] - row["service_start"])
        assert row["talk"] + row["hold"] + row["acw"] == pytest.approx(row["handle_time"])
    assert sum(r["handle_time"] for r in rows) == pytest.approx(
        statistics.data()["group.handle_time"].sum(), rel=1e-9)
    assert len({round(r["factor"], 6) for r in rows}) > len(STRETCH)  # realised, not the list


class _Ends:
    """Records when each chat ends (a stand-in observer: every other hook is a no-op)."""

    def __init__(self):
        self.ends = {}

    def __getattr__(self, hook):
        return lambda *args: None

    def complete(self, contact, agent, factor, now):
        self.ends[contact.id] = now


@pytest.mark.parametrize("model, expected", [
    # A (10 min of work) alone from 0, B (2 min) joins at 2: both at half speed, B done at 6
    # (2 min of work in 4), A has 10 − 2 − 2 = 6 left, alone again: done at 12
    ("dynamic", {1: 12.0, 2: 6.0}),
    # fixed: A keeps factor 1 (ends at 10), B keeps factor 2 (ends at 2 + 4)
    ("fixed", {1: 10.0, 2: 6.0}),
])
def test_a_chat_speeds_up_and_slows_down_with_the_agents_load(model, expected):
    import simpy

    from ccsim.engine.center import Center
    from ccsim.engine.entities import Contact
    from ccsim.routing import get_router
    from ccsim.skills import SkillGraph
    from ccsim.streams import Streams

    scenario = ccsim.scenario_from_text(f"""
horizon: 2h
interval: 1h
contact_types:
  chats:
    channel: chat
    arrivals: {{per_interval: [0, 1]}}
    talk: {{dist: exponential, mean: 5min}}
agent_groups:
  team: {{headcount: 1, concurrency: 2, stretch: [1, 2], stretch_model: {model},
          skills: [chats]}}
routing: {{policy: least_loaded}}
""")
    env, graph, observer = simpy.Environment(), SkillGraph(scenario), _Ends()
    center = Center(env, scenario, graph, get_router("least_loaded")(graph), observer,
                    Streams(1, 0))
    center.start()
    t = center.type_by_name["chats"]

    def arrive(id, at, work):
        def admit(event):
            contact = Contact(id, t, 0, env.now, (0, id, 1, 0, 0))
            contact.talk, contact.hold, contact.acw = work * 60, 0.0, 0.0
            contact.patience = float("inf")
            center._admit(contact, env.now)
        env.timeout(at * 60).callbacks.append(admit)

    arrive(1, 0.0, 10.0)
    arrive(2, 2.0, 2.0)
    env.run(until=3600)  # the type's own arrivals start in the second hour
    assert {k: v / 60 for k, v in observer.ends.items()} == pytest.approx(expected)
