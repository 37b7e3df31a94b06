"""Observers: they listen to what the engine reports and measure; they never change anything.

``Statistics`` keeps sums per interval × contact type (counts, wait sums, handle-time parts, a
wait histogram) and time integrals per interval (queue length per type, busy and staffed agents
per group). Contacts are counted in the interval they arrived in, as ACD interval reports do.
Nothing is kept per contact. Every KPI is recomputed later from these sums (``kpis.py``).

The engine calls: ``arrival``, ``answer``, ``abandon``, ``block``, ``complete``, ``queue_changed``,
``staffing``, ``interval_closed`` and, once, ``end``. ``answer`` says how long the handling will
take, so busy time is booked to the intervals it will span without one more call when it ends.
"""

from __future__ import annotations

import math

import numpy as np

from .stats import ZERO_BIN, wait_bin

__all__ = ["Observer", "Observers", "Statistics", "TYPE_COUNTERS", "GROUP_COUNTERS"]

# per interval × contact type
TYPE_COUNTERS = ("offered", "answered", "answered_immediately", "answered_within", "blocked",
                 "abandoned", "abandoned_within",
                 "short_abandoned", "wait_answered", "wait_abandoned", "handled", "talk", "hold",
                 "acw", "waiting_at_end", "wait_at_end", "in_service_at_end", "queue_area", "queue_max")
# per interval × agent group
GROUP_COUNTERS = ("answered", "handled", "handle_time", "busy_area", "staffed_area",
                  "scheduled_area")


class Observer:
    """Base with no-op hooks: subclass and override what you need."""

    def arrival(self, contact, now): pass
    def answer(self, contact, agent, now, duration): pass
    def abandon(self, contact, now): pass
    def block(self, contact, now): pass
    def complete(self, contact, agent, factor, now): pass
    def queue_changed(self, type_index, length, now): pass
    def staffing(self, group_index, staffed, now): pass
    def interval_closed(self, k, now): pass
    def end(self, now, center): pass


class Observers(Observer):
    """Several observers behind one: each hook is passed to all of them, in order."""

    def __init__(self, observers):
        self.observers = list(observers)


def _fan_out(name):
    def hook(self, *args):
        for observer in self.observers:
            getattr(observer, name)(*args)
    hook.__name__ = name
    return hook


for _name in ("arrival", "answer", "abandon", "block", "complete", "queue_changed", "staffing",
              "interval_closed", "end"):
    setattr(Observers, _name, _fan_out(_name))


class Statistics(Observer):
    """Interval sums for one replication; ``data()`` returns them as numpy arrays.

    Rows 0..n-1 are the intervals of the horizon; row n gathers what happens after closing
    (draining the queue) for the time integrals."""

    def __init__(self, scenario):
        n, types, groups = scenario.n_intervals, scenario.contact_types, scenario.agent_groups
        self.n = n
        self.interval = scenario.interval
        self.horizon = scenario.horizon
        self.threshold = [t.service_level.threshold for t in types]
        self.short = [t.service_level.short_abandon for t in types]
        rows = n + 1
        self.c = {name: [[0.0] * len(types) for _ in range(rows)] for name in TYPE_COUNTERS}
        self.g = {name: [[0.0] * len(groups) for _ in range(rows)] for name in GROUP_COUNTERS}
        self.hist = [[{} for _ in types] for _ in range(rows)]
        self.total_queue_area = [0.0] * rows
        self.total_queue_max = [0] * rows
        self.k = 0
        self.queue = [0] * len(types)
        self.queue_since = [0.0] * len(types)
        self.total_queue = 0
        self.total_since = 0.0
        self.staffed = [0] * len(groups)
        self.staffed_since = [0.0] * len(groups)
        for k in range(n):
            for i, group in enumerate(groups):
                self.g["scheduled_area"][k][i] = scenario.headcount(group, k) * scenario.interval
        self.closed_at = None
        # direct references for the hot path
        c = self.c
        self._offered, self._answered, self._answered_within = (
            c["offered"], c["answered"], c["answered_within"])
        self._wait_answered, self._handled = c["wait_answered"], c["handled"]
        self._answered_immediately = c["answered_immediately"]
        self._group_answered, self._busy_area = self.g["answered"], self.g["busy_area"]

    # --- contacts ------------------------------------------------------------------------
    def arrival(self, contact, now):
        self._offered[contact.interval][contact.type_index] += 1

    def answer(self, contact, agent, now, duration):
        k, t = contact.interval, contact.type_index
        wait = now - contact.arrival
        self._answered[k][t] += 1
        self._wait_answered[k][t] += wait
        if wait <= self.threshold[t]:
            self._answered_within[k][t] += 1
            if wait == 0.0:
                self._answered_immediately[k][t] += 1
            else:
                histogram = self.hist[k][t]
                b = wait_bin(wait)
                histogram[b] = histogram.get(b, 0) + 1
        else:
            histogram = self.hist[k][t]
            b = wait_bin(wait)
            histogram[b] = histogram.get(b, 0) + 1
        g = agent.group_index
        self._group_answered[k][g] += 1
        # busy time, split at interval boundaries (row n takes everything after closing)
        end = now + duration
        row = min(int(now // self.interval), self.n)
        busy = self._busy_area
        while row < self.n and end > (row + 1) * self.interval:
            busy[row][g] += (row + 1) * self.interval - now
            now = (row + 1) * self.interval
            row += 1
        busy[row][g] += end - now

    def abandon(self, contact, now):
        k, t = contact.interval, contact.type_index
        wait = now - contact.arrival
        c = self.c
        c["abandoned"][k][t] += 1
        c["wait_abandoned"][k][t] += wait
        if wait < self.short[t]:
            c["short_abandoned"][k][t] += 1
        elif wait <= self.threshold[t]:
            c["abandoned_within"][k][t] += 1

    def block(self, contact, now):
        self.c["blocked"][contact.interval][contact.type_index] += 1

    def complete(self, contact, agent, factor, now):
        k, t = contact.interval, contact.type_index
        c = self.c
        self._handled[k][t] += 1
        talk, hold, acw = contact.talk * factor, contact.hold * factor, contact.acw * factor
        c["talk"][k][t] += talk
        c["hold"][k][t] += hold
        c["acw"][k][t] += acw
        g = agent.group_index
        self.g["handled"][k][g] += 1
        self.g["handle_time"][k][g] += talk + hold + acw

    # --- levels --------------------------------------------------------------------------
    def queue_changed(self, type_index, length, now):
        k = self.k
        old = self.queue[type_index]
        self.c["queue_area"][k][type_index] += old * (now - self.queue_since[type_index])
        self.queue_since[type_index] = now
        self.queue[type_index] = length
        if length > self.c["queue_max"][k][type_index]:
            self.c["queue_max"][k][type_index] = length
        self.total_queue_area[k] += self.total_queue * (now - self.total_since)
        self.total_since = now
        self.total_queue += length - old
        if self.total_queue > self.total_queue_max[k]:
            self.total_queue_max[k] = self.total_queue

    def staffing(self, group_index, staffed, now):
        self.g["staffed_area"][self.k][group_index] += (
            self.staffed[group_index] * (now - self.staffed_since[group_index]))
        self.staffed_since[group_index] = now
        self.staffed[group_index] = staffed

    def _close_levels(self, now):
        for t, level in enumerate(self.queue):
            self.queue_changed(t, level, now)
        for group_index, staffed in enumerate(self.staffed):
            self.staffing(group_index, staffed, now)

    def interval_closed(self, k, now):
        self._close_levels(now)
        self.k = k + 1
        self.c["queue_max"][self.k] = list(self.queue)
        self.total_queue_max[self.k] = self.total_queue

    # --- the end -------------------------------------------------------------------------
    def end(self, now, center):
        if self.k < self.n:  # stopped at the horizon before its boundary was processed
            self.interval_closed(self.n - 1, self.horizon)
        self._close_levels(max(now, self.horizon))
        self.closed_at = max(now, self.horizon)
        waiting, in_service = self.c["waiting_at_end"], self.c["in_service_at_end"]
        wait_at_end = self.c["wait_at_end"]
        for t in center.types:
            for contact in center.waiting_contacts(t):
                waiting[contact.interval][contact.type_index] += 1
                wait_at_end[contact.interval][contact.type_index] += self.closed_at - contact.arrival
        for contact in center.contacts_in_service():
            in_service[contact.interval][contact.type_index] += 1

    def data(self) -> dict:
        """The sums of this replication as arrays: types (rows × T), groups (rows × G)."""
        result = {f"type.{name}": np.array(rows, dtype=float) for name, rows in self.c.items()}
        result.update({f"group.{name}": np.array(rows, dtype=float)
                       for name, rows in self.g.items()})
        result["total.queue_area"] = np.array(self.total_queue_area, dtype=float)
        result["total.queue_max"] = np.array(self.total_queue_max, dtype=float)
        # waits of zero are counted, not binned, on the hot path: put them back as their atom
        for k, row in enumerate(self.c["answered_immediately"]):
            for t, count in enumerate(row):
                if count:
                    self.hist[k][t][ZERO_BIN] = int(count)
        result["hist"] = self.hist
        result["closed_at"] = self.closed_at
        return result
