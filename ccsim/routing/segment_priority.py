"""Customer-segment priority with aging: VIPs first, but nobody waits forever.

Every waiting contact has a score = segment_weights[its segment] + wait / aging. A freed agent
takes the contact with the highest score among the types it serves (ties: earlier arrival, then
lower id); a new contact goes to the longest-idle skilled agent. With a VIP weight of 2 and
``aging: 60s``, a VIP contact goes ahead of standard ones unless a standard contact has waited
two minutes longer than it. Segments not given weigh 0; ``aging: inf`` turns aging off (strict
segment priority, then first come first served).

Planners use it to give premium customers a shorter wait while bounding how much standard
customers pay for it: the weight, in units of ``aging``, is exactly the head start a segment
gets. This is the "priority with aging" found in most ACDs (a contact's priority grows while it
waits); the queueing literature knows it as delay-dependent or accumulating priority (Kleinrock,
1964; Stanford, Taylor & Ziedins, 2014), here with a head start per segment and one common rate.

The segment is a property of a contact type, so the oldest contact of each type is that type's
best candidate and only queue heads are compared.
"""

from __future__ import annotations

import math
from numbers import Real

from ..units import parse_duration
from .longest_idle import LongestIdle


class SegmentPriority(LongestIdle):
    name = "segment_priority"
    params_doc = {
        "segment_weights": "{segment: number}: head start of the segment's contacts, in units of "
                           "'aging' (segments not given: 0)",
        "aging": "duration: the wait worth one point of score (default 60s; inf = no aging)",
    }

    @classmethod
    def check_params(cls, params: dict) -> dict:
        params = super().check_params(params)
        weights = params.get("segment_weights", {})
        if not isinstance(weights, dict):
            raise ValueError("segment_weights: expected a mapping {segment: number}")
        for segment, weight in weights.items():
            if isinstance(weight, bool) or not isinstance(weight, Real) \
                    or not math.isfinite(weight):
                raise ValueError(f"segment_weights: {segment} must be a finite number "
                                 f"(got {weight!r})")
        try:
            aging = parse_duration(params.get("aging", "60s"))
        except ValueError as exc:
            raise ValueError(f"aging: {exc}") from None
        if not aging > 0:
            raise ValueError(f"aging: must be a duration > 0 (got {params.get('aging')!r})")
        return {"segment_weights": {s: float(w) for s, w in weights.items()}, "aging": aging}

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        segments = {graph.type_info(t)["segment"] for t in graph.type_names}
        unknown = set(self.params["segment_weights"]) - segments
        if unknown:
            raise ValueError(f"segment_weights: no contact type has the segment "
                             f"{sorted(unknown)[0]!r} (segments: {', '.join(sorted(segments))})")
        self.aging = self.params["aging"]
        self.head_start = self.params["segment_weights"]

    def select_contact(self, agent, view):
        now = view.now
        def key(contact, _):
            score = self.head_start.get(contact.segment, 0.0) + (now - contact.arrival) / self.aging
            return -score, contact.arrival, contact.id
        return self.best_head(self.types_for[agent.group], view, key)
