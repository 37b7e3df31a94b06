"""The contact center in motion: the only module that moves simulated time (with simpy).

Driven by callbacks rather than one generator process per contact: each pending happening
(next arrival of a type, the next patience deadline of a type, the end of a handling, an interval
boundary) is one event on simpy's clock with one callback, pushed directly (``clock.py``: no
Timeout object; a type's arrival event is reused and a contact in service is its own completion
event). Idle agents wait in one list per group, longest idle first;
waiting contacts in one list per type, oldest first. An agent leaves the idle list when taken
(from the front in O(1), out of turn by a scan of at most the group's agents), so the list never
holds more entries than the group has agents; a contact that went stale (abandoned) is skipped
when it reaches the front of its queue.

The engine knows neither the routing policy nor the statistics: it asks ``router`` to choose,
checks the choice, and tells ``observer`` what happened.
"""

from __future__ import annotations

import math
from collections import deque
from heapq import heappush
from itertools import repeat

import simpy

from ..arrivals import PiecewisePoisson, replication_rates
from ..distributions import Exponential
from .admission import AdmissionMixin, _delay_until  # noqa: F401  (tests import it here)
from .clock import NORMAL, ClockMixin, Happening
from .entities import BUSY, DONE, IDLE, IN_SERVICE, WAITING, Agent, Contact, RoutingError
from .chat import PacedChatMixin
from .hours import HoursMixin
from .ivr import IvrMixin
from .journeys import JourneysMixin
from .plain import PlainMixin
from .staffing import StaffingMixin
from .view import CenterView, QueriesMixin

__all__ = ["Center", "RoutingError", "simulate_replication"]


# absent parts of a contact: constant draws, C-level (no Python frame per contact)
_zero = repeat(0.0).__next__
_never = repeat(math.inf).__next__


class _Type:
    __slots__ = ("name", "index", "queue", "length", "talk", "hold", "acw", "patience", "gaps",
                 "process", "mean_gap", "priority", "segment", "groups", "capacity", "deadlines",
                 "alarm", "open", "deferrable", "parked", "backlog", "backlog_age", "lines",
                 "redial", "redial_u", "redial_delay", "callback", "callback_u", "retry_delay",
                 "mean_handle", "transfer", "transfer_u", "resolution", "resolve_u",
                 "repeat_delay", "fcr_by_group", "after", "customers", "attributes", "reach_u",
                 "repeat_u", "arrival_event", "find_agent")


class _Group:
    __slots__ = ("name", "index", "idle", "n_idle", "busy", "staffed", "agents", "off",
                 "factor", "types", "capacity", "stretch", "present", "finish_contact",
                 "paced", "find_contact")


class Center(PlainMixin, AdmissionMixin, HoursMixin, StaffingMixin, JourneysMixin, IvrMixin,
             PacedChatMixin, QueriesMixin, ClockMixin):
    """One replication of one scenario: live state, and the rules that change it."""

    def __init__(self, env: simpy.Environment, scenario, graph, router, observer, streams):
        self.env, self.scenario, self.router, self.observer = env, scenario, router, observer
        self._next_id = 0
        self.types: list[_Type] = []
        self.groups: list[_Group] = []
        self.type_by_name: dict[str, _Type] = {}
        self.group_by_name: dict[str, _Group] = {}
        actual = replication_rates(scenario, streams)
        for index, spec in enumerate(scenario.contact_types):
            t = _Type()
            t.name, t.index, t.priority, t.segment = spec.name, index, spec.priority, spec.segment
            t.queue, t.length, t.capacity = deque(), 0, spec.queue_capacity
            t.deadlines, t.alarm = [], math.inf  # patience deadlines of waiting contacts (a heap)
            # while its channel is closed a type's waiting contacts are parked, out of routing
            t.open, t.deferrable, t.parked = True, spec.deferrable, deque()
            t.backlog = spec.initial_backlog
            t.customers = 0  # first contacts so far: the customer part of their streams' key
            self._journey_streams(t, spec, streams, scenario)
            t.backlog_age = (streams.draws(f"{spec.name}.backlog_age", spec.backlog_age)
                             if spec.backlog_age else _zero)
            name = spec.name
            t.talk = streams.draws(f"{name}.talk", spec.talk)
            # absent parts are constant functions, so a contact's birth has no branches
            t.hold = streams.draws(f"{name}.hold", spec.hold) if spec.hold else _zero
            t.acw = streams.draws(f"{name}.acw", spec.acw) if spec.acw else _zero
            t.patience = (streams.draws(f"{name}.patience", spec.patience) if spec.patience
                          else _never)
            t.gaps = streams.draws(f"{name}.arrivals", Exponential(1.0))
            t.process = PiecewisePoisson(actual[name], scenario.interval)
            rates = set(actual[name])
            t.mean_gap = 1.0 / rates.pop() if len(rates) == 1 and min(rates | {1}) > 0 else 0.0
            t.arrival_event = Happening(None, t)  # reused: one arrival of a type is pending
            self.types.append(t)
            self.type_by_name[name] = t
        for index, spec in enumerate(scenario.agent_groups):
            g = _Group()
            g.name, g.index = spec.name, index
            g.idle, g.n_idle, g.busy, g.staffed = deque(), 0, 0, 0
            g.agents, g.off = [], []
            g.factor = {self.type_by_name[s.contact_type].index: s.proficiency for s in spec.skills}
            g.capacity, g.stretch = spec.concurrency, spec.stretch
            g.paced = spec.stretch_model == "dynamic"  # chats follow the agent's current load
            g.finish_contact = spec.finish_contact
            g.types = frozenset(g.factor)
            self.groups.append(g)
            self.group_by_name[spec.name] = g
        for t, spec in zip(self.types, scenario.contact_types):
            t.groups = frozenset(self.group_by_name[g].index for g in graph.groups_for(t.name))
            t.fcr_by_group = {self.group_by_name[g.name].index: s.fcr
                              for g in scenario.agent_groups for s in g.skills
                              if s.contact_type == t.name and s.fcr is not None}
        self._lines_waiting, self._line_releases, self._trunks = 0, [], scenario.trunks
        self._streams = streams
        self._agent_ids = 0
        self._horizon, self._interval = scenario.horizon, scenario.interval
        # callbacks bound once: a bound method made per event costs as much as a small function
        self._bind_clock(env)
        self._arrive_cbs, self._done_cbs = (self._on_arrival,), (self._on_done,)
        self._alarm_cbs, self._paced_done = (self._on_alarm,), self._on_paced_done
        self._bind_plain()  # the two-function hot path where the center allows it (plain.py)
        # the observer's per-contact hooks, bound once too
        self._tell_arrival, self._tell_queue = observer.arrival, observer.queue_changed
        self._tell_answer, self._tell_complete = observer.answer, observer.complete
        self._queues = {t.name: t.queue for t in self.types}
        self._idle = {g.name: g.idle for g in self.groups}
        self.view = CenterView(self)
        self._bind_router(router)

    def _bind_router(self, router) -> None:
        """The router's two decisions per contact type and per group: its fast paths where it
        offers them (``RouterBase.fast_paths``), else its methods, bound once."""
        prepare = getattr(router, "fast_paths", None)
        agent_for, contact_for = (prepare(self.view) if prepare else None) or ({}, {})
        for t in self.types:
            t.find_agent = agent_for.get(t.name, router.select_agent)
        for g in self.groups:
            g.find_contact = contact_for.get(g.name, router.select_contact)

    def start(self) -> None:
        """Open the channels, bring in the initial backlog, staff the first interval, schedule
        the first arrivals and the interval boundaries."""
        scenario = self.scenario
        self._schedule_hours()
        for t in self.types:
            self._bring_backlog(t)
        self._start_staffing(self._streams)
        for k in range(1, scenario.n_intervals + 1):
            self._after(k * scenario.interval, self._on_boundary, k)
        for t in self.types:
            if any(t.process.rates):
                self._schedule_arrival(t, 0.0)
        if scenario.ivr is not None:
            self._start_ivr(self._streams)

    def run(self) -> None:
        self.start()
        horizon = self.scenario.horizon
        if self.scenario.end == "stop":
            self.env.run(until=horizon)
        else:
            self.env.run()
        self._close_overtime(self.env.now)
        self.observer.end(self.env.now, self)

    # --- service -------------------------------------------------------------------------
    def _serve(self, contact: Contact, agent: Agent, now: float) -> None:
        """Start handling: the agent is off the idle list (or was never on it). A call-back
        that does not reach the customer leaves the agent as it was."""
        if contact.callback and not self._reach(contact, now):
            return
        g = agent.home
        contact.state = IN_SERVICE
        contact.agent = agent
        agent.contacts.append(contact)
        agent.held += 1
        agent.state = BUSY
        g.busy += 1
        if g.paced:
            self._serve_paced(contact, agent, now)
            return
        factor = g.factor[contact.type_index]
        if g.stretch:  # chats take longer the more an agent holds at once
            factor *= g.stretch[agent.held - 1]
        contact.factor = factor
        talk_hold = contact.talk + contact.hold
        if contact.line:  # the phone line is free again when talk and hold are over
            contact.line = False  # _release_line written out
            self._lines_waiting -= 1
            heappush(self._line_releases, now + talk_hold * factor)
        duration = (talk_hold + contact.acw) * factor
        agent.busy_time += duration
        self._tell_answer(contact, agent, now, duration)
        contact.callbacks = self._done_cbs  # the contact is its own completion event
        heappush(self._events, (self.env._now + duration, NORMAL, next(self._eid), contact))

    def _on_done(self, contact) -> None:
        agent = contact.agent
        g = agent.home
        now = self.env._now
        contact.state = DONE
        if agent.held < agent.capacity and not agent.leaving:
            self._take_idle(agent)  # it was available: _free puts it back with its new load
        agent.contacts.remove(contact)
        agent.held -= 1
        g.busy -= 1
        self._tell_complete(contact, agent, contact.factor, now)
        if contact.kind.after:
            self._after_handling(contact, agent, now)
        if agent.leaving:
            if agent.held == 0:
                then, agent.leaving = agent.leaving, None
                self._leave(agent, then, agent.away, now)
            return
        self._free(agent, now)

    def _free(self, agent: Agent, now: float) -> None:
        """An agent has capacity: give it waiting contacts while it has room, then make it
        idle (available) if room is left."""
        g = agent.home
        while agent.held < agent.capacity:
            agent.state = IDLE  # visible as available to the router, not yet in the idle list
            contact = g.find_contact(agent, self.view)
            if contact is None:  # _make_available written out: once per idle spell
                agent.idle_since = now
                agent.idle_epoch += 1
                g.idle.append((agent.idle_epoch, agent))
                g.n_idle += 1
                return
            if contact.state != WAITING or contact.type_index not in g.types:
                raise RoutingError(f"router {self.router.name!r} gave {agent!r} {contact!r}, which "
                                   f"is not a waiting contact of a type it is skilled for")
            t = contact.kind
            t.length -= 1
            self._tell_queue(t.index, t.length, now)
            self._serve(contact, agent, now)

    def _make_available(self, agent: Agent, now: float) -> None:
        g = agent.home
        agent.state = IDLE
        agent.idle_since = now
        agent.idle_epoch += 1
        g.idle.append((agent.idle_epoch, agent))
        g.n_idle += 1

    def recheck_at(self, when: float) -> None:
        """Offer waiting contacts to idle agents again at ``when`` (asked for by the router)."""
        self._after(max(0.0, when - self.env._now), self._on_recheck)

    def _on_recheck(self, event) -> None:
        self._offer_waiting(self.env._now)

    def _offer_waiting(self, now: float) -> None:
        """Ask the router, for every idle agent, whether it should take a waiting contact."""
        for g in self.groups:
            for agent in self._idle_agents(g):
                if agent.state != IDLE:
                    continue
                g.n_idle -= 1  # as in _free: the asking agent is not counted as idle
                contact = self.router.select_contact(agent, self.view)
                g.n_idle += 1
                if contact is None:
                    continue
                if contact.state != WAITING or contact.type_index not in g.types:
                    raise RoutingError(f"router {self.router.name!r} gave {agent!r} {contact!r}, "
                                       f"which is not a waiting contact of a type it is skilled for")
                self._take_idle(agent)
                t = contact.kind
                t.length -= 1
                self.observer.queue_changed(t.index, t.length, now)
                self._serve(contact, agent, now)
                if agent.held < agent.capacity:
                    self._free(agent, now)

    def _take_idle(self, agent: Agent) -> None:
        """Remove an idle agent from its group's idle list. One taken out of turn is removed
        at once, not left as a stale entry: a policy that picks anywhere in the list would
        otherwise make it grow with the run (the scan costs what walking the list costs)."""
        g = agent.home
        g.n_idle -= 1
        idle = g.idle
        if idle[0][1] is agent:
            idle.popleft()
        else:
            idle.remove((agent.idle_epoch, agent))
        agent.idle_epoch += 1


def simulate_replication(scenario, graph, router, observer, streams) -> None:
    """Run one replication to its end; the observer holds what was measured."""
    env = simpy.Environment()
    Center(env, scenario, graph, router, observer, streams).run()
