"""Least loaded first: a new contact goes to the skilled agent holding the fewest contacts now.

Meant for chat with concurrency: among the agents with a free slot, the one with the fewest
chats in hand takes the new chat (ties: within a group the agent available longest, across
groups the earlier ``idle_since``, then the lower id). A freed agent takes the oldest waiting
contact it can serve, as in longest-idle routing. With one contact per agent every available
agent holds none, and this is longest-idle routing.

Why: when chats slow an agent down (``stretch``), piling a third chat on an agent while another
holds one makes every chat of the first slower; spreading them keeps each agent at the fastest
pace its load allows. This is the "least loaded" or join-the-shortest-queue rule of the
literature on chat centers with concurrency (e.g. Tezcan & Zhang, 2014) and the "fewest
interactions" option of omnichannel ACDs. ``least_occupied`` differs: it looks at the work done
since the start of the run, not at the load of the moment.
"""

from __future__ import annotations

from .longest_idle import LongestIdle


class LeastLoaded(LongestIdle):
    name = "least_loaded"

    def select_agent(self, contact, view):
        best, best_key = None, None
        for group in self.groups_for[contact.type]:
            first = None
            for agent in view.idle_agents(group):  # available longest first
                if first is None or agent.held < first.held:
                    first = agent
                    if agent.held == 0:
                        break
            if first is not None:
                key = (first.held, first.idle_since, first.id)
                if best is None or key < best_key:
                    best, best_key = first, key
        return best
