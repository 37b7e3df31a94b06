"""Threshold reservation: keep some idle agents of a group back for one contact type.

``reserve: {group: {type: r}}`` keeps r idle agents of the group for that type. A new contact of
type k may take an agent of group g only if g has more idle agents than R(g, k), the sum of g's
reservations for types other than k (so the reserve for k never holds k itself back); among the
groups that pass, the longest-idle agent wins (then the lower id). A freed agent first takes the
oldest waiting contact of the types its group reserves agents for, and only then the oldest of
its other types. A freed agent is never held idle while work waits: the reserve is made of idle
agents and taking a queued contact does not shrink it, so the policy stays work-conserving.

Planners use it to protect a small, valuable stream (VIP, emergency, retention calls) handled by
a group that also serves a large stream: without it, a burst of the large stream takes every
agent and the next valuable contact waits a full handle time. This is trunk reservation from
telephone networks (admit low-priority traffic only while more than r circuits are free; Ott &
Krishnan, 1985, and Key's work on trunk reservation), applied to agents.
"""

from __future__ import annotations

from numbers import Integral

from .longest_idle import LongestIdle


class ThresholdReservation(LongestIdle):
    name = "threshold_reservation"
    params_doc = {"reserve": "{group: {type: r}}: keep r idle agents of the group for that type "
                             "(an integer >= 0; not given: 0)",
                  "strict": "true: a freed agent too leaves other work waiting rather than "
                            "bring the idle agents below the reserve (call blending); "
                            "default false: the reserve only limits arriving contacts"}

    @classmethod
    def check_params(cls, params: dict) -> dict:
        params = super().check_params(params)
        reserve = params.get("reserve", {})
        if not isinstance(reserve, dict):
            raise ValueError("reserve: expected a mapping {group: {type: count}}")
        for group, row in reserve.items():
            if not isinstance(row, dict):
                raise ValueError(f"reserve: the entry of group {group!r} must be a mapping "
                                 f"{{type: count}}")
            for contact_type, count in row.items():
                if isinstance(count, bool) or not isinstance(count, Integral) or count < 0:
                    raise ValueError(f"reserve: {group}.{contact_type} must be a whole number "
                                     f">= 0 (got {count!r})")
        strict = params.get("strict", False)
        if not isinstance(strict, bool):
            raise ValueError(f"strict: expected true or false (got {strict!r})")
        return {"reserve": {g: {t: int(r) for t, r in row.items()} for g, row in reserve.items()},
                "strict": strict}

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        reserve = self.params["reserve"]
        for group, row in reserve.items():
            for contact_type in row:
                if contact_type not in self.types_for.get(group, ()):
                    raise ValueError(f"reserve: group {group!r} does not serve {contact_type!r} "
                                     f"(or no such group or type)")
        # held[g, k]: idle agents of g that a contact of type k must leave free
        self.held = {(g, k): sum(r for t, r in reserve.get(g, {}).items() if t != k)
                     for g, types in self.types_for.items() for k in types}
        self.reserved_first = {
            g: (tuple(t for t in types if reserve.get(g, {}).get(t, 0) > 0),
                tuple(t for t in types if reserve.get(g, {}).get(t, 0) == 0))
            for g, types in self.types_for.items()
        }

    def select_agent(self, contact, view):
        allowed = [g for g in self.groups_for[contact.type]
                   if view.idle_count(g) > self.held[g, contact.type]]
        return self.longest_idle_among(allowed, view)

    def select_contact(self, agent, view):
        group = agent.group
        for types in self.reserved_first[group]:
            if self.params["strict"]:
                # the other idle agents (the asking one is not counted) must cover what the
                # type has to leave free
                types = [t for t in types if view.idle_count(group) >= self.held[group, t]]
            contact = self.oldest_among(types, view)
            if contact is not None:
                return contact
        return None
