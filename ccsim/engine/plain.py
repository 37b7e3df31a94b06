"""The hot path of a plain center, written as two functions. Mixed into ``Center``.

In a plain center (no hours of operation, trunk lines, call-backs, transfers or resolution, no
IVR, every group one contact at a time without stretch or pacing) a contact's life is: arrive,
be answered at once or wait, finish, and the agent takes the next waiting contact or goes idle.
``_on_arrival_plain`` does what ``_on_arrival`` → ``_admit`` → ``_serve`` do for it, and
``_on_done_plain`` what ``_on_done`` → ``_free`` → ``_serve`` do, in the same order, with the
same router calls: only the Python frames in between and the branches a plain center never
takes are gone, so results are bit-identical (``tests/test_plain_path.py``).

It runs when the observer takes the frequent reports as records (``observer.ledger``, see
``measure/observers.py``): arrivals, answers, completions and queue changes are added to the
ledger's lists, a tuple each, in the order the hooks would have been called; with any other
observer a plain center runs the general path. A first contact is built in place
(``Contact.__init__`` written out). The rare turns (queue full, an agent leaving, patience
running out) go through the general methods and the observer's hooks.
"""

from __future__ import annotations

import math
from heapq import heappush

from .clock import NORMAL, Happening
from .entities import BLOCKED, BUSY, DONE, IDLE, IN_SERVICE, WAITING, Contact, RoutingError

__all__ = ["PlainMixin"]
_new = object.__new__  # a Contact without the call to __init__


class PlainMixin:
    def _is_plain(self) -> bool:
        """Whether the center never takes the turns the plain hot path leaves out."""
        scenario = self.scenario
        return (scenario.ivr is None and not scenario.hours
                and all(not (t.lines or t.callback or t.after) for t in self.types)
                and all(g.capacity == 1 and not g.stretch and not g.paced for g in self.groups))

    def _bind_plain(self) -> None:
        ledger = getattr(self.observer, "ledger", None)
        if ledger is not None and self._is_plain():
            self._arrive_cbs, self._done_cbs = (self._on_arrival_plain,), (self._on_done_plain,)
            self._ledger, self._chunk = ledger, 2 * ledger.chunk  # two numbers an arrival
            self._arrived, self._answered = ledger.arrived, ledger.answered
            self._completed, self._queued = ledger.completed, ledger.queued

    def _on_arrival_plain(self, event) -> None:
        t = event._value
        now = self.env._now
        if t.mean_gap:
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
        # Contact.__init__ written out (tests/test_plain_path.py: the same attributes)
        contact = _new(Contact)
        contact.id = contact.customer = self._next_id
        contact.kind = t
        contact.type = t.name
        contact.type_index = t.index
        contact.interval = int(now // self._interval)
        contact.arrival = now
        contact.priority = t.priority
        contact.segment = t.segment
        contact.key = (t.index, t.customers, 1, 0, 0)
        contact.talk = t.talk()
        contact.hold = t.hold()
        contact.acw = t.acw()
        contact.patience = t.patience()
        contact.state = WAITING
        contact.attempt = 1
        contact.origin = "new"
        contact.line = False
        contact.callback = 0
        contact.repeats = 0
        contact.ivr_time = 0.0
        arrived = self._arrived
        arrived += (contact.interval, t.index)
        if len(arrived) > self._chunk:
            self._ledger.fold()
        agent = t.find_agent(contact, self.view)
        if agent is not None:
            if agent.state != IDLE or agent.group_index not in t.groups:
                raise RoutingError(f"router {self.router.name!r} chose {agent!r}, which is not an "
                                   f"idle agent skilled for {contact!r}")
            g = agent.home
            g.n_idle -= 1
            idle = g.idle
            if idle[0][1] is agent:
                idle.popleft()
            else:
                idle.remove((agent.idle_epoch, agent))
            agent.idle_epoch += 1
            # _serve written out
            contact.state = IN_SERVICE
            contact.agent = agent
            agent.contacts.append(contact)
            agent.held += 1
            agent.state = BUSY
            g.busy += 1
            factor = g.factor[contact.type_index]
            contact.factor = factor
            duration = (contact.talk + contact.hold + contact.acw) * factor
            agent.busy_time += duration
            answered = self._answered
            answered += (contact.interval, t.index, agent.group_index, 0.0, now, now + duration)
            contact.callbacks = self._done_cbs
            heappush(self._events, (self.env._now + duration, NORMAL, next(self._eid), contact))
            return
        if t.length >= t.capacity:
            contact.state = BLOCKED
            self.observer.block(contact, now)
            self._after_failure(contact, now)
            return
        t.queue.append(contact)
        t.length += 1
        queued = self._queued
        queued += (t.index, t.length, now)
        if contact.patience != math.inf:
            deadline = now + contact.patience
            heappush(t.deadlines, (deadline, contact.id, contact))
            if deadline < t.alarm:
                t.alarm = deadline
                heappush(self._events, (self.env._now + contact.patience, NORMAL,
                                        next(self._eid), Happening(self._alarm_cbs, t)))

    def _on_done_plain(self, contact) -> None:
        agent = contact.agent
        g = agent.home
        now = self.env._now
        contact.state = DONE
        agent.contacts.clear()  # capacity one: it held this contact only
        agent.held -= 1
        g.busy -= 1
        completed = self._completed
        completed += (contact.interval, contact.type_index, agent.group_index, contact.talk,
                      contact.hold, contact.acw, contact.factor)
        if agent.leaving:
            if agent.held == 0:
                then, agent.leaving = agent.leaving, None
                self._leave(agent, then, agent.away, now)
            return
        # _free written out, for an agent of capacity one
        agent.state = IDLE
        contact = g.find_contact(agent, self.view)
        if contact is None:
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
        # _serve written out
        contact.state = IN_SERVICE
        contact.agent = agent
        agent.contacts.append(contact)
        agent.held = 1
        agent.state = BUSY
        g.busy += 1
        factor = g.factor[contact.type_index]
        contact.factor = factor
        duration = (contact.talk + contact.hold + contact.acw) * factor
        agent.busy_time += duration
        queued, answered = self._queued, self._answered
        queued += (t.index, t.length, now)
        answered += (contact.interval, t.index, agent.group_index, now - contact.arrival, now,
                     now + duration)
        contact.callbacks = self._done_cbs
        heappush(self._events, (self.env._now + duration, NORMAL, next(self._eid), contact))
