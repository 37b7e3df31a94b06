"""Scenario files: YAML with positions → checked, frozen ``Scenario``."""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np

from .build import scenario_from_source
from .journeys import check_journeys
from .source import ScenarioError, Source, load_source, source_from_text
from .spec import (CHANNELS, SL_FORMULAS, AgentGroup, ContactType, Routing, Scenario,
                   ServiceLevelObjective, Skill)

__all__ = ["load_scenario", "scenario_from_text", "check_scenario", "ScenarioError", "Scenario",
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
    if policy not in REGISTRY and ":" not in policy:
        hint = difflib.get_close_matches(policy, list(REGISTRY), n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        fail(("routing", "policy"), f"unknown routing policy {policy!r} (known: "
                                    f"{', '.join(REGISTRY)}, or 'file.py:ClassName'){tip}")
    try:
        router = get_router(policy, scenario.base_dir)
    except ValueError as exc:
        fail(("routing", "policy"), str(exc))
    try:
        # building the router checks the parameters against the skill graph too (names of
        # groups, types and segments)
        router(graph, dict(scenario.routing.params), rng=np.random.default_rng(0))
    except ValueError as exc:
        key, _, message = str(exc).partition(": ")
        fail(("routing", "params", key), message)
