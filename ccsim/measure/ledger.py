"""The ledger: the four reports the engine makes for nearly every contact (arrived, answered,
completed, queue length changed) kept as flat records, and folded into ``Statistics``' interval
cells in batches with numpy.

Why: booking a contact's counters one by one in Python cost more than simulating it. A record is
one tuple added to a list, by the observer's hook or by the engine's plain hot path directly
(the record layouts are part of the observer protocol, ``observers.py``). ``fold`` books a batch
at once. Every floating-point sum is added cell by cell in the order the reports came
(``numpy.ufunc.at`` is unbuffered and sequential), so the sums are exactly those of adding them
one at a time: results do not depend on when a batch is folded. Counts are order-free.

A batch may span interval boundaries: ``Statistics`` marks where each interval closed
(``close``), and a record belongs to the row (interval) open when it was added. It folds at the
end, and whenever the lists have grown past ``CHUNK`` records (memory stays flat in the number
of contacts), so the cost of a fold does not recur per interval.
"""

from __future__ import annotations

import numpy as np

from .counters import (ANSWERED, G_ANSWERED, G_BUSY, G_HANDLED, G_HANDLE_TIME, HANDLED, HOLD,
                       ACW, IMMEDIATE, NEW_ARRIVALS, OFFERED, QUEUE_AREA, QUEUE_MAX, TALK, UNIQUE,
                       WAIT_ANSWERED, WITHIN)
from .stats import wait_bins

__all__ = ["Ledger", "CHUNK"]

CHUNK = 8192  # arrival records kept before the engine asks for a fold

# record widths
_ARRIVED, _ANSWERED, _COMPLETED, _QUEUED = 2, 6, 7, 3


class Ledger:
    """The records of one replication not yet folded. Layouts (one tuple each, added with +=):

    - ``arrived``: (interval, type) of an ordinary first contact: from its type's own arrival
      process, not the initial backlog, not routed by the IVR (it counts as offered, unique and
      forecast arrival);
    - ``answered``: (interval, type, group, wait, now, end): answered after ``wait``, its handling
      ends at ``end``. A record of interval -1 is ``Statistics``' own busy-time correction
      (``retimed``): (-1, 0, group, sign, start, end);
    - ``completed``: (interval, type, group, talk, hold, acw, factor);
    - ``queued``: (type, length, now): the queue of a type is now ``length`` long.
    """

    chunk = CHUNK

    def __init__(self, stats):
        self.stats = stats
        self.arrived, self.answered, self.completed, self.queued = [], [], [], []
        self.k = 0  # the row open when the first record not yet folded was added
        self.closes = []  # (answered, queued) records added when each interval closed

    def close(self) -> None:
        """The current interval has just closed: later records belong to the next row."""
        self.closes.append((len(self.answered) // _ANSWERED, len(self.queued) // _QUEUED))

    def fold(self) -> None:
        """Book every record into the statistics' cells, and forget them."""
        if self.arrived:
            self._fold_arrived(np.array(self.arrived, dtype=np.int64).reshape(-1, _ARRIVED))
            self.arrived.clear()
        if self.completed:
            self._fold_completed(np.array(self.completed, dtype=float).reshape(-1, _COMPLETED))
            self.completed.clear()
        closes = np.array(self.closes, dtype=np.int64).reshape(-1, 2)
        if self.answered:
            records = np.array(self.answered, dtype=float).reshape(-1, _ANSWERED)
            self._fold_answered(records, self._rows(len(records), closes[:, 0]))
            self.answered.clear()
        if self.queued:
            records = np.array(self.queued, dtype=float).reshape(-1, _QUEUED)
            self._fold_queued(records, self._rows(len(records), closes[:, 1]))
            self.queued.clear()
        self.k += len(self.closes)
        self.closes.clear()

    def _rows(self, count: int, closes):
        """The row each of ``count`` records belongs to: intervals closed before it was added."""
        return self.k + np.searchsorted(closes, np.arange(count), side="right")

    # --- the records of each kind ------------------------------------------------------------
    def _fold_arrived(self, records) -> None:
        cells, n_types = self.stats.cells, len(self.stats.threshold)
        for cell_index, count in _counts(records[:, 0] * n_types + records[:, 1]):
            cell = cells[cell_index // n_types][cell_index % n_types]
            cell[OFFERED] += count
            cell[UNIQUE] += count
            cell[NEW_ARRIVALS] += count

    def _fold_answered(self, records, rows) -> None:
        stats = self.stats
        busy = records[:, 0] < 0
        sign = np.where(busy, records[:, 3], 1.0)
        self._book_busy(records[:, 2].astype(np.int64), records[:, 4], records[:, 5], sign, rows)
        answers = records[~busy]
        if not len(answers):
            return
        interval, t, g = (answers[:, i].astype(np.int64) for i in range(3))
        wait = answers[:, 3]
        n_types, n_groups = len(stats.threshold), len(stats.group_cells[0])
        type_cell = interval * n_types + t
        cells = stats.cells
        _add_in_order(cells, n_types, type_cell, WAIT_ANSWERED, wait)
        immediate = wait == 0.0
        within = immediate | (wait <= np.asarray(stats.threshold)[t])
        for column, mask in ((ANSWERED, None), (WITHIN, within), (IMMEDIATE, immediate)):
            for cell_index, count in _counts(type_cell if mask is None else type_cell[mask]):
                cells[cell_index // n_types][cell_index % n_types][column] += count
        for cell_index, count in _counts(interval * n_groups + g):
            stats.group_cells[cell_index // n_groups][cell_index % n_groups][G_ANSWERED] += count
        for cell_index, count in _counts((interval * n_groups + g) * n_types + t):
            row, rest = divmod(cell_index, n_groups * n_types)
            stats.answered_by[row][rest // n_types][rest % n_types] += count
        # waits of zero are counted (IMMEDIATE), not binned, as on the scalar path
        waited = ~immediate
        if waited.any():
            bins = wait_bins(wait[waited])
            width = int(bins.max()) + 1
            keys, first, counts = np.unique(type_cell[waited] * width + bins, return_index=True,
                                            return_counts=True)
            for j in np.argsort(first, kind="stable").tolist():  # new bins enter as they came
                cell_index, b = divmod(int(keys[j]), width)
                histogram = stats.hist[cell_index // n_types][cell_index % n_types]
                histogram[b] = histogram.get(b, 0) + int(counts[j])

    def _book_busy(self, g, start, end, sign, rows) -> None:
        """Add sign × the busy time from start to end to the rows (intervals) it spans, from the
        row open when it was reported on; row n takes what lies past the last interval. A
        record books at most once per row; the pieces are added in the order of the records,
        row after row within each (the order of the scalar loop)."""
        stats = self.stats
        n, interval = stats.n, stats.interval
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
        record, level, row, value = (np.concatenate(column) for column in zip(*pieces))
        order = np.lexsort((level, record))
        cell = row[order] * len(stats.group_cells[0]) + g[record[order]]
        _add_in_order(stats.group_cells, len(stats.group_cells[0]), cell, G_BUSY, value[order])

    def _fold_completed(self, records) -> None:
        stats = self.stats
        interval, t, g = (records[:, i].astype(np.int64) for i in range(3))
        factor = records[:, 6]
        talk, hold, acw = records[:, 3] * factor, records[:, 4] * factor, records[:, 5] * factor
        n_types, n_groups = len(stats.threshold), len(stats.group_cells[0])
        type_cell, group_cell = interval * n_types + t, interval * n_groups + g
        for column, values in ((TALK, talk), (HOLD, hold), (ACW, acw)):
            _add_in_order(stats.cells, n_types, type_cell, column, values)
        _add_in_order(stats.group_cells, n_groups, group_cell, G_HANDLE_TIME, talk + hold + acw)
        for cell_index, count in _counts(type_cell):
            stats.cells[cell_index // n_types][cell_index % n_types][HANDLED] += count
        for cell_index, count in _counts(group_cell):
            stats.group_cells[cell_index // n_groups][cell_index % n_groups][G_HANDLED] += count

    def _fold_queued(self, records, rows) -> None:
        """Queue-length integrals: each record closes the time since the type's last change at
        the length it had (its ``old``), and the total queue's too. A length of -1 (an
        interval closing) keeps the length."""
        stats = self.stats
        n_types = len(stats.queue)
        t = records[:, 0].astype(np.int64)
        length, now = records[:, 1].astype(np.int64), records[:, 2]
        order = np.argsort(t, kind="stable")  # each type's records, in the order they came
        sorted_t, sorted_length = t[order], length[order]
        first = np.ones(len(t), dtype=bool)
        first[1:] = sorted_t[1:] != sorted_t[:-1]
        start = np.maximum.accumulate(np.where(first, np.arange(len(t)), 0))  # of its type
        known = np.maximum.accumulate(np.where(sorted_length >= 0, np.arange(len(t)), -1))
        carried = np.asarray(stats.queue, dtype=np.int64)[sorted_t]
        sorted_length = np.where(known >= start, sorted_length[np.maximum(known, 0)], carried)
        previous = np.roll(np.arange(len(t)), 1)
        old, since, length = (np.empty_like(length), np.empty_like(now),
                              np.empty_like(length))
        length[order] = sorted_length
        old[order] = np.where(first, carried, sorted_length[previous])
        since[order] = np.where(first, np.asarray(stats.queue_since)[sorted_t],
                                now[order][previous])
        cell = rows * n_types + t
        _add_in_order(stats.cells, n_types, cell, QUEUE_AREA, old * (now - since))
        highest = np.full(int(cell.max()) + 1, -1, dtype=np.int64)
        np.maximum.at(highest, cell, np.maximum(old, length))
        for cell_index in np.flatnonzero(highest >= 0).tolist():  # each row's longest queue
            row_cell = stats.cells[cell_index // n_types][cell_index % n_types]
            if highest[cell_index] > row_cell[QUEUE_MAX]:
                row_cell[QUEUE_MAX] = int(highest[cell_index])
        last = np.ones(len(t), dtype=bool)
        last[:-1] = sorted_t[1:] != sorted_t[:-1]
        for i in order[last].tolist():  # the level each type is left at
            stats.queue[int(t[i])], stats.queue_since[int(t[i])] = int(length[i]), float(now[i])
        change = length - old
        after = stats.total_queue + np.cumsum(change)
        before = after - change
        total_since = np.concatenate(([stats.total_since], now[:-1]))
        _add_to_list(stats.total_queue_area, rows, before * (now - total_since))
        highest = np.full(int(rows.max()) + 1, -1, dtype=np.int64)
        np.maximum.at(highest, rows, np.maximum(before, after))
        for row in np.flatnonzero(highest >= 0).tolist():
            if highest[row] > stats.total_queue_max[row]:
                stats.total_queue_max[row] = int(highest[row])
        stats.total_queue, stats.total_since = int(after[-1]), float(now[-1])


def _counts(cell_indices):
    """(cell index, how many records) for each cell the records touch."""
    if not len(cell_indices):
        return []
    counts = np.bincount(cell_indices)
    touched = np.flatnonzero(counts)
    return zip(touched.tolist(), counts[touched].tolist())


def _touched(indices):
    """The distinct indices (ascending), and where each record's index is among them (a count
    per index instead of a sort: the indices are cells of a table)."""
    counts = np.bincount(indices)
    touched = np.flatnonzero(counts)
    if len(touched) == 1:
        return touched, np.zeros(len(indices), dtype=np.int64)
    where = np.zeros(len(counts), dtype=np.int64)
    where[touched] = np.arange(len(touched))
    return touched, where[indices]


def _add_in_order(table, width: int, cell_indices, column: int, values) -> None:
    """table[i // width][i % width][column] += value, for each record in order."""
    touched, position = _touched(cell_indices)
    cells = [table[i // width][i % width] for i in touched.tolist()]
    sums = np.array([cell[column] for cell in cells], dtype=float)
    np.add.at(sums, position, values)
    for cell, total in zip(cells, sums.tolist()):
        cell[column] = total


def _add_to_list(target: list, indices, values) -> None:
    """target[i] += value, for each record in order."""
    touched, position = _touched(indices)
    sums = np.array([target[i] for i in touched.tolist()], dtype=float)
    np.add.at(sums, position, values)
    for i, total in zip(touched.tolist(), sums.tolist()):
        target[i] = total
