"""Longest weighted waiting time: an agent takes the contact with the largest weight × wait.

Each contact type k has a weight w(k) (default 1). A freed agent compares the oldest waiting
contact of each type it serves and takes the one with the largest w(k) × (now - arrival); ties go
to the earlier arrival, then the lower id. A new contact goes to the longest-idle skilled agent.
With all weights equal this is longest-idle routing.

Planners use it when types have different waiting-time targets: a weight of 2 means "one second
of waiting here hurts like two seconds there", so a type with a 20 s target against another
with 40 s gets weight 2. Unlike a strict priority it never starves the low-weight type: its
contacts only need to wait proportionally longer. Head-of-line rules of this kind come from the
scheduling literature on waiting costs (the generalized c-mu rule of Van Mieghem, 1995, picks
the largest weighted wait when delay costs grow quadratically), and ACDs offer it as per-queue
"aging" factors.
"""

from __future__ import annotations

import math
from numbers import Real

from .longest_idle import LongestIdle


class WeightedWait(LongestIdle):
    name = "weighted_wait"
    params_doc = {"weights": "{type: number > 0}: how much a second of waiting of that type "
                             "counts (types not given: 1)"}

    @classmethod
    def check_params(cls, params: dict) -> dict:
        params = super().check_params(params)
        weights = params.get("weights", {})
        if not isinstance(weights, dict):
            raise ValueError("weights: expected a mapping {type: number}")
        for contact_type, weight in weights.items():
            if isinstance(weight, bool) or not isinstance(weight, Real) \
                    or not (0 < weight < math.inf):
                raise ValueError(f"weights: {contact_type} must be a number > 0 (got {weight!r})")
        return {"weights": {t: float(w) for t, w in weights.items()}}

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        unknown = set(self.params["weights"]) - set(graph.type_names)
        if unknown:
            raise ValueError(f"weights: no contact type {sorted(unknown)[0]!r} "
                             f"(types: {', '.join(graph.type_names)})")
        self.weight = {t: self.params["weights"].get(t, 1.0) for t in graph.type_names}

    def select_contact(self, agent, view):
        now = view.now
        # within a type the oldest contact has the largest score: only queue heads compete
        return self.best_head(self.types_for[agent.group], view, lambda contact, t: (
            -self.weight[t] * (now - contact.arrival), contact.arrival, contact.id))
