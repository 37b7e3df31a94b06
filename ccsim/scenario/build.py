"""From checked YAML to a frozen ``Scenario``: every key is validated here, with its position."""

from __future__ import annotations

import difflib
import math
from pathlib import Path

from ..limits import LIMITS
from ..units import UnitError, parse_service_target
from ..distributions import DISTRIBUTIONS, REQUIRED, make_distribution
from .files import shown
from .profiles import agents as _agents, csv_column as _csv_column, profile as _profile
from .source import At, Source
from ..calendar import DAYS
from .hours import parse_date as _date, parse_hours as _hours
from .costs import parse_costs
from .journeys import (JOURNEY_KEYS, parse_callback, parse_ivr, parse_redial, parse_resolution,
                       parse_transfer)
from .workforce import (WORKFORCE_KEYS, check_rosters, clock, fraction,
                        parse_adherence, parse_forecast_error, parse_shifts)
from .spec import (CHANNELS, DEFERRABLE, END_MODES, SL_FORMULAS, AgentGroup, ContactType, Routing, Scenario,
                   ServiceLevelObjective, Skill)

__all__ = ["scenario_from_source", "TOP_KEYS"]

TOP_KEYS = ("name", "description", "start", "start_day", "start_date", "hours", "trunks", "ivr",
            "horizon", "interval", "warmup", "end", "seed", "costs",
            "replications", "contact_types", "agent_groups", "routing", "forecast_error")
# other words for a channel, for a did-you-mean where spelling alone gives none
CHANNEL_ALIASES = {word: "phone" for word in ("telefon", "telefono", "téléphone", "tel",
                                              "voice", "call", "calls", "inbound", "ivr")}
CHANNEL_ALIASES.update({"webchat": "chat", "livechat": "chat", "messaging": "chat",
                        "mail": "email", "e-mail": "email", "social media": "social",
                        "twitter": "social", "facebook": "social"})
TYPE_KEYS = ("channel", "segment", "priority", "arrivals", "talk", "hold", "acw", "patience",
             "queue_capacity", "initial_backlog", "backlog_age", "service_level", "description",
             "value", *JOURNEY_KEYS)
GROUP_KEYS = ("headcount", "skills", "concurrency", "stretch", "stretch_model", "description",
              *WORKFORCE_KEYS)
STRETCH_MODELS = ("fixed", "dynamic")
SKILL_KEYS = ("proficiency", "rank", "fcr")
SL_KEYS = ("threshold", "target", "formula", "short_abandon")
ARRIVAL_KEYS = ("rate", "per_interval", "csv", "column")


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
        ivr=(parse_ivr(root.child("ivr"), lambda a: _arrivals(a, interval, source), _distribution)
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


def _name(at: At, name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise at.source.error(at.path, f"names must be non-empty strings (got {name!r})", key=True)
    return name


def _contact_type(name, at: At, interval: float, source: Source) -> ContactType:
    _name(at, name)
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
        arrival_rates=(_arrivals(at.child("arrivals"), interval, source) if at.has("arrivals")
                       else (0.0,)),  # fed by the IVR or by other types' journeys
        talk=_distribution(at.child("talk"), positive_mean=True),
        hold=_distribution(at.child("hold")) if at.has("hold") else None,
        acw=_distribution(at.child("acw")) if at.has("acw") else None,
        patience=_patience(at.child("patience")) if at.has("patience") else None,
        priority=at.child("priority").number(integer=True) if at.has("priority") else 0,
        segment=at.child("segment").string() if at.has("segment") else "standard",
        queue_capacity=(at.child("queue_capacity").number(low=0, integer=True)
                        if at.has("queue_capacity") else math.inf),
        initial_backlog=backlog,
        backlog_age=_distribution(at.child("backlog_age")) if at.has("backlog_age") else None,
        service_level=(_service_level(at.child("service_level"))
                       if at.has("service_level") else ServiceLevelObjective()),
        redial=parse_redial(at.child("redial"), _distribution) if at.has("redial") else None,
        callback=(parse_callback(at.child("callback"), _distribution, _service_level)
                  if at.has("callback") else None),
        resolution=(parse_resolution(at.child("resolution"), _distribution)
                    if at.has("resolution") else None),
        transfer=parse_transfer(at.child("transfer")) if at.has("transfer") else None,
        value=at.child("value").number(low=0) if at.has("value") else 0.0,
    )


def _arrivals(at: At, interval: float, source: Source) -> tuple[float, ...]:
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


def _distribution(at: At, positive_mean: bool = False):
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
    return _distribution(at, positive_mean=True)


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


def _agent_group(name, at: At, source: Source, channels: dict[str, str]) -> AgentGroup:
    _name(at, name)
    at.mapping(GROUP_KEYS, required=("skills",))
    if at.has("headcount") == at.has("shifts"):
        raise at.error("give either headcount (agents per interval) or shifts (see "
                       "docs/workforce.md)", key=not at.has("headcount"))
    skills = _skills(at.child("skills"), set(channels))
    concurrency = (at.child("concurrency").number(low=1, integer=True)
                   if at.has("concurrency") else 1)
    if concurrency > 1:
        others = sorted({channels[s.contact_type] for s in skills} - {"chat"})
        if others:
            raise at.child("concurrency").error(
                f"only chat is handled several at a time, and this group also serves "
                f"{', '.join(others)}: put chat in a group of its own", key=True)
    stretch = ()
    if at.has("stretch"):
        items = at.child("stretch").sequence(min_length=1)
        stretch = tuple(item.number(low=0, strict_low=True) for item in items)
        if len(stretch) != concurrency:
            raise at.child("stretch").error(
                f"give one factor per number of contacts held, 1 to {concurrency} "
                f"(got {len(stretch)})")
    stretch_model = "fixed"
    if at.has("stretch_model"):
        stretch_model = at.child("stretch_model").string(STRETCH_MODELS)
        if stretch_model == "dynamic" and not stretch:
            raise at.child("stretch_model").error(
                "the dynamic model paces chats by the group's stretch factors: give `stretch`",
                key=True)
    shifts = parse_shifts(at.child("shifts")) if at.has("shifts") else ()
    if shifts:
        check_rosters(at.child("shifts"), shifts)
    if at.has("finish_contact") and not isinstance(at.child("finish_contact").value, bool):
        raise at.child("finish_contact").expected("true or false")
    return AgentGroup(
        name=name, skills=skills, concurrency=concurrency, stretch=stretch,
        stretch_model=stretch_model, shifts=shifts,
        headcount=_headcount(at.child("headcount"), source) if not shifts else (),
        absence=fraction(at.child("absence")) if at.has("absence") else 0.0,
        adherence=(parse_adherence(at.child("adherence"), _distribution)
                   if at.has("adherence") else None),
        finish_contact=at.child("finish_contact").value if at.has("finish_contact") else True)


def _headcount(at: At, source: Source) -> tuple[int, ...]:
    if isinstance(at.value, list):
        return tuple(_agents(item) for item in _profile(at))
    if isinstance(at.value, dict):
        at.mapping(("csv", "column"), required=("csv", "column"))
        values = _csv_column(at, source, low=0, high=LIMITS.agents_per_group, what="agents")
        if any(v != int(v) for v in values):
            raise at.child("csv").error("headcounts must be whole numbers")
        return tuple(int(v) for v in values)
    return (_agents(at),)


def _skills(at: At, type_names: set[str]) -> tuple[Skill, ...]:
    """``[sales, billing]`` (ranked by order) or ``{sales: {proficiency: 1.2, rank: 2}}``."""
    if isinstance(at.value, list):
        entries = [(item, item.string(), {}) for item in at.sequence(min_length=1)]
        skills = [Skill(name, rank=i + 1) for i, (_, name, _) in enumerate(entries)]
        places = [item for item, _, _ in entries]
    else:
        at.mapping()
        if not at.value:
            raise at.error("an agent group needs at least one skill (got none)")
        skills, places = [], []
        for name, child in at.items():
            _name(child, name)
            if child.value is None:
                skills.append(Skill(name))
            else:
                child.mapping(SKILL_KEYS)
                skills.append(Skill(
                    name,
                    proficiency=(child.child("proficiency").number(low=0, strict_low=True)
                                 if child.has("proficiency") else 1.0),
                    rank=child.child("rank").number(low=1, integer=True) if child.has("rank")
                    else 1,
                    fcr=child.child("fcr").number(low=0, high=1) if child.has("fcr") else None,
                ))
            places.append(child)
    seen = set()
    for skill, place in zip(skills, places):
        if skill.contact_type not in type_names:
            hint = difflib.get_close_matches(skill.contact_type, sorted(type_names), n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            raise place.error(f"unknown contact type {skill.contact_type!r} (contact types: "
                              f"{', '.join(sorted(type_names))}){tip}", key=True)
        if skill.contact_type in seen:
            raise place.error(f"skill {skill.contact_type!r} listed twice", key=True)
        seen.add(skill.contact_type)
    return tuple(skills)


def _routing(at: At) -> Routing:
    if isinstance(at.value, str):
        return Routing(policy=at.value)
    at.mapping(("policy", "params"), required=("policy",))
    params = at.child("params").mapping().value if at.has("params") else {}
    return Routing(policy=at.child("policy").string(), params=dict(params))
