"""Benchmark: the cost per contact of every routing policy stays flat in the run length.

What it measures
----------------
Two small centers, run with every registered policy (``ccsim.ROUTERS``) at two run lengths
(``--contacts``, default 10,000 and 40,000 contacts):

* phone: one type, 100 calls/h, exponential talk of 5 min, 10 agents (load 0.83);
* chat: one type, exponential chats of 6 min, 4 agents holding 3 chats at once (12 slots),
  arrivals at 90 % of the slots' capacity.

Each run is one replication with one interval as long as the horizon (no per-interval
bookkeeping), timed with ``time.process_time()`` in this process (scenario parsing excluded).
The table gives the CPU microseconds per contact at each length and their ratio long/short.
A policy whose cost grows with the run (say, a list scanned on every arrival that never
shrinks) shows a ratio well above 1; the goal is at most 1.3 for every policy and center.

Issue 15, item 8: before the fix ``random`` and ``least_occupied`` left agents taken out of turn
in the idle list, which grew with the run (thousands of entries for 10 agents), so their cost
per contact grew with the run length.

How to run
----------
::

    .venv/bin/python experiments/bench_policies.py                    # ~1-2 min
    .venv/bin/python experiments/bench_policies.py --contacts 10000,80000 --repeat 3
    .venv/bin/python experiments/bench_policies.py --policies random,least_occupied
"""

from __future__ import annotations

import argparse
import time

import attrs

import ccsim
from ccsim.study.experiment import run_replication

PHONE = """
horizon: {hours}h
interval: {hours}h
contact_types:
  calls:
    arrivals: 100/h
    talk: {{dist: exponential, mean: 5min}}
agent_groups:
  agents:
    headcount: 10
    skills: [calls]
"""

CHAT = """
horizon: {hours}h
interval: {hours}h
contact_types:
  web:
    channel: chat
    arrivals: 108/h
    talk: {{dist: exponential, mean: 6min}}
agent_groups:
  chat:
    headcount: 4
    concurrency: 3
    skills: [web]
"""

CENTERS = {"phone": (PHONE, 100.0), "chat": (CHAT, 108.0)}  # text, contacts per hour
GOAL = 1.3


def cost_per_contact(text: str, rate: float, contacts: int, policy: str, repeat: int) -> float:
    """Best CPU microseconds per contact of ``repeat`` runs of about ``contacts`` contacts."""
    hours = max(1, round(contacts / rate))
    scenario = ccsim.scenario_from_text(text.format(hours=hours))
    scenario = attrs.evolve(scenario, routing=attrs.evolve(scenario.routing, policy=policy,
                                                           params={}))
    best = float("inf")
    for r in range(repeat):
        start = time.process_time()
        kpis, _ = run_replication(scenario, seed=1, replication=r)
        best = min(best, time.process_time() - start)
    return 1e6 * best / kpis["overall"]["offered"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", default="10000,40000",
                        help="two run lengths in contacts, short,long (default 10000,40000)")
    parser.add_argument("--policies", default=",".join(sorted(ccsim.ROUTERS)),
                        help="comma-separated policies (default: every registered one)")
    parser.add_argument("--repeat", type=int, default=1, help="keep the best of N runs")
    args = parser.parse_args()
    short, long = (int(n) for n in args.contacts.split(","))
    policies = [p for p in args.policies.split(",") if p]
    print(f"{'policy':<22}{'center':<8}{f'us/contact @{short}':>20}"
          f"{f'us/contact @{long}':>20}{'ratio':>8}")
    missed = []
    for policy in policies:
        for center, (text, rate) in CENTERS.items():
            a = cost_per_contact(text, rate, short, policy, args.repeat)
            b = cost_per_contact(text, rate, long, policy, args.repeat)
            ratio = b / a
            if ratio > GOAL:
                missed.append(f"{policy}/{center}")
            print(f"{policy:<22}{center:<8}{a:>20.1f}{b:>20.1f}{ratio:>8.2f}", flush=True)
    print(f"goal: cost per contact at {long} contacts <= {GOAL}x the cost at {short}: "
          + ("met" if not missed else "MISSED for " + ", ".join(missed)))


if __name__ == "__main__":
    main()
