"""The SIPP pitfall: per-interval Erlang C staffing against simulation-based staffing.

What it shows
-------------
``scenarios/sipp_peak.yaml``: a one-hour peak (20 → 90 → 20 calls per half-hour) with 25-minute
calls and 10-minute mean patience. Staffing each half-hour with Erlang C for its own demand
(the SIPP method: stationary, independent, period by period) is simulated, then
``ccsim.workforce.staff.staff`` searches the staffing that meets 80 % in 20 s in every half-hour at 90 %
confidence, starting from Erlang A. Both plans are then checked on *other* days than the search
used (a fresh seed), so the verdict is not an artefact of the search's own replications.

Printed: per half-hour, Erlang C agents and their simulated service level with its 95 %
interval, the required agents and theirs, and the agent-hours of both plans.

Run: ``python experiments/sipp_pitfall.py [-r 20] [--check 40] [--jobs 2]`` (about a minute).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

import ccsim
from ccsim.workforce.staff import Target, staff
from ccsim.measure.stats import mean_ci
from ccsim.units import format_clock
from ccsim.study.whatif import with_headcount

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "sipp_peak.yaml"


def interval_levels(results, k: int) -> np.ndarray:
    """Service level of half-hour k in every replication (answered within / offered)."""
    within = np.array([s["type.answered_within"][k].sum() for s in results.sums])
    offered = np.array([(s["type.offered"][k] - s["type.short_abandoned"][k]).sum()
                        for s in results.sums])
    return within / offered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-r", "--replications", type=int, default=20)
    parser.add_argument("--check", type=int, default=100, help="days of the independent check")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    scenario = ccsim.load_scenario(SCENARIO)
    target = Target(0.8, 20.0, confidence=0.9)
    plan = staff(scenario, target, replications=args.replications, jobs=args.jobs)
    checks = {}
    for name, headcount in (("erlang_c", plan.erlang_c), ("required", plan.required)):
        checks[name] = ccsim.simulate(with_headcount(plan.scenario, "support", headcount),
                                      replications=args.check, seed=10_007, jobs=args.jobs)
    print(f"{scenario.name}: target 80 % in 20 s per half-hour; checked on {args.check} "
          f"fresh days")
    print(f"{'half-hour':<10}{'calls':>6}{'Erlang C':>9}{'SL (95% CI)':>19}"
          f"{'required':>9}{'SL (95% CI)':>19}")
    misses = 0
    for k in range(scenario.n_intervals):
        clock = scenario.start + k * scenario.interval
        row = f"{format_clock(clock):<10}" \
              f"{scenario.arrival_rate(scenario.contact_types[0], k) * 1800:>6.0f}"
        for name, agents in (("erlang_c", plan.erlang_c), ("required", plan.required)):
            mean, half = mean_ci(interval_levels(checks[name], k))
            flag = " ✗" if mean + half < 0.8 else ("  " if mean - half >= 0.8 else " ?")
            misses += name == "erlang_c" and mean + half < 0.8
            row += f"{agents[k]:>9}{f'{100 * mean:.1f} % ±{100 * half:.1f}':>17}{flag}"
        print(row)
    hours = {name: plan.agent_hours(name) for name in ("erlang_c", "erlang_a", "required")}
    print(f"agent-hours: Erlang C {hours['erlang_c']:.1f}, Erlang A {hours['erlang_a']:.1f}, "
          f"simulation-based {hours['required']:.1f} "
          f"({100 * (hours['required'] / hours['erlang_c'] - 1):+.1f} % against Erlang C); "
          f"{plan.rounds} search rounds of {args.replications} days")
    print(f"half-hours where Erlang C surely misses (95 % upper bound below 80 %): {misses}")
    print("✗ = upper bound below the target, ? = interval straddles it")
    if not math.isfinite(hours["required"]):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
