"""Time-based overflow: a backup group may take a contact only after it has waited long enough.

Each (group, type) pair has a delay d(g, k); group g may answer a contact of type k only once the
contact has waited at least d(g, k). Pairs left out of ``delays`` have no delay, so with no
``delays`` at all this is longest-idle routing. A new contact goes to the longest-idle agent of
the groups it may reach at once (delay 0). If there is none, the contact waits, and the policy asks
the engine to look again at arrival + d for every positive delay, so an idle backup agent picks
it up the moment the delay runs out. A freed agent takes the oldest contact among the types
whose delay for its group has passed.

Planners use this to protect a backup team (for instance experts or another site): it only
steps in when the primary team cannot answer within d, keeping the backup mostly on its own
work while capping the wait of the overflowing type. It is the "overflow after x seconds" step
found in ACD routing scripts, and the delayed overflow discussed in surveys of skills-based
routing (e.g. Gans, Koole & Mandelbaum, "Telephone call centers", MSOM 2003).
"""

from __future__ import annotations

import math

from ..units import parse_duration
from .base import RouterBase

# the engine reaches ``arrival + d`` by adding floats; do not miss the moment by a rounding error
SLACK = 1e-9


class TimeOverflow(RouterBase):
    name = "time_overflow"
    params_doc = {
        "delays": "{group: {type: duration}}: how long a contact of the type must have waited "
                  "before the group may answer it (e.g. '30s'); pairs not given: 0, at once",
    }

    @classmethod
    def check_params(cls, params: dict) -> dict:
        params = super().check_params(params)
        delays = params.get("delays", {})
        if not isinstance(delays, dict):
            raise ValueError("delays: expected a mapping {group: {type: duration}}")
        parsed = {}
        for group, row in delays.items():
            if not isinstance(row, dict):
                raise ValueError(f"delays: the entry of group {group!r} must be a mapping "
                                 f"{{type: duration}}")
            parsed[group] = {}
            for contact_type, value in row.items():
                try:
                    seconds = parse_duration(value)
                except ValueError as exc:
                    raise ValueError(f"delays: {group}.{contact_type}: {exc}") from None
                if not (0 <= seconds < math.inf):
                    raise ValueError(f"delays: {group}.{contact_type} must be a finite duration "
                                     f">= 0 (got {value!r})")
                parsed[group][contact_type] = seconds
        return {"delays": parsed}

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        self.delay = {}  # (group, type) -> seconds, every skill present
        for group, types in self.types_for.items():
            for contact_type in types:
                self.delay[group, contact_type] = 0.0
        for group, row in self.params["delays"].items():
            for contact_type, seconds in row.items():
                if (group, contact_type) not in self.delay:
                    raise ValueError(f"delays: group {group!r} does not serve {contact_type!r} "
                                     f"(or no such group or type)")
                self.delay[group, contact_type] = seconds
        # per type: the groups it reaches at once, and the distinct positive delays
        self.immediate = {t: tuple(g for g in groups if self.delay[g, t] == 0)
                          for t, groups in self.groups_for.items()}
        self.later = {t: sorted({self.delay[g, t] for g in groups if self.delay[g, t] > 0})
                      for t, groups in self.groups_for.items()}

    def select_agent(self, contact, view):
        waited = view.now - contact.arrival + SLACK
        best = None
        for group in self.groups_for[contact.type]:
            if self.delay[group, contact.type] > waited:
                continue
            agent = view.longest_idle(group)
            if agent is not None and (best is None or (agent.idle_since, agent.id)
                                      < (best.idle_since, best.id)):
                best = agent
        if best is None:
            for delay in self.later[contact.type]:
                if delay > waited:
                    view.recheck_at(contact.arrival + delay)
        return best

    def select_contact(self, agent, view):
        now = view.now + SLACK
        best = None
        for contact_type in self.types_for[agent.group]:
            contact = view.oldest(contact_type)  # the oldest has waited the longest
            if contact is None or contact.arrival + self.delay[agent.group, contact_type] > now:
                continue
            if best is None or (contact.arrival, contact.id) < (best.arrival, best.id):
                best = contact
        return best
