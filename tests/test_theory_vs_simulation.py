"""The simulator against queueing theory: Erlang C, Erlang A, Erlang B.

Each case runs independent replications with a warm-up; the 99.9 % Student-t interval of the
replication means must cover the analytic value, and must be narrow enough to mean something.
"""

from __future__ import annotations

import math

import pytest

import ccsim
from ccsim import simulate, theory
from helpers import assert_agrees, single_queue

AHT = 3.0  # minutes
CONTACTS = 25_000  # per replication, after the warm-up


def scenario(agents, rate, *, warmup_ahts, window_ahts=0, **options):
    """A single queue observed after ``warmup_ahts`` handle times (long enough for the queue to
    forget that it started empty: small busy centers relax slowly, large ones fast) for about
    CONTACTS arrivals, or ``window_ahts`` handle times if longer (near saturation the noise
    depends on the time observed, not on the number of contacts)."""
    window = max(CONTACTS / rate, window_ahts * AHT)
    warmup = max(warmup_ahts * AHT, window / 20)  # at most ~20 intervals of the warm-up length
    window = math.ceil(window / warmup) * warmup
    return single_queue(agents, rate, AHT, warmup_min=warmup, window_min=window, **options)

ERLANG_C_CASES = [  # (agents, occupancy ρ, warm-up and minimal window in handle times)
    (1, 0.5, 60, 0), (2, 0.8, 100, 0), (10, 0.9, 60, 0), (50, 0.9, 30, 0), (100, 0.95, 30, 500),
    (500, 0.98, 20, 300),
]


@pytest.mark.parametrize("agents,rho,warmup,window", ERLANG_C_CASES)
def test_erlang_c(agents, rho, warmup, window):
    load = rho * agents
    results = simulate(scenario(agents, load / AHT, warmup_ahts=warmup, window_ahts=window),
                       replications=10, seed=agents)
    aht = AHT * 60
    assert_agrees(results.values("overall.p_wait"), theory.erlang_c(agents, load),
                  f"P(wait) c={agents} ρ={rho}", max_half_width=0.1)
    assert_agrees(results.values("overall.service_level"),
                  theory.erlang_c_service_level(agents, load, aht, 20.0),
                  f"SL(20s) c={agents} ρ={rho}", max_half_width=0.1)
    asa = theory.erlang_c_asa(agents, load, aht)
    assert_agrees(results.values("overall.asa"), asa, f"ASA c={agents} ρ={rho}",
                  max_half_width=max(0.6 * asa, 2.0))
    assert_agrees(results.values("overall.group_occupancy"), rho, f"occupancy c={agents}",
                  max_half_width=0.02)


ERLANG_A_CASES = [  # (agents, offered load / agents, mean patience in AHTs)
    (1, 1.2, 2.0), (10, 1.0, 1.0), (50, 1.2, 2.0), (100, 0.9, 0.5), (500, 1.2, 2.0),
]


@pytest.mark.parametrize("agents,factor,patience", ERLANG_A_CASES)
def test_erlang_a(agents, factor, patience):
    rate = factor * agents / AHT
    results = simulate(scenario(agents, rate, warmup_ahts=30, patience_min=patience * AHT),
                       replications=10, seed=1000 + agents)
    model = theory.erlang_a(agents, rate / 60, AHT * 60, patience * AHT * 60)
    label = f"c={agents} load={factor}c patience={patience}AHT"
    assert_agrees(results.values("overall.abandon_rate"), model.p_abandon,
                  f"P(abandon) {label}", max_half_width=0.03)
    assert_agrees(results.values("overall.p_wait"), model.p_wait, f"P(wait) {label}",
                  max_half_width=0.1)
    assert_agrees(results.values("overall.asa"), model.asa, f"ASA {label}",
                  max_half_width=max(0.6 * model.asa, 2.0))
    assert_agrees(results.values("overall.service_level"), model.service_level(20.0),
                  f"SL(20s) {label}", max_half_width=0.1)


ERLANG_B_CASES = [  # (agents, offered load, talk distribution)
    (1, 0.5, None),
    (10, 8.0, None),
    (100, 95.0, None),
    # Erlang B is insensitive to the service distribution: only its mean matters
    (10, 8.0, "{dist: lognormal, mean: 3min, cv: 1.5}"),
    (10, 8.0, "{dist: deterministic, value: 3min}"),
]


@pytest.mark.parametrize("agents,load,talk", ERLANG_B_CASES)
def test_erlang_b_no_waiting_room(agents, load, talk):
    results = simulate(scenario(agents, load / AHT, warmup_ahts=10, capacity=0, talk=talk),
                       replications=10, seed=2000 + agents)
    assert_agrees(results.values("overall.block_rate"), theory.erlang_b(agents, load),
                  f"blocking c={agents} a={load} talk={talk}", max_half_width=0.02)
    assert results.values("overall.p_wait").max() == 0.0  # nobody ever waits


@pytest.mark.parametrize("agents,concurrency,rho", [(5, 3, 0.9), (20, 2, 0.95)])
def test_chat_concurrency_is_erlang_c_with_c_times_k_servers(agents, concurrency, rho):
    """Without stretch, an agent holding k chats is k servers: M/M/(c·k)."""
    servers = agents * concurrency
    load = rho * servers
    rate = load / AHT
    window = math.ceil(max(CONTACTS / rate, 300 * AHT) / (30 * AHT)) * 30 * AHT
    text = f"""
horizon: {30 * AHT + window}min
interval: {30 * AHT}min
warmup: {30 * AHT}min
contact_types:
  chats:
    channel: chat
    arrivals: {rate * 60}/h
    talk: {{dist: exponential, mean: {AHT}min}}
agent_groups:
  chat_team:
    headcount: {agents}
    concurrency: {concurrency}
    skills: [chats]
"""
    results = simulate(ccsim.scenario_from_text(text), replications=10, seed=3000 + agents)
    aht = AHT * 60
    label = f"c={agents} k={concurrency} ρ={rho}"
    assert_agrees(results.values("overall.p_wait"), theory.erlang_c(servers, load),
                  f"P(wait) {label}", max_half_width=0.1)
    assert_agrees(results.values("overall.asa"), theory.erlang_c_asa(servers, load, aht),
                  f"ASA {label}", max_half_width=max(0.6 * theory.erlang_c_asa(servers, load, aht), 2))
    assert_agrees(results.values("by_group.chat_team.occupancy"), rho, f"occupancy {label}",
                  max_half_width=0.02)
    assert_agrees(results.values("by_group.chat_team.concurrency"), rho * concurrency,
                  f"chats held per agent {label}", max_half_width=0.06 * concurrency)


@pytest.mark.parametrize("trunks,load", [(10, 8.0), (30, 25.0)])
def test_trunks_without_waiting_are_erlang_b(trunks, load):
    """Enough agents for every line and no queue: a call is blocked exactly when all trunk
    lines are busy, and a line is held for talk + hold (not wrap-up): M/M/N/N on the lines."""
    rate = load / AHT
    window = math.ceil(max(CONTACTS / rate, 300 * AHT) / (10 * AHT)) * 10 * AHT
    text = f"""
horizon: {10 * AHT + window}min
interval: {10 * AHT}min
warmup: {10 * AHT}min
trunks: {trunks}
contact_types:
  calls:
    arrivals: {rate * 60}/h
    talk: {{dist: exponential, mean: {AHT * 0.8}min}}
    hold: {{dist: exponential, mean: {AHT * 0.2}min}}
    acw: {{dist: deterministic, value: 1min}}
agent_groups:
  agents:
    headcount: {trunks * 2}
    skills: [calls]
"""
    results = simulate(ccsim.scenario_from_text(text), replications=10, seed=4000 + trunks)
    assert_agrees(results.values("overall.block_rate"), theory.erlang_b(trunks, load),
                  f"trunk blocking N={trunks} a={load}", max_half_width=0.02)


def test_ivr_containment_removes_its_share():
    """Each caller leaves by self-service with the menu's probability: the contained share is a
    binomial proportion, checked with its exact-enough normal interval."""
    text = """
horizon: 8h
interval: 1h
ivr:
  arrivals: 600/h
  menu:
    welcome: {time: {dist: deterministic, value: 10s}, branches: {options: 1.0}}
    options: {time: {dist: exponential, mean: 30s},
              branches: {self_service: 0.3, calls: 0.65, hangup: 0.05}}
contact_types:
  calls:
    talk: {dist: exponential, mean: 3min}
agent_groups:
  agents:
    headcount: 30
    skills: [calls]
"""
    results = simulate(ccsim.scenario_from_text(text), replications=4, seed=77)
    for data in results.sums:
        entered = data["ivr.entered"].sum()
        contained = data["ivr.contained"].sum()
        half = 3.29 * math.sqrt(0.3 * 0.7 / entered)  # 99.9 % binomial interval
        assert abs(contained / entered - 0.3) <= half
        assert data["ivr.routed"].sum() == data["type.offered"].sum()
        # time in the IVR: 10 s plus an exponential 30 s on average
        mean_time = data["ivr.time"].sum() / entered
        assert abs(mean_time - 40.0) <= 3.29 * 30 / math.sqrt(entered)
