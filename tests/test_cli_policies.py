"""Routing policies named on the command line: your own ``file.py:Class`` wherever a policy is
named, and a policy that breaks the routing rules is a clear error naming it (exit 2), never a
traceback, also when its replications ran in worker processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main

ROOT = Path(__file__).parent.parent
CENTER = ROOT / "tests" / "user_policy_center.yaml"  # its policies are in tests/policies/
MINE = "policies/my_router.py:MyRouter"
BROKEN = "policies/breaks_rules.py:BreaksRules"


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_run_accepts_a_policy_file_and_uses_it():
    mine = invoke("run", CENTER, "-r", "2", "--seed", "3", "--policy", MINE, "--json")
    assert mine.exit_code == 0, mine.output
    document = json.loads(mine.output)
    assert document["policy"] == MINE
    # the same numbers as the scenario naming that policy itself, unlike another policy's
    own = ccsim.simulate(ccsim.load_scenario(CENTER), replications=2, seed=3)
    assert document["summary"]["overall"]["asa"]["mean"] == own.summary()["overall"]["asa"]["mean"]
    other = json.loads(invoke("run", CENTER, "-r", "2", "--seed", "3", "--policy",
                              "longest_idle", "--json").output)
    assert other["summary"]["overall"]["asa"] != document["summary"]["overall"]["asa"]


def test_run_refuses_a_policy_that_cannot_be_loaded():
    missing = invoke("run", CENTER, "--policy", "policies/nothing_here.py:X")
    assert missing.exit_code == 2 and "--policy: routing policy file not found" in missing.output
    unknown = invoke("run", CENTER, "--policy", "longest-idle")
    assert unknown.exit_code == 2 and "unknown routing policy 'longest-idle'" in unknown.output


def test_policies_describes_a_policy_file():
    result = invoke("policies", str(ROOT / "tests" / MINE))
    assert result.exit_code == 0, result.output
    assert "(last in, first out)" in result.output  # the module's own docstring


def _says_the_policy_broke_the_rules(result, name=BROKEN):
    assert result.exit_code == 2, result.output
    assert f"error: routing policy {name}: router 'breaks_rules' " in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_policy_that_breaks_the_rules_is_a_clear_error_of_run(jobs):
    result = invoke("run", CENTER, "-r", "3", "--policy", BROKEN, "--jobs", jobs, "-q")
    _says_the_policy_broke_the_rules(result)


def test_a_policy_that_breaks_the_rules_is_a_clear_error_of_compare():
    result = invoke("compare", CENTER, "--policies", f"longest_idle,{BROKEN}", "-r", "2",
                    "--jobs", "2")
    _says_the_policy_broke_the_rules(result)


@pytest.fixture
def broken_center(tmp_path):
    """The center with the broken policy as its own (``staff``, ``stress``, ``report``,
    ``animate`` and sweeps use the scenario's policy)."""
    shutil.copytree(ROOT / "tests" / "policies", tmp_path / "policies")
    text = CENTER.read_text().replace(MINE, BROKEN)
    (tmp_path / "center.yaml").write_text(text)
    return tmp_path


def test_a_policy_that_breaks_the_rules_is_a_clear_error_everywhere(broken_center):
    center = broken_center / "center.yaml"
    for args in (("staff", center, "--group", "sales_team", "-r", "2", "-q"),
                 ("stress", center, "--volume", "1", "--aht", "1", "--absence", "0", "-r", "2",
                  "-q"),
                 ("report", center, "-r", "2", "--allow-code", "-o", broken_center / "r.html"),
                 ("animate", center, "-o", broken_center / "a.gif", "--minutes", "5")):
        _says_the_policy_broke_the_rules(invoke(*args))
    sweep = broken_center / "sweep.yaml"
    sweep.write_text("name: s\nscenario: center.yaml\nreplications: 2\n"
                     "grid: {volume: [1.0]}\n")
    _says_the_policy_broke_the_rules(invoke("sweep", sweep, "--out", broken_center / "out",
                                            "-q", "--jobs", "2"))


def test_a_sweep_names_policy_files_and_unknown_policies_are_located(tmp_path):
    shutil.copytree(ROOT / "tests" / "policies", tmp_path / "policies")
    shutil.copy(CENTER, tmp_path / "center.yaml")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(f"name: s\nscenario: center.yaml\nreplications: 2\n"
                     f"policies: [longest_idle, '{MINE}']\ngrid: {{volume: [1.0]}}\n")
    made = invoke("sweep", sweep, "--out", tmp_path / "out", "-q")
    assert made.exit_code == 0, made.output
    assert MINE in (tmp_path / "out" / "summary.csv").read_text()
    sweep.write_text(sweep.read_text().replace(MINE, "longest-idle"))
    bad = invoke("sweep", sweep, "--out", tmp_path / "bad", "-q")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert "sweep.yaml:4:" in bad.output and "unknown routing policy 'longest-idle'" in bad.output
