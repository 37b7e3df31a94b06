"""Scenario files: YAML with positions → checked, frozen ``Scenario``."""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np

from .build import scenario_from_source
from .journeys import check_journeys
from .source import ScenarioError, Source, load_source, source_from_text
from .work import estimate_work, work_problem
from .python import check_fields, evolved_source, source_from_dict
from .spec import (CHANNELS, SL_FORMULAS, AgentGroup, ContactType, Routing, Scenario,
                   ServiceLevelObjective, Skill)

__all__ = ["load_scenario", "scenario_from_text", "scenario_from_dict", "check_scenario",
           "check_built", "evolve", "policy_problem",
           "estimate_work", "work_problem", "ScenarioError", "Scenario",
           "ContactType", "AgentGroup", "Skill", "Routing", "ServiceLevelObjective",
           "CHANNELS", "SL_FORMULAS"]


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and cross-check a scenario file; any problem is a ScenarioError."""
    scenario = scenario_from_source(load_source(path))
    check_scenario(scenario)
    return scenario


def scenario_from_text(text: str, name: str = "<text>", base_dir: str | Path = ".") -> Scenario:
    """Like ``load_scenario`` but from YAML text (tests, notebooks)."""
    scenario = scenario_from_source(source_from_text(text, name, Path(base_dir)))
    check_scenario(scenario)
    return scenario


def scenario_from_dict(data: dict, name: str = "<dict>", base_dir: str | Path = ".") -> Scenario:
    """Like ``load_scenario`` but from a dict shaped like the YAML (``{"horizon": "8h",
    "contact_types": {...}, ...}``, units as in YAML): the same checks and messages."""
    scenario = scenario_from_source(source_from_dict(data, name, base_dir))
    check_scenario(scenario)
    return scenario


def evolve(scenario: Scenario, path: str, value) -> Scenario:
    """``scenario`` with the value at a YAML path replaced and checked like the file, e.g.
    ``evolve(s, "contact_types.sales.talk.mean", "5min")``; the scenario must come from
    ``load_scenario``, ``scenario_from_text`` or ``scenario_from_dict``."""
    variant = scenario_from_source(evolved_source(scenario, path, value))
    check_scenario(variant)
    return variant


def check_built(scenario: Scenario) -> None:
    """Check a scenario before it runs, however it was made: single values always, and the
    whole-scenario checks when it did not come through the loader."""
    check_fields(scenario)
    if scenario.positions is None:
        check_scenario(scenario)


def check_scenario(scenario: Scenario) -> None:
    """Cross-checks that need the whole scenario: timing, the skill graph, the routing policy."""
    from ..routing import REGISTRY, get_router
    from ..skills import SkillGraph

    source: Source | None = scenario.positions

    def fail(path: tuple, message: str, key: bool = False):
        if source is None:
            raise ScenarioError(scenario.source, None, None, ".".join(map(str, path)), message)
        raise source.error(path, message, key)

    ratio = scenario.horizon / scenario.interval
    if abs(ratio - round(ratio)) > 1e-9:
        fail(("horizon",), f"must be a whole number of intervals of {scenario.interval:g}s "
                           f"(got {scenario.horizon:g}s = {ratio:.3g} intervals)")
    ratio = scenario.warmup / scenario.interval
    if abs(ratio - round(ratio)) > 1e-9:
        fail(("warmup",), f"must be a whole number of intervals of {scenario.interval:g}s, so "
                          f"that warm-up intervals can be left out whole (got {scenario.warmup:g}s)")
    n = scenario.n_intervals
    profiles = [(("contact_types", t.name, "arrivals"), len(t.arrival_rates), "arrival profile")
                for t in scenario.contact_types]
    profiles += [(("agent_groups", g.name, "headcount"), len(g.headcount), "headcount")
                 for g in scenario.agent_groups if not g.shifts]
    if scenario.ivr is not None:
        profiles.append((("ivr", "arrivals"), len(scenario.ivr.arrival_rates), "IVR arrival profile"))
    for path, length, what in profiles:
        if n % length:
            fail(path, f"the {what} has {length} values but the horizon has {n} intervals of "
                       f"{scenario.interval:g}s: give {n} values, or a profile that repeats a "
                       f"whole number of times (e.g. one day of a several-day horizon)", key=True)
    problem = work_problem(scenario)
    if problem:
        fail(problem[0], problem[1])
    check_journeys(scenario, fail)
    graph = SkillGraph(scenario)
    for name in graph.unserved_types():
        if not graph.groups_for(name):
            fail(("contact_types", name), f"no agent group has the skill {name!r}: add it to the "
                                          f"skills of a group", key=True)
        fail(("contact_types", name), f"no agent can serve {name!r}: the groups with this skill "
                                      f"({', '.join(graph.groups_for(name))}) have no headcount",
             key=True)
    policy = scenario.routing.policy
    message = policy_problem(scenario, policy, dict(scenario.routing.params), graph)
    if message:
        key, _, rest = message.partition(": ")
        if key in scenario.routing.params:
            fail(("routing", "params", key), rest)
        fail(("routing", "policy"), message)


def policy_problem(scenario: Scenario, policy: str, params: dict, graph=None) -> str | None:
    """Why ``policy`` with ``params`` cannot route ``scenario`` (None if it can): an unknown
    name, a policy file that is not Python, fails to import, lacks the class or is not a
    router, or parameters naming groups or types the scenario does not have.

    A ``file.py:Class`` policy is imported, i.e. run: a scenario naming one must be trusted
    like code."""
    from ..routing import REGISTRY, get_router
    from ..skills import SkillGraph

    if not isinstance(policy, str) or not policy.strip():
        return f"expected a routing policy name (got {policy!r})"
    if policy not in REGISTRY and ":" not in policy:
        hint = difflib.get_close_matches(policy, list(REGISTRY), n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        return (f"unknown routing policy {policy[:60]!r} (known: {', '.join(REGISTRY)}, or "
                f"'file.py:ClassName'){tip}")
    if policy not in REGISTRY and not policy.rpartition(":")[0].endswith(".py"):
        return (f"a policy file must be a Python file, 'file.py:ClassName' (got "
                f"{policy[:60]!r})")
    try:
        router = get_router(policy, scenario.base_dir)
    except ValueError as exc:
        return str(exc)[:300]
    except Exception as exc:  # the user's file: whatever it does is reported, not raised
        return f"cannot load the policy {policy[:60]!r}: {type(exc).__name__}: {str(exc)[:120]}"
    graph = graph or SkillGraph(scenario)
    try:
        # building the router checks the parameters against the skill graph too (names of
        # groups, types and segments)
        router(graph, dict(params), rng=np.random.default_rng(0))
    except ValueError as exc:
        return str(exc)[:300]
    except Exception as exc:
        return (f"the policy {policy[:60]!r} fails when built: {type(exc).__name__}: "
                f"{str(exc)[:120]}")
    return None
