"""The IVR in front of the phone channel: ports, a menu tree, self-service and caller ID.

A call entering the IVR needs a trunk line (when lines are limited) and a port; it then walks
the menu, one timed node at a time, each node choosing a branch with its probabilities: another
node, a contact type (the caller joins that queue, keeping the line), self-service (contained:
the caller leaves satisfied) or a hang-up. Identified callers (caller ID) skip the nodes listed
for them and may get a higher priority. Mixed into ``Center``.

The menu is compiled once per replication into ``_Node`` records whose branches point at the
next record, the contact type or the ending itself, so a caller's walk is one loop with no
lookup by name; the next IVR arrival is one reused event, as a type's next arrival is.
"""

from __future__ import annotations

import math
from heapq import heappush

from ..arrivals import PiecewisePoisson, ivr_rates
from ..distributions import Exponential, Uniform
from .clock import NORMAL, Happening
from .entities import Contact

__all__ = ["IvrMixin", "IvrCall"]

_UNIT = Uniform(0.0, 1.0)
_CONTAINED, _HANGUP = "contained", "hangup"  # the two endings, as the observer names them


class IvrCall:
    """A caller in the IVR (not yet a contact of any type). While it spends time at a node
    it is its own event on simpy's clock (``callbacks``, ``_ok``; ``node``: where it is), as a
    contact in service is: no event object per IVR step."""

    __slots__ = ("id", "entered", "interval", "identified", "line", "serial", "node",
                 "callbacks")
    _ok = True

    def __init__(self, id, entered, interval, serial=0):
        self.id, self.entered, self.interval, self.serial = id, entered, interval, serial
        self.identified, self.line = False, False


class _Node:
    """One menu node of this replication: its time draw (None: instantaneous), whether
    identified callers skip it, its branch draw and its branches ((target, probability), ...)
    with each target a ``_Node``, a contact type of the center or an ending (a string)."""

    __slots__ = ("name", "time", "skip", "branch", "branches", "last")


class IvrMixin:
    def _start_ivr(self, streams) -> None:
        ivr = self.scenario.ivr
        self._ivr_busy = 0
        self._ivr_callers = 0
        self._ivr_ports = ivr.ports
        self._ivr_share = ivr.caller_id_share
        self._ivr_source = len(self.types)  # the key source of IVR callers (see streams.py)
        self._ivr_lines = self.scenario.trunks != math.inf
        self._ivr_process = PiecewisePoisson(ivr_rates(self.scenario, streams),
                                             self.scenario.interval)
        self._ivr_gaps = streams.draws("ivr.arrivals", Exponential(1.0))
        self._ivr_caller_id = streams.draws("ivr.caller_id", _UNIT)
        skip = frozenset(ivr.caller_id_skip)
        # the streams are made in the order of the nodes, times first, as they always were
        times = {n.name: streams.draws(f"ivr.{n.name}.time", n.time)
                 for n in ivr.nodes if n.time is not None}
        nodes = {}
        for n in ivr.nodes:
            node = nodes[n.name] = _Node()
            node.name, node.time, node.skip = n.name, times.get(n.name), n.name in skip
            node.branch = streams.draws(f"ivr.{n.name}.branch", _UNIT)
        endings = {"self_service": _CONTAINED, "hangup": _HANGUP}
        for n in ivr.nodes:
            node = nodes[n.name]
            node.branches = tuple(
                (nodes.get(target) or endings.get(target) or self.type_by_name[target], p)
                for target, p in n.branches)
            node.last = node.branches[-1][0]
        self._ivr_start = nodes[ivr.start]
        self._ivr_step_cbs = (self._on_ivr_step,)
        self._ivr_arrive_cbs = (self._on_ivr_arrival,)
        self._ivr_arrival = Happening(None)  # reused: one IVR arrival is pending at a time
        self._schedule_ivr_arrival(0.0)

    def _schedule_ivr_arrival(self, now: float) -> None:
        when = self._ivr_process.next_arrival(now, self._ivr_gaps(), self._horizon)
        if when != math.inf:
            event = self._ivr_arrival
            event.callbacks = self._ivr_arrive_cbs
            heappush(self._events, (self.env._now + (when - now), NORMAL, next(self._eid),
                                    event))

    def _on_ivr_arrival(self, event) -> None:
        now = self.env._now
        when = self._ivr_process.next_arrival(now, self._ivr_gaps(), self._horizon)
        if when != math.inf:  # _schedule_ivr_arrival written out
            event.callbacks = self._ivr_arrive_cbs
            heappush(self._events, (now + (when - now), NORMAL, next(self._eid), event))
        self._next_id += 1
        self._ivr_callers += 1
        call = IvrCall(self._next_id, now, int(now // self._interval), self._ivr_callers)
        call.identified = self._ivr_caller_id() < self._ivr_share
        self.observer.ivr("entered", call, now)
        if self._ivr_lines:
            call.line = self._take_line(now)
            if not call.line:
                self.observer.ivr("blocked", call, now)
                return
        if self._ivr_busy >= self._ivr_ports:
            self._drop_line(call)
            self.observer.ivr("blocked", call, now)
            return
        self._ivr_busy += 1
        node = call.node = self._ivr_start
        if node.time is None or (node.skip and call.identified):
            self._on_ivr_step(call)
        else:
            call.callbacks = self._ivr_step_cbs
            heappush(self._events, (now + node.time(), NORMAL, next(self._eid), call))

    def _on_ivr_step(self, call: IvrCall) -> None:
        """The caller is done at its node (``call.node``): choose a branch and follow it,
        through instantaneous (or skipped) nodes at once, until a timed node (the caller
        waits there) or the end of the menu."""
        node = call.node
        while True:
            u, target = node.branch(), node.last
            for candidate, probability in node.branches:
                if u < probability:
                    target = candidate
                    break
                u -= probability
            if target.__class__ is not _Node:
                break
            node = target
            if node.time is not None and not (call.identified and node.skip):
                call.node = node
                call.callbacks = self._ivr_step_cbs
                heappush(self._events, (self.env._now + node.time(), NORMAL, next(self._eid),
                                        call))
                return
        now = self.env._now
        self._ivr_busy -= 1
        if target.__class__ is str:  # self-service or a hang-up
            self._drop_line(call)
            self.observer.ivr(target, call, now)
            return
        self.observer.ivr("routed", call, now)
        # counted in the interval the call entered, like the IVR's own counts: a call that
        # leaves the IVR in a later interval, or after the horizon, is still offered; the
        # caller is customer ``call.serial`` of the IVR (source: one past the types)
        contact = Contact(call.id, target, call.interval, now,
                          (self._ivr_source, call.serial, 1, 0, 0))
        contact.ivr_time, contact.line = now - call.entered, call.line
        if call.identified:
            contact.priority += self.scenario.ivr.caller_id_priority
        self._admit(contact, now)

    def _drop_line(self, call: IvrCall) -> None:
        if call.line:
            call.line = False
            self._lines_waiting -= 1
