"""The simulator against queueing theory: Erlang C, Erlang A, Erlang B.

Each case runs independent replications with a warm-up; the 99.9 % Student-t interval of the
replication means must cover the analytic value, and must be narrow enough to mean something.
"""

from __future__ import annotations

import pytest

from ccsim import simulate, theory
from helpers import assert_agrees, single_queue

AHT = 3.0  # minutes

ERLANG_C_CASES = [  # (agents, occupancy ρ)
    (1, 0.5), (2, 0.8), (10, 0.9), (50, 0.9), (100, 0.95), (500, 0.98),
]


@pytest.mark.parametrize("agents,rho", ERLANG_C_CASES)
def test_erlang_c(agents, rho):
    load = rho * agents
    rate = load / AHT
    # about 25,000 contacts per replication after warm-up, whatever the size
    window = max(25_000 / rate, 400 * AHT)
    scenario = single_queue(agents, rate, AHT, window_min=round(window / (100 * AHT)) * 100 * AHT)
    results = simulate(scenario, replications=10, seed=agents)
    aht = AHT * 60
    assert_agrees(results.values("overall.p_wait"), theory.erlang_c(agents, load),
                  f"P(wait) c={agents} ρ={rho}", max_half_width=0.08)
    assert_agrees(results.values("overall.service_level"),
                  theory.erlang_c_service_level(agents, load, aht, 20.0),
                  f"SL(20s) c={agents} ρ={rho}", max_half_width=0.08)
    asa = theory.erlang_c_asa(agents, load, aht)
    assert_agrees(results.values("overall.asa"), asa, f"ASA c={agents} ρ={rho}",
                  max_half_width=max(0.4 * asa, 2.0))
    assert_agrees(results.values("overall.group_occupancy"), rho, f"occupancy c={agents}",
                  max_half_width=0.02)


ERLANG_A_CASES = [  # (agents, offered load / agents, mean patience in AHTs)
    (1, 1.2, 2.0), (10, 1.0, 1.0), (50, 1.2, 2.0), (100, 0.9, 0.5), (500, 1.2, 2.0),
]


@pytest.mark.parametrize("agents,factor,patience", ERLANG_A_CASES)
def test_erlang_a(agents, factor, patience):
    rate = factor * agents / AHT
    window = max(25_000 / rate, 400 * AHT)
    scenario = single_queue(agents, rate, AHT, patience_min=patience * AHT,
                            window_min=round(window / (100 * AHT)) * 100 * AHT)
    results = simulate(scenario, replications=10, seed=1000 + agents)
    model = theory.erlang_a(agents, rate / 60, AHT * 60, patience * AHT * 60)
    label = f"c={agents} load={factor}c patience={patience}AHT"
    assert_agrees(results.values("overall.abandon_rate"), model.p_abandon,
                  f"P(abandon) {label}", max_half_width=0.03)
    assert_agrees(results.values("overall.p_wait"), model.p_wait, f"P(wait) {label}",
                  max_half_width=0.08)
    assert_agrees(results.values("overall.asa"), model.asa, f"ASA {label}",
                  max_half_width=max(0.4 * model.asa, 2.0))
    assert_agrees(results.values("overall.service_level"), model.service_level(20.0),
                  f"SL(20s) {label}", max_half_width=0.08)


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
    rate = load / AHT
    window = max(25_000 / rate, 400 * AHT)
    scenario = single_queue(agents, rate, AHT, capacity=0, talk=talk,
                            window_min=round(window / (100 * AHT)) * 100 * AHT)
    results = simulate(scenario, replications=10, seed=2000 + agents)
    assert_agrees(results.values("overall.block_rate"), theory.erlang_b(agents, load),
                  f"blocking c={agents} a={load} talk={talk}", max_half_width=0.02)
    assert results.values("overall.p_wait").max() == 0.0  # nobody ever waits
