"""How much cross-training is enough? Dedicated groups, a skill chain and full flexibility.

The question
------------
Cross-training every agent on every skill pools all the work into one big queue, the most
efficient arrangement there is, but it is expensive (training, pay grades, quality). Jordan and
Graves (1995) showed for plants and products that a *chain* -- every plant makes two products and
the plants are linked into one closed loop -- gets almost all of the benefit of full flexibility.
Wallace and Whitt (2005) found the same for call centers: with two skills per agent arranged in a
chain, "a little flexibility goes a long way".

The experiment
--------------
Six contact types ``t1`` .. ``t6`` with equal demand: 108 calls per hour each, exponential talk
time of 5 minutes (9 erlangs per type), exponential patience with a 3-minute mean, service level
"answered within 20 s / offered". Every design has 60 agents (equal headcount, 54 erlangs of
work, so 90 % of capacity is needed):

* ``dedicated``: six groups of 10, each with one skill -- six separate M/M/10+M queues;
* ``chain``:     six groups of 10; group i serves type i (rank 1) and type i+1 (rank 2), with
  type 6 linking back to group 1, so the skill graph is one closed loop;
* ``full``:      one group of 60 agents with all six skills -- one M/M/60+M queue;
* with ``--unequal``, the same three designs again (``dedicated/unequal``, ``chain/unequal``,
  ``full/unequal``) under unequal demand -- offered loads 6, 7.5, 9, 9, 10.5 and 12 erlangs,
  54 in all -- while every group keeps 10 agents: the situation in which dedicated groups hurt
  most, because spare capacity sits next to an overloaded queue it cannot help.

Each design is simulated with the same seed and replications, so replication r of every design
sees the same arrivals, talk times and patience (common random numbers) and the differences
between designs are measured pair by pair. The day is 8 hours in 1-hour intervals; the first hour
is a warm-up (the center starts empty) and is left out of the figures.

Two routing policies are run: ``priority`` (a freed agent takes its primary type first, an
arriving call tries its primary group first; the ACD default for overflow set-ups) and
``longest_idle`` (ranks ignored: first come, first served across skills).

What is printed
---------------
For each policy and design: service level, ASA, abandonment and occupancy with 95 % confidence
half-widths; then the share of the dedicated -> full improvement that the chain captures,

    share = (KPI_chain - KPI_dedicated) / (KPI_full - KPI_dedicated),

for service level, ASA and abandonment, as a ratio of mean paired differences with a 95 %
delta-method interval. Erlang A (M/M/c+M) is printed as a theory anchor for one dedicated group
(c = 10) and for the fully pooled group (c = 60 at six times the rate); the dedicated and full
designs are exactly these queues apart from the warm-up and the end of the day, so the simulated
values should sit close to the anchors.

A bar chart of service level and ASA per design and policy, with 95 % error bars and the Erlang A
anchors as dashed lines, is written to ``--plot`` (default ``chaining.png`` in the current
directory).

How to run
----------
::

    .venv/bin/python experiments/chaining.py                 # 20 replications of 8 h (~15 s)
    .venv/bin/python experiments/chaining.py --quick         # 6 replications of 4 h (~4 s)
    .venv/bin/python experiments/chaining.py -r 50 --jobs 2 --unequal --plot /tmp/chain.png

References: W. C. Jordan and S. C. Graves, "Principles on the benefits of manufacturing process
flexibility", Management Science 41(4), 1995. R. B. Wallace and W. Whitt, "A staffing algorithm
for call centers with skill-based routing", Manufacturing & Service Operations Management 7(4),
2005.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

import ccsim
from ccsim.measure.stats import mean_ci, t_quantile

N_TYPES = 6
AGENTS_PER_GROUP = 10
RATE_PER_H = 108.0           # calls per hour per type
TALK_MIN = 5.0               # mean talk time, minutes (exponential)
PATIENCE_MIN = 3.0           # mean patience, minutes (exponential)
THRESHOLD_S = 20.0           # service-level threshold, seconds
# offered loads (erlangs) of the optional unequal-demand design; they add up to 6 x 9 = 54
UNEQUAL_LOADS = (6.0, 7.5, 9.0, 9.0, 10.5, 12.0)

DESIGNS = ("dedicated", "chain", "full")
POLICIES = ("priority", "longest_idle")
KPIS = (("service_level", "SL 20s", "pct"), ("asa", "ASA s", "sec"),
        ("abandon_rate", "abandon", "pct"), ("group_occupancy", "occupancy", "pct"))


def _types(n_types: int, rates_per_h) -> list[str]:
    lines = ["contact_types:"]
    for i in range(n_types):
        lines += [
            f"  t{i + 1}:",
            f"    arrivals: {rates_per_h[i]:g}/h",
            f"    talk: {{dist: exponential, mean: {TALK_MIN:g}min}}",
            f"    patience: {{dist: exponential, mean: {PATIENCE_MIN:g}min}}",
            f"    service_level: {{threshold: {THRESHOLD_S:g}s, target: 0.8}}",
        ]
    return lines


def design_yaml(design: str, horizon_h: float = 8.0, warmup_h: float = 1.0,
                replications: int = 20, seed: int = 2005) -> str:
    """The YAML text of one design (``dedicated``, ``chain`` or ``full``, optionally followed by
    ``/unequal``). All designs with the same demand have the same contact types (and hence, with
    the same seed, the same contacts) and every design has 60 agents."""
    n = N_TYPES
    structure, _, demand = design.partition("/")
    if demand not in ("", "unequal"):
        raise ValueError(f"unknown demand {demand!r} in design {design!r}")
    rates = [RATE_PER_H] * n
    if demand == "unequal":
        rates = [load / TALK_MIN * 60.0 for load in UNEQUAL_LOADS]
    head = [
        f"name: chaining-{structure}{'-' + demand if demand else ''}",
        "interval: 1h",
        f"horizon: {horizon_h:g}h",
        f"warmup: {warmup_h:g}h",
        "end: drain",
        f"replications: {replications}",
        f"seed: {seed}",
    ]
    groups = ["agent_groups:"]
    if structure == "dedicated":
        for i in range(n):
            groups += [f"  g{i + 1}:", f"    headcount: {AGENTS_PER_GROUP}",
                       f"    skills: [t{i + 1}]"]
    elif structure == "chain":
        for i in range(n):
            primary, secondary = f"t{i + 1}", f"t{(i + 1) % n + 1}"
            groups += [f"  g{i + 1}:", f"    headcount: {AGENTS_PER_GROUP}",
                       f"    skills: {{{primary}: {{rank: 1}}, {secondary}: {{rank: 2}}}}"]
    elif structure == "full":
        skills = ", ".join(f"t{i + 1}: {{rank: 1}}" for i in range(n))
        groups += ["  pool:", f"    headcount: {AGENTS_PER_GROUP * n}",
                   f"    skills: {{{skills}}}"]
    else:
        raise ValueError(f"unknown design {design!r}")
    return "\n".join(head + _types(n, rates) + groups + ["routing: priority", ""])


def ratio_ci(numerator, denominator, level: float = 0.95) -> tuple[float, float]:
    """Ratio of means mean(y) / mean(x) of paired per-replication values, with the delta-method
    half-width t * sd(y - R x) / (sqrt(n) |mean(x)|)."""
    y, x = np.asarray(numerator, float), np.asarray(denominator, float)
    ratio = float(y.mean() / x.mean())
    n = len(x)
    if n < 2:
        return ratio, math.nan
    residual = y - ratio * x
    half = t_quantile(level, n - 1) * float(residual.std(ddof=1)) / (math.sqrt(n) * abs(x.mean()))
    return ratio, half


def run_study(replications: int = 20, horizon_h: float = 8.0, warmup_h: float = 1.0,
              seed: int = 2005, jobs: int = 1, policies=POLICIES, designs=DESIGNS) -> dict:
    """{policy: {design: Results}}, every run with the same seed and replications."""
    out: dict = {}
    for policy in policies:
        out[policy] = {}
        for design in designs:
            scenario = ccsim.scenario_from_text(design_yaml(design, horizon_h, warmup_h,
                                                            replications, seed))
            out[policy][design] = ccsim.simulate(scenario, replications=replications, seed=seed,
                                                 jobs=jobs, policy=policy)
    return out


def chain_share(results: dict, kpi: str = "service_level", demand: str = "") -> tuple[float, float]:
    """Share of the dedicated -> full improvement captured by the chain, with its 95 % half-width
    (``results`` maps design -> Results of one policy; ``demand`` "" or "/unequal")."""
    path = f"overall.{kpi}"
    base = results["dedicated" + demand].values(path)
    gained = results["chain" + demand].values(path) - base
    possible = results["full" + demand].values(path) - base
    return ratio_ci(gained, possible)


def theory_anchors() -> dict:
    """Erlang A for one dedicated group and for the fully pooled group."""
    rate = RATE_PER_H / 3600.0
    aht, patience = TALK_MIN * 60.0, PATIENCE_MIN * 60.0
    out = {}
    for label, c, lam in (("dedicated (c=10)", AGENTS_PER_GROUP, rate),
                          ("full (c=60)", AGENTS_PER_GROUP * N_TYPES, N_TYPES * rate)):
        model = ccsim.theory.erlang_a(c, lam, aht, patience)
        answered_rate = lam * model.p_answered
        out[label] = {"service_level": model.service_level(THRESHOLD_S), "asa": model.asa,
                      "abandon_rate": model.p_abandon,
                      "group_occupancy": answered_rate * aht / c, "load": lam * aht}
    return out


def _fmt(kind: str, mean: float, half: float) -> str:
    if kind == "pct":
        return f"{100 * mean:5.1f} ± {100 * half:4.1f} %"
    return f"{mean:6.1f} ± {half:5.1f} s"


def _fmt_plain(kind: str, value: float) -> str:
    return f"{100 * value:5.1f} %" if kind == "pct" else f"{value:6.1f} s"


def print_report(study: dict, anchors: dict) -> None:
    some = next(iter(next(iter(study.values())).values()))
    print(f"\n{some.n} replications per design, seed {some.seed}; "
          f"{some.scenario.horizon / 3600:g} h day, first {some.scenario.warmup / 3600:g} h warm-up; "
          f"{N_TYPES} types x {RATE_PER_H:g}/h x {TALK_MIN:g} min = "
          f"{N_TYPES * RATE_PER_H * TALK_MIN / 60:g} erlangs on "
          f"{N_TYPES * AGENTS_PER_GROUP} agents; 95 % CIs\n")
    header = f"{'design':<18}" + "".join(f"{label:>18}" for _, label, _ in KPIS)
    print("Erlang A anchors (M/M/c+M, steady state)")
    print(header)
    for label, values in anchors.items():
        print(f"{label:<18}" + "".join(
            f"{_fmt_plain(kind, values[kpi]):>18}" for kpi, _, kind in KPIS))
    for policy, designs in study.items():
        print(f"\nrouting: {policy}")
        print(header)
        for design, results in designs.items():
            cells = []
            for kpi, _, kind in KPIS:
                mean, half = mean_ci(results.values(f"overall.{kpi}"))
                cells.append(f"{_fmt(kind, mean, half):>18}")
            print(f"{design:<18}" + "".join(cells))
        for demand in ("", "/unequal"):
            if not {f"dedicated{demand}", f"chain{demand}", f"full{demand}"} <= set(designs):
                continue
            parts = []
            for kpi, label, _ in KPIS[:3]:
                share, half = chain_share(designs, kpi, demand)
                parts.append(f"{label.split()[0]} {100 * share:.0f} % ± {100 * half:.0f}")
            print(f"  CHAIN CAPTURES of the dedicated -> full improvement"
                  f"{' (unequal demand)' if demand else ''}: " + "; ".join(parts))
        if "dedicated/unequal" in designs:
            sl = designs["dedicated/unequal"].summary()["by_type"]
            print("  unequal demand, dedicated groups, SL by type: " + ", ".join(
                f"{name} {100 * sl[name]['service_level']['mean']:.0f} %" for name in sl))


def plot(study: dict, anchors: dict, path: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    designs = list(next(iter(study.values())))
    policies = list(study)
    figure, axes = plt.subplots(1, 2, figsize=(max(10.0, 1.6 * len(designs) + 2), 4.2))
    width = 0.8 / len(policies)
    x = np.arange(len(designs))
    for ax, (kpi, label) in zip(axes, (("service_level", "service level (20 s)"),
                                       ("asa", "ASA (s)"))):
        for i, policy in enumerate(policies):
            stats = [mean_ci(study[policy][d].values(f"overall.{kpi}")) for d in designs]
            ax.bar(x + (i - (len(policies) - 1) / 2) * width, [s[0] for s in stats], width,
                   yerr=[0 if math.isnan(s[1]) else s[1] for s in stats], capsize=3,
                   label=policy)
        # the anchors describe the equal-demand designs only: draw them across those bars
        equal = [i for i, d in enumerate(designs) if "/" not in d] or [0]
        for (name, values), style in zip(anchors.items(), ("--", ":")):
            ax.hlines(values[kpi], min(equal) - 0.45, max(equal) + 0.45, color="black",
                      linestyle=style, linewidth=1, label=f"Erlang A, {name}")
        ax.set_xticks(x, [d.replace("/", "\n") for d in designs])
        ax.set_ylabel(label)
        if kpi == "service_level":
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set_ylim(0, 1)
    axes[0].legend(fontsize="small", loc="lower right")
    figure.suptitle("Six skills, 60 agents, 54 erlangs: dedicated vs chain vs full flexibility\n"
                    "bars: 95 % CI over replications", fontsize="medium")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-r", "--replications", type=int, default=None,
                        help="replications per design (default 20, 6 with --quick)")
    parser.add_argument("--hours", type=float, default=None,
                        help="length of the day in hours (default 8, 4 with --quick)")
    parser.add_argument("--seed", type=int, default=2005)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (0 = all cores)")
    parser.add_argument("--policies", default=",".join(POLICIES),
                        help="comma-separated routing policies (default priority,longest_idle)")
    parser.add_argument("--unequal", action="store_true",
                        help="also run the three designs under unequal demand")
    parser.add_argument("--quick", action="store_true", help="6 replications of 4 h")
    parser.add_argument("--plot", default="chaining.png", help="where to save the bar chart")
    args = parser.parse_args(argv)
    replications = args.replications or (6 if args.quick else 20)
    hours = args.hours or (4.0 if args.quick else 8.0)
    policies = [p.strip() for p in args.policies.split(",") if p.strip()]
    unknown = [p for p in policies if p not in ccsim.ROUTERS]
    if unknown:
        parser.error(f"unknown policies {unknown} (known: {', '.join(ccsim.ROUTERS)})")
    designs = DESIGNS + (tuple(f"{d}/unequal" for d in DESIGNS) if args.unequal else ())
    started = time.perf_counter()
    study = run_study(replications, hours, 1.0, args.seed, args.jobs, policies, designs)
    anchors = theory_anchors()
    print_report(study, anchors)
    if args.plot:
        plot(study, anchors, args.plot)
        print(f"\nplot: {args.plot}")
    print(f"elapsed: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
