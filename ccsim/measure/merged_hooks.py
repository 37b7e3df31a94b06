"""``Statistics``'s merged hooks: two of its per-contact hooks done in one call.

The plain hot path of the engine (``engine/plain.py``) tells ``arrival_answer`` (a contact
answered as it arrives), ``arrival_queued`` (it joins its queue) and ``dequeue_answer`` (a
waiting contact is answered) instead of two hooks each; the ``Observer`` base turns each into
its two hooks. Here each is the bodies of its two ``Statistics`` hooks written one after the
other, with the same arithmetic in the same order, so the sums are the same to the bit
(``tests/test_plain_path.py`` checks it against the separate hooks).
"""

from __future__ import annotations

from .counters import (_INDEX, _ORIGIN, ANSWERED, G_ANSWERED, G_BUSY, IMMEDIATE, IVR_TIME,
                       NEW_ARRIVALS, OFFERED, QUEUE_AREA, QUEUE_MAX, UNIQUE, WAIT_ANSWERED,
                       WITHIN)
from .stats import wait_bin

__all__ = ["MergedHooks"]


class MergedHooks:
    """Mixed into ``Statistics``: uses its cells, levels and thresholds."""

    def arrival_answer(self, contact, agent, now, duration):
        """``arrival`` then ``answer`` in one call: a contact answered as it arrives."""
        t = contact.type_index
        cell = self.cells[contact.interval][t]
        cell[OFFERED] += 1
        if contact.origin == "new":
            cell[UNIQUE] += 1
            if contact.id != self.routed and not (now == 0.0 and contact.arrival <= 0.0):
                cell[NEW_ARRIVALS] += 1
        else:
            cell[_ORIGIN[contact.origin]] += 1
        if contact.ivr_time:
            cell[IVR_TIME] += contact.ivr_time
        if contact.arrival < 0:
            cell[_INDEX["age_at_start"]] -= contact.arrival
        wait = now - contact.arrival
        cell[ANSWERED] += 1
        cell[WAIT_ANSWERED] += wait
        if wait == 0.0:
            cell[IMMEDIATE] += 1
            cell[WITHIN] += 1
        else:
            if wait <= self.threshold[t]:
                cell[WITHIN] += 1
            histogram = self.hist[contact.interval][t]
            b = wait_bin(wait)
            histogram[b] = histogram.get(b, 0) + 1
        g = agent.group_index
        self.group_cells[contact.interval][g][G_ANSWERED] += 1
        self.answered_by[contact.interval][g][t] += 1
        row, end = self.k, now + duration
        while end > self.boundary + (row - self.k) * self.interval and row < self.n:
            edge = self.boundary + (row - self.k) * self.interval
            self.group_cells[row][g][G_BUSY] += edge - now
            now = edge
            row += 1
        self.group_cells[row][g][G_BUSY] += end - now

    def arrival_queued(self, contact, length, now):
        """``arrival`` then ``queue_changed`` in one call: a contact joins its queue."""
        t = contact.type_index
        cell = self.cells[contact.interval][t]
        cell[OFFERED] += 1
        if contact.origin == "new":
            cell[UNIQUE] += 1
            if contact.id != self.routed and not (now == 0.0 and contact.arrival <= 0.0):
                cell[NEW_ARRIVALS] += 1
        else:
            cell[_ORIGIN[contact.origin]] += 1
        if contact.ivr_time:
            cell[IVR_TIME] += contact.ivr_time
        if contact.arrival < 0:
            cell[_INDEX["age_at_start"]] -= contact.arrival
        k = self.k
        cell = self.cells[k][t]
        old = self.queue[t]
        cell[QUEUE_AREA] += old * (now - self.queue_since[t])
        self.queue_since[t] = now
        self.queue[t] = length
        if length > cell[QUEUE_MAX]:
            cell[QUEUE_MAX] = length
        self.total_queue_area[k] += self.total_queue * (now - self.total_since)
        self.total_since = now
        self.total_queue += length - old
        if self.total_queue > self.total_queue_max[k]:
            self.total_queue_max[k] = self.total_queue

    def dequeue_answer(self, contact, agent, length, now, duration):
        """``queue_changed`` then ``answer`` in one call: a waiting contact is answered."""
        t = contact.type_index
        k = self.k
        cell = self.cells[k][t]
        old = self.queue[t]
        cell[QUEUE_AREA] += old * (now - self.queue_since[t])
        self.queue_since[t] = now
        self.queue[t] = length
        if length > cell[QUEUE_MAX]:
            cell[QUEUE_MAX] = length
        self.total_queue_area[k] += self.total_queue * (now - self.total_since)
        self.total_since = now
        self.total_queue += length - old
        if self.total_queue > self.total_queue_max[k]:
            self.total_queue_max[k] = self.total_queue
        cell = self.cells[contact.interval][t]
        wait = now - contact.arrival
        cell[ANSWERED] += 1
        cell[WAIT_ANSWERED] += wait
        if wait == 0.0:
            cell[IMMEDIATE] += 1
            cell[WITHIN] += 1
        else:
            if wait <= self.threshold[t]:
                cell[WITHIN] += 1
            histogram = self.hist[contact.interval][t]
            b = wait_bin(wait)
            histogram[b] = histogram.get(b, 0) + 1
        g = agent.group_index
        self.group_cells[contact.interval][g][G_ANSWERED] += 1
        self.answered_by[contact.interval][g][t] += 1
        row, end = k, now + duration
        while end > self.boundary + (row - k) * self.interval and row < self.n:
            edge = self.boundary + (row - k) * self.interval
            self.group_cells[row][g][G_BUSY] += edge - now
            now = edge
            row += 1
        self.group_cells[row][g][G_BUSY] += end - now
