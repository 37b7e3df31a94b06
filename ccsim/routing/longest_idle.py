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
        return self.longest_idle_among(self.groups_for[contact.type], view)

    def select_contact(self, agent, view):
        return self.oldest_among(self.types_for[agent.group], view)

    def fast_paths(self, view):
        if type(self) is not LongestIdle:
            return None
        return ({t: self.idle_finder(groups, view) for t, groups in self.groups_for.items()},
                {g: self.waiting_finder(types, view) for g, types in self.types_for.items()})
