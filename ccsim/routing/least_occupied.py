"""Least occupied first: share the work evenly between agents (or groups).

``scope: agent`` (default): a new contact goes to the idle skilled agent who has worked the
least so far (smallest ``busy_time``, the handle time of every contact it has taken since the
start of the run); ties go to the agent idle longest, then the lower id. ``scope: group``: it goes
to the skilled group with an idle agent and the smallest share of busy agents, busy / staffed
(ties: the group whose longest-idle agent has waited longer, then that agent's lower id), and to
that group's longest-idle agent. Either way a freed agent takes the oldest waiting contact it
can serve, as in longest-idle routing.

Planners use it when fairness between people matters as much as speed: longest-idle routing
evens out idle periods, not workload, and agents with faster skills or luckier draws end up
doing more. Occupancy balancing is offered by ACDs (e.g. as "least occupied agent") and studied
in the literature on fair routing to heterogeneous servers (e.g. Armony & Ward, Operations
Research 2010). Note that busy
time counts from the start of the run, so an agent who logs in late is fed first until it has
caught up.
"""

from __future__ import annotations

from .longest_idle import LongestIdle

SCOPES = ("agent", "group")


class LeastOccupied(LongestIdle):
    name = "least_occupied"
    params_doc = {"scope": "agent (default): the least busy agent so far; group: the group with "
                           "the lowest share of busy agents, then its longest-idle agent"}

    @classmethod
    def check_params(cls, params: dict) -> dict:
        params = super().check_params(params)
        scope = params.get("scope", "agent")
        if scope not in SCOPES:
            raise ValueError(f"scope: must be one of {', '.join(SCOPES)} (got {scope!r})")
        return {"scope": scope}

    def select_agent(self, contact, view):
        if self.params["scope"] == "group":
            return self._by_group(contact, view)
        best, best_key = None, None
        for group in self.groups_for[contact.type]:
            for agent in view.idle_agents(group):
                key = (agent.busy_time, agent.idle_since, agent.id)
                if best is None or key < best_key:
                    best, best_key = agent, key
        return best

    def _by_group(self, contact, view):
        return self.best_idle(self.groups_for[contact.type], view, lambda agent, group: (
            view.busy_count(group) / view.staffed(group), agent.idle_since, agent.id))
