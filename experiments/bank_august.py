"""Does an imported interval report reproduce a real center? The Anonymous Bank, August 1999.

The data
--------
Real calls of a small Israeli bank (1999), released by the Technion SEE Lab (I. Guedj,
A. Mandelbaum) and analysed in Brown, Gans, Mandelbaum, Sakov, Shen, Zeltyn & Zhao (2005),
"Statistical Analysis of a Telephone Call Center: A Queueing-Science Perspective", JASA
100(469):36-50. The project keeps two files derived from the August calls outside the package
(see ``shared/data/anonymous_bank_1999/SOURCE.md``): a 30-minute interval report per queue in
ccsim's import schema, and a staffing *proxy* -- the distinct agents seen serving calls in each
half-hour (``agents_seen``). The data hold no log-in records, so the proxy is not the real
staffing: an agent logged in but idle for the whole half-hour is not seen (a lower bound), while
an agent who served one call and left counts as present for the whole half-hour.

The experiment
--------------
``ccsim.workforce.importer`` reads the interval report; ``ccsim.workforce.import_scenario.write_scenario`` writes a
scenario with the offered calls per half-hour as Poisson arrival profiles, exponential talk
times and exponential patience (Erlang-A estimate) per queue, and one agent group serving all six
queues with the proxy as headcount (default routing: longest idle). The month (1,488 half-hours)
is simulated several times and, per half-hour, the simulated ASA and abandonment are compared
with the real ones (ASA = wait_answered_s / handled, abandonment = abandoned / offered), for the
PS queue (regular customers, two thirds of the calls) and for all queues together.

Run: ``python experiments/bank_august.py [-r 8] [--jobs 4]``. The data are read from
``CCSIM_BANK_DATA`` or ``../shared/data/anonymous_bank_1999`` next to the repository; nothing is
copied into the repository. Without them the script says so and exits.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

import ccsim
from ccsim.workforce.import_scenario import read_staffing, write_scenario
from ccsim.workforce.importer import read_intervals

SUN_TO_THU = {6, 0, 1, 2, 3}   # datetime.weekday(): Monday = 0
BUSY = 20                      # a half-hour is "busy" with at least this many offered calls


def data_folder() -> Path:
    folder = Path(os.environ.get("CCSIM_BANK_DATA") or Path(__file__).resolve().parents[2]
                  / "shared" / "data" / "anonymous_bank_1999")
    if not (folder / "interval30_1999_08.csv").is_file():
        sys.exit(f"The Anonymous Bank data are not in {folder}: set CCSIM_BANK_DATA to the folder "
                 "that holds interval30_1999_08.csv and staffing_proxy30_1999_08.csv")
    return folder


def real_sums(data, queues) -> dict:
    """Per half-hour sums over ``queues`` from the interval report."""
    def total(field):
        return sum(np.asarray(data.queues[q].series[field]) for q in queues)
    return {"offered": total("offered"), "answered": total("handled"),
            "abandoned": total("abandoned"), "wait": total("wait_answered_s"),
            "within": total("answered_within_sl")}


def simulated_sums(results, queues) -> dict:
    """Per half-hour sums over ``queues``, averaged over the replications."""
    names = [t.name for t in results.scenario.contact_types]
    columns = [names.index(q) for q in queues]
    n = results.scenario.n_intervals

    def mean(counter):
        return np.mean([s[f"type.{counter}"][:n, columns].sum(axis=1) for s in results.sums],
                       axis=0)
    return {"offered": mean("offered"), "answered": mean("answered"),
            "abandoned": mean("abandoned"), "wait": mean("wait_answered"),
            "within": mean("answered_within")}


def kpis(sums: dict, rows=slice(None)) -> dict:
    offered, answered = sums["offered"][rows].sum(), sums["answered"][rows].sum()
    return {"offered": offered,
            "asa": sums["wait"][rows].sum() / answered if answered else np.nan,
            "abandonment": sums["abandoned"][rows].sum() / offered if offered else np.nan,
            "sl20": sums["within"][rows].sum() / offered if offered else np.nan}


def per_interval(sums: dict) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums["wait"] / sums["answered"], sums["abandoned"] / sums["offered"]


def print_overall(label, real, simulated):
    r, s = kpis(real), kpis(simulated)
    print(f"\n{label}: real vs simulated over the month")
    print(f"  {'':14}{'real':>10}{'simulated':>12}")
    print(f"  {'offered':14}{r['offered']:>10,.0f}{s['offered']:>12,.0f}")
    print(f"  {'ASA':14}{r['asa']:>9.1f}s{s['asa']:>11.1f}s")
    print(f"  {'abandonment':14}{r['abandonment']:>10.1%}{s['abandonment']:>12.1%}")
    print(f"  {'SL 20 s':14}{r['sl20']:>10.1%}{s['sl20']:>12.1%}   (answered within 20 s / offered)")


def print_by_hour(label, starts, real, simulated):
    days = len({when.date() for when in starts if when.weekday() in SUN_TO_THU})
    print(f"\n{label}, Sunday to Thursday ({days} days), by hour of day: real | simulated")
    print(f"  {'hour':>5}{'offered/day':>22}{'ASA (s)':>18}{'abandonment':>20}")
    for hour in range(7, 24):
        rows = np.array([when.weekday() in SUN_TO_THU and when.hour == hour for when in starts])
        r, s = kpis(real, rows), kpis(simulated, rows)
        print(f"  {hour:>4}h{r['offered'] / days:>11.1f} |{s['offered'] / days:>8.1f}"
              f"{r['asa']:>9.0f} |{s['asa']:>6.0f}{r['abandonment']:>11.1%} |"
              f"{s['abandonment']:>7.1%}")


def print_agreement(label, real, simulated):
    busy = real["offered"] >= BUSY
    real_asa, real_abandon = per_interval(real)
    sim_asa, sim_abandon = per_interval(simulated)
    print(f"\n{label}: {busy.sum()} busy half-hours (>= {BUSY} calls offered)")
    for name, r, s, unit in (("ASA", real_asa, sim_asa, "s"),
                             ("abandonment", real_abandon, sim_abandon, "pp")):
        keep = busy & np.isfinite(r) & np.isfinite(s)
        scale = 100 if unit == "pp" else 1
        error = np.abs(r[keep] - s[keep]).mean() * scale
        bias = (s[keep] - r[keep]).mean() * scale
        print(f"  {name:12} correlation {np.corrcoef(r[keep], s[keep])[0, 1]:.2f}   "
              f"mean absolute error {error:.1f} {unit}   mean simulated - real {bias:+.1f} {unit}"
              f"   (real mean {r[keep].mean() * scale:.1f} {unit})")


def print_occupancy(folder, results):
    """The proxy's own busy-agent equivalents against the simulated busy time."""
    with open(folder / "staffing_proxy30_1999_08.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    seen = sum(int(r["agents_seen"]) for r in rows)
    busy = sum(float(r["busy_agent_equiv"]) for r in rows)
    simulated = results.summary()["by_group"]["all_agents"]["occupancy"]
    print(f"\nOccupancy of the agents seen: real {busy / seen:.1%} (served time / agents_seen x "
          f"30 min), simulated {simulated['mean']:.1%} +/- {simulated['ci95']:.1%}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-r", "--replications", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (0 = one per core)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = data_folder()
    data = read_intervals(folder / "interval30_1999_08.csv")
    staffing = read_staffing(f"{folder / 'staffing_proxy30_1999_08.csv'}:agents_seen", data)
    with tempfile.TemporaryDirectory() as out:
        paths, _ = write_scenario(data, out, "bank_august", staffing)
        scenario = ccsim.load_scenario(paths[1])
    print("Anonymous Bank, August 1999 (Brown et al. 2005; Technion SEE Lab): "
          f"{len(data.starts)} half-hours, queues {', '.join(data.queues)}")
    print("Staffing: agents_seen, the distinct agents who served a call in each half-hour -- a "
          "proxy,\nnot the real staffing (the data hold no log-in records).")
    print(f"Simulating {args.replications} replications of the month ...", flush=True)
    results = ccsim.simulate(scenario, replications=args.replications, seed=args.seed,
                             jobs=args.jobs)
    print_occupancy(folder, results)
    for label, queues in (("All queues", list(data.queues)), ("PS", ["PS"])):
        real, simulated = real_sums(data, queues), simulated_sums(results, queues)
        print_overall(label, real, simulated)
        print_by_hour(label, data.starts, real, simulated)
        print_agreement(label, real, simulated)


if __name__ == "__main__":
    main()
