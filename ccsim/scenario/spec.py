"""The scenario as frozen values: what the engine, the router and the statistics read.

Built once from YAML by ``build.scenario_from_source``; what-if variants are made with
``attrs.evolve``. All durations are seconds and all rates are per second.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math

import attrs

from ..distributions import Distribution
from ..schedules import shift_profile

__all__ = [
    "CHANNELS", "DEFERRABLE", "SL_FORMULAS", "END_MODES", "ServiceLevelObjective", "ContactType", "Skill",
    "AgentGroup", "ForecastError", "Routing", "Scenario",
]

CHANNELS = ("phone", "chat", "email", "social")
DEFERRABLE = ("email", "social")  # never abandon; wait across closed hours
SL_FORMULAS = {
    "over_offered": "answered within threshold / offered (abandons count against)",
    "over_offered_less_early_abandons": "answered within threshold / (offered - abandoned within threshold)",
    "early_abandons_as_met": "(answered + abandoned within threshold) / offered",
    "over_answered": "answered within threshold / answered",
}
END_MODES = ("drain", "stop")


@attrs.frozen
class ServiceLevelObjective:
    """"``target`` of contacts answered within ``threshold``", with the formula used to count."""

    threshold: float = 20.0
    target: float = 0.8
    formula: str = "over_offered"
    short_abandon: float = 0.0


@attrs.frozen
class ContactType:
    """A kind of contact: its channel, its demand and what handling it takes."""

    name: str
    channel: str
    arrival_rates: tuple[float, ...]  # per second, one per interval, repeating
    talk: Distribution
    hold: Distribution | None = None
    acw: Distribution | None = None
    patience: Distribution | None = None  # None: never abandons
    priority: int = 0
    segment: str = "standard"
    queue_capacity: float = math.inf  # waiting places; an arrival finding them all taken is blocked
    redial: object = None  # journeys.Redial: blocked or abandoned callers try again
    callback: object = None  # journeys.Callback: virtual hold
    resolution: object = None  # journeys.Resolution: first-contact resolution and repeats
    transfer: object = None  # journeys.Transfer: handled contacts passed to another type
    initial_backlog: int = 0  # contacts already waiting at the start (deferrable channels)
    backlog_age: Distribution | None = None  # how long they have been waiting then
    value: float = 0.0  # revenue per contact: handled, earned; abandoned or turned away, at risk

    @property
    def deferrable(self) -> bool:
        return self.channel in DEFERRABLE
    service_level: ServiceLevelObjective = ServiceLevelObjective()

    @property
    def mean_handle_time(self) -> float:
        return sum(d.mean for d in (self.talk, self.hold, self.acw) if d is not None)


@attrs.frozen
class Skill:
    """An agent group's ability to serve one contact type.

    ``proficiency`` is a handle-time factor (1.0 nominal, 1.3 = takes 30 % longer);
    ``rank`` is the preference (1 = first choice) used by priority routing in both directions.
    """

    contact_type: str
    proficiency: float = 1.0
    rank: int = 1
    fcr: float | None = None  # this group's first-contact resolution, if not the type's


@attrs.frozen
class AgentGroup:
    """Agents with the same skills, staffed either by a headcount per interval (repeating like
    the arrivals) or by shifts (then ``headcount`` is empty and the plan comes from the shifts).
    """

    name: str
    headcount: tuple[int, ...]
    skills: tuple[Skill, ...]
    concurrency: int = 1  # contacts an agent holds at once (chat-only groups)
    stretch: tuple[float, ...] = ()  # handle-time factor when holding 1, 2, ... contacts
    # "fixed": a chat keeps the factor of the load it started at; "dynamic": its remaining work
    # goes at the pace of the agent's current load (re-timed whenever the load changes)
    stretch_model: str = "fixed"
    shifts: tuple = ()  # schedules.Shift
    absence: float = 0.0  # probability that an agent misses a whole day (unplanned)
    adherence: object = None  # schedules.Adherence: late log-ins, early log-outs, long breaks
    finish_contact: bool = True  # breaks wait for the contact in hand (else they end on time)

    def skill(self, contact_type: str) -> Skill | None:
        return next((s for s in self.skills if s.contact_type == contact_type), None)


@attrs.frozen
class ForecastError:
    """Actual volume = forecast × a day-level busyness factor × an interval factor, both gamma
    with mean 1 and the given coefficients of variation (a Poisson–gamma mixture)."""

    day: float = 0.0
    interval: float = 0.0


@attrs.frozen
class Routing:
    policy: str = "longest_idle"
    params: dict = attrs.field(factory=dict, hash=False)


@attrs.frozen
class Scenario:
    """One contact center over one horizon."""

    contact_types: tuple[ContactType, ...]
    agent_groups: tuple[AgentGroup, ...]
    horizon: float
    interval: float = 1800.0
    warmup: float = 0.0
    start: float = 0.0  # clock time of t = 0 (07:00 = 25200): display and opening hours
    start_day: int = 0  # weekday of t = 0, 0 = Monday
    start_date: object = None  # datetime.date of t = 0, needed only for dated exceptions
    hours: dict = attrs.field(factory=dict, hash=False)  # channel -> Calendar (absent: always)
    trunks: float = math.inf  # phone lines shared by the IVR, the queue and talk
    ivr: object = None  # journeys.Ivr in front of the phone channel
    costs: object = None  # costs.Costs: hourly rates of agents, trunk lines and IVR ports
    end: str = "drain"
    forecast_error: object = None  # ForecastError: actual volumes deviate from the forecast
    routing: Routing = Routing()
    name: str = "scenario"
    seed: int = 1
    replications: int = 10
    source: str = attrs.field(default="<memory>", eq=False)
    base_dir: str = attrs.field(default=".", eq=False)  # files named in the scenario are here
    positions: object = attrs.field(default=None, eq=False, repr=False)

    @property
    def n_intervals(self) -> int:
        return math.ceil(self.horizon / self.interval - 1e-9)

    def contact_type(self, name: str) -> ContactType:
        return next(t for t in self.contact_types if t.name == name)

    def agent_group(self, name: str) -> AgentGroup:
        return next(g for g in self.agent_groups if g.name == name)

    def arrival_rate(self, contact_type: ContactType, interval: int) -> float:
        return contact_type.arrival_rates[interval % len(contact_type.arrival_rates)]

    def demand_rate(self, contact_type: ContactType, interval: int) -> float:
        """Expected new contacts per second of ``contact_type`` in ``interval``: its own
        arrivals plus the calls the IVR routes to it (IVR entries × routed share; blocking at
        the IVR's ports and time spent in the menu are left out)."""
        rate = self.arrival_rate(contact_type, interval)
        if self.ivr is not None:
            share = self.ivr.routed_shares().get(contact_type.name, 0.0)
            if share:
                rates = self.ivr.arrival_rates
                rate += rates[interval % len(rates)] * share
        return rate

    def headcount(self, group: AgentGroup, interval: int) -> float:
        """Agents planned on the phones in ``interval`` (mean over it for shift groups)."""
        if group.shifts:
            return self._shift_profile(group)[0][interval]
        return group.headcount[interval % len(group.headcount)]

    def scheduled(self, group: AgentGroup, interval: int) -> float:
        """Agents paid in ``interval``: planned ones plus those on paid activities."""
        if group.shifts:
            return self._shift_profile(group)[1][interval]
        return group.headcount[interval % len(group.headcount)]

    def _shift_profile(self, group: AgentGroup):
        return _profile_of(group.shifts, self.n_intervals, self.interval, self.start,
                           self.start_day)

    def as_dict(self) -> dict:
        """Plain data (for run.json and hashing): every value the simulation depends on."""
        return _plain(self)

    def digest(self) -> str:
        text = json.dumps(self.as_dict(), sort_keys=True, default=repr)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=64)
def _profile_of(shifts, n_intervals, interval, start, start_day):
    """``shift_profile`` remembered: callers ask for it interval by interval, and computing
    it afresh each time made a long horizon quadratic."""
    return shift_profile(shifts, n_intervals, interval, start, start_day)


def _plain(value):
    """attrs values → dicts (distributions named by family), tuples → lists, inf → "inf"."""
    if isinstance(value, Distribution):
        return {"dist": type(value).__name__.lower(),
                **{f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}}
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))
                if f.eq}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return value
