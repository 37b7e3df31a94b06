"""Specialists first: use narrow-skilled agents first and keep generalists for what only they do.

A new contact goes to an idle agent of the skilled groups with the fewest skills (the number of
contact types the group serves); only if none of them is idle does it try the groups with the
next fewest skills, and so on, generalists last. Within equally narrow groups the longest-idle
agent wins (then the lower id). A freed agent looks at the types it serves that have a waiting
contact and takes the type that the fewest OTHER staffed groups can serve (a group counts when
it has agents logged in now); ties go to the oldest waiting contact, then the lower id.

Planners use it in centers mixing specialists and cross-trained generalists: a flexible agent
spent on work a specialist could have done is missing when a contact arrives that only it can
take. Giving work to the least flexible server able to do it is a classic skills-based routing
heuristic: it is how centers with many specialists and a few fully cross-trained agents are
meant to run (studied e.g. by Chevalier, Shumsky and Tabordon), and what ACD administrators do
by hand when they rank specialists above generalists.
"""

from __future__ import annotations

from .base import RouterBase


class SpecialistsFirst(RouterBase):
    name = "specialists_first"
    params_doc: dict[str, str] = {}

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        # groups serving each type, from the fewest skills to the most (stable: rank order kept)
        self.by_width = {
            t: self.tiers(tuple(sorted(groups, key=lambda g: len(self.types_for[g]))),
                          lambda g: len(self.types_for[g]))
            for t, groups in self.groups_for.items()
        }

    def select_agent(self, contact, view):
        return self.first_tier_agent(self.by_width[contact.type], view)

    def select_contact(self, agent, view):
        def key(contact, contact_type):
            others = sum(1 for g in self.groups_for[contact_type]
                         if g != agent.group and view.staffed(g) > 0)
            return others, contact.arrival, contact.id
        return self.best_head(self.types_for[agent.group], view, key)
