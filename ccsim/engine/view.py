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
        # prepared queries, for the fast paths of the built-in policies (RouterBase.fast_paths)
        self.longest_idle_finder = center.longest_idle_finder
        self.oldest_finder = center.oldest_finder

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

    def longest_idle_finder(self, group_names):
        """A prepared ``longest_idle`` across groups: ``find(asking, view)`` (the signature of
        a router's decision; both ignored) gives the agent idle longest across ``group_names``
        (ties: the lower id), or None. The idle lists are looked up once, not per question."""
        idles = tuple(self._idle[name] for name in group_names)
        if len(idles) == 1:
            idle = idles[0]

            def find(asking=None, view=None):
                while idle:
                    epoch, agent = idle[0]
                    if agent.state == IDLE and agent.idle_epoch == epoch:
                        return agent
                    idle.popleft()
                return None
            return find

        def find_among(asking=None, view=None):
            best = None
            for idle in idles:
                while idle:
                    epoch, agent = idle[0]
                    if agent.state == IDLE and agent.idle_epoch == epoch:
                        if best is None or agent.idle_since < best.idle_since or (
                                agent.idle_since == best.idle_since and agent.id < best.id):
                            best = agent
                        break
                    idle.popleft()
            return best
        return find_among

    def oldest_finder(self, type_names):
        """A prepared ``oldest`` across types: ``find(asking, view)`` gives the contact waiting
        longest across ``type_names`` (ties: the lower id), or None."""
        queues = tuple(self._queues[name] for name in type_names)
        if len(queues) == 1:
            queue = queues[0]

            def find(asking=None, view=None):
                while queue:
                    contact = queue[0]
                    if contact.state == WAITING:
                        return contact
                    queue.popleft()
                return None
            return find

        def find_among(asking=None, view=None):
            best = None
            for queue in queues:
                while queue:
                    contact = queue[0]
                    if contact.state == WAITING:
                        if best is None or contact.arrival < best.arrival or (
                                contact.arrival == best.arrival and contact.id < best.id):
                            best = contact
                        break
                    queue.popleft()
            return best
        return find_among

    def waiting_contacts(self, t) -> list:
        """Contacts of type ``t`` still waiting, routable or parked while the channel is closed."""
        return [c for c in (*t.parked, *t.queue) if c.state == WAITING]

    def contacts_in_service(self) -> list:
        return [c for g in self.groups for a in g.agents for c in a.contacts]
