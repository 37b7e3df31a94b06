"""Random routing: the no-intelligence baseline.

A new contact goes to an agent drawn uniformly among all idle agents of the groups skilled for
it (each agent equally likely, whatever its group). A freed agent looks at the oldest waiting
contact of each type it serves and takes one of them, drawn uniformly. Draws come only from the
run's ``routing`` stream, so results stay reproducible, and no draw is made when there is at
most one candidate.

Planners use it as a yardstick: a policy that does not beat random assignment on the KPIs that
matter is not worth its configuration. Random assignment is the usual reference point in
routing studies and the behaviour of an ACD with no skill preferences or agent ordering.
"""

from __future__ import annotations

from .base import RouterBase


class Random(RouterBase):
    name = "random"
    params_doc: dict[str, str] = {}

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        if rng is None:
            raise ValueError("the random policy needs the run's random stream (rng)")

    def _pick(self, items: list):
        if len(items) <= 1:
            return items[0] if items else None
        return items[int(self.rng.integers(len(items)))]

    def select_agent(self, contact, view):
        idle = [a for g in self.groups_for[contact.type] for a in view.idle_agents(g)]
        return self._pick(idle)

    def select_contact(self, agent, view):
        heads = [view.oldest(t) for t in self.types_for[agent.group]]
        return self._pick([c for c in heads if c is not None])
