"""A routing policy with a bug: it breaks the routing rules, so the engine stops the run with a
RoutingError. Used by the command-line tests: the error must name the policy, without a
traceback, also when the replication ran in a worker process.

The first new contact goes to the longest-idle agent, as with ``longest_idle``; every later one
is sent to that same agent again, busy or not (and skilled or not).
"""

from ccsim.routing.longest_idle import LongestIdle


class BreaksRules(LongestIdle):
    name = "breaks_rules"

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        self.favourite = None

    def select_agent(self, contact, view):
        if self.favourite is None:
            self.favourite = super().select_agent(contact, view)
        return self.favourite
