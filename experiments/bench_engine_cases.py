"""The engine part of the benchmark (``bench_erlang_a.py --engine``): ccsim against the
hand-written simpy loop (``reference_simpy_loop.py``) on the Erlang-A model at several c, and
the contacts per CPU second of the omnichannel week and the generated many-skill center.

Everything runs in this one process, interleaved round by round (ccsim, reference, ccsim, ...),
timed with ``time.process_time`` (CPU time: the machine may be shared); the best of the rounds
is kept. Peak memory is the process's ``ru_maxrss`` after each case (a high-water mark, so only
its growth means anything). ccsim's time covers one replication (simulation and its KPIs) run
in-process, without the executor.
"""

from __future__ import annotations

import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _ccsim(scenario) -> tuple[float, float]:
    from ccsim.study.replicate import run_replication
    start = time.process_time()
    kpis, _ = run_replication(scenario, 1, 0)
    return kpis["overall"]["attempts"], time.process_time() - start


def _reference(c: int, rate: float, aht: float, patience: float, horizon: float):
    from reference_simpy_loop import simulate_erlang_a
    start = time.process_time()
    counts = simulate_erlang_a(c, rate, aht, patience, horizon, seed=1)
    return counts["offered"], time.process_time() - start


def engine_benchmark(agents=(10, 500, 2000), contacts=200_000, rounds=3, load=0.95) -> None:
    import ccsim
    from bench_erlang_a import AHT, PATIENCE, arrival_rate, horizon_for, scenario_yaml
    from many_skill_center import many_skill_scenario
    print(f"Erlang A against the hand-written simpy loop, {contacts:,d} contacts, load "
          f"{load:g} x c, best of {rounds} interleaved rounds (CPU time, one process)")
    costs = {}
    for c in agents:
        rate = arrival_rate(c, load)
        horizon = horizon_for(contacts, rate)
        scenario = ccsim.scenario_from_text(scenario_yaml(c, rate, horizon))
        best_sim = best_ref = None
        for _ in range(rounds):
            n_sim, t_sim = _ccsim(scenario)
            n_ref, t_ref = _reference(c, rate, AHT, PATIENCE, horizon)
            best_sim = min(best_sim or t_sim, t_sim)
            best_ref = min(best_ref or t_ref, t_ref)
        costs[c] = best_sim / n_sim
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  c = {c:>5}: ccsim {n_sim / best_sim:>9,.0f} contacts/s, reference "
              f"{n_ref / best_ref:>9,.0f} contacts/s, ratio {(n_sim / best_sim) / (n_ref / best_ref):.2f}x"
              f"  (peak {peak:.0f} MiB)")
    if len(agents) > 1:
        print(f"  cost per contact c = {agents[0]} -> {agents[-1]}: "
              f"{costs[agents[-1]] / costs[agents[0]]:.2f}x")
    rich = {"omnichannel week": lambda: ccsim.load_scenario(
                os.path.join(HERE, "..", "scenarios", "omnichannel_bank.yaml")),
            "many-skill center (55 types x 30 groups)": many_skill_scenario}
    for name, make in rich.items():
        scenario = make()
        best = None
        for _ in range(rounds):
            n, t = _ccsim(scenario)
            best = min(best or t, t)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {name}: {n:,.0f} contacts in {best:.3f} s CPU, {n / best:,.0f} contacts/s "
              f"(peak {peak:.0f} MiB)")


if __name__ == "__main__":
    engine_benchmark()
