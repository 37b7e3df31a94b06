"""Contact types from YAML: channel, arrivals, talk / hold / ACW, patience, service level."""

from __future__ import annotations

import math

from ..limits import LIMITS
from ..units import UnitError, parse_service_target
from ..distributions import DISTRIBUTIONS, REQUIRED, make_distribution
from .profiles import csv_column as _csv_column, profile as _profile
from .source import At, Source
from .journeys import JOURNEY_KEYS, parse_callback, parse_redial, parse_resolution, parse_transfer
from .spec import CHANNELS, DEFERRABLE, SL_FORMULAS, ContactType, ServiceLevelObjective

__all__ = ["contact_type", "read_distribution", "read_arrivals", "check_name", "share_target", "CHANNEL_ALIASES", "TYPE_KEYS", "SL_KEYS",
           "ARRIVAL_KEYS"]

CHANNEL_ALIASES = {word: "phone" for word in ("telefon", "telefono", "téléphone", "tel",
                                              "voice", "call", "calls", "inbound", "ivr")}
CHANNEL_ALIASES.update({"webchat": "chat", "livechat": "chat", "messaging": "chat",
                        "mail": "email", "e-mail": "email", "social media": "social",
                        "twitter": "social", "facebook": "social"})
TYPE_KEYS = ("channel", "segment", "priority", "arrivals", "talk", "hold", "acw", "patience",
             "queue_capacity", "initial_backlog", "backlog_age", "service_level", "description",
             "value", *JOURNEY_KEYS)
SL_KEYS = ("threshold", "target", "formula", "short_abandon")
ARRIVAL_KEYS = ("rate", "per_interval", "csv", "column")


def check_name(at: At, name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise at.source.error(at.path, f"names must be non-empty strings (got {name!r})", key=True)
    return name


def contact_type(name, at: At, interval: float, source: Source) -> ContactType:
    check_name(at, name)
    at.mapping(TYPE_KEYS, required=("talk",))
    channel = at.child("channel").string(CHANNELS, CHANNEL_ALIASES) if at.has("channel") \
        else "phone"
    if channel in DEFERRABLE and at.has("patience"):
        raise at.child("patience").error(f"{channel} contacts never abandon: remove patience "
                                         f"(their wait is measured against the service level)",
                                         key=True)
    backlog = (at.child("initial_backlog").number(low=0, high=LIMITS.contacts, integer=True)
               if at.has("initial_backlog") else 0)
    if backlog and channel not in DEFERRABLE:
        raise at.child("initial_backlog").error(
            f"only email and social contacts can wait from before the start (got channel "
            f"{channel})", key=True)
    return ContactType(
        name=name,
        channel=channel,
        arrival_rates=(read_arrivals(at.child("arrivals"), interval, source) if at.has("arrivals")
                       else (0.0,)),  # fed by the IVR or by other types' journeys
        talk=read_distribution(at.child("talk"), positive_mean=True),
        hold=read_distribution(at.child("hold")) if at.has("hold") else None,
        acw=read_distribution(at.child("acw")) if at.has("acw") else None,
        patience=_patience(at.child("patience")) if at.has("patience") else None,
        priority=at.child("priority").number(integer=True) if at.has("priority") else 0,
        segment=at.child("segment").string() if at.has("segment") else "standard",
        queue_capacity=(at.child("queue_capacity").number(low=0, integer=True)
                        if at.has("queue_capacity") else math.inf),
        initial_backlog=backlog,
        backlog_age=read_distribution(at.child("backlog_age")) if at.has("backlog_age") else None,
        service_level=(_service_level(at.child("service_level"))
                       if at.has("service_level") else ServiceLevelObjective()),
        redial=parse_redial(at.child("redial"), read_distribution) if at.has("redial") else None,
        callback=(parse_callback(at.child("callback"), read_distribution, _service_level)
                  if at.has("callback") else None),
        resolution=(parse_resolution(at.child("resolution"), read_distribution)
                    if at.has("resolution") else None),
        transfer=parse_transfer(at.child("transfer")) if at.has("transfer") else None,
        value=at.child("value").number(low=0) if at.has("value") else 0.0,
    )


def read_arrivals(at: At, interval: float, source: Source) -> tuple[float, ...]:
    """Per-second rate per interval from ``"240/h"``, ``rate:``, ``per_interval:`` or ``csv:``."""
    if isinstance(at.value, list):
        raise at.expected("a rate such as '240/h', or a mapping with per_interval: [...] for "
                          "one number of contacts per interval")
    if not isinstance(at.value, dict):
        rates = (at.rate(),)  # a bare number gets "expected a rate with its unit"
    else:
        at.mapping(ARRIVAL_KEYS)
        given = [k for k in ("rate", "per_interval", "csv") if at.has(k)]
        if len(given) != 1:
            raise at.error("give exactly one of rate (e.g. '240/h'), per_interval (expected "
                           f"contacts per interval) or csv (got {', '.join(given) or 'none'})")
        if given[0] == "rate":
            rates = (at.child("rate").rate(),)
        elif given[0] == "per_interval":
            items = _profile(at.child("per_interval"))
            rates = tuple(item.number(low=0) / interval for item in items)
        else:
            rates = tuple(v / interval for v in _csv_column(at, source, low=0))
    if not any(r > 0 for r in rates):
        raise at.error("the arrival rate must be > 0 in at least one interval (got only zeros)")
    return rates


def read_distribution(at: At, positive_mean: bool = False):
    """``{dist: lognormal, mean: 4min, cv: 0.8}`` → a frozen Distribution."""
    at.mapping()
    if "dist" not in at.value:
        raise at.error("missing required key 'dist' (one of " + ", ".join(DISTRIBUTIONS) + ")",
                       key=True)
    family = at.child("dist").string(tuple(DISTRIBUTIONS))
    _, kinds = DISTRIBUTIONS[family]
    at.mapping(("dist", *kinds, *(("csv", "column") if family == "empirical" else ())))
    params = {}
    for key, kind in kinds.items():
        if not at.has(key):
            continue
        child = at.child(key)
        if kind == "duration":
            params[key] = child.duration()
        elif kind == "number":
            params[key] = child.number(low=0, strict_low=True)
        elif kind == "integer":
            params[key] = child.number(low=1, integer=True)
        else:
            params[key] = tuple(item.duration() for item in child.sequence(min_length=1))
    if family == "empirical" and at.has("csv"):
        if "values" in params:
            raise at.error("give either values or csv, not both")
        params["values"] = tuple(_csv_column(at, at.source, low=0))
    for key in REQUIRED[family]:
        if key not in params:
            raise at.error(f"missing required key {key!r} for dist: {family}", key=True)
    try:
        distribution = make_distribution(family, params)
    except ValueError as exc:
        key, _, message = str(exc).partition(": ")
        target = at.child(key) if at.has(key) else at
        raise target.error(message if at.has(key) else str(exc)) from None
    if positive_mean and not distribution.mean > 0:
        raise at.error(f"the mean must be > 0 (got {distribution.mean:g}s)")
    return distribution


def _patience(at: At):
    if isinstance(at.value, str) and at.value.strip().lower() in ("inf", "infinite", "never"):
        return None
    if not isinstance(at.value, dict):
        raise at.expected("a distribution mapping such as {dist: exponential, mean: 3min}, "
                          "or 'never' for contacts that never abandon")
    return read_distribution(at, positive_mean=True)


def _service_level(at: At) -> ServiceLevelObjective:
    """``{threshold: 20s, target: 80%}``, or the planners' shorthand ``80/20`` (80 % answered
    within 20 s) for both at once; ``target`` may be ``0.8``, ``80%`` or ``80/20`` too."""
    if isinstance(at.value, str):  # service_level: 80/20
        share, threshold = share_target(at)
        if threshold is None:
            threshold = 20.0
        return ServiceLevelObjective(threshold=threshold, target=share)
    at.mapping(SL_KEYS)
    threshold = at.child("threshold").duration() if at.has("threshold") else None
    target = 0.8
    if at.has("target"):
        target, within = share_target(at.child("target"))
        if within is not None:
            if threshold is not None and within != threshold:
                raise at.child("target").error(
                    f"says within {within:g}s but threshold is {threshold:g}s: give the "
                    f"threshold once")
            threshold = within
    objective = ServiceLevelObjective(
        threshold=20.0 if threshold is None else threshold,
        target=target,
        formula=at.child("formula").string(tuple(SL_FORMULAS)) if at.has("formula")
        else "over_offered",
        short_abandon=at.child("short_abandon").duration() if at.has("short_abandon") else 0.0,
    )
    if objective.short_abandon > objective.threshold:
        raise at.child("short_abandon").error(
            f"must not exceed the threshold ({objective.threshold:g}s): a short abandon is one "
            f"that leaves before the threshold (got {objective.short_abandon:g}s)")
    return objective


def share_target(at: At) -> tuple[float, float | None]:
    """(share, threshold or None) of a target written ``0.8``, ``80%`` or ``80/20``
    (``ccsim.units.parse_service_target``), with the file position on a mistake."""
    if isinstance(at.value, (int, float)) and not isinstance(at.value, bool):
        return at.number(low=0, high=1), None
    try:
        return parse_service_target(at.value)
    except UnitError as exc:
        raise at.error(str(exc)) from None
