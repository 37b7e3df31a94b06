"""Benchmark: replications in parallel — wall time, speed-up and peak memory.

What it measures
----------------
``--replications`` (default 200) replications of ``scenarios/retail_bank_day.yaml`` (about
3,000 contacts a day), run by ``ccsim.simulate`` with ``--jobs 1`` and ``--jobs 2`` (and, with
``--dask``, on a Dask LocalCluster of 2 workers). Each configuration runs in a fresh Python
process (this script started again with the hidden ``--worker`` option), so that

* wall time covers everything the user waits for: starting the worker processes, sending the
  scenario, simulating, sending the sums back and computing the KPIs (imports excluded);
* peak memory is the largest resident set of the parent and of any of its worker processes
  (``ru_maxrss`` of the process and of its waited-for children), in MB.

Every configuration must produce the same numbers: the script prints a digest of the summary
JSON of each and says whether they agree (they must: replication r always draws from the same
streams, wherever it runs).

How to run
----------
::

    .venv/bin/python experiments/bench_parallel.py                   # 200 replications, ~2 min
    .venv/bin/python experiments/bench_parallel.py -r 50 --dask      # adds Dask (ccsim[dask])

On a 2-core machine the ideal speed-up of ``--jobs 2`` is 2.0; the pool's start-up and the
transfer of each replication's interval sums take some of it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "retail_bank_day.yaml"


def worker(mode: str, replications: int) -> None:
    import ccsim
    from ccsim.study.executors import executor_for

    scenario = ccsim.load_scenario(SCENARIO)
    start = time.perf_counter()
    if mode == "dask":
        with executor_for(dask_local=2) as executor:
            results = ccsim.simulate(scenario, replications=replications, executor=executor)
    else:
        results = ccsim.simulate(scenario, replications=replications, jobs=int(mode))
    summary = results.to_dict()
    wall = time.perf_counter() - start
    digest = hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:12]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    offered = summary["summary"]["overall"]["offered"]["mean"] if "summary" in summary else None
    print(json.dumps({"wall": wall, "digest": digest, "memory": max(own, children),
                      "parent_memory": own, "offered": offered}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-r", "--replications", type=int, default=200)
    parser.add_argument("--dask", action="store_true", help="also a Dask LocalCluster(2)")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return
    modes = ["1", "2"] + (["dask"] if args.dask else [])
    rows = {}
    for mode in modes:
        output = subprocess.run([sys.executable, __file__, "--worker", mode,
                                 str(args.replications)], capture_output=True, text=True,
                                check=True).stdout
        rows[mode] = json.loads(output.strip().splitlines()[-1])
        print(f"  ran {mode}: {rows[mode]['wall']:.1f} s", file=sys.stderr)
    base = rows["1"]["wall"]
    print(f"{args.replications} replications of {SCENARIO.name}")
    print(f"{'executor':<22}{'wall s':>9}{'speed-up':>10}{'reps/s':>9}{'peak MB':>9}  digest")
    for mode in modes:
        row = rows[mode]
        label = {"1": "--jobs 1", "2": "--jobs 2", "dask": "Dask LocalCluster(2)"}[mode]
        print(f"{label:<22}{row['wall']:>9.1f}{base / row['wall']:>10.2f}"
              f"{args.replications / row['wall']:>9.1f}{row['memory']:>9.0f}  {row['digest']}")
    same = len({row["digest"] for row in rows.values()}) == 1
    print("identical results on every executor: " + ("yes" if same else "NO"))


if __name__ == "__main__":
    main()
