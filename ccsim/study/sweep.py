"""Sweeps: a grid over scenario parameters × routing policies × replications.

    name: Bank staffing sweep
    scenario: ../scenarios/retail_bank_day.yaml
    replications: 10
    seed: 7
    policies: [longest_idle, priority]          # default: the scenario's own policy
    grid:
      volume: [0.9, 1.0, 1.1]                   # what-if factors: volume, aht, absence,
      absence: [0, 10%]                         #   headcount, patience
      agent_groups.sales.headcount: [12, 15]    # or any value of the scenario, by its path
    kpis: [service_level, asa, abandon_rate]    # default below; paths like by_type.loans.asa

Every grid point runs every policy with the same seed (common random numbers), all as one
batch of replications on the chosen executor, each stored as it finishes, so an interrupted
sweep resumes where it stopped. The result is a tidy table: one row per grid point × policy
× replication, one column per parameter and per KPI.
"""

from __future__ import annotations

import copy
import itertools
import math
from pathlib import Path

import attrs
import yaml

from ..limits import LIMITS
from ..measure.kpis import known_kpi
from ..scenario import ScenarioError, load_scenario, policy_problem, scenario_from_text
from ..scenario.files import shown
from ..scenario.source import At, load_source
from ..scenario.workforce import fraction
from .runner import Task, execute, task_key
from .whatif import AXES, checked_variant

__all__ = ["Sweep", "Point", "load_sweep", "run_sweep", "DEFAULT_KPIS"]

DEFAULT_KPIS = ("offered", "service_level", "asa", "abandon_rate", "aht", "group_occupancy")
SWEEP_KEYS = ("name", "description", "scenario", "replications", "seed", "policies", "grid",
              "kpis")


@attrs.frozen
class Point:
    """One grid point with one policy: its parameter values and its scenario."""

    index: int
    values: dict
    policy: str
    scenario: object = attrs.field(repr=False)


@attrs.frozen
class Sweep:
    name: str
    points: tuple
    replications: int
    seed: int
    kpis: tuple
    axes: tuple


def _set(data, path: tuple, value, at: At):
    """Set the scenario value at ``path`` (mapping keys, or list positions as numbers)."""
    node = data
    for depth, key in enumerate(path):
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            key = int(key)
        elif not isinstance(node, dict) or key not in node:
            raise at.error(f"the scenario has no value at {'.'.join(path[:depth + 1])} (only "
                           f"values the scenario already sets can be swept)", key=True)
        if depth == len(path) - 1:
            node[key] = value
        else:
            node = node[key]


def load_sweep(path: str | Path) -> Sweep:
    """Read and check a sweep file; every grid point's scenario is built and checked now, so
    a mistake surfaces before any simulation."""
    source = load_source(path)
    root = At(source).mapping(SWEEP_KEYS, required=("scenario", "grid"))
    base = Path(path).parent
    file = root.child("scenario")
    scenario_path = base / file.string()
    if not scenario_path.is_file():
        raise file.error(f"no scenario file {scenario_path}")
    base_scenario = load_scenario(scenario_path)
    scenario_data = load_source(scenario_path).data
    grid_at = root.child("grid").mapping()
    if not grid_at.value:
        raise grid_at.error("needs at least one parameter to vary (got none)")
    sizes = [len(v) if isinstance(v, list) else 1 for v in grid_at.value.values()]
    if math.prod(sizes) > LIMITS.grid_points:
        raise grid_at.error(f"the grid has {' × '.join(map(str, sizes))} = "
                            f"{math.prod(sizes):,} points, more than the limit of "
                            f"{LIMITS.grid_points:,}", key=True)
    axes = {}
    for name, child in grid_at.items():
        items = child.sequence(min_length=1)
        if name in AXES:
            axes[name] = [fraction(i) if name == "absence" else i.number(low=0, strict_low=True)
                          for i in items]
        elif "." in str(name):
            _set(copy.deepcopy(scenario_data), tuple(str(name).split(".")), None, child)
            axes[name] = [i.value for i in items]
        else:
            raise child.error(f"unknown parameter {name!r}: a what-if factor "
                              f"({', '.join(AXES)}) or a scenario path such as "
                              f"agent_groups.sales.headcount", key=True)
    policies = ([p.string() for p in root.child("policies").sequence(min_length=1)]
                if root.has("policies") else [base_scenario.routing.policy])
    for index, policy in enumerate(policies if root.has("policies") else ()):
        params = (base_scenario.routing.params if policy == base_scenario.routing.policy
                  else {})
        problem = policy_problem(base_scenario, policy, dict(params))
        if problem:
            raise root.child("policies").child(index).error(problem)
    replications = (root.child("replications").number(low=1, high=LIMITS.replications,
                                                      integer=True)
                    if root.has("replications") else base_scenario.replications)
    runs = math.prod(sizes) * len(policies) * replications
    if runs > LIMITS.replications:
        raise (root.child("replications") if root.has("replications") else grid_at).error(
            f"{math.prod(sizes):,} grid points × {len(policies)} policies × {replications} "
            f"replications = {runs:,} runs, more than the limit of {LIMITS.replications:,}")
    points = []
    for index, combination in enumerate(itertools.product(*axes.values())):
        values = dict(zip(axes, combination))
        scenario = _variant(base_scenario, scenario_data, scenario_path, values, grid_at)
        for policy in policies:
            routing = attrs.evolve(scenario.routing, policy=policy,
                                   params=scenario.routing.params
                                   if policy == scenario.routing.policy else {})
            points.append(Point(index, values, policy, attrs.evolve(scenario, routing=routing)))
    kpis = DEFAULT_KPIS
    if root.has("kpis"):
        kpis = tuple(k.string() for k in root.child("kpis").sequence(min_length=1))
        for name, item in zip(kpis, root.child("kpis").sequence()):
            _check_kpi(item, name, base_scenario)
    return Sweep(
        name=root.child("name").string() if root.has("name") else Path(path).stem,
        points=tuple(points), kpis=kpis, axes=tuple(axes),
        replications=replications,
        seed=(root.child("seed").number(low=0, integer=True) if root.has("seed")
              else base_scenario.seed))


def _variant(base_scenario, data, scenario_path: Path, values: dict, grid_at: At):
    paths = {k: v for k, v in values.items() if k not in AXES}
    scenario = base_scenario
    if paths:
        changed = copy.deepcopy(data)
        for name, value in paths.items():
            _set(changed, tuple(name.split(".")), value, grid_at.child(name))
        label = ", ".join(f"{k}={shown(v)}" for k, v in paths.items())
        try:
            scenario = scenario_from_text(yaml.safe_dump(changed, sort_keys=False),
                                          f"{scenario_path} [{label}]", scenario_path.parent)
        except ScenarioError as exc:
            raise grid_at.error(f"{label}: {exc.message}") from None
    factors = {AXES[k]: v for k, v in values.items() if k in AXES}
    if not factors:
        return scenario
    try:
        return checked_variant(scenario, factors)
    except ValueError as exc:
        label = ", ".join(f"{k}={v:g}" for k, v in values.items() if k in AXES)
        raise grid_at.error(f"{label}: {exc}") from None


def run_sweep(sweep: Sweep, replications: int | None = None, seed: int | None = None,
              executor=None, jobs: int = 1, store=None, resume: bool = False,
              progress=None) -> list[dict]:
    """The tidy table: one row per point × policy × replication."""
    n = replications or sweep.replications
    seed = sweep.seed if seed is None else seed
    tasks = [Task(task_key(p.scenario, seed, r), p.scenario, seed, r)
             for p in sweep.points for r in range(n)]
    outcomes = execute(tasks, executor=executor, jobs=jobs, store=store, resume=resume,
                       progress=progress)
    rows = []
    for i, (kpis, _) in enumerate(outcomes):
        point = sweep.points[i // n]
        row = {"point": point.index, **point.values, "policy": point.policy,
               "replication": i % n}
        for name in sweep.kpis:
            node = kpis
            for part in (name if "." in name else f"overall.{name}").split("."):
                node = node[part]
            row[name] = node
        rows.append(row)
    return rows


def _check_kpi(at: At, name: str, scenario) -> None:
    """A KPI must name a number of the replication's KPI tree (checked before any run)."""
    if not known_kpi(name, scenario):
        raise at.error(f"unknown KPI {name!r}: a KPI of the whole center "
                       f"({', '.join(DEFAULT_KPIS)}, ...) or a path such as by_type.<type>.asa, "
                       f"by_group.<group>.occupancy or cost.overall.total_cost")


def summarise(rows: list[dict], sweep: Sweep) -> list[dict]:
    """Mean and 95 % half-width of every KPI per grid point and policy."""
    from ..measure.stats import mean_ci

    groups: dict = {}
    for row in rows:
        groups.setdefault((row["point"], row["policy"]), []).append(row)
    summary = []
    for (point, policy), members in groups.items():
        out = {"point": point, **{a: members[0][a] for a in sweep.axes}, "policy": policy,
               "replications": len(members)}
        for name in sweep.kpis:
            out[name], out[f"{name}_ci95"] = mean_ci([m[name] for m in members])
        summary.append(out)
    return summary


def write_tables(rows: list[dict], sweep: Sweep, out: Path, present=None) -> list[str]:
    """results.csv and summary.csv (and results.parquet when pyarrow is installed), each
    written atomically; ``present`` (summary rows → rows) shapes summary.csv for reading."""
    from ..files import csv_text, write_atomic

    summary = summarise(rows, sweep)
    written = {"results.csv": csv_text(rows),
               "summary.csv": csv_text(present(summary) if present else summary)}
    for name, text in written.items():
        write_atomic(out / name, text)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return list(written)
    import io

    buffer = io.BytesIO()
    columns = {key: [row[key] for row in rows] for key in rows[0]} if rows else {}
    pq.write_table(pa.table({k: [str(v) if isinstance(v, (list, dict)) else v for v in values]
                             for k, values in columns.items()}), buffer)
    write_atomic(out / "results.parquet", buffer.getvalue())
    return [*written, "results.parquet"]
