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

    def fast_paths(self, view):
        if type(self) is not Priority:
            return None
        return ({t: self._first_of([self.idle_finder(tier, view) for tier in tiers])
                 for t, tiers in self.group_tiers.items()},
                {g: self._contact_finder(tiers, view) for g, tiers in self.type_tiers.items()})

    @staticmethod
    def _first_of(finders):
        """The answer of the first tier that has one."""
        if len(finders) == 1:
            return finders[0]

        def find(asking, view):
            for finder in finders:
                agent = finder(asking, view)
                if agent is not None:
                    return agent
            return None
        return find

    def _contact_finder(self, tiers, view):
        """``select_contact`` for an agent serving ``tiers``, from the queues' prepared heads."""
        if len(tiers) == 1 and len(tiers[0]) == 1:
            return self.waiting_finder(tiers[0], view)
        heads = [[self.waiting_finder((t,), view) for t in tier] for tier in tiers]

        def find(agent, view):
            for tier in heads:
                best = None
                for head in tier:
                    contact = head(agent, view)
                    if contact is not None and (best is None or (
                            -contact.priority, contact.arrival, contact.id)
                            < (-best.priority, best.arrival, best.id)):
                        best = contact
                if best is not None:
                    return best
            return None
        return find
