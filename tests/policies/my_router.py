"""A user-supplied routing policy, loaded from a scenario as "policies/my_router.py:MyRouter".

Deliberately unlike the built-in ones: a new contact goes to the agent who became idle MOST
recently (last in, first out), and a freed agent serves the waiting contact of the highest
priority, oldest first.
"""

from ccsim.routing import RouterBase


class MyRouter(RouterBase):
    name = "my_router"

    def select_agent(self, contact, view):
        best = None
        for group in self.groups_for[contact.type]:
            for agent in view.idle_agents(group):
                if best is None or (-agent.idle_since, agent.id) < (-best.idle_since, best.id):
                    best = agent
        return best

    def select_contact(self, agent, view):
        heads = [view.oldest(t) for t in self.types_for[agent.group]]
        heads = [c for c in heads if c is not None]
        return min(heads, key=lambda c: (-c.priority, c.arrival, c.id), default=None)
