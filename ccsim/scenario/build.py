"""From checked YAML to a frozen ``Scenario``: every key is validated here, with its position."""

from __future__ import annotations

import math
from pathlib import Path

from ..limits import LIMITS
from .files import shown
from .source import At, Source
from ..calendar import DAYS
from .hours import parse_date as _date, parse_hours as _hours
from .costs import parse_costs
from .journeys import parse_ivr
from .workforce import clock, parse_forecast_error
from .spec import END_MODES, Routing, Scenario

from .contact_types import contact_type as _contact_type, read_arrivals, read_distribution
from .groups import agent_group as _agent_group
__all__ = ["scenario_from_source", "TOP_KEYS"]

TOP_KEYS = ("name", "description", "start", "start_day", "start_date", "hours", "trunks", "ivr",
            "horizon", "interval", "warmup", "end", "seed", "costs",
            "replications", "contact_types", "agent_groups", "routing", "forecast_error")
# other words for a channel, for a did-you-mean where spelling alone gives none
def scenario_from_source(source: Source) -> Scenario:
    root = At(source).mapping(TOP_KEYS, required=("horizon", "contact_types", "agent_groups"))
    horizon = root.child("horizon").duration(strict_low=True)
    if horizon > LIMITS.horizon:
        raise root.child("horizon").error(
            f"at most {LIMITS.horizon / 86400:g} days can be simulated (the limit; got "
            f"{shown(root.child('horizon').value)})")
    interval = root.child("interval").duration(strict_low=True) if root.has("interval") else 1800.0
    if interval > horizon:
        raise root.child("interval").error(
            f"must not be longer than the horizon ({horizon:g}s) (got {interval:g}s)")
    if horizon / interval > LIMITS.intervals:
        raise root.child("interval" if root.has("interval") else "horizon").error(
            f"the horizon would have {horizon / interval:,.0f} intervals, more than the limit "
            f"of {LIMITS.intervals:,}: use longer intervals or a shorter horizon")
    warmup = root.child("warmup").duration() if root.has("warmup") else 0.0
    if warmup >= horizon:
        raise root.child("warmup").error(
            f"must be shorter than the horizon ({horizon:g}s) (got {warmup:g}s)")
    contact_types = root.child("contact_types")
    if not isinstance(contact_types.value, dict):
        raise contact_types.expected("a mapping of contact type names to their definitions")
    if not contact_types.value:
        raise contact_types.error("needs at least one contact type (got none)")
    agent_groups = root.child("agent_groups")
    if not isinstance(agent_groups.value, dict):
        raise agent_groups.expected("a mapping of agent group names to their definitions")
    if not agent_groups.value:
        raise agent_groups.error("needs at least one agent group (got none)")
    start_date = _date(root.child("start_date")) if root.has("start_date") else None
    if start_date and root.has("start_day") and \
            DAYS.index(root.child("start_day").string(DAYS)) != start_date.weekday():
        raise root.child("start_day").error(
            f"start_date {start_date} is a {DAYS[start_date.weekday()]}, not a "
            f"{root.child('start_day').value}")
    types = tuple(_contact_type(name, at, interval, source) for name, at in contact_types.items())
    groups = tuple(_agent_group(name, at, source, {t.name: t.channel for t in types})
                   for name, at in agent_groups.items())
    return Scenario(
        contact_types=types,
        agent_groups=groups,
        horizon=horizon,
        interval=interval,
        warmup=warmup,
        start=clock(root.child("start")) if root.has("start") else 0.0,
        start_day=(DAYS.index(root.child("start_day").string(DAYS))
                   if root.has("start_day") else start_date.weekday() if start_date else 0),
        start_date=start_date,
        hours=_hours(root.child("hours"), start_date) if root.has("hours") else {},
        trunks=root.child("trunks").number(low=1, integer=True) if root.has("trunks") else math.inf,
        ivr=(parse_ivr(root.child("ivr"), lambda a: read_arrivals(a, interval, source), read_distribution)
             if root.has("ivr") else None),
        costs=(parse_costs(root.child("costs"), root, [g.name for g in groups])
               if root.has("costs") else None),
        end=root.child("end").string(END_MODES) if root.has("end") else "drain",
        forecast_error=(parse_forecast_error(root.child("forecast_error"))
                        if root.has("forecast_error") else None),
        routing=_routing(root.child("routing")) if root.has("routing") else Routing(),
        name=root.child("name").string() if root.has("name") else Path(source.name).stem,
        seed=root.child("seed").number(low=0, integer=True) if root.has("seed") else 1,
        replications=(root.child("replications").number(low=1, high=LIMITS.replications,
                                                          integer=True)
                      if root.has("replications") else 10),
        source=source.name,
        base_dir=str(source.base_dir),
        positions=source,
    )


def _routing(at: At) -> Routing:
    if isinstance(at.value, str):
        return Routing(policy=at.value)
    at.mapping(("policy", "params"), required=("policy",))
    params = at.child("params").mapping().value if at.has("params") else {}
    return Routing(policy=at.child("policy").string(), params=dict(params))
