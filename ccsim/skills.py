"""The skill graph: contact types and agent groups as nodes, skills as edges.

Edges carry the proficiency (handle-time factor) and the preference rank. The graph answers the
questions routing asks many times (which groups serve a type, in which order) and the checks a
planner needs before any simulation: a contact type nobody can serve, a group that is never staffed.
"""

from __future__ import annotations

import networkx as nx

__all__ = ["SkillGraph"]


class SkillGraph:
    """Bipartite graph ``("type", name)`` — ``("group", name)`` built from a scenario."""

    def __init__(self, scenario):
        graph = nx.Graph()
        for t in scenario.contact_types:
            graph.add_node(("type", t.name), kind="type", mean_handle_time=t.mean_handle_time,
                           priority=t.priority, segment=t.segment, channel=t.channel,
                           threshold=t.service_level.threshold)
        for group in scenario.agent_groups:
            headcount = (group.headcount if not group.shifts else
                         tuple(scenario.headcount(group, k) for k in range(scenario.n_intervals)))
            graph.add_node(("group", group.name), kind="group", staffed=max(headcount) > 0,
                           headcount=headcount)
            for skill in group.skills:
                graph.add_edge(("type", skill.contact_type), ("group", group.name),
                               proficiency=skill.proficiency, rank=skill.rank)
        self.graph = graph
        self.type_names = tuple(t.name for t in scenario.contact_types)
        self.group_names = tuple(g.name for g in scenario.agent_groups)

    def groups_for(self, contact_type: str) -> list[str]:
        """Groups that can serve ``contact_type``, by rank then by declaration order."""
        node = ("type", contact_type)
        order = {name: i for i, name in enumerate(self.group_names)}
        groups = [g for _, g in self.graph.edges(node)]
        groups.sort(key=lambda g: (self.graph.edges[node, g]["rank"], order[g[1]]))
        return [g[1] for g in groups]

    def types_for(self, group: str) -> list[str]:
        """Contact types ``group`` serves, by rank then by declaration order."""
        node = ("group", group)
        order = {name: i for i, name in enumerate(self.type_names)}
        types = [t for _, t in self.graph.edges(node)]
        types.sort(key=lambda t: (self.graph.edges[node, t]["rank"], order[t[1]]))
        return [t[1] for t in types]

    def skill(self, contact_type: str, group: str) -> dict | None:
        edge = (("type", contact_type), ("group", group))
        return self.graph.edges[edge] if self.graph.has_edge(*edge) else None

    def type_info(self, contact_type: str) -> dict:
        """mean_handle_time, priority, segment, channel, threshold of a contact type."""
        return self.graph.nodes["type", contact_type]

    def sharing(self, contact_type: str) -> list[str]:
        """Other contact types served by at least one group that also serves ``contact_type``
        (the chaining structure: who competes for the same agents)."""
        others = {t for g in self.groups_for(contact_type) for t in self.types_for(g)}
        return [t for t in self.type_names if t in others and t != contact_type]

    def unserved_types(self) -> list[str]:
        """Contact types that no group with a non-zero headcount can serve."""
        return [name for name in self.type_names
                if not any(self.graph.nodes["group", g]["staffed"] for g in self.groups_for(name))]

    def components(self) -> list[tuple[list[str], list[str]]]:
        """Connected parts: (contact types, groups) that share no agent with the rest."""
        parts = []
        for nodes in nx.connected_components(self.graph):
            parts.append((sorted(n[1] for n in nodes if n[0] == "type"),
                          sorted(n[1] for n in nodes if n[0] == "group")))
        return sorted(parts)
