"""``Statistics``: the observer of every replication. It keeps sums per interval × contact type
(counts, wait sums, handle-time parts, a wait histogram) and time integrals per interval (queue
length per type, busy and staffed agents per group). Contacts are counted in the interval they
arrived in, as ACD interval reports do. Nothing is kept per contact. Every KPI is recomputed
later from these sums (``kpis.py``).

The four reports made for nearly every contact (an ordinary arrival, an answer, a completion, a
queue change) are kept as records in its ``ledger`` and folded into the cells in batches
(``ledger.py``); the engine's plain hot path adds them there itself. The rest are booked at once.
"""

from __future__ import annotations

import numpy as np

from .counters import (ABANDONED, ABANDONED_WITHIN, BLOCKED, CALLBACK_WAIT, CALLBACK_WITHIN,
                       CLOSED, GROUP_COUNTERS, G_OVERTIME, G_PLANNED, G_SCHEDULED, G_STAFFED,
                       IMMEDIATE, IN_SERVICE_AT_END, IVR_COUNTERS, IVR_TIME, NEW_ARRIVALS,
                       OFFERED, SHORT, TYPE_COUNTERS, UNIQUE, WAITING_AT_END,
                       WAIT_ABANDONED, WAIT_AT_END, _EVENT, _INDEX, _IVR, _ORIGIN)
from .ledger import Ledger
from .observers import Observer
from .stats import ZERO_BIN

__all__ = ["Statistics", "TYPE_COUNTERS", "GROUP_COUNTERS", "IVR_COUNTERS"]

# each IVR event: its counter, and whether the call leaves the IVR with it
_IVR_EVENTS = {name: (index, name in ("contained", "hangup", "routed"))
               for name, index in _IVR.items()}

class Statistics(Observer):
    """Interval sums for one replication; ``data()`` returns them as numpy arrays.

    ``cells[k][t]`` holds the counters of contact type t in interval k, ``group_cells[k][g]``
    those of agent group g. Rows 0..n-1 are the intervals of the horizon; row n takes what
    happens after closing (draining the queue) for the time integrals."""

    def __init__(self, scenario):
        n, types, groups = scenario.n_intervals, scenario.contact_types, scenario.agent_groups
        self.n = n
        self.interval = scenario.interval
        self.horizon = scenario.horizon
        self.threshold = [t.service_level.threshold for t in types]
        self.short = [t.service_level.short_abandon for t in types]
        self.callback_threshold = [
            (t.callback.objective or t.service_level).threshold if t.callback else 0.0
            for t in types]
        rows = n + 1
        self.cells = [[[0.0] * len(TYPE_COUNTERS) for _ in types] for _ in range(rows)]
        self.group_cells = [[[0.0] * len(GROUP_COUNTERS) for _ in groups] for _ in range(rows)]
        self.hist = [[{} for _ in types] for _ in range(rows)]
        self.ivr_cells = [[0.0] * len(IVR_COUNTERS) for _ in range(rows)]
        self.k = 0
        self.staffed = [0] * len(groups)
        self.staffed_since = [0.0] * len(groups)
        for k in range(n):
            for g, group in enumerate(groups):
                cell = self.group_cells[k][g]
                cell[G_SCHEDULED] = scenario.scheduled(group, k) * self.interval  # paid
                cell[G_PLANNED] = scenario.headcount(group, k) * self.interval  # on the phones
        self.closed_at = None
        self.routed = None  # id of the call the IVR has just routed (its contact keeps the id)
        # the frequent reports, as records folded in batches into sums of the ledger's own
        # (ledger.py; observers.py says how the engine may add them itself)
        self.ledger = Ledger(rows, len(types), len(groups), self.interval, self.threshold,
                             self.hist)
        self._arrived, self._answered = self.ledger.arrived, self.ledger.answered
        self._completed, self._queued = self.ledger.completed, self.ledger.queued
        self._limit = self.ledger.chunk * 6  # numbers kept before a fold
        self._n_types = len(types)

    def _forecast_arrival(self, contact, now) -> bool:
        """Whether ``contact`` came from its type's own arrival process. The initial backlog
        is brought in at t = 0 with an arrival time at or before 0, which a Poisson arrival
        (strictly after 0) never has; a call routed by the IVR arrives right after its
        ``routed`` event, with that call's id."""
        return (contact.origin == "new" and contact.id != self.routed
                and not (now == 0.0 and contact.arrival <= 0.0))

    # --- contacts ------------------------------------------------------------------------
    def arrival(self, contact, now):
        if len(self._arrived) + len(self._answered) + len(self._queued) > self._limit:
            self.ledger.fold()  # memory stays flat in the number of contacts
        if (contact.origin == "new" and contact.id != self.routed and contact.arrival > 0.0
                and not contact.ivr_time):  # _forecast_arrival written out, and not backlog
            self._arrived += (contact.interval, contact.type_index)
            return
        cell = self.cells[contact.interval][contact.type_index]
        cell[OFFERED] += 1
        if contact.origin == "new":
            cell[UNIQUE] += 1
            if self._forecast_arrival(contact, now):
                cell[NEW_ARRIVALS] += 1
        else:
            cell[_ORIGIN[contact.origin]] += 1
        if contact.ivr_time:
            cell[IVR_TIME] += contact.ivr_time
        if contact.arrival < 0:  # backlog from before the start: waited already
            cell[_INDEX["age_at_start"]] -= contact.arrival

    def answer(self, contact, agent, now, duration):
        self._answered += (contact.interval, contact.type_index, agent.group_index,
                           now - contact.arrival, now, now + duration)

    def abandon(self, contact, now):
        t = contact.type_index
        cell = self.cells[contact.interval][t]
        wait = now - contact.arrival
        cell[ABANDONED] += 1
        cell[WAIT_ABANDONED] += wait
        if wait < self.short[t]:
            cell[SHORT] += 1
        elif wait <= self.threshold[t]:
            cell[ABANDONED_WITHIN] += 1

    def block(self, contact, now):
        self.cells[contact.interval][contact.type_index][BLOCKED] += 1

    def turned_away(self, contact, now):
        cell = self.cells[contact.interval][contact.type_index]
        cell[CLOSED] += 1
        if self._forecast_arrival(contact, now):
            cell[NEW_ARRIVALS] += 1

    def ivr(self, event, call, now):
        column, ends = _IVR_EVENTS[event]
        cell = self.ivr_cells[call.interval]
        cell[column] += 1
        if ends:  # the call leaves the IVR: its time there
            cell[-1] += now - call.entered
            if event == "routed":
                self.routed = call.id

    def journey(self, event, contact, now):
        cell = self.cells[contact.interval][contact.type_index]
        cell[_EVENT[event]] += 1
        if event == "callback not reached":  # it left the queue: its wait ends here
            cell[_INDEX["wait_not_reached"]] += now - contact.arrival
        elif event == "callback reached":
            wait = now - contact.accepted_at
            cell[CALLBACK_WAIT] += wait
            if wait <= self.callback_threshold[contact.type_index]:
                cell[CALLBACK_WITHIN] += 1

    def retimed(self, contact, agent, now, old_end, new_end):
        """A paced chat will end at ``new_end`` instead of ``old_end``: move its busy time (a
        correction record among the answers, whose busy time it changes)."""
        if new_end > old_end:
            self._answered += (-1, 0, agent.group_index, 1.0, old_end, new_end)
        else:
            self._answered += (-1, 0, agent.group_index, -1.0, new_end, old_end)

    def complete(self, contact, agent, factor, now):
        self._completed += (contact.interval, contact.type_index, agent.group_index,
                            contact.talk, contact.hold, contact.acw, factor)

    # --- levels --------------------------------------------------------------------------
    def queue_changed(self, type_index, length, now):
        self._queued += (type_index, length, now)

    def staffing(self, group_index, staffed, now):
        self.group_cells[self.k][group_index][G_STAFFED] += (
            self.staffed[group_index] * (now - self.staffed_since[group_index]))
        self.staffed_since[group_index] = now
        self.staffed[group_index] = staffed

    def overtime(self, agent, since, now):
        """Agent-seconds past the scheduled log-off, booked to the intervals they fall in
        (row n: after the horizon)."""
        g, interval = agent.group_index, self.interval
        while since < now:
            row = min(int(since // interval), self.n)
            stop = now if row == self.n else min(now, (row + 1) * interval)
            self.group_cells[row][g][G_OVERTIME] += stop - since
            since = stop

    def _close_levels(self, now):
        for t in range(self._n_types):
            self._queued += (t, -1, now)  # the queue keeps its length (ledger.py)
        for group_index, staffed in enumerate(self.staffed):
            self.staffing(group_index, staffed, now)

    def interval_closed(self, k, now):
        self._close_levels(now)
        self.ledger.close()
        self.k = k + 1

    # --- the end -------------------------------------------------------------------------
    def end(self, now, center):
        if self.k < self.n:  # stopped at the horizon before its boundary was processed
            self.interval_closed(self.n - 1, self.horizon)
        self.closed_at = max(now, self.horizon)
        self._close_levels(self.closed_at)
        self.ledger.fold()
        for t in center.types:
            for contact in center.waiting_contacts(t):
                cell = self.cells[contact.interval][contact.type_index]
                cell[WAITING_AT_END] += 1
                cell[WAIT_AT_END] += self.closed_at - contact.arrival
        for contact in center.contacts_in_service():
            self.cells[contact.interval][contact.type_index][IN_SERVICE_AT_END] += 1

    def data(self) -> dict:
        """The sums of this replication as arrays: ``type.X`` (rows × types), ``group.X``
        (rows × groups; ``group.answered_by_type`` rows × groups × types), ``total.queue_*``
        (rows), and the wait histograms."""
        ledger = self.ledger
        cells = np.array(self.cells, dtype=float) + ledger.types
        group_cells = np.array(self.group_cells, dtype=float).reshape(ledger.groups.shape) \
            + ledger.groups
        result = {f"type.{name}": cells[:, :, i] for i, name in enumerate(TYPE_COUNTERS)}
        result.update({f"group.{name}": group_cells[:, :, i]
                       for i, name in enumerate(GROUP_COUNTERS)})
        result["group.answered_by_type"] = ledger.answered_by.copy()
        ivr = np.array(self.ivr_cells, dtype=float)
        result.update({f"ivr.{name}": ivr[:, i] for i, name in enumerate(IVR_COUNTERS)})
        result["total.queue_area"] = ledger.total_queue_area.copy()
        result["total.queue_max"] = ledger.total_queue_max.copy()
        # waits of zero are counted, not binned, on the hot path: put them back as their atom
        for k, t in zip(*np.nonzero(cells[:, :, IMMEDIATE])):
            self.hist[k][t][ZERO_BIN] = int(cells[k, t, IMMEDIATE])
        result["hist"] = self.hist
        result["closed_at"] = self.closed_at
        return result
