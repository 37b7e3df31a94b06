"""Benchmark: ccsim against Ciw on the Erlang-A queue (M/M/c+M).

What it measures
----------------
One queue of contacts with Poisson arrivals, exponential handle times (AHT 300 s) and
exponential patience (mean 600 s), served first-come first-served by ``c`` identical agents.
The offered load is ``load_factor * c`` erlangs (default 1.0, i.e. rho = 1: overloaded without
abandonment, stable with it -- the ordinary Erlang-A regime of a busy contact center).

For every c (10, 100, 500, and 2000 with ``--big``) the same model is simulated by ccsim and by
Ciw up to the same horizon, ``ceil(contacts / arrival rate)`` seconds, so each simulates about
``--contacts`` contacts (1,000,000 by default). ccsim gets one interval as long as the horizon,
so there is no per-interval bookkeeping. Each run happens in its own fresh Python process (this
script started again with the hidden ``--worker`` option), one at a time, so that

* CPU time is ``time.process_time()`` of the child around building the model, simulating and
  reading the count of contacts back (interpreter start-up and imports are excluded), and
* peak memory is the child's own ``ru_maxrss`` (whole process: interpreter, imports and
  simulation), not contaminated by the other simulator.

The table gives c, contacts simulated, CPU seconds, contacts per CPU second, peak memory for
both, and the speed ratio ccsim/Ciw (contacts per CPU second, so it stays fair when Ciw simulates
fewer contacts). Ciw keeps a record of every contact in memory, so its memory grows with the
run length; ccsim keeps only running sums and should stay flat.

Ciw is slow when c is large (it looks over its servers at every event), so from c >= 500 it
simulates at most ``--ciw-contacts`` contacts (default 100,000; ``--ciw-full`` removes the cap;
at c = 500 one million contacts would take Ciw about 4-5 CPU minutes and more than a GB).
Rows where this happened are marked with ``*``; the ratio compares per-contact rates.

Further lines:

* the memory-growth check: ccsim's peak memory at c = 100 for ``contacts / 10`` and for
  ``contacts`` contacts (100,000 vs 1,000,000 by default);
* with ``--big``: ccsim's CPU cost per contact at c = 2000 divided by the cost at c = 10;
* simulated P(abandon) and P(wait) (share of contacts that could not be answered at once) of
  both simulators against ``ccsim.theory.erlang_a`` (skipped if that cannot be imported).
  The runs start empty and stop at the horizon, so expect agreement to about the third decimal.

Goals (printed as met / MISSED at the end)
-----------------------------------------
* ccsim >= 8x Ciw in contacts per CPU second at c = 10, and >= 30x at c = 500;
* ccsim's cost per contact grows by at most 1.2x from c = 10 to c = 2000 (``--big``);
* ccsim's peak memory is flat in the number of contacts (at most 10 % more at 10x contacts).

How to run
----------
::

    .venv/bin/python experiments/bench_erlang_a.py                     # full: ~10 min
    .venv/bin/python experiments/bench_erlang_a.py --contacts 200000   # quick check: ~2-3 min
    .venv/bin/python experiments/bench_erlang_a.py --big               # adds c = 2000
    .venv/bin/python experiments/bench_erlang_a.py --agents 10,100 --load-factor 0.9
    .venv/bin/python experiments/bench_erlang_a.py --profile           # cProfile of ccsim, c=100
    .venv/bin/python experiments/bench_erlang_a.py --engine            # vs the simpy reference
                                        # loop, plus the omnichannel week and many-skill center
    .venv/bin/python experiments/bench_erlang_a.py --profile --agents 2000 --contacts 100000

Timings are CPU seconds of a single process; on a shared machine run with ``--repeat 3`` (the
best CPU time of the repeats is kept, and the largest peak memory).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time

AHT = 300.0            # seconds
PATIENCE = 600.0       # mean patience, seconds
CIW_CAP_FROM = 500     # Ciw simulates at most --ciw-contacts from this many agents on

GOAL_RATIO = {10: 8.0, 500: 30.0}
GOAL_COST_GROWTH = 1.2
GOAL_MEMORY_GROWTH = 1.10


# --------------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------------

def arrival_rate(c: int, load_factor: float) -> float:
    """Arrivals per second giving an offered load of ``load_factor * c`` erlangs."""
    return load_factor * c / AHT


def horizon_for(contacts: int, rate: float) -> int:
    """Whole seconds long enough to expect ``contacts`` arrivals."""
    return max(1, math.ceil(contacts / rate))


def scenario_yaml(c: int, rate: float, horizon: int) -> str:
    # service_level threshold 0 s: "answered within the threshold" = answered without waiting,
    # which gives P(wait) = 1 - sl_over_offered.
    return f"""\
name: bench_erlang_a
horizon: {horizon}s
interval: {horizon}s
end: stop
contact_types:
  calls:
    arrivals: {rate * 3600.0!r}/h
    talk: {{dist: exponential, mean: {AHT:g}s}}
    patience: {{dist: exponential, mean: {PATIENCE:g}s}}
    service_level: {{threshold: 0s}}
agent_groups:
  agents:
    headcount: {c}
    skills: [calls]
"""


def run_ccsim(c: int, rate: float, horizon: int, seed: int) -> dict:
    import ccsim
    start = time.process_time()
    scenario = ccsim.scenario_from_text(scenario_yaml(c, rate, horizon))
    results = ccsim.simulate(scenario, replications=1, seed=seed)
    overall = results.summary()["overall"]
    offered = overall["offered"]["mean"]
    cpu = time.process_time() - start
    return {"contacts": int(offered), "cpu": cpu,
            "p_abandon": overall["abandoned"]["mean"] / offered,
            "p_wait": 1.0 - overall["sl_over_offered"]["mean"]}


def run_ciw(c: int, rate: float, horizon: int, seed: int) -> dict:
    import ciw
    start = time.process_time()
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=rate)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / AHT)],
        number_of_servers=[c],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / PATIENCE)],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon)
    records = sim.get_all_records()
    arrived = sim.nodes[0].number_of_individuals  # the arrival node: every contact that came
    cpu = time.process_time() - start
    reneged = sum(1 for r in records if r.record_type == "renege")
    waited = sum(1 for r in records if r.record_type == "renege" or r.waiting_time > 0.0)
    # contacts still queued at the horizon have waited too (the few in service are left out,
    # as ccsim counts only answers within 0 s: both are off by at most c / contacts)
    node = sim.nodes[1]
    waiting_at_end = node.number_of_individuals - sum(1 for s in node.servers if s.busy)
    return {"contacts": int(arrived), "cpu": cpu, "records": len(records),
            "p_abandon": reneged / arrived, "p_wait": (waited + waiting_at_end) / arrived}


# --------------------------------------------------------------------------------------------
# one run per fresh process
# --------------------------------------------------------------------------------------------

def worker(args) -> None:
    run = run_ccsim if args.worker == "ccsim" else run_ciw
    # import before measuring the base, so the base is "interpreter + simulator imported"
    __import__("ccsim" if args.worker == "ccsim" else "ciw")
    base_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rate = arrival_rate(args.c, args.load_factor)
    result = run(args.c, rate, horizon_for(args.n, rate), args.seed)
    result["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    result["base_kib"] = base_kib
    print(json.dumps(result))


def measure(simulator: str, c: int, n: int, args) -> dict:
    """Run ``simulator`` in fresh processes ``--repeat`` times; best CPU, largest memory."""
    best = None
    for _ in range(args.repeat):
        command = [sys.executable, os.path.abspath(__file__), "--worker", simulator,
                   "--c", str(c), "--n", str(n), "--load-factor", repr(args.load_factor),
                   "--seed", str(args.seed)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"{simulator} worker failed at c={c}, n={n}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if best is None:
            best = result
        else:
            peak = max(best["peak_kib"], result["peak_kib"])
            if result["cpu"] < best["cpu"]:
                best = result
            best["peak_kib"] = peak
    print(f"  {simulator:5s} c={c:<5d} {best['contacts']:>9,d} contacts  {best['cpu']:8.2f} s CPU"
          f"  {best['peak_kib'] / 1024:8.1f} MiB", file=sys.stderr, flush=True)
    return best


# --------------------------------------------------------------------------------------------
# the report
# --------------------------------------------------------------------------------------------

def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def profile(args) -> None:
    import cProfile
    import pstats
    c = int(args.agents.split(",")[0]) if args.agents else 100
    n = min(args.contacts, 200_000)
    rate = arrival_rate(c, args.load_factor)
    profiler = cProfile.Profile(time.process_time)  # CPU time: the machine may be shared
    profiler.enable()
    result = run_ccsim(c, rate, horizon_for(n, rate), args.seed)
    profiler.disable()
    print(f"cProfile of one ccsim run, c = {c}, {result['contacts']:,d} contacts "
          f"({result['cpu']:.2f} s CPU under the profiler); top 15 by tottime:")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=1_000_000,
                        help="contacts per simulation (default 1,000,000)")
    parser.add_argument("--ciw-contacts", type=int, default=100_000,
                        help=f"at most this many contacts for Ciw from c >= {CIW_CAP_FROM} "
                             "(default 100,000)")
    parser.add_argument("--ciw-full", action="store_true",
                        help="Ciw simulates --contacts at every c (slow for c >= 500)")
    parser.add_argument("--load-factor", type=float, default=1.0,
                        help="offered load / c (default 1.0)")
    parser.add_argument("--big", action="store_true", help="also c = 2000")
    parser.add_argument("--agents", type=str, default=None,
                        help="comma-separated values of c instead of 10,100,500[,2000]")
    parser.add_argument("--no-ciw", action="store_true", help="ccsim only")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each measurement; the best CPU time is kept")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true",
                        help="only profile one ccsim run at c = 100 (or the first of "
                             "--agents) with min(contacts, 200k) contacts")
    parser.add_argument("--engine", action="store_true",
                        help="only the engine benchmark: ccsim against the hand-written simpy "
                             "loop at c = 10, 500, 2000 in one run, the omnichannel week and "
                             "the many-skill center (experiments/bench_engine_cases.py)")
    parser.add_argument("--worker", choices=("ccsim", "ciw"), help=argparse.SUPPRESS)
    parser.add_argument("--c", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.contacts < 1 or args.ciw_contacts < 1 or args.repeat < 1 or args.load_factor <= 0:
        parser.error("--contacts, --ciw-contacts, --repeat and --load-factor must be > 0")

    if args.worker:
        worker(args)
        return
    if args.profile:
        profile(args)
        return
    if args.engine:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from bench_engine_cases import engine_benchmark
        engine_benchmark(contacts=min(args.contacts, 200_000), rounds=max(args.repeat, 3),
                         load=args.load_factor if args.load_factor != 1.0 else 0.95)
        return

    if args.agents:
        agents = [int(a) for a in args.agents.split(",") if a.strip()]
    else:
        agents = [10, 100, 500] + ([2000] if args.big else [])
    n = args.contacts
    print(f"Erlang A: AHT {AHT:g} s, mean patience {PATIENCE:g} s, offered load "
          f"{args.load_factor:g} x c; {n:,d} contacts per run; Python {sys.version.split()[0]}",
          file=sys.stderr)

    rows = {}
    for c in agents:
        ccsim_result = measure("ccsim", c, n, args)
        ciw_result = None
        ciw_n = n
        if not args.no_ciw:
            if c >= CIW_CAP_FROM and not args.ciw_full:
                ciw_n = min(n, args.ciw_contacts)
            ciw_result = measure("ciw", c, ciw_n, args)
        rows[c] = (ccsim_result, ciw_result, ciw_n < n)

    # memory growth: ccsim at c = 100 for n / 10 and n contacts (reuses the table's run)
    memory_c, small_n = 100, max(1000, n // 10)
    small = measure("ccsim", memory_c, small_n, args)
    large = rows[memory_c][0] if memory_c in rows else measure("ccsim", memory_c, n, args)

    # ---- table
    print()
    print(f"Erlang A (M/M/c+M): AHT {AHT:g} s, mean patience {PATIENCE:g} s, offered load "
          f"{args.load_factor:g} x c erlangs, {n:,d} contacts per run, seed {args.seed}, "
          f"best of {args.repeat}")
    header = (f"{'c':>5} | {'ccsim contacts':>14} {'CPU s':>7} {'contacts/s':>10} {'peak mem':>9}"
              f" | {'Ciw contacts':>13} {'CPU s':>7} {'contacts/s':>10} {'peak mem':>9}"
              f" | {'ccsim/Ciw':>9}")
    print(header)
    print("-" * len(header))
    capped = False
    for c, (a, b, cut) in rows.items():
        line = (f"{c:>5} | {a['contacts']:>14,d} {a['cpu']:>7.2f} {a['contacts'] / a['cpu']:>10,.0f}"
                f" {mib(a['peak_kib']):>9}")
        if b is None:
            line += f" | {'-':>13} {'-':>7} {'-':>10} {'-':>9} | {'-':>9}"
        else:
            mark = "*" if cut else " "
            capped |= cut
            ratio = (a["contacts"] / a["cpu"]) / (b["contacts"] / b["cpu"])
            line += (f" | {b['contacts']:>12,d}{mark} {b['cpu']:>7.2f}"
                     f" {b['contacts'] / b['cpu']:>10,.0f} {mib(b['peak_kib']):>9} | {ratio:>8.1f}x")
        print(line)
    if capped:
        print(f"* Ciw simulated only {args.ciw_contacts:,d} contacts at c >= {CIW_CAP_FROM} "
              "(a full run would take minutes); the ratio compares contacts per CPU second, and "
              "Ciw's peak memory there is for the shorter run.")
    base = [r[0]["base_kib"] for r in rows.values()]
    ciw_base = [r[1]["base_kib"] for r in rows.values() if r[1] is not None]
    print(f"CPU s: process time of building + simulating + reading results (no start-up). "
          f"Peak mem: whole process ru_maxrss; after imports alone ccsim "
          f"{mib(min(base))}" + (f", Ciw {mib(min(ciw_base))}." if ciw_base else "."))

    # ---- memory growth
    growth = large["peak_kib"] / small["peak_kib"]
    print()
    print(f"Memory growth (ccsim, c = {memory_c}): {small['contacts']:,d} contacts "
          f"{mib(small['peak_kib'])} -> {large['contacts']:,d} contacts {mib(large['peak_kib'])}"
          f" ({growth:.2f}x)")

    # ---- cost per contact across c
    if 10 in rows and 2000 in rows:
        cost10 = rows[10][0]["cpu"] / rows[10][0]["contacts"]
        cost2000 = rows[2000][0]["cpu"] / rows[2000][0]["contacts"]
        print(f"ccsim cost per contact: c = 10 {cost10 * 1e6:.2f} us, c = 2000 "
              f"{cost2000 * 1e6:.2f} us (ratio {cost2000 / cost10:.2f}x)")

    # ---- against theory
    print()
    try:
        from ccsim.theory import erlang_a
    except Exception as exc:  # ccsim.theory not finished yet: skip, say why
        print(f"(theory comparison skipped: cannot import ccsim.theory.erlang_a: {exc})")
    else:
        print("P(abandon) and P(wait) against ccsim.theory.erlang_a (one run each, starting "
              "empty; at rho = 1 and large c the run-to-run spread is several % relative, and "
              "ccsim uses the same arrival stream for every c):")
        for c, (a, b, _) in rows.items():
            try:
                theory = erlang_a(c, arrival_rate(c, args.load_factor), AHT, PATIENCE)
                pa, pw = theory.p_abandon, theory.p_wait
            except Exception as exc:
                print(f"  c = {c}: theory failed ({exc})")
                continue
            line = (f"  c = {c:>4}: P(abandon) theory {pa:.4f} ccsim {a['p_abandon']:.4f}"
                    + (f" Ciw {b['p_abandon']:.4f}" if b else "")
                    + f" | P(wait) theory {pw:.4f} ccsim {a['p_wait']:.4f}"
                    + (f" Ciw {b['p_wait']:.4f}" if b else ""))
            print(line)

    # ---- goals
    print()
    print("Goals:")
    for c, goal in GOAL_RATIO.items():
        if c in rows and rows[c][1] is not None:
            a, b, _ = rows[c]
            ratio = (a["contacts"] / a["cpu"]) / (b["contacts"] / b["cpu"])
            print(f"  ccsim >= {goal:g}x Ciw at c = {c}: {ratio:.1f}x  {verdict(ratio >= goal)}")
    if 10 in rows and 2000 in rows:
        grow = ((rows[2000][0]["cpu"] / rows[2000][0]["contacts"])
                / (rows[10][0]["cpu"] / rows[10][0]["contacts"]))
        print(f"  cost per contact c = 10 -> 2000 <= {GOAL_COST_GROWTH:g}x: {grow:.2f}x  "
              f"{verdict(grow <= GOAL_COST_GROWTH)}")
    print(f"  flat memory (<= {GOAL_MEMORY_GROWTH:.2f}x at 10x contacts): {growth:.2f}x  "
          f"{verdict(growth <= GOAL_MEMORY_GROWTH)}")


if __name__ == "__main__":
    main()
