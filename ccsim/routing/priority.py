"""Static priorities with overflow, as written in the skill ranks.

A new contact tries the groups that serve it in rank order (1 first): the first rank with an idle
agent wins, and among equally ranked groups the longest-idle agent. A freed agent looks at the
types it serves in rank order: the first rank with a waiting contact wins; within a rank the
type with the higher ``priority`` first, then the oldest contact. This is the "primary group,
then overflow group" routing most ACDs are configured with.
"""

from __future__ import annotations

from .base import RouterBase


class Priority(RouterBase):
    name = "priority"

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        self.group_tiers = {
            t: self.tiers(groups, lambda g, t=t: graph.skill(t, g)["rank"])
            for t, groups in self.groups_for.items()
        }
        self.type_tiers = {
            g: self.tiers(types, lambda t, g=g: graph.skill(t, g)["rank"])
            for g, types in self.types_for.items()
        }

    def select_agent(self, contact, view):
        return self.first_tier_agent(self.group_tiers[contact.type], view)

    def select_contact(self, agent, view):
        for tier in self.type_tiers[agent.group]:
            best = None
            for contact_type in tier:
                contact = view.oldest(contact_type)
                if contact is not None and (best is None or (-contact.priority, contact.arrival,
                                                             contact.id)
                                            < (-best.priority, best.arrival, best.id)):
                    best = contact
            if best is not None:
                return best
        return None
