"""Policy comparisons: common random numbers make paired differences precise."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.study.compare import compare
from ccsim.output.plots import comparison_bars, skill_graph
from ccsim.skills import SkillGraph

BANK = Path(__file__).parent.parent / "scenarios" / "retail_bank_day.yaml"


def test_common_random_numbers_shrink_the_variance_of_differences_at_least_fivefold():
    scenario = ccsim.load_scenario(BANK)
    comparison = compare(scenario, ["priority", "longest_idle"], replications=12, seed=21)
    base = comparison.results["priority"]
    for kpi in ("overall.asa", "overall.service_level", "by_type.loans.abandon_rate"):
        paired = comparison.results["longest_idle"].values(kpi) - base.values(kpi)
        # the same policy with independent streams: another seed for every replication
        independent = ccsim.simulate(scenario, replications=12, seed=22_000, policy="longest_idle")
        unpaired = independent.values(kpi) - base.values(kpi)
        factor = np.var(unpaired, ddof=1) / np.var(paired, ddof=1)
        assert factor >= 5, f"{kpi}: CRN reduced the variance only {factor:.1f}-fold"


def test_comparison_rows_and_significance():
    scenario = ccsim.load_scenario(BANK)
    comparison = compare(scenario, ["priority", "longest_idle"], replications=6, seed=3)
    rows = comparison.rows()
    baseline = [r for r in rows if r["policy"] == "priority"]
    assert all(r["diff"] == 0 and not r["significant"] for r in baseline)
    loans = next(r for r in rows if r["policy"] == "longest_idle" and r["of"] == "loans"
                 and r["kpi"] == "asa")
    # longest-idle lets sales agents take account calls as soon as they are free, which must
    # cost the loan callers waiting time compared with the rank-respecting priority policy
    assert loans["diff"] > 0 and loans["significant"]
    same = compare(scenario, ["priority", "priority"], replications=3, seed=3)
    assert same.policies == ["priority"]


def test_compare_cli_json_and_plot(tmp_path):
    plot = tmp_path / "compare.png"
    result = CliRunner().invoke(main, ["compare", str(BANK), "--policies", "priority,longest_idle",
                                       "-r", "3", "--json", "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)  # "written: ..." goes to stderr
    assert document["baseline"] == "priority" and document["policies"] == ["priority",
                                                                            "longest_idle"]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = CliRunner().invoke(main, ["compare", str(BANK), "--policies", "priority,nope"])
    assert bad.exit_code == 2


def test_comparison_bars_shows_every_policy_and_type():
    scenario = ccsim.load_scenario(BANK)
    comparison = compare(scenario, ["priority", "longest_idle"], replications=3, seed=1)
    figure = comparison_bars(comparison, "asa")
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["all", "accounts", "cards", "loans"]
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert labels == ["priority (baseline)", "longest_idle"]
    from matplotlib.container import BarContainer
    bars = [c for c in axes.containers if isinstance(c, BarContainer)]
    rows = comparison.rows(("asa",))
    for policy, container in zip(comparison.policies, bars):
        means = [r["mean"] for r in rows if r["policy"] == policy and r["kpi"] == "asa"]
        assert np.allclose([b.get_height() for b in container], means)
    assert "ASA" in axes.get_ylabel()


def test_skill_graph_figure_has_every_node():
    graph = SkillGraph(ccsim.load_scenario(BANK))
    figure = skill_graph(graph)
    texts = {t.get_text() for t in figure.axes[0].texts}
    assert {"accounts", "cards", "loans", "service", "sales"} <= texts


def test_graph_command(tmp_path):
    out = tmp_path / "graph.svg"
    result = CliRunner().invoke(main, ["graph", str(BANK), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "service (r1" in result.output and out.read_text().lstrip().startswith("<?xml")


def test_plans_are_compared_on_money_too():
    """The retail bank prices its agents: cost rows appear, and a paired difference of total
    cost is the difference of the two policies' mean costs (pairing changes the interval,
    not the mean)."""
    scenario = ccsim.load_scenario(BANK)
    comparison = compare(scenario, ["longest_idle", "priority"], replications=3)
    rows = [r for r in comparison.rows() if r["kpi"] == "total_cost"]
    assert [r["policy"] for r in rows] == ["longest_idle", "priority"]
    costs = {p: comparison.results[p].values("cost.overall.total_cost")
             for p in ("longest_idle", "priority")}
    expected = costs["priority"].mean() - costs["longest_idle"].mean()
    assert abs(rows[1]["diff"] - expected) < 1e-9 * max(1.0, abs(expected))
    plain = ccsim.load_scenario(Path(__file__).parent.parent / "scenarios" / "erlang_c.yaml")
    assert not any(r["kpi"] == "total_cost"
                   for r in compare(plain, ["longest_idle", "random"], replications=2).rows())
