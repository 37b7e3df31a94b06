"""What a router may look at: read-only questions about the center's state."""

from __future__ import annotations

from .entities import IDLE, WAITING

__all__ = ["CenterView", "QueriesMixin"]


class CenterView:
    """What a router may look at: read-only questions about the center's state.

    The answers are the center's own methods, bound once (routers call them on every contact)."""

    def __init__(self, center):
        by_type, by_group = center.type_by_name, center.group_by_name
        self._env = center.env
        self.oldest = center.oldest
        self.longest_idle = center.longest_idle
        self.waiting = lambda name: iter(center.waiting_contacts(by_type[name]))
        self.queue_length = lambda name: by_type[name].length if by_type[name].open else 0
        self.idle_agents = lambda name: iter(center._idle_agents(by_group[name]))
        self.idle_count = lambda name: by_group[name].n_idle
        self.busy_count = lambda name: by_group[name].busy
        self.staffed = lambda name: by_group[name].staffed
        self.recheck_at = center.recheck_at

    @property
    def now(self) -> float:
        return self._env.now


class QueriesMixin:
    """The center's read-only questions (mixed into ``Center``; the view binds them)."""

    def oldest(self, type_name: str):
        queue = self._queues[type_name]
        while queue:
            contact = queue[0]
            if contact.state == WAITING:
                return contact
            queue.popleft()
        return None

    def longest_idle(self, group_name: str):
        idle = self._idle[group_name]
        while idle:
            epoch, agent = idle[0]
            if agent.state == IDLE and agent.idle_epoch == epoch:
                return agent
            idle.popleft()
        return None

    def waiting_contacts(self, t) -> list:
        """Contacts of type ``t`` still waiting, routable or parked while the channel is closed."""
        return [c for c in (*t.parked, *t.queue) if c.state == WAITING]

    def contacts_in_service(self) -> list:
        return [c for g in self.groups for a in g.agents for c in a.contacts]
