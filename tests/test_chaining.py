"""The flexibility study of experiments/chaining.py, in small: 6 replications of a 4-hour day.

Six equal contact types on 60 agents: six dedicated groups, a closed chain of two-skill groups,
and one fully flexible group. Pooling must help, a chain must help but not beat full
flexibility, and the chain must capture at least half of the dedicated -> full improvement.
Every design sees the same contacts (same seed), so the comparisons are paired differences and
their tolerances are their own 95 % confidence intervals.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import ccsim
from ccsim.measure.stats import mean_ci

from helpers import assert_agrees

SCRIPT = Path(__file__).parent.parent / "experiments" / "chaining.py"


@pytest.fixture(scope="module")
def chaining():
    spec = importlib.util.spec_from_file_location("ccsim_experiment_chaining", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def study(chaining):
    return chaining.run_study(replications=6, horizon_h=4.0, warmup_h=1.0, seed=2005,
                              policies=("priority", "longest_idle"))


def test_designs_have_equal_headcount_and_the_chain_is_one_closed_loop(chaining):
    skills = {}
    for design in ("dedicated", "chain", "full", "chain/unequal"):
        scenario = ccsim.scenario_from_text(chaining.design_yaml(design))
        assert sum(g.headcount[0] for g in scenario.agent_groups) == 60, design
        skills[design] = {g.name: {s.contact_type: s.rank for s in g.skills}
                          for g in scenario.agent_groups}
    assert all(len(s) == 1 for s in skills["dedicated"].values())
    assert skills["full"] == {"pool": {f"t{i}": 1 for i in range(1, 7)}}
    chain = skills["chain"]
    assert chain["g6"] == {"t6": 1, "t1": 2}                 # the loop closes
    assert all(sorted(s.values()) == [1, 2] for s in chain.values())
    # every type is primary for one group and secondary for another
    for t in range(1, 7):
        assert sorted(s[f"t{t}"] for s in chain.values() if f"t{t}" in s) == [1, 2]


@pytest.mark.parametrize("policy", ["priority", "longest_idle"])
def test_dedicated_worse_than_chain_no_better_than_full(study, policy):
    sl = {d: study[policy][d].values("overall.service_level") for d in ("dedicated", "chain",
                                                                         "full")}
    gain, gain_half = mean_ci(sl["chain"] - sl["dedicated"])
    assert gain - gain_half > 0, (
        f"{policy}: the chain should beat dedicated groups: {gain:+.3f} ± {gain_half:.3f}")
    excess, excess_half = mean_ci(sl["chain"] - sl["full"])
    assert excess <= excess_half, (
        f"{policy}: the chain should not beat full flexibility: {excess:+.3f} ± {excess_half:.3f}")


@pytest.mark.parametrize("policy", ["priority", "longest_idle"])
def test_chain_captures_at_least_half_of_the_benefit(chaining, study, policy):
    share, half = chaining.chain_share(study[policy], "service_level")
    assert share - half >= 0.5, (
        f"{policy}: the chain captures {share:.0%} ± {half:.0%} of the dedicated -> full gain")
    assert share <= 1 + half


def test_dedicated_and_full_match_erlang_a(chaining, study):
    """The dedicated design is six M/M/10+M queues and the full one an M/M/60+M queue."""
    anchors = chaining.theory_anchors()
    results = study["priority"]
    for design, anchor in (("dedicated", "dedicated (c=10)"), ("full", "full (c=60)")):
        for kpi in ("service_level", "abandon_rate"):
            # floor: the 3-hour window after a 1-hour warm-up is not quite steady state
            assert_agrees(results[design].values(f"overall.{kpi}"),
                          anchors[anchor][kpi], f"{design} {kpi}", floor=0.01)
