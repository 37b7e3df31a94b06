"""The ledger: the four reports the engine makes for nearly every contact (arrived, answered,
completed, queue length changed) kept as flat records, and folded in batches with numpy into
interval sums of its own, which ``Statistics`` adds to the sums it books report by report.

Why: booking a contact's counters one by one in Python cost more than simulating it. A record is
one tuple added to a list, by the observer's hook or by the engine's plain hot path directly
(the record layouts are part of the observer protocol, ``observers.py``). ``fold`` books a batch
at once. Every floating-point sum is added cell by cell in the order the reports came
(``numpy.ufunc.at`` is unbuffered and sequential), so the sums are exactly those of adding them
one at a time: results do not depend on when a batch is folded. Counts are order-free, and no
floating-point counter is fed both here and by ``Statistics``' own hooks, so adding the two
tables (one of them holds 0.0 there) changes no bit.

A batch may span interval boundaries: ``Statistics`` marks where each interval closed
(``close``), and a record belongs to the row (interval) open when it was added. It folds at the
end, and whenever the lists have grown past ``CHUNK`` records (memory stays flat in the number
of contacts), so the cost of a fold does not recur per interval.
"""

from __future__ import annotations

import numpy as np

from .counters import (ANSWERED, G_ANSWERED, G_BUSY, G_HANDLED, G_HANDLE_TIME, GROUP_COUNTERS,
                       HANDLED, HOLD, ACW, IMMEDIATE, NEW_ARRIVALS, OFFERED, QUEUE_AREA,
                       QUEUE_MAX, TALK, TYPE_COUNTERS, UNIQUE, WAIT_ANSWERED, WITHIN)
from .stats import wait_bins

__all__ = ["Ledger", "CHUNK"]

CHUNK = 8192  # arrival records kept before the engine asks for a fold

# record widths
_ARRIVED, _ANSWERED, _COMPLETED, _QUEUED = 2, 6, 7, 3


class Ledger:
    """The records not yet folded, and the sums of those folded. Layouts (one tuple each,
    added with +=):

    - ``arrived``: (interval, type) of an ordinary first contact: from its type's own arrival
      process, not the initial backlog, not routed by the IVR (it counts as offered, unique and
      forecast arrival);
    - ``answered``: (interval, type, group, wait, now, end): answered after ``wait``, its handling
      ends at ``end``. A record of interval -1 is ``Statistics``' own busy-time correction
      (``retimed``): (-1, 0, group, sign, start, end);
    - ``completed``: (interval, type, group, talk, hold, acw, factor);
    - ``queued``: (type, length, now): the queue of a type is now ``length`` long; a length
      of -1 (``Statistics`` closing an interval) keeps it.

    ``types`` (rows × types × TYPE_COUNTERS), ``groups`` (rows × groups × GROUP_COUNTERS),
    ``answered_by`` (rows × groups × types) and ``total_queue_area`` / ``total_queue_max``
    (rows) are the sums; wait histograms go to the statistics' own (``hist``).
    """

    chunk = CHUNK

    def __init__(self, rows: int, n_types: int, n_groups: int, interval: float,
                 thresholds, hist):
        self.n, self.interval, self.hist = rows - 1, interval, hist
        self.threshold = np.asarray(thresholds, dtype=float)
        self.arrived, self.answered, self.completed, self.queued = [], [], [], []
        self.types = np.zeros((rows, n_types, len(TYPE_COUNTERS)))
        self.groups = np.zeros((rows, n_groups, len(GROUP_COUNTERS)))
        self.answered_by = np.zeros((rows, n_groups, n_types))
        # flat views: ufunc.at is fastest on one dimension (_at gives the flat index)
        self._types, self._groups = self.types.reshape(-1), self.groups.reshape(-1)
        self._answered_by = self.answered_by.reshape(-1)
        self.total_queue_area, self.total_queue_max = np.zeros(rows), np.zeros(rows)
        # queue lengths and since when, as of the last fold
        self.queue, self.queue_since = np.zeros(n_types, dtype=np.int64), np.zeros(n_types)
        self.total_queue, self.total_since = 0, 0.0
        self.k = 0  # the row open when the first record not yet folded was added
        self.closes = []  # (answered, queued) records added when each interval closed

    def close(self) -> None:
        """The current interval has just closed: later records belong to the next row."""
        self.closes.append((len(self.answered) // _ANSWERED, len(self.queued) // _QUEUED))

    def fold(self) -> None:
        """Book every record into the sums, and forget them."""
        if self.arrived:
            self._fold_arrived(_table(self.arrived, _ARRIVED).astype(np.int64))
        if self.completed:
            self._fold_completed(_table(self.completed, _COMPLETED))
        closes = np.array(self.closes, dtype=np.int64).reshape(-1, 2)
        if self.answered:
            records = _table(self.answered, _ANSWERED)
            self._fold_answered(records, self._rows(len(records), closes[:, 0]))
        if self.queued:
            records = _table(self.queued, _QUEUED)
            self._fold_queued(records, self._rows(len(records), closes[:, 1]))
        self.k += len(self.closes)
        self.closes.clear()

    def _rows(self, count: int, closes):
        """The row each of ``count`` records belongs to: intervals closed before it was added."""
        return self.k + np.searchsorted(closes, np.arange(count), side="right")

    # --- the records of each kind ------------------------------------------------------------
    def _fold_arrived(self, records) -> None:
        interval, t = records[:, 0], records[:, 1]
        for column in (OFFERED, UNIQUE, NEW_ARRIVALS):
            np.add.at(self._types, _at(self.types, interval, t, column), 1.0)

    def _fold_answered(self, records, rows) -> None:
        busy = records[:, 0] < 0
        sign = np.where(busy, records[:, 3], 1.0)
        self._book_busy(records[:, 2].astype(np.int64), records[:, 4], records[:, 5], sign, rows)
        answers = records[~busy]
        if not len(answers):
            return
        interval, t, g = (answers[:, i].astype(np.int64) for i in range(3))
        wait = answers[:, 3]
        types = self._types
        cell = _at(self.types, interval, t, 0)
        np.add.at(types, cell + WAIT_ANSWERED, wait)
        immediate = wait == 0.0
        within = immediate | (wait <= self.threshold[t])
        np.add.at(types, cell + ANSWERED, 1.0)
        np.add.at(types, cell[within] + WITHIN, 1.0)
        np.add.at(types, cell[immediate] + IMMEDIATE, 1.0)
        np.add.at(self._groups, _at(self.groups, interval, g, G_ANSWERED), 1.0)
        np.add.at(self._answered_by, _at(self.answered_by, interval, g, t), 1.0)
        # waits of zero are counted (IMMEDIATE), not binned, as on the scalar path
        waited = ~immediate
        if waited.any():
            bins = wait_bins(wait[waited])
            width, n_types = int(bins.max()) + 1, self.types.shape[1]
            keys, counts = np.unique((interval[waited] * n_types + t[waited]) * width + bins,
                                     return_counts=True)
            for key, count in zip(keys.tolist(), counts.tolist()):
                cell, b = divmod(key, width)
                histogram = self.hist[cell // n_types][cell % n_types]
                histogram[b] = histogram.get(b, 0) + count

    def _book_busy(self, g, start, end, sign, rows) -> None:
        """Add sign × the busy time from start to end to the rows (intervals) it spans, from the
        row open when it was reported on; row n takes what lies past the last interval. A
        record books at most once per row; the pieces are added in the order of the records,
        row after row within each (the order of the scalar loop)."""
        n, interval = self.n, self.interval
        boundary = (rows + 1) * interval  # the end of the row open at the report
        pieces = []  # (record, level, row, value) of each level
        record, step, active = np.arange(len(g)), 0, np.ones(len(g), dtype=bool)
        while active.any():
            row = rows + step
            edge = boundary + step * interval
            spans = active & (end > edge) & (row < n)
            books = (active & ~spans) | (spans & (start < edge))
            value = np.where(spans, sign * (edge - start), sign * (end - start))
            pieces.append((record[books], np.full(books.sum(), step), row[books], value[books]))
            start = np.where(spans & (start < edge), edge, start)
            active = spans
            step += 1
        if len(pieces) == 1:  # nothing spans an interval's end: one piece per record, in order
            record, _, row, value = pieces[0]
        else:
            record, level, row, value = (np.concatenate(column) for column in zip(*pieces))
            order = np.lexsort((level, record))
            record, row, value = record[order], row[order], value[order]
        np.add.at(self._groups, _at(self.groups, row, g[record], G_BUSY), value)

    def _fold_completed(self, records) -> None:
        interval, t, g = (records[:, i].astype(np.int64) for i in range(3))
        factor = records[:, 6]
        talk, hold, acw = records[:, 3] * factor, records[:, 4] * factor, records[:, 5] * factor
        cell, group_cell = _at(self.types, interval, t, 0), _at(self.groups, interval, g, 0)
        for column, values in ((TALK, talk), (HOLD, hold), (ACW, acw)):
            np.add.at(self._types, cell + column, values)
        np.add.at(self._types, cell + HANDLED, 1.0)
        np.add.at(self._groups, group_cell + G_HANDLE_TIME, talk + hold + acw)
        np.add.at(self._groups, group_cell + G_HANDLED, 1.0)

    def _fold_queued(self, records, rows) -> None:
        """Queue-length integrals: each record closes the time since the type's last change at
        the length it had (its ``old``), and the total queue's too; each row keeps its longest
        queue (the length it opened with is the ``old`` of its first record)."""
        t = records[:, 0].astype(np.int64)
        length, now = records[:, 1].astype(np.int64), records[:, 2]
        order = np.argsort(t, kind="stable")  # each type's records, in the order they came
        sorted_t, sorted_length = t[order], length[order]
        first = np.ones(len(t), dtype=bool)
        first[1:] = sorted_t[1:] != sorted_t[:-1]
        start = np.maximum.accumulate(np.where(first, np.arange(len(t)), 0))  # of its type
        known = np.maximum.accumulate(np.where(sorted_length >= 0, np.arange(len(t)), -1))
        carried = self.queue[sorted_t]
        sorted_length = np.where(known >= start, sorted_length[np.maximum(known, 0)], carried)
        previous = np.arange(-1, len(t) - 1)  # in the sorted order (the first's is unused)
        old, since, length = np.empty_like(length), np.empty_like(now), np.empty_like(length)
        length[order] = sorted_length
        old[order] = np.where(first, carried, sorted_length[previous])
        since[order] = np.where(first, self.queue_since[sorted_t], now[order][previous])
        cell = _at(self.types, rows, t, 0)
        np.add.at(self._types, cell + QUEUE_AREA, old * (now - since))
        # each (type, row) is one run of the sorted order (a type's rows only grow)
        _keep_highest(self._types, cell[order] + QUEUE_MAX, np.maximum(old, length)[order])
        last = np.ones(len(t), dtype=bool)
        last[:-1] = sorted_t[1:] != sorted_t[:-1]
        self.queue[sorted_t[last]] = sorted_length[last]  # the level each type is left at
        self.queue_since[sorted_t[last]] = now[order][last]
        change = length - old
        after = self.total_queue + np.cumsum(change)
        before = after - change
        total_since = np.concatenate(([self.total_since], now[:-1]))
        np.add.at(self.total_queue_area, rows, before * (now - total_since))
        _keep_highest(self.total_queue_max, rows, np.maximum(before, after))
        self.total_queue, self.total_since = int(after[-1]), float(now[-1])


def _keep_highest(target, indices, values) -> None:
    """target[i] = max(target[i], values of i), for indices in runs of equal values (each
    index one run): one maximum per run, without ``maximum.at``'s cost per element."""
    starts = np.flatnonzero(np.concatenate(([True], indices[1:] != indices[:-1])))
    at = indices[starts]
    target[at] = np.maximum(target[at], np.maximum.reduceat(values, starts))


def _at(table, first, second, third):
    """The flat index of table[first, second, third] (arrays or numbers), table C-ordered."""
    _, n_second, n_third = table.shape
    return (first * n_second + second) * n_third + third


def _table(records: list, width: int):
    """The records of a list as a table of floats (one row each), and the list emptied."""
    table = np.fromiter(records, dtype=float, count=len(records)).reshape(-1, width)
    records.clear()
    return table
