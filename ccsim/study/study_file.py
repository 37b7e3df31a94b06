"""Experiment files: several scenarios or what-if variants × several routing policies.

    name: Routing study
    replications: 20
    seed: 11
    baseline: longest_idle
    policies:
      - longest_idle
      - priority
      - time_overflow: {delays: {sales: {accounts: 30s}}}
    scenarios:
      - scenarios/retail_bank_day.yaml
      - file: scenarios/retail_bank_day.yaml
        name: bank, volume +15 %
        scale: {arrivals: 1.15, handle_time: 1.0, headcount: 1.0, patience: 1.0}

Files are relative to the experiment file. Every variant runs every policy with the same seed.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from .compare import Comparison, compare
from ..limits import LIMITS
from ..routing import get_router
from ..scenario import ScenarioError, load_scenario, policy_problem
from ..scenario.source import At, load_source
from .whatif import checked_variant

__all__ = ["Study", "Variant", "load_study", "run_study"]

SCALE_KEYS = ("arrivals", "handle_time", "headcount", "patience")


@attrs.frozen
class Variant:
    name: str
    scenario: object


@attrs.frozen
class Study:
    name: str
    variants: tuple
    policies: dict  # name -> params (None: the scenario's own, or none)
    baseline: str
    replications: int | None
    seed: int | None


def is_study(path: str | Path) -> bool:
    """A YAML file with a top-level ``scenarios`` list is an experiment file."""
    try:
        source = load_source(path)
    except ScenarioError:
        return False
    return isinstance(source.data, dict) and "scenarios" in source.data


def load_study(path: str | Path) -> Study:
    source = load_source(path)
    root = At(source).mapping(("name", "description", "replications", "seed", "baseline",
                               "policies", "scenarios"), required=("policies", "scenarios"))
    base = Path(path).parent
    policies: dict = {}
    places: dict = {}
    for item in root.child("policies").sequence(min_length=1):
        if isinstance(item.value, str):
            name, params = item.value, None
        else:
            item.mapping()
            if len(item.value) != 1:
                raise item.error("expected a policy name, or one mapping {policy: {params}}")
            name = next(iter(item.value))
            if not isinstance(name, str):
                raise item.error(f"expected a policy name (got {name!r})", key=True)
            params = item.child(name).mapping().value if item.value[name] is not None else {}
        try:  # the name and the parameters' form now; their fit to each scenario below
            if ":" in name and not name.rpartition(":")[0].endswith(".py"):
                raise ValueError(f"a policy file must be a Python file, 'file.py:ClassName' "
                                 f"(got {name[:60]!r})")
            get_router(name, base).check_params(dict(params or {}))
        except ValueError as exc:
            raise item.error(str(exc)[:300]) from None
        except Exception as exc:  # the user's policy file: reported, not raised
            raise item.error(f"cannot load the policy {name[:60]!r}: {type(exc).__name__}: "
                             f"{str(exc)[:120]}") from None
        policies[name], places[name] = params, item
    variants = []
    for item in root.child("scenarios").sequence(min_length=1):
        if isinstance(item.value, str):
            file, name, factors = item, None, {}
        else:
            item.mapping(("file", "name", "scale"), required=("file",))
            file = item.child("file")
            name = item.child("name").string() if item.has("name") else None
            factors = {}
            if item.has("scale"):
                scale = item.child("scale").mapping(SCALE_KEYS)
                factors = {k: scale.child(k).number(low=0, strict_low=k != "headcount")
                           for k in SCALE_KEYS if scale.has(k)}
        path = base / file.string()
        if not path.is_file():
            raise file.error(f"no scenario file {path}")
        scenario = load_scenario(path)
        if factors:
            try:
                scenario = checked_variant(scenario, factors)
            except ValueError as exc:
                raise item.child("scale").error(str(exc)) from None
        for policy, params in policies.items():
            # the policy, and the groups and types its parameters name, must fit this variant
            own = scenario.routing.params if policy == scenario.routing.policy else {}
            problem = policy_problem(scenario, policy, dict(own if params is None else params))
            if problem:
                raise places[policy].error(f"{problem} (for {path.name})")
        variants.append(Variant(name or scenario.name, scenario))
    baseline = root.child("baseline").string(tuple(policies)) if root.has("baseline") \
        else next(iter(policies))
    return Study(
        name=root.child("name").string() if root.has("name") else Path(path).stem,
        variants=tuple(variants), policies=policies, baseline=baseline,
        replications=root.child("replications").number(low=2, high=LIMITS.replications,
                                                        integer=True)
        if root.has("replications") else None,
        seed=root.child("seed").number(low=0, integer=True) if root.has("seed") else None,
    )


def run_study(study: Study, jobs: int = 1, replications: int | None = None,
              seed: int | None = None, executor=None,
              progress=None) -> list[tuple[str, Comparison]]:
    """One comparison of all policies per variant, each with common random numbers;
    ``progress(done, total)`` follows each variant's replications in turn."""
    return [(variant.name, compare(variant.scenario, study.policies,
                                   replications=replications or study.replications,
                                   seed=seed if seed is not None else study.seed, jobs=jobs,
                                   baseline=study.baseline, executor=executor,
                                   progress=progress))
            for variant in study.variants]
