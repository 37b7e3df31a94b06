"""Arrivals, admission and patience: how a contact enters the center. Mixed into ``Center``;
uses its state, router and observer (pre-bound hooks, see ``Center.__init__``).

A type's next arrival is one reused event; a contact arriving is turned away (channel closed),
parked (closed, but deferrable), blocked (no trunk line, or the queue is full), answered at
once (the router picked an idle agent) or queued with its patience deadline. One patience alarm
per type is pending at a time, set to the earliest deadline of its waiting contacts.
"""

from __future__ import annotations

import math
from heapq import heappop, heappush

from .clock import NORMAL, Happening
from .entities import ABANDONED, BLOCKED, CLOSED, IDLE, WAITING, Contact, RoutingError

__all__ = ["AdmissionMixin"]


def _delay_until(now: float, when: float) -> float:
    """The delay after which simpy's clock (``now + delay``) reads at least ``when``: plain
    ``when - now`` can land one rounding step early, and an alarm that fires before its
    deadline would find nothing due."""
    delay = when - now
    while now + delay < when:
        delay = math.nextafter(delay, math.inf)
    return delay


class AdmissionMixin:
    def _schedule_arrival(self, t, now: float) -> None:
        when = t.process.next_arrival(now, t.gaps(), self._horizon)
        if when != math.inf:
            self._push(when - now, t.arrival_event, self._arrive_cbs)

    def _on_arrival(self, event) -> None:
        t = event._value
        now = self.env._now
        if t.mean_gap:  # constant rate: the common case, without a call
            when = now + t.gaps() * t.mean_gap
            if when < self._horizon:
                event.callbacks = self._arrive_cbs
                heappush(self._events, (now + (when - now), NORMAL, next(self._eid), event))
        else:
            when = t.process.next_arrival(now, t.gaps(), self._horizon)
            if when != math.inf:
                event.callbacks = self._arrive_cbs
                heappush(self._events, (now + (when - now), NORMAL, next(self._eid), event))
        self._next_id += 1
        t.customers += 1
        self._admit(Contact(self._next_id, t, int(now // self._interval), now,
                            (t.index, t.customers, 1, 0, 0)), now)

    def _admit(self, contact: Contact, now: float) -> None:
        """A contact arrives at its type: turned away, parked, blocked, answered or queued."""
        t = contact.kind
        if not t.open:
            if not t.deferrable and not contact.callback:  # a closed message: never enters
                contact.state = CLOSED
                self._release_line(contact)
                self.observer.turned_away(contact, now)
                return
            # deferrable work and call-backs due wait for the opening
            self._tell_arrival(contact, now)
            t.parked.append(contact)
            t.length += 1
            self._tell_queue(t.index, t.length, now)
            return
        if t.lines and not contact.line and not contact.callback:
            if not self._take_line(now):
                contact.state = BLOCKED  # a busy signal: every trunk line is in use
                self._tell_arrival(contact, now)
                self.observer.block(contact, now)
                self._after_failure(contact, now)
                return
            contact.line = True
        self._tell_arrival(contact, now)
        agent = t.find_agent(contact, self.view)
        if agent is not None:
            if agent.state != IDLE or agent.group_index not in t.groups:
                raise RoutingError(f"router {self.router.name!r} chose {agent!r}, which is not an "
                                   f"idle agent skilled for {contact!r}")
            # take the agent off its group's idle list (inline _take_idle: the hot path)
            g = agent.home
            g.n_idle -= 1
            idle = g.idle
            if idle[0][1] is agent:
                idle.popleft()
            else:
                idle.remove((agent.idle_epoch, agent))
            agent.idle_epoch += 1
            self._serve(contact, agent, now)
            if agent.held < agent.capacity:  # room for another chat (or a callback not reached)
                # _make_available written out
                agent.state = IDLE
                agent.idle_since = now
                agent.idle_epoch += 1
                g.idle.append((agent.idle_epoch, agent))
                g.n_idle += 1
            return
        length = t.length
        if length >= t.capacity:
            contact.state = BLOCKED
            self.observer.block(contact, now)
            self._release_line(contact)
            self._after_failure(contact, now)
            return
        t.queue.append(contact)
        t.length = length = length + 1
        self._tell_queue(t.index, length, now)
        if t.callback and not contact.callback and self._offer_callback(contact, now):
            return  # the caller hung up and keeps its place: no patience runs out any more
        patience = contact.patience
        if patience != math.inf:
            deadline = now + patience
            heappush(t.deadlines, (deadline, contact.id, contact))
            if deadline < t.alarm:
                t.alarm = deadline
                heappush(self._events, (self.env._now + patience, NORMAL,
                                        next(self._eid), Happening(self._alarm_cbs, t)))

    def _on_alarm(self, event) -> None:
        """Patience ran out for the earliest deadline of a type: those still waiting abandon.

        One alarm per type is pending at a time, set to the earliest deadline of a waiting
        contact, instead of one timer per waiting contact: most waiting contacts are answered
        before their patience runs out, and their timers would only fill the event list."""
        t = event._value
        now = self.env._now
        deadlines = t.deadlines
        while deadlines and (deadlines[0][0] <= now or deadlines[0][2].state != WAITING):
            contact = heappop(deadlines)[2]
            if contact.state == WAITING and not contact.callback:
                contact.state = ABANDONED
                t.length -= 1
                self._tell_queue(t.index, t.length, now)
                self.observer.abandon(contact, now)
                self._release_line(contact)
                self._after_failure(contact, now)
        if t.alarm <= now:  # this was the pending alarm (an earlier one may have replaced it)
            t.alarm = math.inf
        if deadlines and deadlines[0][0] < t.alarm:
            t.alarm = deadlines[0][0]
            self._after(_delay_until(now, t.alarm), self._on_alarm, t)
