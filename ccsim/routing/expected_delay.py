"""Expected delay: send work where it costs the least predicted waiting elsewhere.

Definitions. For a contact type t, the predicted delay of its queue is
    D(t) = (queue_length(t) + 1) × mean_handle_time(t) / N(t),
the work ahead of the next contact of type t (itself included), shared by N(t), the number of
agents logged in across the groups skilled for t (D = inf if N(t) = 0). mean_handle_time is
the type's nominal talk + hold + after-call work, without the groups' proficiency factors.

A new contact of type k with an idle skilled agent in only one group goes there; with idle
agents in several groups, it goes to the group g least needed elsewhere, the one with the
smallest C(g, k) = sum of D(t) over the other types t ≠ k that g serves (ties: the group whose
longest-idle agent waited longer, then the lower id), and to that group's longest-idle agent.
Without an idle skilled agent the contact waits in its type's queue. A freed agent takes the
type, among those it serves with a contact waiting, with the largest D(t) (ties: the older
head, then the lower id) and serves that type's oldest contact.

Why the "+ 1": a group with an idle agent has no queue of its own (agents never idle while work
they can do waits), so queue lengths alone would rate every candidate 0. Counting the next
contact makes C(g, k) the predicted waiting that g's other types would face if g gave up an
agent now: a group whose other types are long and thinly staffed is kept free for them.

Planners use it in unbalanced multi-skill centers, where one queue builds up while agents who
could help are busy with easy work. It follows the expected-delay and queue-length-based
routing rules of the multi-skill literature (e.g. shortest-expected-delay routing, and the
queue-and-idleness-ratio rules of Gurvich & Whitt), in a simple form computed from the view.
"""

from __future__ import annotations

import math

from .base import RouterBase


class ExpectedDelay(RouterBase):
    name = "expected_delay"
    params_doc: dict[str, str] = {}

    def __init__(self, graph, params=None, rng=None):
        super().__init__(graph, params, rng)
        self.handle = {t: graph.type_info(t)["mean_handle_time"] for t in graph.type_names}

    def delay(self, contact_type, view) -> float:
        """D(t): predicted delay of the next contact of type t."""
        agents = sum(view.staffed(g) for g in self.groups_for[contact_type])
        if agents == 0:
            return math.inf
        return (view.queue_length(contact_type) + 1) * self.handle[contact_type] / agents

    def select_agent(self, contact, view):
        def key(agent, group):
            cost = sum(self.delay(t, view) for t in self.types_for[group] if t != contact.type)
            return cost, agent.idle_since, agent.id
        return self.best_idle(self.groups_for[contact.type], view, key)

    def select_contact(self, agent, view):
        return self.best_head(self.types_for[agent.group], view, lambda contact, t: (
            -self.delay(t, view), contact.arrival, contact.id))
