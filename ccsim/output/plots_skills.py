"""Who serves what (re-exported by ``ccsim.output.plots``): the skill graph drawn as a network,
and the skills matrix — contact types × agent groups, each skill a cell with its preference
rank and proficiency — which stays readable when the network gets crowded.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap

from .chart_axes import finish, new_axes

__all__ = ["skill_graph", "skills_matrix", "CROWDED"]

# above this many nodes (types + groups) the network drawing is crowded: use the matrix
CROWDED = 10
_RANK_COLOURS = ("#08519c", "#4292c6", "#9ecae1", "#deebf7")  # rank 1, 2, 3, 4 and beyond


def skill_graph(graph, ax=None):
    """Contact types (left) and agent groups (right), skills as edges labelled with rank and
    proficiency."""
    import networkx as nx

    types, groups = graph.type_names, graph.group_names
    height = max(len(types), len(groups))
    position = {("type", t): (0.0, height - i * height / max(1, len(types)))
                for i, t in enumerate(types)}
    position.update({("group", g): (1.0, height - i * height / max(1, len(groups)))
                     for i, g in enumerate(groups)})
    figure, axes, own = new_axes(ax, (7, 1.0 + 0.7 * height))
    nx.draw_networkx_nodes(graph.graph, position, nodelist=[("type", t) for t in types],
                           node_color="#8ecae6", node_shape="s", node_size=900, ax=axes)
    nx.draw_networkx_nodes(graph.graph, position, nodelist=[("group", g) for g in groups],
                           node_color="#ffb703", node_size=1100, ax=axes)
    nx.draw_networkx_labels(graph.graph, position, labels={n: n[1] for n in graph.graph},
                            font_size=8, ax=axes)
    ranks = nx.get_edge_attributes(graph.graph, "rank")
    nx.draw_networkx_edges(graph.graph, position, width=[2.5 if r == 1 else 1.0
                                                         for r in ranks.values()], ax=axes)
    labels = {e: f"r{d['rank']} ×{d['proficiency']:g}" for e, d in graph.graph.edges.items()}
    nx.draw_networkx_edge_labels(graph.graph, position, edge_labels=labels, font_size=7,
                                 label_pos=0.3, ax=axes)
    axes.set_title("Skill graph: contact types (squares) and agent groups (circles)\n"
                   "edges: preference rank r and proficiency (handle-time factor) ×",
                   fontsize="medium")
    axes.margins(x=0.15, y=0.1)
    axes.axis("off")
    return finish(figure, own)


def skill_ranks(graph) -> np.ndarray:
    """Types × groups: the preference rank of each skill, NaN where the group lacks it."""
    ranks = np.full((len(graph.type_names), len(graph.group_names)), np.nan)
    for i, name in enumerate(graph.type_names):
        for j, group in enumerate(graph.group_names):
            skill = graph.skill(name, group)
            if skill is not None:
                ranks[i, j] = skill["rank"]
    return ranks


def skills_matrix(graph, ax=None):
    """The skill graph as a heat table: one row per contact type, one column per agent group;
    a cell is a skill, coloured by its preference rank (1, the primary group, darkest) and
    labelled ``r<rank> ×<proficiency>``; blank where the group does not serve the type."""
    types, groups = graph.type_names, graph.group_names
    ranks = skill_ranks(graph)
    figure, axes, own = new_axes(ax, (max(6.0, 2.5 + 1.05 * len(groups)),
                                      max(2.8, 1.6 + 0.42 * len(types))))
    top = len(_RANK_COLOURS)
    colours = ListedColormap(_RANK_COLOURS).with_extremes(bad="white")
    norm = BoundaryNorm(np.arange(0.5, top + 1), top)
    shown = np.ma.masked_invalid(np.minimum(ranks, top))
    image = axes.imshow(shown, cmap=colours, norm=norm, aspect="auto", interpolation="nearest")
    for i, name in enumerate(types):
        for j, group in enumerate(groups):
            skill = graph.skill(name, group)
            if skill is not None:
                axes.text(j, i, f"r{skill['rank']} ×{skill['proficiency']:g}", ha="center",
                          va="center", fontsize="small",
                          color="white" if skill["rank"] <= 2 else "black")
    axes.set_xticks(np.arange(len(groups)), groups)
    axes.set_yticks(np.arange(len(types)), types)
    axes.xaxis.tick_top()
    if len(groups) > 6:
        for label in axes.get_xticklabels():
            label.set(rotation=40, ha="left")
    axes.set_xticks(np.arange(len(groups) + 1) - 0.5, minor=True)
    axes.set_yticks(np.arange(len(types) + 1) - 0.5, minor=True)
    axes.grid(which="minor", color="0.8", linewidth=0.6)
    axes.tick_params(which="minor", length=0)
    axes.set_xlabel("agent group")
    axes.set_ylabel("contact type")
    bar = figure.colorbar(image, ax=axes, pad=0.02, ticks=np.arange(1, top + 1))
    bar.ax.set_yticklabels([*(str(r) for r in range(1, top)), f"{top}+"])
    bar.set_label("preference rank")
    axes.set_title("Skills matrix: who serves what\ncell: preference rank r and proficiency "
                   "(handle-time factor) ×; blank: no skill", fontsize="medium")
    return finish(figure, own)
