"""Scenarios made in Python: from a dict (the YAML's shape, with its units), checked as a
file would be; a frozen scenario built or changed by hand checked before it runs; and
``evolve`` by YAML path.

A dict goes through the same loader as a YAML file, so the rules and messages are the same
(``contact_types.sales.channel: expected one of phone, chat, email, social (got 'telefon');
did you mean 'phone'?``); only the line and column are missing. A ``Scenario`` assembled from
the attrs classes skips the loader: ``check_built`` repeats the loader's checks on its values
that the engine would otherwise trip over, and then the whole-scenario checks.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from pathlib import Path

import numpy as np

from ..distributions import Distribution
from .contact_types import CHANNEL_ALIASES
from .source import ScenarioError, Source
from .spec import CHANNELS, SL_FORMULAS

__all__ = ["source_from_dict", "check_fields", "evolved_source"]


def _plain(value, path: str = ""):
    """Python values as YAML would give them: tuples as lists, numpy numbers as numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if value is None or isinstance(value, (str, int, float, bool, dt.date)):
        return value
    raise ScenarioError("<dict>", None, None, path, f"expected YAML values (text, numbers, "
                        f"lists, mappings), found a {type(value).__name__}")


def source_from_dict(data, name: str = "<dict>", base_dir: str | Path = ".") -> Source:
    """The ``Source`` of a dict shaped like the YAML file (no positions to report)."""
    if not isinstance(data, dict):
        raise ScenarioError(name, None, None, "", f"expected a scenario mapping with "
                            f"contact_types and agent_groups, found a {type(data).__name__}")
    return Source(name, _plain(data), {}, {}, Path(base_dir))


def _fail(scenario, path: str, message: str):
    raise ScenarioError(scenario.source, None, None, path, message)


def _choice(scenario, path: str, value, choices, aliases=None) -> None:
    if value not in choices:
        alias = (aliases or {}).get(str(value).strip().lower())
        hint = [alias] if alias else difflib.get_close_matches(str(value), list(choices), n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        _fail(scenario, path, f"expected one of {', '.join(choices)} (got {value!r}){tip}")


def check_fields(scenario) -> None:
    """The loader's checks on single values, repeated on a frozen scenario that may not have
    come through it (built from the attrs classes, or changed with ``attrs.evolve``):
    ScenarioError naming the field."""
    for key in ("horizon", "interval"):
        value = getattr(scenario, key)
        if not isinstance(value, (int, float)) or not 0 < value < math.inf:
            _fail(scenario, key, f"expected a duration > 0 in seconds (got {value!r})")
    if not scenario.contact_types or not scenario.agent_groups:
        _fail(scenario, "contact_types" if not scenario.contact_types else "agent_groups",
              "expected at least one")
    names = set()
    for t in scenario.contact_types:
        at = f"contact_types.{t.name}"
        if t.name in names:
            _fail(scenario, at, "this contact type is defined twice")
        names.add(t.name)
        _choice(scenario, f"{at}.channel", t.channel, CHANNELS, CHANNEL_ALIASES)
        _choice(scenario, f"{at}.service_level.formula", t.service_level.formula, SL_FORMULAS)
        if not 0 < t.service_level.target <= 1:
            _fail(scenario, f"{at}.service_level.target",
                  f"expected a share in (0, 1] (got {t.service_level.target!r})")
        if not t.arrival_rates or any(not 0 <= r < math.inf for r in t.arrival_rates):
            _fail(scenario, f"{at}.arrivals", f"expected rates ≥ 0 per second (got "
                                              f"{t.arrival_rates[:5]!r})")
        for part in ("talk", "hold", "acw", "patience"):
            value = getattr(t, part)
            if part == "talk" and value is None or value is not None and \
                    not isinstance(value, Distribution):
                _fail(scenario, f"{at}.{part}", f"expected a distribution (got {value!r})")
    for g in scenario.agent_groups:
        for skill in g.skills:
            _choice(scenario, f"agent_groups.{g.name}.skills", skill.contact_type, sorted(names))
        if any(not 0 <= h < math.inf for h in g.headcount):
            _fail(scenario, f"agent_groups.{g.name}.headcount",
                  f"expected whole numbers of agents ≥ 0 (got {g.headcount[:5]!r})")


def evolved_source(scenario, path: str, value) -> Source:
    """The ``Source`` of ``scenario`` with the value at a YAML path replaced."""
    import copy

    source = scenario.positions
    if not isinstance(source, Source):
        raise ValueError("evolve needs a scenario from load_scenario, scenario_from_text or "
                         "scenario_from_dict (it changes the YAML and reads it again)")
    data = copy.deepcopy(source.data)
    node, parts = data, path.split(".")
    for i, part in enumerate(parts):
        key = int(part) if isinstance(node, list) and part.lstrip("-").isdigit() else part
        if isinstance(node, dict) and i < len(parts) - 1 and key not in node:
            node[key] = {}  # a mapping the file leaves to its defaults
        valid = (isinstance(node, dict) or isinstance(node, list) and isinstance(key, int)
                 and -len(node) <= key < len(node))
        if not valid:
            raise ScenarioError(source.name, None, None, ".".join(parts[: i + 1]),
                                f"no value to change here: {'.'.join(parts[:i]) or 'the top'} "
                                f"is {type(node).__name__}, not a mapping")
        if i == len(parts) - 1:
            node[key] = _plain(value, path)
        else:
            node = node[key]
    return Source(f"{source.name} [{path}={value!r}]", data, {}, {}, source.base_dir)
