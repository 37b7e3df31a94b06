"""Benchmark: this tree against an older revision of ccsim on the rich cases, the figure the
engine-speed goal is stated in ("at least 2x today's contacts per CPU second").

Each case (the omnichannel week, the generated many-skill center, an Erlang-A queue) is run
as one replication (simulation and KPIs, ``run_replication``) in a fresh Python process per
tree, the two trees alternately, round after round; the best CPU time of each is kept. The old
revision is exported with ``git archive`` into a temporary directory and imported from there
(``PYTHONPATH``); both simulate the same scenario files, from this tree.

    python experiments/bench_against.py                  # against 4668ae0^ (before issue 12)
    python experiments/bench_against.py --rev main~5 --rounds 5 --cases week,many
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BEFORE_ISSUE_12 = "4668ae0^"  # the commit before the first engine-speed change
CASES = ("week", "many", "erlang_a")

_WORKER = r"""
import sys, time
sys.path.insert(0, {here!r})
import ccsim
assert ccsim.__file__.startswith({tree!r}), ccsim.__file__
try:
    from ccsim.study.replicate import run_replication
except ImportError:  # before the package layout of issue 16
    from ccsim.runner import run_replication
case = {case!r}
if case == "week":
    scenario = ccsim.load_scenario({week!r})
elif case == "many":
    from many_skill_center import many_skill_scenario
    scenario = many_skill_scenario()
else:
    from bench_erlang_a import arrival_rate, horizon_for, scenario_yaml
    rate = arrival_rate(100, 0.95)
    scenario = ccsim.scenario_from_text(scenario_yaml(100, rate, horizon_for(100_000, rate)))
start = time.process_time()
kpis, _ = run_replication(scenario, 1, 0)
print(kpis["overall"]["attempts"], time.process_time() - start)
"""


def _run(tree: str, case: str) -> tuple[float, float]:
    code = _WORKER.format(here=HERE, case=case, tree=tree,
                          week=os.path.join(ROOT, "scenarios", "omnichannel_bank.yaml"))
    # run from the tree itself: ``python -c`` puts the working directory first on the path
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": tree},
                         cwd=tree, capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default=BEFORE_ISSUE_12, help="the older revision (git)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", default=",".join(CASES))
    args = parser.parse_args()
    cases = args.cases.split(",")
    unknown = [case for case in cases if case not in CASES]
    if unknown or args.rounds < 1:
        parser.error(f"--cases: expected some of {', '.join(CASES)}, found {unknown[0]!r}"
                     if unknown else f"--rounds: expected 1 or more, found {args.rounds}")
    with tempfile.TemporaryDirectory() as old:
        exported = subprocess.run(["git", "-C", ROOT, "archive", args.rev], capture_output=True)
        if exported.returncode:
            parser.error(f"--rev: expected a revision of this repository, found {args.rev!r} "
                         f"({exported.stderr.decode(errors='replace').strip()})")
        archive = exported.stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        print(f"one replication (simulation + KPIs), CPU seconds, best of {args.rounds} "
              f"alternate rounds, fresh process each: {args.rev} against this tree")
        for case in cases:
            best = {}
            for _ in range(args.rounds):
                for name, tree in (("old", old), ("new", ROOT)):
                    contacts, cpu = _run(tree, case)
                    best[name] = min(best.get(name, cpu), cpu)
            print(f"  {case:9s} {contacts:>8,.0f} contacts: {best['old']:.3f} s -> "
                  f"{best['new']:.3f} s, {contacts / best['old']:>9,.0f} -> "
                  f"{contacts / best['new']:>9,.0f} contacts/s, {best['old'] / best['new']:.2f}x")


if __name__ == "__main__":
    main()
