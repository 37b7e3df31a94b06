"""The live objects of a simulation: contacts and agents (plain, slotted, mutable)."""

from __future__ import annotations

__all__ = ["RoutingError", "Contact", "Agent", "WAITING", "IN_SERVICE", "DONE", "ABANDONED", "BLOCKED", "CLOSED", "NOT_REACHED", "CALLBACK", "IDLE",
           "BUSY", "LOGGED_OUT"]

# contact states
WAITING, IN_SERVICE, DONE, ABANDONED, BLOCKED, CLOSED, NOT_REACHED = 0, 1, 2, 3, 4, 5, 6
# callback states of a contact
CALLBACK = 1  # the caller accepted a call-back: off the line, keeps its place, never abandons
# agent states
IDLE, BUSY, LOGGED_OUT = 0, 1, 2


class RoutingError(RuntimeError):
    """A router made a choice the center cannot carry out."""


class Contact:
    """One contact, from birth to departure. Its random attributes are drawn at birth from its
    type's own streams, so every routing policy sees the same contacts: a first contact takes
    the next values of the type's streams (first contacts are born in an order no policy
    changes); a follow-up (``keyed``) takes the values at its ``key``, (source, customer,
    attempt, hop, retry), see ``ccsim.streams``.

    A contact in service is its own completion event on simpy's clock (``callbacks`` and
    ``_ok``, see ``clock.py``): no event object is built per handling."""

    __slots__ = ("id", "kind", "type", "type_index", "interval", "arrival", "priority", "segment",
                 "talk", "hold", "acw", "patience", "state", "agent", "factor", "customer",
                 "attempt", "origin", "line", "callback", "accepted_at", "tries", "repeats",
                 "ivr_time", "key", "work", "began", "ends", "version", "callbacks")
    _ok = True  # as a simpy event: its completion never fails

    def __init__(self, id, kind, interval, arrival, key, keyed=False):
        """``kind`` is the engine's record of the contact type: its name, index and streams."""
        self.id = id
        self.kind = kind
        self.type = kind.name
        self.type_index = kind.index
        self.interval = interval
        self.arrival = arrival
        self.priority = kind.priority
        self.segment = kind.segment
        self.key = key
        if keyed:
            self.talk, self.hold, self.acw, self.patience = kind.attributes(key)
        else:
            self.talk = kind.talk()
            self.hold = kind.hold()
            self.acw = kind.acw()
            self.patience = kind.patience()
        self.state = WAITING
        self.customer = id  # follow-ups (redials, repeats, transfers) keep the first id
        self.attempt = 1
        self.origin = "new"
        self.line = False  # holds a trunk line
        self.callback = 0
        self.repeats = 0
        self.ivr_time = 0.0

    def __repr__(self) -> str:
        return f"Contact({self.id}, {self.type!r}, arrival={self.arrival:.3f})"


class Agent:
    """One agent of a group. ``idle_epoch`` tells stale entries of the idle list apart; ``home``
    is the engine's record of the agent's group. An agent is IDLE (available) while it holds
    fewer contacts than its capacity: 1, or the group's chat concurrency."""

    __slots__ = ("id", "group", "group_index", "home", "state", "idle_since", "idle_epoch",
                 "leaving", "away", "contacts", "held", "capacity", "busy_time", "shift_end",
                 "name", "due_off", "paced", "pace_load")

    def __init__(self, id, group, group_index):
        self.id = id
        self.group = group
        self.group_index = group_index
        self.state = LOGGED_OUT
        self.idle_since = 0.0
        self.idle_epoch = 0
        self.leaving = None  # while finishing its contacts: what it does once free
        self.away = "logged_out"  # ... and what it will be doing: logged out, or an activity
        self.contacts = []  # in service now: up to ``capacity`` (chats held at once)
        self.held = 0
        self.capacity = 1
        self.home = None
        self.busy_time = 0.0
        self.shift_end = float("inf")
        # the scheduled log-off: logged-in time after it is overtime (the end of the shift, or
        # the interval where a headcount plan let the agent go while it held contacts)
        self.due_off = float("inf")
        self.name = None  # a shift agent's name: from the roster, or "<shift>-<n>"
        self.paced, self.pace_load = 0.0, 0  # paced chats: last change of load, load timed at

    def __repr__(self) -> str:
        return f"Agent({self.id}, {self.group!r})"
