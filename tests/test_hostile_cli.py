"""Command-line arguments nobody types on purpose: each ends in ``error: --option: expected
..., got ...`` with exit status 2, before anything runs, and user text is printed literally."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsim.cli import main

HERE = Path(__file__).parent
SCENARIOS = HERE.parent / "scenarios"
ERLANG_C = str(SCENARIOS / "erlang_c.yaml")
BIG = "1" + "0" * 400
ERLANG = ["-c", "5", "--rate", "100/h", "--aht", "3min"]


def _cases(tmp: Path):
    blocker = tmp / "regular-file"
    under = str(blocker / "x")
    return [
        ("--aht", ["erlang", "c", "-c", "5", "--rate", "100/h", "--aht", "0"]),
        ("--aht", ["erlang", "c", "-c", "5", "--rate", "100/h", "--aht", "-3min"]),
        ("--aht", ["erlang", "c", "-c", "5", "--rate", "100/h", "--aht", "inf"]),
        ("--aht", ["erlang", "c", "-c", "5", "--rate", "100/h", "--aht", "nan"]),
        ("--rate", ["erlang", "c", "-c", "5", "--rate", "0/h", "--aht", "3min"]),
        ("--rate", ["erlang", "c", "-c", "5", "--rate", "-100/h", "--aht", "3min"]),
        ("--rate", ["erlang", "c", "-c", "5", "--rate", "inf/h", "--aht", "3min"]),
        ("--rate", ["erlang", "c", "-c", "5", "--rate", "nan/h", "--aht", "3min"]),
        ("--rate", ["erlang", "c", "-c", "5", "--rate", f"{BIG}/h", "--aht", "3min"]),
        ("--agents", ["erlang", "c", "-c", "0", "--rate", "100/h", "--aht", "3min"]),
        ("--agents", ["erlang", "c", "-c", BIG, "--rate", "100/h", "--aht", "3min"]),
        ("--threshold", ["erlang", "c", *ERLANG, "--threshold", "nan"]),
        ("--patience", ["erlang", "a", *ERLANG, "--patience", "0"]),
        ("--patience", ["erlang", "a", *ERLANG, "--patience", "-1min"]),
        ("--patience", ["erlang", "a", *ERLANG, "--patience", "nan"]),
        ("--load", ["erlang", "b", "-c", "5", "--load", "inf"]),
        ("--load", ["erlang", "b", "-c", "5", "--load", "nan"]),
        ("--load", ["erlang", "b", "-c", "5", "--load", "-1"]),
        ("--agents", ["erlang", "b", "-c", "99999999999999999", "--load", "3"]),
        ("--agents", ["erlang", "b", "--load", "3"]),
        ("--max-blocking", ["erlang", "b", "--load", "3", "--max-blocking", "0"]),
        ("--max-blocking", ["erlang", "b", "--load", "3", "--max-blocking", "150%"]),
        ("--target", ["erlang", "c", "--rate", "100/h", "--aht", "3min", "--target", "0.8/20"]),
        ("--target", ["erlang", "c", "--rate", "100/h", "--aht", "3min", "--target", "80"]),
        ("--target", ["erlang", "c", "--rate", "100/h", "--aht", "3min", "--target", "100%"]),
        ("--target", ["erlang", "c", "--rate", "100/h", "--aht", "3min", "--target", "80/x"]),
        ("--threshold", ["erlang", "c", "--rate", "100/h", "--aht", "3min", "--target", "80/20",
                         "--threshold", "30s"]),
        ("--asa", ["erlang", "c", "--rate", "100/h", "--aht", "3min", "--asa", "0s"]),
        ("--max-occupancy", ["erlang", "c", "--rate", "100/h", "--aht", "3min",
                             "--max-occupancy", "0%"]),
        ("--max-occupancy", ["erlang", "c", "--rate", "100/h", "--aht", "3min",
                             "--max-occupancy", "nan"]),
        ("--shrinkage", ["erlang", "c", *ERLANG, "--shrinkage", "100%"]),
        ("--shrinkage", ["erlang", "c", *ERLANG, "--shrinkage", "-5%"]),
        ("--shrinkage", ["erlang", "c", *ERLANG, "--shrinkage", "30"]),
        ("--hours-per-fte", ["erlang", "c", *ERLANG, "--hours-per-fte", "0h"]),
        ("--max-abandon", ["erlang", "a", "--rate", "100/h", "--aht", "3min", "--patience",
                           "5min", "--max-abandon", "0"]),
        ("--agents", ["erlang", "c", "--rate", "100/h", "--aht", "3min"]),
        ("--rate", ["erlang", "c", "--aht", "3min", "--target", "80/20"]),
        ("--aht", ["erlang", "c", "--rate", "100/h", "--target", "80/20"]),
        ("--agents", ["erlang", "c", *ERLANG, "--forecast", str(HERE / "nothing.csv")]),
        ("--interval", ["erlang", "c", "--forecast", str(HERE / "nothing.csv"), "--target",
                        "80/20", "--interval", "0min"]),
        ("--policies", ["compare", ERLANG_C, "--policies", ""]),
        ("--policies", ["compare", ERLANG_C, "--policies", ", ,"]),
        ("--policies", ["compare", ERLANG_C, "--policies", "longest_idle,,priority"]),
        ("--policies", ["compare", ERLANG_C, "--policies", "no_such_policy"]),
        ("--kpi", ["compare", ERLANG_C, "--policies", "longest_idle", "--kpi", "nope"]),
        ("--output", ["graph", ERLANG_C, "-o", str(tmp / "skills.docx")]),
        ("--output", ["graph", ERLANG_C, "-o", f"{under}.png"]),
        ("--output", ["graph", ERLANG_C, "-o", str(tmp / "missing" / "g.png")]),
        ("--plot", ["compare", ERLANG_C, "--policies", "longest_idle", "--plot", f"{under}.png"]),
        ("--output", ["schema", "-o", f"{under}.json"]),
        ("--output", ["report", ERLANG_C, "-o", f"{under}.html"]),
        ("--output", ["animate", ERLANG_C, "-o", str(tmp / "a.mp4")]),
        ("--out", ["run", ERLANG_C, "--out", under]),
        ("--out", ["run", ERLANG_C, "--out", str(blocker)]),
        ("--records", ["run", ERLANG_C, "--records", under]),
        ("--out", ["sweep", ERLANG_C, "--out", under]),
        ("--out", ["stress", ERLANG_C, "--out", under]),
        ("--out", ["import-intervals", str(HERE / "broken" / "data" / "arrivals.csv"), "--out",
                   under]),
        ("--seed", ["run", ERLANG_C, "--seed", BIG]),
        ("--seed", ["run", ERLANG_C, "--seed", "-1"]),
        ("--replications", ["run", ERLANG_C, "-r", "1000000000"]),
        ("--replications", ["compare", ERLANG_C, "--policies", "longest_idle", "-r", BIG]),
        ("--max-replications", ["run", ERLANG_C, "--max-replications", "0"]),
        ("--jobs", ["run", ERLANG_C, "-j", "100000"]),
        ("--jobs", ["report", ERLANG_C, "-o", str(tmp / "r.html"), "-j", "-1"]),
        ("--dask-local", ["run", ERLANG_C, "--dask-local", "0"]),
        ("--precision", ["run", ERLANG_C, "--precision", "service_level=nan"]),
        ("--precision", ["run", ERLANG_C, "--precision", f"service_level={BIG}"]),
        ("--records-format", ["run", ERLANG_C, "--records-format", "xlsx"]),
        ("--minutes", ["animate", ERLANG_C, "-o", str(tmp / "a.gif"), "--minutes", "inf"]),
        ("--fps", ["animate", ERLANG_C, "-o", str(tmp / "a.gif"), "--fps", BIG]),
        ("--volume", ["stress", ERLANG_C, "--volume", "0.9:1.3:0.0000001"]),
        ("--aht", ["stress", ERLANG_C, "--aht", "1:2:1e-9"]),
        ("--absence", ["stress", ERLANG_C, "--absence", "0:50%:0.000001%"]),
        ("--headcount", ["stress", ERLANG_C, "--headcount", "0.5:1.5:0.00001"]),
        ("--volume", ["stress", ERLANG_C, "--volume", "1.3:0.9:0.1"]),
        ("--volume", ["stress", ERLANG_C, "--volume", "0.9:1.3:0"]),
        ("--volume", ["stress", ERLANG_C, "--volume", "nan,1"]),
        ("--volume", ["stress", ERLANG_C, "--volume", f"{BIG},1"]),
        ("--volume/--aht/--absence",
         ["stress", ERLANG_C, "--volume", "0.9:1.3:0.001", "--aht", "1:1.3:0.001"]),
        ("--target", ["stress", ERLANG_C, "--target", "1.5"]),
        ("--target", ["stress", ERLANG_C, "--target", "80/20"]),
        ("--target", ["stress", ERLANG_C, "--target", "150%"]),
        ("--target", ["staff", ERLANG_C, "--target", "80/abc"]),
        ("--target", ["staff", ERLANG_C, "--target", "0.8/20"]),
        ("--max-abandon", ["staff", ERLANG_C, "--max-abandon", "5"]),
        ("--confidence", ["staff", ERLANG_C, "--confidence", "1"]),
        ("--max-abandon", ["staff", ERLANG_C, "--max-abandon", "nan"]),
        ("--replications", ["staff", ERLANG_C, "-r", "1"]),
    ]


def test_every_bad_option_value_names_the_option_and_exits_2(tmp_path):
    (tmp_path / "regular-file").write_text("in the way")
    failures = []
    for option, args in _cases(tmp_path):
        result = CliRunner().invoke(main, args)
        output = result.output
        ok = (result.exit_code == 2 and f"error: {option}:" in output
              and ("expected" in output or "unknown" in output)
              and "Traceback" not in output and not isinstance(result.exception, MemoryError))
        if not ok:
            failures.append((args, result.exit_code, output[-300:], repr(result.exception)))
    assert not failures, "\n".join(map(str, failures))
    assert (tmp_path / "regular-file").read_text() == "in the way"


def test_infinite_patience_is_erlang_c():
    a = json.loads(CliRunner().invoke(main, ["erlang", "a", *ERLANG, "--patience", "inf",
                                             "--json"]).output)
    c = json.loads(CliRunner().invoke(main, ["erlang", "c", *ERLANG, "--json"]).output)
    assert a["p_abandon"] == 0 and a["p_wait"] == pytest.approx(c["p_wait"], rel=1e-9)


def test_file_names_and_user_text_are_printed_literally(tmp_path):
    odd = tmp_path / "a:x:[b].yaml"
    shutil.copy(ERLANG_C, odd)
    result = CliRunner().invoke(main, ["validate", str(odd)])
    assert result.exit_code == 0 and f"{odd}: OK" in result.output
    odd.write_text(odd.read_text().replace("horizon:", "horizon: [red]x\nhorizon_:", 1))
    result = CliRunner().invoke(main, ["validate", str(odd)])
    assert result.exit_code == 2
    assert str(odd) in result.output and "❌" not in result.output
    out = tmp_path / ":x: [bold]out"
    result = CliRunner().invoke(main, ["run", str(odd), "--out", str(out)])
    assert result.exit_code == 2 and str(odd) in result.output
    missing = tmp_path / ":warning: [i]gone.yaml"
    result = CliRunner().invoke(main, ["validate", str(missing)])
    assert result.exit_code == 2 and str(missing) in result.output


@pytest.mark.parametrize("content, where", [
    ('{"scenario_file": "s.yaml", "seed": "seven", "replications": 2}', "'seed'"),
    ('{"scenario_file": "s.yaml", "seed": 1, "policy": 7}', "'policy'"),
    ('{"scenario_file": "s.yaml", "seed": true}', "'seed'"),
    ('{"scenario_file": "s.yaml", "replications": 1e9}', "'replications'"),
    ('{"scenario_file": "s.yaml", "replications": -3}', "'replications'"),
    ('{"scenario_file": 3}', "'scenario_file'"),
    ('{"seed": 1}', "'scenario_file'"),
    ('["s.yaml", 1]', "found a list"),
    ('{"scenario_file": "s.yaml",\n "seed": 1,,}', "run.json:2:"),
    ('{"scenario_file": "s.yaml", "pad": "' + "x" * 2_000_000 + '"}', "bytes"),
])
def test_a_malformed_run_json_is_a_located_error(tmp_path, content, where):
    shutil.copy(ERLANG_C, tmp_path / "s.yaml")
    results = tmp_path / "results"
    results.mkdir()
    (results / "run.json").write_text(content)
    result = CliRunner().invoke(main, ["report", str(results), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2, result.output
    assert str(results / "run.json") in result.output and where in result.output
    assert "Traceback" not in result.output and not (tmp_path / "r.html").exists()


def _planted(tmp_path) -> tuple[Path, Path]:
    """A scenario in ``tmp_path/center`` routed by a policy file one folder up that leaves a
    marker file when it is imported (i.e. run)."""
    marker = tmp_path / "policy-ran"
    (tmp_path / "evil.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).touch()\n"
        + (HERE / "policies" / "my_router.py").read_text())
    (tmp_path / "center").mkdir()
    scenario = tmp_path / "center" / "s.yaml"
    scenario.write_text((HERE / "user_policy_center.yaml").read_text().replace(
        "policies/my_router.py:MyRouter", "../evil.py:MyRouter"))
    return scenario, marker


def test_read_only_commands_never_import_a_policy_file(tmp_path):
    scenario, marker = _planted(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(scenario)])
    assert result.exit_code == 0 and "not imported" in result.output
    assert CliRunner().invoke(main, ["graph", str(scenario)]).exit_code == 0
    report = CliRunner().invoke(main, ["report", str(scenario), "-o", str(tmp_path / "r.html")])
    assert report.exit_code == 2 and "--allow-code" in report.output
    assert not marker.exists()
    (tmp_path / "evil.py").write_text("this is not python (\n")
    broken = CliRunner().invoke(main, ["validate", str(scenario)])
    assert broken.exit_code == 2 and "evil.py:1: not valid Python" in broken.output
    assert "Traceback" not in broken.output


def test_commands_that_simulate_refuse_policy_files_outside_the_scenario_folder(tmp_path):
    scenario, marker = _planted(tmp_path)
    for args in (["run", str(scenario), "-r", "2", "-q"],
                 ["compare", str(scenario), "--policies", "longest_idle", "-r", "2"],
                 ["stress", str(scenario), "--volume", "1", "--aht", "1", "--absence", "0",
                  "-r", "2", "-q"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "outside the scenario's folder" in result.output and "--allow-code" in result.output
    assert not marker.exists()
    result = CliRunner().invoke(main, ["run", str(scenario), "-r", "2", "-q", "--allow-code"])
    assert result.exit_code == 0, result.output
    assert marker.exists()
