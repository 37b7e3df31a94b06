"""What-if variants and experiment files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.study.study_file import load_study, run_study
from ccsim.study.whatif import scaled

ROOT = Path(__file__).parent.parent


def test_scaled_scenario_multiplies_rates_handle_times_and_headcount():
    scenario = ccsim.load_scenario(ROOT / "scenarios" / "retail_bank_day.yaml")
    variant = scaled(scenario, arrivals=1.2, handle_time=1.1, headcount=0.5, patience=2)
    for old, new in zip(scenario.contact_types, variant.contact_types):
        assert new.arrival_rates == pytest.approx([1.2 * r for r in old.arrival_rates])
        assert new.mean_handle_time == pytest.approx(1.1 * old.mean_handle_time)
        assert new.patience.mean == pytest.approx(2 * old.patience.mean)
    for old, new in zip(scenario.agent_groups, variant.agent_groups):
        assert new.headcount == tuple(round(h * 0.5) for h in old.headcount)
    with pytest.raises(ValueError, match="arrivals"):
        scaled(scenario, arrivals=0)


def test_more_volume_means_worse_service_with_the_same_streams():
    scenario = ccsim.load_scenario(ROOT / "scenarios" / "erlang_a.yaml")
    base = ccsim.simulate(scenario, replications=4, seed=2)
    busier = ccsim.simulate(scaled(scenario, arrivals=1.1), replications=4, seed=2)
    # paired replication by replication: every replication gets worse
    assert (busier.values("overall.asa") > base.values("overall.asa")).all()
    assert (busier.values("overall.offered") > base.values("overall.offered")).all()


def test_experiment_file_runs_every_variant_and_policy(tmp_path):
    study = load_study(ROOT / "experiments" / "routing_study.yaml")
    assert [v.name for v in study.variants] == ["Retail bank, one weekday",
                                                "retail bank, volume +15 %"]
    assert list(study.policies) == ["priority", "longest_idle"] and study.baseline == "priority"
    outcomes = run_study(study, replications=2)
    assert len(outcomes) == 2
    (_, normal), (_, busy) = outcomes
    assert (busy.results["priority"].values("overall.offered")
            > normal.results["priority"].values("overall.offered")).all()


def test_bad_experiment_file_is_located(tmp_path):
    bad = tmp_path / "study.yaml"
    bad.write_text("policies: [priority, nope]\nscenarios: [x.yaml]\n")
    result = CliRunner().invoke(main, ["compare", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:1:" in result.stderr and "nope" in result.stderr
