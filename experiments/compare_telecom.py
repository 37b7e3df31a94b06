"""Every registered routing policy on the multi-skill telecom center, with common random numbers.

What it does
------------
Runs each policy in ``ccsim.ROUTERS`` -- whatever is registered when the script runs, each with
its default parameters -- on ``scenarios/multiskill_telecom.yaml`` (seven contact types, six
agent groups, a day that is a little stretched at its peaks). Every policy is simulated with the
same seed and replications (``ccsim.study.compare.compare``), so replication r of every policy sees
the same arrivals, handle times and patience, and the difference between a policy and the
baseline ``longest_idle`` is measured replication by replication (paired Student-t interval).

What is printed
---------------
1. Overall, per policy: service level (each contact judged against its own type's threshold),
   ASA, abandonment and the occupancy spread -- the largest minus the smallest occupancy among
   the agent groups, a simple fairness figure (0 = every group equally busy) -- each with its
   95 % half-width, then the paired difference from ``longest_idle`` for the same four figures
   (``*`` = the 95 % interval of the difference excludes zero).
2. Per contact type: service level, ASA and abandonment per policy, with the paired difference
   from ``longest_idle`` of the service level (``*`` as above).

Policies are listed baseline first, then by overall service level. A policy that does not accept
running with empty parameters is skipped with a note.

The service-level bars of ``ccsim.output.plots.comparison_bars`` (one bar per policy and contact type,
95 % error bars, ``*`` for significant differences from the baseline) are saved to ``--plot``
(default ``compare_telecom.png`` in the current directory).

How to run
----------
::

    .venv/bin/python experiments/compare_telecom.py              # 20 replications (~50 s on one core)
    .venv/bin/python experiments/compare_telecom.py --quick      # 5 replications (~15 s)
    .venv/bin/python experiments/compare_telecom.py -r 40 --jobs 2 --seed 7 --plot /tmp/p.png

The numbers do not depend on ``--jobs``: replication r always uses the streams of (seed, r).
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np

import ccsim
from ccsim.study.compare import Comparison, compare
from ccsim.measure.stats import mean_ci

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "multiskill_telecom.yaml"
BASELINE = "longest_idle"
# With --tuned, these parameters replace the defaults: a planner's first setting for this center
# (keep the bilingual team and the premium desk for their own callers a little longer, favour
# VIP and complaints). Policies not listed keep their defaults.
TUNED = {
    "time_overflow": {"delays": {"bilingual": {"billing": "30s", "tech_support": "60s"},
                                 "premium_desk": {"tech_support": "30s"},
                                 "generalists": {"tech_support": "30s"}}},
    "weighted_wait": {"weights": {"vip": 3, "complaints": 2, "spanish": 1.5}},
    "segment_priority": {"segment_weights": {"premium": 2, "spanish": 1}, "aging": "60s"},
    "threshold_reservation": {"reserve": {"bilingual": {"spanish": 2},
                                          "premium_desk": {"vip": 1}}},
}
# overall KPIs: (label, kind) -- kind "pct" is shown in percent, "sec" in seconds
OVERALL = {"service_level": ("SL", "pct"), "asa": ("ASA", "sec"),
           "abandon_rate": ("abandon", "pct"), "occupancy_spread": ("occ spread", "pct")}


def occupancy_spread(results) -> np.ndarray:
    """Per replication: largest minus smallest occupancy among the agent groups."""
    groups = [g.name for g in results.scenario.agent_groups]
    table = np.vstack([results.values(f"by_group.{g}.occupancy") for g in groups])
    return np.nanmax(table, axis=0) - np.nanmin(table, axis=0)


def kpi_values(results, kpi: str, of: str = "overall") -> np.ndarray:
    if kpi == "occupancy_spread":
        return occupancy_spread(results)
    prefix = "overall" if of == "overall" else f"by_type.{of}"
    return results.values(f"{prefix}.{kpi}")


def paired(comparison: Comparison, policy: str, kpi: str, of: str = "overall") -> tuple:
    """Mean paired difference policy - baseline, its 95 % half-width and significance."""
    diff = (kpi_values(comparison.results[policy], kpi, of)
            - kpi_values(comparison.results[comparison.baseline], kpi, of))
    mean, half = mean_ci(diff)
    return mean, half, bool(math.isfinite(half) and abs(mean) > half)


def _num(kind: str, value: float, signed: bool = False) -> str:
    if not math.isfinite(value):
        return "n/a"
    scale = 100.0 if kind == "pct" else 1.0
    return f"{scale * value:+.1f}" if signed else f"{scale * value:.1f}"


def _cell(kind: str, mean: float, half: float) -> str:
    return f"{_num(kind, mean)} ±{_num(kind, half)}"


def _diff(kind: str, mean: float, half: float, significant: bool) -> str:
    if not math.isfinite(mean):
        return "n/a"
    return f"{_num(kind, mean, True)} ±{_num(kind, half)}{'*' if significant else ' '}"


def identical(comparison: Comparison, policy: str) -> bool:
    """True when the policy gave exactly the baseline's figures in every replication."""
    mine, base = comparison.results[policy], comparison.results[comparison.baseline]
    return all(np.array_equal(mine.values(f"overall.{k}"), base.values(f"overall.{k}"),
                              equal_nan=True)
               for k in ("offered", "answered", "service_level", "asa", "abandon_rate"))


def order(comparison: Comparison) -> list[str]:
    others = [p for p in comparison.policies if p != comparison.baseline]
    others.sort(key=lambda p: -mean_ci(kpi_values(comparison.results[p], "service_level"))[0])
    return [comparison.baseline] + others


def print_overall(comparison: Comparison) -> None:
    policies = order(comparison)
    width = max(len(p) for p in policies) + 2
    print("\nOverall (SL, abandon and occupancy spread in %, ASA in s; ± = 95 % half-width)")
    print(f"{'policy':<{width}}" + "".join(f"{label:>15}" for label, _ in OVERALL.values())
          + "   |" + "".join(f"{'Δ ' + label:>16}" for label, _ in OVERALL.values()))
    for policy in policies:
        results = comparison.results[policy]
        cells = [_cell(kind, *mean_ci(kpi_values(results, kpi)))
                 for kpi, (_, kind) in OVERALL.items()]
        if policy == comparison.baseline:
            diffs = [f"{'(baseline)':>16}"] + [" " * 16] * (len(OVERALL) - 1)
        else:
            diffs = [f"{_diff(kind, *paired(comparison, policy, kpi)):>16}"
                     for kpi, (_, kind) in OVERALL.items()]
        print(f"{policy:<{width}}" + "".join(f"{c:>15}" for c in cells) + "   |" + "".join(diffs))
    print(f"Δ = policy − {comparison.baseline}, paired over replications; "
          f"* = 95 % interval excludes 0")
    same = [p for p in policies[1:] if identical(comparison, p)]
    if same:
        print(f"identical to {comparison.baseline} in every replication (these policies reduce "
              f"to it with the parameters used): {', '.join(same)}")


def print_by_type(comparison: Comparison) -> None:
    policies = order(comparison)
    types = [t.name for t in comparison.scenario.contact_types]
    width = max(len(p) for p in policies) + 2
    col = max(14, max(len(t) for t in types) + 2)
    blocks = (("service_level", "pct", "Service level by contact type (%), and Δ vs baseline "
                                       "in points"),
              ("asa", "sec", "ASA by contact type (s)"),
              ("abandon_rate", "pct", "Abandonment by contact type (%)"))
    for kpi, kind, title in blocks:
        print(f"\n{title}")
        targets = ""
        if kpi == "service_level":
            targets = "".join(
                f"{f'{t.service_level.target:.0%} in {t.service_level.threshold:g}s':>{col}}"
                for t in comparison.scenario.contact_types)
            print(f"{'target':<{width}}{targets}")
        print(f"{'policy':<{width}}" + "".join(f"{t:>{col}}" for t in types))
        for policy in policies:
            results = comparison.results[policy]
            cells = []
            for t in types:
                mean, _ = mean_ci(kpi_values(results, kpi, t))
                text = _num(kind, mean)
                if policy != comparison.baseline:
                    d, _, significant = paired(comparison, policy, kpi, t)
                    if kpi == "service_level":
                        text += f" {_num(kind, d, True)}{'*' if significant else ' '}"
                    else:
                        text += "*" if significant else " "
                else:
                    text += "  (base)" if kpi == "service_level" else " "
                cells.append(f"{text:>{col}}")
            print(f"{policy:<{width}}" + "".join(cells))
        if kpi != "service_level":
            print("* = paired difference from the baseline is significant (95 %)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-r", "--replications", type=int, default=None,
                        help="replications per policy (default 20, 5 with --quick)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (0 = all cores)")
    parser.add_argument("--quick", action="store_true", help="5 replications")
    parser.add_argument("--scenario", default=str(SCENARIO), help="scenario file")
    parser.add_argument("--tuned", action="store_true",
                        help="give the parameterised policies settings made for the telecom "
                             "scenario instead of their defaults (see TUNED)")
    parser.add_argument("--plot", default="compare_telecom.png",
                        help="where to save the service-level bars ('' for none)")
    args = parser.parse_args(argv)
    replications = args.replications or (5 if args.quick else 20)
    scenario = ccsim.load_scenario(args.scenario)

    policies, skipped, params = [], {}, {}
    for name, cls in ccsim.ROUTERS.items():
        params[name] = dict(TUNED.get(name, {})) if args.tuned else {}
        try:
            cls.check_params(dict(params[name]))
        except ValueError as exc:
            skipped[name] = str(exc)
        else:
            policies.append(name)
    if BASELINE not in policies:
        parser.error(f"the baseline {BASELINE!r} is not registered")
    policies.remove(BASELINE)
    policies.insert(0, BASELINE)

    print(f"{scenario.name}: {len(scenario.contact_types)} contact types, "
          f"{len(scenario.agent_groups)} agent groups; {len(policies)} policies x "
          f"{replications} replications, seed {args.seed}, common random numbers")
    for name, why in skipped.items():
        print(f"  skipped {name}: cannot run with {'these' if args.tuned else 'default'} "
              f"parameters ({why})")
    for name in policies:
        if params[name]:
            print(f"  {name} params: {params[name]}")

    # one compare() call per policy, so each can be timed; the seed is the same for all, so
    # together they are exactly what compare(scenario, policies) would return
    results, timings = {}, {}
    started = time.perf_counter()
    for policy in policies:
        t0 = time.perf_counter()
        results[policy] = compare(scenario, {policy: params[policy]}, replications=replications,
                                  seed=args.seed, jobs=args.jobs).results[policy]
        timings[policy] = time.perf_counter() - t0
    comparison = Comparison(scenario=scenario, baseline=BASELINE, results=results)

    print_overall(comparison)
    print_by_type(comparison)
    print("\nseconds per policy: " + ", ".join(f"{p} {t:.1f}" for p, t in timings.items()))

    if args.plot:
        from ccsim.output.plots import comparison_bars
        import matplotlib.pyplot as plt
        figure = comparison_bars(comparison, "service_level")
        width, height = figure.get_size_inches()
        figure.set_size_inches(min(width, 20.0), max(height, 5.0))
        axes = figure.axes[0]   # the legend of ten policies would hide bars: put it outside
        axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.005, 1.0))
        figure.tight_layout()
        figure.savefig(args.plot, dpi=110)
        plt.close(figure)
        print(f"plot: {args.plot}")
    print(f"elapsed: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
