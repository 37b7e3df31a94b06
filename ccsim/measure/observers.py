"""Observers: they listen to what the engine reports and measure; they never change anything.

The engine calls: ``arrival``, ``answer``, ``abandon``, ``block``, ``turned_away`` (arrived
while the channel was closed: never entered), ``journey``, ``ivr``, ``complete``, ``retimed``
(a paced chat's end moved), ``queue_changed``, ``staffing``, ``agent_state``, ``overtime``,
``interval_closed`` and, once, ``end``. ``answer`` says how long the handling will take, so busy
time is booked to the intervals it will span without one more call when it ends.
``agent_state`` tells which agent logged in, logged out or stepped away for an activity (by
its name, such as "break"); it comes with staffing changes, never per contact.
``overtime(agent, since, now)`` says an agent worked from its scheduled log-off ``since`` until
``now`` (it logged out, was put back on the plan, or the run ended).

Records instead of calls. An observer may have a ``ledger`` (``ledger.py``: lists
``arrived``, ``answered``, ``completed`` and ``queued``, a ``chunk`` size and ``fold()``). The
engine's plain hot path (``engine/plain.py``) then adds its reports of arrivals, answers,
completions and queue changes to those lists as tuples, in the order the hooks would have been
called, instead of calling ``arrival``, ``answer``, ``complete`` and ``queue_changed``; it calls
``fold()`` when ``arrived`` has grown past ``chunk`` records. Every other report is still a
call, so the observer must keep the two in step (``Statistics`` adds its own hooks' reports to
the same lists). The layouts are in ``ledger.Ledger``; an observer without a ledger is told by
calls only.

``interval_sums.Statistics`` is the observer every replication runs; ``records.py`` writes event
logs; ``Observers`` puts several behind one.
"""

from __future__ import annotations

__all__ = ["Observer", "Observers"]


class Observer:
    """Base with no-op hooks: subclass and override what you need."""

    def arrival(self, contact, now): pass
    def answer(self, contact, agent, now, duration): pass
    def abandon(self, contact, now): pass
    def block(self, contact, now): pass
    def turned_away(self, contact, now): pass
    def journey(self, event, contact, now): pass
    def ivr(self, event, call, now): pass
    def complete(self, contact, agent, factor, now): pass
    def retimed(self, contact, agent, now, old_end, new_end): pass
    def queue_changed(self, type_index, length, now): pass
    def staffing(self, group_index, staffed, now): pass
    def agent_state(self, agent, state, now): pass
    def overtime(self, agent, since, now): pass
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


for _name in ("arrival", "answer", "abandon", "block", "turned_away", "journey", "ivr",
              "complete", "retimed", "queue_changed", "staffing", "agent_state", "overtime",
              "interval_closed", "end"):
    setattr(Observers, _name, _fan_out(_name))

