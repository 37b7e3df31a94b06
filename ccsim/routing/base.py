"""The router contract: two decisions, nothing else.

A router never changes the center. When a contact arrives it may pick an idle agent
(``select_agent``); when an agent has capacity it may pick a waiting contact (``select_contact``).
Returning ``None`` means "queue it" / "stay idle". The engine checks every choice and raises
``RoutingError`` naming the router when a choice breaks the rules.

What a router can see (the ``view``, read-only):
  ``view.now``; ``view.oldest(type)`` and ``view.waiting(type)`` (oldest first);
  ``view.queue_length(type)``; ``view.longest_idle(group)`` and ``view.idle_agents(group)``
  (longest idle first); ``view.idle_count(group)``, ``view.busy_count(group)``,
  ``view.staffed(group)``.
``view.recheck_at(time)`` asks the engine to offer waiting contacts to idle agents again at
``time`` (for policies whose answer changes with the passing of time, e.g. overflow after a delay).
A router may also offer ``fast_paths(view)`` (see ``RouterBase.fast_paths``): the same two
decisions, prepared once per replication for each contact type and each group.
A contact has ``id``, ``type``, ``arrival``, ``priority`` and ``segment``; an agent has ``id``,
``group``, ``idle_since``, ``busy_time`` (handle time worked so far) and ``held`` (contacts in
hand now: above 0 only for a chat agent with a free slot). Ties are broken
deterministically: earlier time, then lower id.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["Router", "RouterBase"]


@runtime_checkable
class Router(Protocol):
    """A routing policy: a registered ``name`` and the two decisions of this module,
    ``select_agent(contact, view)`` and ``select_contact(agent, view)``, each returning its
    choice or ``None``."""

    name: str

    def select_agent(self, contact, view): ...

    def select_contact(self, agent, view): ...


class RouterBase:
    """Shared set-up: the skill graph's preference lists, computed once per run.

    ``graph`` is the scenario's ``SkillGraph`` (nodes carry the contact types' mean handle time,
    priority, segment and service-level threshold, and the groups' headcounts); ``rng`` is the
    run's own ``routing`` random stream, for policies that draw (never the global one)."""

    name = "base"
    params_doc: dict[str, str] = {}

    def __init__(self, graph, params: dict | None = None, rng=None):
        self.graph = graph
        self.rng = rng
        self.params = self.check_params(dict(params or {}))
        self.groups_for = {t: tuple(graph.groups_for(t)) for t in graph.type_names}
        self.types_for = {g: tuple(graph.types_for(g)) for g in graph.group_names}

    @classmethod
    def check_params(cls, params: dict) -> dict:
        """Normalise ``params``; raise ValueError('key: message') for a bad one."""
        for key in params:
            if key not in cls.params_doc:
                known = ", ".join(cls.params_doc) or "none"
                raise ValueError(f"{key}: unknown parameter for policy {cls.name!r} (known: {known})")
        return params

    @staticmethod
    def best_idle(groups, view, key):
        """Among the longest-idle agents of ``groups``, the one with the smallest
        ``key(agent, group)``, or None."""
        best, best_key = None, None
        for group in groups:
            agent = view.longest_idle(group)
            if agent is not None:
                value = key(agent, group)
                if best is None or value < best_key:
                    best, best_key = agent, value
        return best

    @staticmethod
    def best_head(types, view, key):
        """Among the oldest waiting contacts of ``types``, the one with the smallest
        ``key(contact, type)``, or None."""
        best, best_key = None, None
        for contact_type in types:
            contact = view.oldest(contact_type)
            if contact is not None:
                value = key(contact, contact_type)
                if best is None or value < best_key:
                    best, best_key = contact, value
        return best

    @staticmethod
    def longest_idle_among(groups, view):
        """The agent idle longest across ``groups`` (ties: the lower id), or None.

        Written out rather than through ``best_idle``: it runs on every contact."""
        longest = view.longest_idle
        if groups.__class__ is tuple and len(groups) == 1:  # any iterable is accepted
            return longest(groups[0])
        best = None
        for group in groups:
            agent = longest(group)
            if agent is not None and (best is None or agent.idle_since < best.idle_since or (
                    agent.idle_since == best.idle_since and agent.id < best.id)):
                best = agent
        return best

    @staticmethod
    def oldest_among(types, view):
        """The contact waiting longest across ``types`` (ties: the lower id), or None."""
        oldest = view.oldest
        if types.__class__ is tuple and len(types) == 1:
            return oldest(types[0])
        best = None
        for contact_type in types:
            contact = oldest(contact_type)
            if contact is not None and (best is None or contact.arrival < best.arrival or (
                    contact.arrival == best.arrival and contact.id < best.id)):
                best = contact
        return best

    def fast_paths(self, view):
        """Asked once per replication by the engine: ``(agent_for, contact_for)``, dicts from
        a type name to ``f(contact, view)`` and from a group name to ``f(agent, view)``, each
        giving exactly what ``select_agent`` / ``select_contact`` would for contacts of that
        type / agents of that group, only faster (from the view's prepared queries, looked up
        once); or None: the engine calls the two methods. A built-in policy offers them only
        for its own class, so a subclass that overrides a decision is never bypassed."""
        return None

    @staticmethod
    def idle_finder(groups: tuple, view):
        """``f(asking, view)``: ``longest_idle_among(groups, view)``, prepared by the view
        when it can (any view with ``longest_idle`` will do)."""
        prepare = getattr(view, "longest_idle_finder", None)
        if prepare is not None:
            return prepare(groups)
        return lambda asking, view: RouterBase.longest_idle_among(groups, view)

    @staticmethod
    def waiting_finder(types: tuple, view):
        """``f(asking, view)``: ``oldest_among(types, view)``, prepared by the view when it can."""
        prepare = getattr(view, "oldest_finder", None)
        if prepare is not None:
            return prepare(types)
        return lambda asking, view: RouterBase.oldest_among(types, view)

    def first_tier_agent(self, tiers, view):
        """The longest-idle agent of the first tier of groups that has one idle."""
        among = self.longest_idle_among
        for tier in tiers:
            agent = among(tier, view)
            if agent is not None:
                return agent
        return None

    def tiers(self, items: tuple, rank) -> list[tuple]:
        """Split ``items`` (already sorted by rank) into runs of equal rank."""
        runs: list[list] = []
        last = object()
        for item in items:
            value = rank(item)
            if value != last:
                runs.append([])
                last = value
            runs[-1].append(item)
        return [tuple(run) for run in runs]
