"""Longest-idle agent, oldest contact first: the ACD default and the fairest baseline.

A new contact goes to the agent who has been idle longest among all groups that have the skill;
a freed agent takes the contact that has waited longest among the types it serves (global FCFS
across its skills). Ranks and priorities are ignored.
"""

from __future__ import annotations

from .base import RouterBase


class LongestIdle(RouterBase):
    name = "longest_idle"

    def select_agent(self, contact, view):
        best = None
        for group in self.groups_for[contact.type]:
            agent = view.longest_idle(group)
            if agent is not None and (best is None or (agent.idle_since, agent.id)
                                      < (best.idle_since, best.id)):
                best = agent
        return best

    def select_contact(self, agent, view):
        best = None
        for contact_type in self.types_for[agent.group]:
            contact = view.oldest(contact_type)
            if contact is not None and (best is None or (contact.arrival, contact.id)
                                        < (best.arrival, best.id)):
                best = contact
        return best
