"""The IVR in front of the phone channel: ports, a menu tree, self-service and caller ID.

A call entering the IVR needs a trunk line (when lines are limited) and a port; it then walks
the menu, one timed node at a time, each node choosing a branch with its probabilities: another
node, a contact type (the caller joins that queue, keeping the line), self-service (contained:
the caller leaves satisfied) or a hang-up. Identified callers (caller ID) skip the nodes listed
for them and may get a higher priority. Mixed into ``Center``.
"""

from __future__ import annotations

import math

from ..arrivals import PiecewisePoisson, ivr_rates
from ..distributions import Exponential, Uniform
from .entities import Contact

__all__ = ["IvrMixin", "IvrCall"]

_UNIT = Uniform(0.0, 1.0)


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


class IvrMixin:
    def _start_ivr(self, streams) -> None:
        ivr = self.scenario.ivr
        self._ivr_busy = 0
        self._ivr_callers = 0
        self._ivr_process = PiecewisePoisson(ivr_rates(self.scenario, streams),
                                             self.scenario.interval)
        self._ivr_gaps = streams.draws("ivr.arrivals", Exponential(1.0))
        self._ivr_caller_id = streams.draws("ivr.caller_id", _UNIT)
        self._ivr_time = {n.name: streams.draws(f"ivr.{n.name}.time", n.time)
                          for n in ivr.nodes if n.time is not None}
        self._ivr_branch = {n.name: streams.draws(f"ivr.{n.name}.branch", _UNIT) for n in ivr.nodes}
        self._ivr_nodes = {n.name: n for n in ivr.nodes}
        self._ivr_skip = frozenset(ivr.caller_id_skip)
        self._ivr_step_cbs = (self._on_ivr_step,)
        self._schedule_ivr_arrival(0.0)

    def _schedule_ivr_arrival(self, now: float) -> None:
        when = self._ivr_process.next_arrival(now, self._ivr_gaps(), self.scenario.horizon)
        if when != math.inf:
            self._after(when - now, self._on_ivr_arrival)

    def _on_ivr_arrival(self, event) -> None:
        now = self.env._now
        self._schedule_ivr_arrival(now)
        ivr = self.scenario.ivr
        self._next_id += 1
        self._ivr_callers += 1
        call = IvrCall(self._next_id, now, int(now // self._interval), self._ivr_callers)
        call.identified = self._ivr_caller_id() < ivr.caller_id_share
        self.observer.ivr("entered", call, now)
        if self.scenario.trunks != math.inf:
            call.line = self._take_line(now)
            if not call.line:
                self.observer.ivr("blocked", call, now)
                return
        if self._ivr_busy >= ivr.ports:
            self._drop_line(call)
            self.observer.ivr("blocked", call, now)
            return
        self._ivr_busy += 1
        self._ivr_visit(call, ivr.start, now)

    def _ivr_visit(self, call: IvrCall, name: str, now: float) -> None:
        node = self._ivr_nodes[name]
        if node.time is None or (call.identified and name in self._ivr_skip):
            self._ivr_choose(call, node, now)
        else:
            call.node = node
            self._push(self._ivr_time[name](), call, self._ivr_step_cbs)

    def _on_ivr_step(self, call) -> None:
        self._ivr_choose(call, call.node, self.env._now)

    def _ivr_choose(self, call: IvrCall, node, now: float) -> None:
        u, target = self._ivr_branch[node.name](), node.branches[-1][0]
        for candidate, probability in node.branches:
            if u < probability:
                target = candidate
                break
            u -= probability
        if target in self._ivr_nodes:
            self._ivr_visit(call, target, now)
            return
        self._ivr_busy -= 1
        if target in ("self_service", "hangup"):
            self._drop_line(call)
            self.observer.ivr("contained" if target == "self_service" else "hangup", call, now)
            return
        self.observer.ivr("routed", call, now)
        t = self.type_by_name[target]
        # counted in the interval the call entered, like the IVR's own counts: a call that
        # leaves the IVR in a later interval, or after the horizon, is still offered; the
        # caller is customer ``call.serial`` of the IVR (source: one past the types)
        contact = Contact(call.id, t, call.interval, now, (len(self.types), call.serial, 1, 0, 0))
        contact.ivr_time, contact.line = now - call.entered, call.line
        if call.identified:
            contact.priority += self.scenario.ivr.caller_id_priority
        self._admit(contact, now)

    def _drop_line(self, call: IvrCall) -> None:
        if call.line:
            call.line = False
            self._lines_waiting -= 1
