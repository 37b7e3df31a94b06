"""The command line as a user drives it: run, validate, schema, erlang."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

import ccsim
from ccsim import theory
from ccsim.cli import main

ROOT = Path(__file__).parent.parent
BANK = str(ROOT / "scenarios" / "retail_bank_day.yaml")
ERLANG_C = str(ROOT / "scenarios" / "erlang_c.yaml")


def invoke(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_run_json_is_bit_identical_for_any_number_of_jobs():
    one = invoke("run", BANK, "-r", "4", "--seed", "9", "--json", "--jobs", "1")
    two = invoke("run", BANK, "-r", "4", "--seed", "9", "--json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.output == two.output
    other_seed = invoke("run", BANK, "-r", "4", "--seed", "10", "--json")
    assert other_seed.output != one.output


def test_run_json_document_has_the_documented_keys():
    document = json.loads(invoke("run", ERLANG_C, "-r", "2", "--json").output)
    assert {"scenario", "seed", "replications", "policy", "summary", "intervals",
            "group_intervals", "objectives"} <= set(document)
    summary = document["summary"]
    assert set(summary) == {"overall", "by_type", "by_channel", "by_segment", "by_group"}
    sl = summary["by_type"]["calls"]["service_level"]
    assert set(sl) == {"mean", "ci95"} and 0 <= sl["mean"] <= 1
    assert summary["by_group"]["agents"]["occupancy"]["mean"] > 0
    assert len(document["intervals"]) == 25 * 2  # 25 intervals × (calls + all)


def test_run_out_writes_summary_intervals_and_metadata(tmp_path):
    out = tmp_path / "results"
    result = invoke("run", BANK, "-r", "3", "--out", str(out))
    assert result.exit_code == 0
    assert {p.name for p in out.iterdir()} == {"summary.json", "intervals.csv", "run.json",
                                               "interval_overall.csv", "interval_types.csv",
                                               "interval_groups.csv", "replications"}
    assert len(list((out / "replications").iterdir())) == 3  # one per replication, for --resume
    run = json.loads((out / "run.json").read_text())
    scenario = ccsim.load_scenario(BANK)
    assert run["scenario_hash"] == scenario.digest() and run["replications"] == 3
    assert run["seed"] == scenario.seed and run["ccsim_version"] == ccsim.__version__
    rows = list(csv.DictReader((out / "intervals.csv").open()))
    assert len(rows) == 3 * scenario.n_intervals * len(scenario.contact_types)
    # sums, not averages: the day's offered contacts add up to the summary's mean
    summary = json.loads((out / "summary.json").read_text())["summary"]
    offered = sum(float(r["offered"]) - float(r["short_abandoned"]) for r in rows) / 3
    assert offered == pytest.approx(summary["overall"]["offered"]["mean"])


def test_run_out_unwritable_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = invoke("run", ERLANG_C, "-r", "2", "--out", str(blocker / "sub"))
    assert result.exit_code == 2  # a bad argument, found before any simulation
    assert "error: --out:" in result.output and "is a file" in result.output
    assert blocker.read_text() == "not a directory"


def test_run_table_names_types_and_groups():
    output = invoke("run", BANK, "-r", "2").output
    for name in ("accounts", "cards", "loans", "service", "sales", "Service level", "Occupancy"):
        assert name in output


def test_unknown_policy_is_exit_2():
    result = invoke("run", ERLANG_C, "--policy", "nope")
    assert result.exit_code == 2


def test_validate_ok():
    result = invoke("validate", BANK)
    assert result.exit_code == 0 and "OK" in result.output


def test_schema_is_json():
    schema = json.loads(invoke("schema").output)
    assert schema["title"] == "ccsim scenario"


def test_erlang_commands_print_the_theory():
    b = json.loads(invoke("erlang", "b", "-c", "10", "--load", "7", "--json").output)
    assert b["blocking"] == pytest.approx(theory.erlang_b(10, 7.0))
    c = json.loads(invoke("erlang", "c", "-c", "23", "--rate", "240/h", "--aht", "5min",
                          "--json").output)
    assert c["p_wait"] == pytest.approx(theory.erlang_c(23, 20.0))
    assert c["service_level"] == pytest.approx(theory.erlang_c_service_level(23, 20.0, 300, 20))
    a = json.loads(invoke("erlang", "a", "-c", "30", "--rate", "360/h", "--aht", "5min",
                          "--patience", "10min", "--json").output)
    model = theory.erlang_a(30, 0.1, 300.0, 600.0)
    assert a["p_abandon"] == pytest.approx(model.p_abandon)
    bad = invoke("erlang", "c", "-c", "23", "--rate", "240", "--aht", "5min")
    assert bad.exit_code == 2


def test_common_random_numbers_across_policies():
    """Two policies run with the same seed face the very same contacts."""
    scenario = ccsim.load_scenario(BANK)
    first = ccsim.simulate(scenario, replications=2, seed=4, policy="priority")
    second = ccsim.simulate(scenario, replications=2, seed=4, policy="longest_idle")
    for a, b in zip(first.sums, second.sums):
        assert (a["type.offered"] == b["type.offered"]).all()
    # ...and the policies do differ in what they deliver
    assert not math.isclose(first.values("by_type.loans.asa").mean(),
                            second.values("by_type.loans.asa").mean())


def test_validate_counts_the_load_the_ivr_routes_to_agents(tmp_path):
    """Half the IVR's 120 calls/h reach accounts (5 min), 0.3 × 0.6 reach cards (10 min):
    (60 × 5 + 21.6 × 10) / 60 = 8.6 erlangs through the IVR, plus 1 erlang direct."""
    path = tmp_path / "ivr.yaml"
    path.write_text("""\
horizon: 2h
ivr:
  arrivals: 120/h
  start: welcome
  menu:
    welcome: {branches: {accounts: 0.5, more: 0.3, hangup: 0.2}}
    more: {branches: {cards: 0.6, self_service: 0.4}}
contact_types:
  accounts: {arrivals: 12/h, talk: {dist: exponential, mean: 5min}}
  cards: {talk: {dist: exponential, mean: 10min}}
agent_groups:
  team: {headcount: 12, skills: [accounts, cards]}
""")
    result = invoke("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "mean offered load 9.6 erlangs (8.6 through the IVR)" in " ".join(result.output.split())
