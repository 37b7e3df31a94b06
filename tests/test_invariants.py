"""Invariants every run must satisfy, on every shipped scenario and every routing policy:
conservation of contacts, Little's law, busy time equal to handle time, capacity respected."""

from __future__ import annotations

import math
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import simpy

import ccsim
from ccsim.engine.center import Center
from ccsim.engine.entities import IDLE
from ccsim.measure.observers import Observer
from ccsim.study.experiment import run_replication
from ccsim.routing import get_router
from ccsim.skills import SkillGraph
from ccsim.streams import Streams

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


def _capacity(scenario):
    return np.array([g.concurrency for g in scenario.agent_groups], dtype=float)


def _with_policy(scenario, policy):
    return attrs.evolve(scenario, routing=attrs.evolve(scenario.routing, policy=policy, params={}))


def check_conservation(sums: dict) -> None:
    offered = sums["type.offered"]
    outcomes = (sums["type.answered"] + sums["type.abandoned"] + sums["type.blocked"]
                + sums["type.waiting_at_end"] + sums["type.callback_not_reached"])
    np.testing.assert_array_equal(offered, outcomes)  # per interval and contact type
    np.testing.assert_array_equal(sums["type.answered"],
                                  sums["type.handled"] + sums["type.in_service_at_end"])
    assert (sums["type.answered_within"] <= sums["type.answered"]).all()
    assert (sums["type.short_abandoned"] + sums["type.abandoned_within"]
            <= sums["type.abandoned"]).all()
    # every arrival is a first contact or a follow-up of a known kind
    np.testing.assert_array_equal(offered, sums["type.unique"] + sums["type.redial_arrivals"]
                                  + sums["type.repeat_arrivals"] + sums["type.transfer_arrivals"]
                                  + sums["type.callback_retries"])
    # the IVR: every call that entered was blocked, contained, hung up or routed
    ivr = [sums[f"ivr.{k}"].sum() for k in ("entered", "blocked", "contained", "hangup", "routed")]
    assert ivr[0] == sum(ivr[1:]) or ivr[0] - sum(ivr[1:]) >= 0


def check_little(sums: dict) -> None:
    """Time-average queue length, integrated level by level, equals the total of the waits
    (Little's law in its sample-path form, L·T = Σ W, exact over a run that empties)."""
    area = sums["type.queue_area"].sum(axis=0)
    waits = (sums["type.wait_answered"] + sums["type.wait_abandoned"]
             + sums["type.wait_at_end"] + sums["type.wait_not_reached"]
             - sums["type.age_at_start"]).sum(axis=0)  # the backlog waited before the start
    np.testing.assert_allclose(area, waits, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(sums["total.queue_area"].sum(), waits.sum(), rtol=1e-9, atol=1e-6)


def check_busy_time(sums: dict, drained: bool, capacity=1) -> None:
    """Agents are busy exactly as long as the handle times they worked."""
    handle = sums["type.talk"].sum() + sums["type.hold"].sum() + sums["type.acw"].sum()
    busy = sums["group.busy_area"].sum()
    if drained:
        np.testing.assert_allclose(busy, handle, rtol=1e-9)
    else:
        assert busy >= handle - 1e-6
    assert (sums["group.busy_area"][:-1] <= sums["group.staffed_area"][:-1] * capacity + 1e-6).all()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("policy", sorted(ccsim.ROUTERS))
def test_shipped_scenarios_keep_the_invariants(path, policy):
    scenario = _with_policy(ccsim.load_scenario(path), policy)
    kpis, sums = run_replication(scenario, seed=3, replication=0)
    check_conservation(sums)
    check_little(sums)
    check_busy_time(sums, drained=scenario.end == "drain", capacity=_capacity(scenario))
    overall = kpis["overall"]
    assert 0 <= overall["service_level"] <= 1
    assert 0 <= overall["group_occupancy"] <= 1


def test_littles_law_in_the_reported_kpis():
    """L = λ·W with the reported figures: mean queue = (offered / time) × mean wait."""
    scenario = ccsim.load_scenario(SCENARIOS[[p.stem for p in SCENARIOS].index("erlang_a")])
    results = ccsim.simulate(scenario, replications=3, seed=5)
    for tree, sums in zip(results.replications, results.sums):
        first = round(scenario.warmup / scenario.interval)
        rows = slice(first, scenario.n_intervals)
        waits = (sums["type.wait_answered"][rows].sum() + sums["type.wait_abandoned"][rows].sum())
        duration = scenario.horizon - scenario.warmup
        # contacts of the window wait partly after it, others from before it wait inside it:
        # the two edge effects are small against a day of waiting
        assert tree["overall"]["mean_queue"] == pytest.approx(waits / duration, rel=0.02)


@st.composite
def small_centers(draw):
    """Random small centers: 1-3 contact types, 1-3 groups, random skills and staffing."""
    n_types = draw(st.integers(1, 3))
    n_groups = draw(st.integers(1, 3))
    intervals = draw(st.integers(1, 8))
    # short intervals make the headcount change while agents still hold contacts
    minutes = draw(st.sampled_from([10, 20, 60]))
    types = [f"t{i}" for i in range(n_types)]
    horizon = intervals * minutes
    lines = [f"horizon: {horizon}min", f"interval: {minutes}min",
             f"end: {draw(st.sampled_from(['drain', 'stop']))}"]
    if draw(st.booleans()):
        lines.append(f"trunks: {draw(st.integers(1, 8))}")
    lines.append("contact_types:")
    # chats twice as likely: chat-only groups hold several contacts at once
    channels = {name: draw(st.sampled_from(["phone", "chat", "chat"])) for name in types}
    for name in types:
        lines += [f"  {name}:", f"    channel: {channels[name]}",
                  f"    arrivals: {draw(st.integers(5, 120))}/h",
                  f"    talk: {{dist: exponential, mean: {draw(st.integers(1, 20))}min}}",
                  f"    priority: {draw(st.integers(0, 2))}"]
        if draw(st.booleans()):
            lines.append(f"    acw: {{dist: uniform, min: 0s, max: {draw(st.integers(1, 90))}s}}")
        if draw(st.booleans()):
            lines.append(f"    patience: {{dist: exponential, mean: {draw(st.integers(1, 10))}min}}")
        if draw(st.booleans()):
            lines.append(f"    queue_capacity: {draw(st.integers(0, 5))}")
        if draw(st.booleans()):
            lines.append(f"    redial: {{probability: {draw(st.sampled_from([0.3, 1.0]))}, "
                         f"delay: {{dist: exponential, mean: 5min}}, max_attempts: 3, "
                         f"to: {draw(st.sampled_from(types))}}}")
        if channels[name] == "phone" and draw(st.booleans()):
            lines.append("    callback: {offer_after: 30s, accept: 0.5, reach: 0.7, retries: 1, "
                         "retry_delay: {dist: exponential, mean: 5min}}")
        if draw(st.booleans()):
            lines.append(f"    resolution: {{fcr: 0.7, repeat_delay: {{dist: exponential, "
                         f"mean: 20min}}, repeat_to: {draw(st.sampled_from(types))}}}")
        if draw(st.booleans()):
            lines.append(f"    transfer: {{probability: 0.2, to: {draw(st.sampled_from(types))}}}")
    lines.append("agent_groups:")
    skilled = set()
    for g in range(n_groups):
        skills = draw(st.lists(st.sampled_from(types), min_size=1, max_size=n_types, unique=True))
        if g == n_groups - 1:  # every type must be served by someone
            skills = sorted(set(skills) | (set(types) - skilled))
        skilled |= set(skills)
        lines.append(f"  g{g}:")
        if draw(st.booleans()):  # staffed by a headcount plan that falls and rises
            headcount = draw(st.lists(st.integers(0, 6), min_size=intervals,
                                      max_size=intervals))
            if max(headcount) == 0:  # a group never staffed would leave its types unserved
                headcount[0] = 1
            lines.append(f"    headcount: {headcount}")
        else:  # staffed by shifts, with a break, inside or across the horizon
            lines += [f"    finish_contact: {draw(st.sampled_from(['true', 'false']))}",
                      "    shifts:"]
            for s in range(draw(st.integers(1, 2))):
                length = draw(st.integers(30, 180))
                lines += [f"      s{s}:", f'        start: "00:{draw(st.integers(0, min(40, horizon - 1))):02d}"',
                          f"        length: {length}min", f"        count: {draw(st.integers(1, 4))}"]
                if length >= 40:
                    at = draw(st.integers(5, length - 20))
                    lines.append(f"        activities: [{{name: break, at: {at}min, "
                                 f"length: {draw(st.integers(1, length - at - 5))}min}}]")
        if all(channels[t] == "chat" for t in skills):  # chat-only: several chats at once
            concurrency = draw(st.integers(1, 3))
            lines.append(f"    concurrency: {concurrency}")
            if draw(st.booleans()):
                lines.append(f"    stretch: {[1.0 + 0.1 * i for i in range(concurrency)]}")
        lines.append("    skills:")
        for rank, name in enumerate(skills, start=1):
            lines.append(f"      {name}: {{rank: {draw(st.integers(1, 2))}, "
                         f"proficiency: {draw(st.sampled_from([0.8, 1.0, 1.3]))}}}")
    lines.append(f"routing: {draw(st.sampled_from(sorted(ccsim.ROUTERS)))}")
    return ccsim.scenario_from_text("\n".join(lines) + "\n")


class CapacityAudit(Observer):
    """No agent ever holds more contacts than its capacity, and only skilled agents answer."""

    def __init__(self, scenario):
        self.capacity = {g.name: g.concurrency for g in scenario.agent_groups}
        self.skills = {g.name: {s.contact_type for s in g.skills} for g in scenario.agent_groups}
        self.held = {}

    def answer(self, contact, agent, now, duration):
        assert contact.type in self.skills[agent.group]
        self.held[agent.id] = self.held.get(agent.id, 0) + 1
        assert self.held[agent.id] <= self.capacity[agent.group], f"{agent} over capacity"

    def complete(self, contact, agent, factor, now):
        self.held[agent.id] -= 1


def _listed(g) -> list:
    """The agents a group's idle list really offers: entries still valid."""
    return [agent for epoch, agent in g.idle if agent.idle_epoch == epoch and agent.state == IDLE]


def check_idle_bookkeeping(center) -> None:
    """Between events: each group's idle count is the number of agents really available
    (logged in, not leaving, a free slot), each of them listed once, nothing else listed, and
    the idle list holds no stale entries (its length is bounded by the agents)."""
    for g in center.groups:
        listed = _listed(g)
        available = [a for a in g.agents if not a.leaving and a.held < a.capacity]
        assert g.n_idle == len(listed), f"{g.name}: idle count {g.n_idle}, listed {len(listed)}"
        assert len({a.id for a in listed}) == len(listed), f"{g.name}: an agent listed twice"
        assert {a.id for a in listed} == {a.id for a in available}, g.name
        assert all(a.state == IDLE and a.held < a.capacity for a in listed)
        assert len(g.idle) == len(listed), f"{g.name}: {len(g.idle) - len(listed)} stale entries"


class CountAudit:
    """A router in front of the scenario's own: at every decision, the idle counts the router
    reads equal the agents it can be given (the agent asking for work is not counted)."""

    def __init__(self, inner):
        self.inner, self.name, self.center = inner, inner.name, None

    def _check(self, asking=None) -> None:
        for g in self.center.groups:
            listed = _listed(g)
            assert g.n_idle == len(listed) - (asking in listed) >= 0, g.name

    def select_agent(self, contact, view):
        self._check()
        return self.inner.select_agent(contact, view)

    def select_contact(self, agent, view):
        self._check(agent)
        return self.inner.select_contact(agent, view)


def run_checked(scenario, seed: int, observer) -> Center:
    """Run one replication event by event, checking the idle bookkeeping after each."""
    graph = SkillGraph(scenario)
    router = CountAudit(get_router(scenario.routing.policy)(
        graph, scenario.routing.params, rng=Streams(seed, 0)("routing")))
    env = simpy.Environment()
    center = router.center = Center(env, scenario, graph, router, observer, Streams(seed, 0))
    center.start()
    until = scenario.horizon if scenario.end == "stop" else math.inf
    while env.peek() < until:
        env.step()
        check_idle_bookkeeping(center)
    return center


CHAT_FALLING_HEADCOUNT = Path(__file__).parent / "chat_falling_headcount.yaml"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=small_centers(), seed=st.integers(0, 2**31))
@example(scenario=ccsim.load_scenario(CHAT_FALLING_HEADCOUNT), seed=1)
def test_invariants_hold_on_random_centers(scenario, seed):
    run_checked(scenario, seed, CapacityAudit(scenario))
    kpis, sums = run_replication(scenario, seed=seed, replication=0)
    check_conservation(sums)
    check_little(sums)
    check_busy_time(sums, drained=scenario.end == "drain", capacity=_capacity(scenario))
    check_overtime(scenario, sums)
    again, _ = run_replication(scenario, seed=seed, replication=0)
    assert again == kpis or _nan_equal(again, kpis)  # same seed, same results


def check_overtime(scenario, sums: dict) -> None:
    """Overtime is logged-in time, and for a headcount group (no absence) the plan is always met
    and only agents kept on by a contact are above it: there, interval by interval, overtime
    is exactly staffed - planned time."""
    n = scenario.n_intervals
    overtime, staffed = sums["group.overtime_area"], sums["group.staffed_area"]
    assert (overtime >= 0).all() and (overtime <= staffed + 1e-6).all()
    for g, group in enumerate(scenario.agent_groups):
        if not group.shifts:
            np.testing.assert_allclose(overtime[:n, g],
                                       staffed[:n, g] - sums["group.planned_area"][:n, g],
                                       rtol=1e-9, atol=1e-6)


def _nan_equal(a, b) -> bool:
    import json
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
