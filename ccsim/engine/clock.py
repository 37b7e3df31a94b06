"""The engine's way of putting happenings on simpy's clock, without a Timeout per happening.

simpy's ``Environment.step`` needs three things of an event: ``callbacks`` (called with the
event, then set to None), ``_value`` and ``_ok``. A ``Happening`` is exactly that and nothing
more, pushed straight onto simpy's event list with the same key a Timeout would get (time
``now + delay``, normal priority, the next event id), so the order of events, and therefore
every result, is the one Timeouts gave. Callback tuples are built once per kind of happening;
an event whose kind recurs (the next arrival of a type, the end of a contact's handling) is
reused or is the contact itself (``Contact`` carries the same three attributes).
"""

from __future__ import annotations

from heapq import heappush

__all__ = ["Happening", "NORMAL", "ClockMixin"]

NORMAL = 1  # simpy.events.NORMAL: the priority of a Timeout


class Happening:
    """One pending happening: its callbacks (a tuple, never appended to) and its value."""

    __slots__ = ("callbacks", "_value")
    _ok = True

    def __init__(self, callbacks, value=None):
        self.callbacks = callbacks
        self._value = value


class ClockMixin:
    """Scheduling helpers of ``Center`` (``self._events`` and ``self._eid`` are simpy's)."""

    def _bind_clock(self, env) -> None:
        self._events, self._eid = env._queue, env._eid

    def _after(self, delay: float, callback, value=None) -> None:
        """Call ``callback(happening)`` after ``delay`` (``happening._value`` is ``value``)."""
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")
        heappush(self._events, (self.env._now + delay, NORMAL, next(self._eid),
                                Happening((callback,), value)))

    def _push(self, delay: float, event, callbacks) -> None:
        """Schedule a pre-built ``event`` (a Happening or a Contact) after ``delay``."""
        event.callbacks = callbacks
        heappush(self._events, (self.env._now + delay, NORMAL, next(self._eid), event))
