"""Figures (matplotlib). Every function returns a Figure and never calls ``show``: save it,
embed it in a report or display it in a notebook."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

__all__ = ["comparison_bars", "skill_graph"]

_LABELS = {"service_level": "service level", "asa": "ASA (s)", "abandon_rate": "abandonment",
           "wait_p90": "90th percentile wait (s)", "aht": "AHT (s)", "occupancy": "occupancy"}


def comparison_bars(comparison, kpi: str = "service_level"):
    """One KPI per contact type (and overall) for each policy, with 95 % confidence bars;
    policies whose paired difference from the baseline is significant are marked with *."""
    rows = [r for r in comparison.rows((kpi,)) if r["kpi"] == kpi]
    groups = list(dict.fromkeys(r["of"] for r in rows))
    policies = comparison.policies
    width = 0.8 / len(policies)
    figure, axes = plt.subplots(figsize=(max(6.0, 1.4 * len(groups) * len(policies) ** 0.5), 4))
    x = np.arange(len(groups))
    for i, policy in enumerate(policies):
        mine = {r["of"]: r for r in rows if r["policy"] == policy}
        means = [mine[g]["mean"] for g in groups]
        errors = [0 if np.isnan(mine[g]["ci95"]) else mine[g]["ci95"] for g in groups]
        label = policy + (" (baseline)" if policy == comparison.baseline else "")
        bars = axes.bar(x + (i - (len(policies) - 1) / 2) * width, means, width, yerr=errors,
                        capsize=3, label=label)
        for bar, g, error in zip(bars, groups, errors):
            if mine[g].get("significant"):
                axes.annotate("*", (bar.get_x() + bar.get_width() / 2, bar.get_height() + error),
                              ha="center", va="bottom", fontsize=12)
    axes.set_xticks(x, groups)
    axes.set_ylabel(_LABELS.get(kpi, kpi))
    axes.set_title(f"{comparison.scenario.name}: {_LABELS.get(kpi, kpi)} by routing policy\n"
                   f"bars: 95 % CI; *: paired difference from the baseline is significant",
                   fontsize="medium")
    axes.legend(fontsize="small")
    if kpi in ("service_level", "abandon_rate", "occupancy"):
        axes.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    figure.tight_layout()
    return figure


def skill_graph(graph):
    """Contact types (left) and agent groups (right), skills as edges labelled with rank and
    proficiency."""
    import networkx as nx

    types, groups = graph.type_names, graph.group_names
    height = max(len(types), len(groups))
    position = {("type", t): (0.0, height - i * height / max(1, len(types)))
                for i, t in enumerate(types)}
    position.update({("group", g): (1.0, height - i * height / max(1, len(groups)))
                     for i, g in enumerate(groups)})
    figure, axes = plt.subplots(figsize=(7, 1.0 + 0.7 * height))
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
    figure.tight_layout()
    return figure
