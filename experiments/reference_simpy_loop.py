"""The reference for the engine benchmark: the Erlang-A queue (M/M/c+M) written by hand in the
fastest plain simpy style, to tell ccsim's own overhead per event from simpy's.

simpy is only the clock here: every happening (the next arrival, the end of a handling) is one
pre-built event pushed straight onto simpy's event list with one callback, with no Timeout or
Process objects. Idle agents wait in a deque, waiting contacts in a deque (oldest first); each
reached the front has abandoned (so no timer per waiting contact is needed). Random numbers
come from numpy in batches. Nothing is measured but counts: offered, answered, abandoned and
answered at once.

    from experiments.reference_simpy_loop import simulate_erlang_a
    simulate_erlang_a(c=100, rate=100 / 300, aht=300, patience=600, horizon=3e5, seed=1)
"""

from __future__ import annotations

from collections import deque
from heapq import heappush
from itertools import chain

import numpy as np
import simpy


class _Happening:
    """The least an event needs to be processed by ``simpy.Environment.step``."""

    __slots__ = ("callbacks", "_value")
    _ok = True


def _draws(rng, mean: float):
    """The next exponential value of ``mean``, drawn in batches of 4096."""
    def batches():
        while True:
            yield rng.exponential(mean, 4096).tolist()
    return chain.from_iterable(batches()).__next__


def simulate_erlang_a(c: int, rate: float, aht: float, patience: float, horizon: float,
                      seed: int = 1) -> dict:
    """Simulate up to ``horizon`` seconds; the counts of what happened."""
    env = simpy.Environment()
    queue_events, eid = env._queue, env._eid
    rng = np.random.default_rng(seed)
    gap, talk, wait = _draws(rng, 1.0 / rate), _draws(rng, aht), _draws(rng, patience)
    idle = deque(range(c))        # agents, longest idle first
    waiting = deque()             # waiting contacts [arrival, still waiting], oldest first
    counts = {"offered": 0, "answered": 0, "abandoned": 0, "immediate": 0,
              "wait_answered": 0.0, "wait_abandoned": 0.0, "queue_area": 0.0}
    level = [0, 0.0]              # queue length, and since when
    arrival = _Happening()

    def queue_changed(now, step):
        counts["queue_area"] += level[0] * (now - level[1])
        level[0] += step
        level[1] = now

    def on_arrival(event):
        now = env._now
        event.callbacks = arrive
        heappush(queue_events, (now + gap(), 1, next(eid), event))
        counts["offered"] += 1
        if idle:
            agent = idle.popleft()
            counts["answered"] += 1
            counts["immediate"] += 1
            done = _Happening()
            done.callbacks, done._value = finish, agent
            heappush(queue_events, (now + talk(), 1, next(eid), done))
        else:
            contact = [now, True]
            waiting.append(contact)
            queue_changed(now, 1)
            timer = _Happening()
            timer.callbacks, timer._value = renege, contact
            heappush(queue_events, (now + wait(), 1, next(eid), timer))

    def on_patience(event):
        contact = event._value
        if contact[1]:  # still waiting: it abandons (it stays in the deque, marked)
            now = env._now
            contact[1] = False
            counts["abandoned"] += 1
            counts["wait_abandoned"] += now - contact[0]
            queue_changed(now, -1)

    def on_done(event):
        now = env._now
        while waiting:
            contact = waiting.popleft()
            if contact[1]:
                contact[1] = False
                counts["answered"] += 1
                counts["wait_answered"] += now - contact[0]
                queue_changed(now, -1)
                event.callbacks = finish  # the same agent, the same event: serve the next one
                heappush(queue_events, (now + talk(), 1, next(eid), event))
                return
        idle.append(event._value)

    arrive, finish, renege = (on_arrival,), (on_done,), (on_patience,)
    arrival.callbacks, arrival._value = arrive, None
    heappush(queue_events, (gap(), 1, next(eid), arrival))
    env.run(until=horizon)
    queue_changed(env._now, 0)
    return counts


__all__ = ["simulate_erlang_a"]
