"""The tables of run, compare, staff, stress and sweep fit 80, 120 and 200 columns, on a
terminal and through a pipe, without cutting a number or hiding a header; and --format
csv/md/json carry the numbers of --json."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsim.cli import main
from ccsim.output import screen

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
WIDTHS = (80, 120, 200)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def _simulate_once(monkeypatch):
    """Every width prints the same simulation: run it once per arguments."""
    import ccsim.study.compare as compare
    import ccsim.study.experiment as experiment
    import ccsim.study.sweep as sweep
    import ccsim.workforce.staff as staff
    import ccsim.workforce.stress as stress

    for module, name in ((experiment, "simulate"), (compare, "compare"), (sweep, "run_sweep"),
                         (staff, "staff"), (stress, "stress")):
        monkeypatch.setattr(module, name, _cached(getattr(module, name)))


_CACHE: dict = {}


def _cached(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        key = (function.__module__, function.__name__, repr(args),
               repr({k: v for k, v in kwargs.items() if k not in ("executor", "progress")}))
        if key not in _CACHE:
            _CACHE[key] = function(*args, **kwargs)
        return _CACHE[key]
    return wrapper


def _invoke(args, width=None, tty=False, monkeypatch=None):
    if tty:
        monkeypatch.setattr(screen.console, "_force_terminal", True)
    env = {"COLUMNS": str(width)} if width else {}
    result = CliRunner().invoke(main, args, env=env)
    if tty:
        monkeypatch.setattr(screen.console, "_force_terminal", None)
    assert result.exit_code == 0, result.output
    return result.stdout


def _check_fits(args, monkeypatch):
    tables = json.loads(_invoke([*args, "--format", "json"]))
    words = {w for t in tables for c in t["columns"] for w in c["header"].split()}
    for tty in (False, True):
        for width in WIDTHS:
            text = _invoke(args, width, tty, monkeypatch)
            plain = ANSI.sub("", text)
            assert "…" not in plain, (width, tty, plain)
            missing = [w for w in words if w not in plain]
            assert not missing, (width, tty, missing)
            # tables fit; the closing ``written: path, ...`` line names files as they are
            assert all(len(line) <= width for line in plain.splitlines()
                       if not line.startswith("written: ")), (width, tty)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: Path(p).stem)
def test_run_tables_fit(scenario, monkeypatch):
    _check_fits(["run", scenario, "-r", "2", "-q"], monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: Path(p).stem)
def test_compare_and_stress_tables_fit(scenario, monkeypatch):
    _check_fits(["compare", scenario, "--policies", "longest_idle,priority", "-r", "2", "-q"],
                monkeypatch)
    _check_fits(["stress", scenario, "-r", "2", "--volume", "1,1.2", "--aht", "1",
                 "--absence", "0,10%", "-q"], monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["erlang_c", "sipp_peak", "workforce_day"])
def test_staff_tables_fit(scenario, monkeypatch):
    _check_fits(["staff", str(ROOT / "scenarios" / f"{scenario}.yaml"), "-r", "2",
                 "--max-rounds", "2", "-q"], monkeypatch)


@pytest.mark.slow
def test_sweep_table_fits_with_readable_grid_values(tmp_path, monkeypatch):
    text = (ROOT / "experiments" / "sweep_bank.yaml").read_text()
    text = text.replace("../scenarios/", f"{ROOT / 'scenarios'}/")
    text = text.replace("volume: [0.9, 1.0, 1.1, 1.2]", "volume: [1.0]")
    text = text.replace("[3min, 6min]", "[3min]").replace("[longest_idle, priority]",
                                                          "[priority]")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(text)
    args = ["sweep", str(sweep), "--out", str(tmp_path / "out"), "-r", "2"]
    _check_fits(args, monkeypatch)
    plain = _invoke(args, 200)
    assert "8.0%" in plain and "3min" in plain  # absence as %, the path's value as written
    assert not re.search(r"\de[+-]\d", plain)  # no scientific notation


def _summary(scenario):
    return json.loads(_invoke(["run", scenario, "-r", "2", "-q", "--json"]))["summary"]


@pytest.mark.parametrize("scenario", [SCENARIOS[0], str(ROOT / "scenarios" /
                                                        "omnichannel_bank.yaml")],
                         ids=lambda p: Path(p).stem)
def test_csv_json_and_md_carry_the_numbers_of_json(scenario):
    summary = _summary(scenario)
    tables = {t["key"]: t for t in json.loads(_invoke(["run", scenario, "-r", "2", "-q",
                                                       "--format", "json"]))}
    for row in tables["contacts"]["rows"]:
        kpis = (summary["overall"] if row["contact_type"] == "all"
                else summary["by_type"][row["contact_type"]])
        for key in ("offered", "service_level", "abandon_rate", "aht"):
            assert row[key]["mean"] == kpis[key]["mean"]
            if key != "offered":
                assert row[key]["ci95"] == kpis[key]["ci95"]
    blocks = _invoke(["run", scenario, "-r", "2", "-q", "--format", "csv"]).split("\n\n")
    parsed = {}
    for block in blocks:
        rows = list(csv.DictReader(io.StringIO(block)))
        parsed[rows[0]["table"]] = rows
    assert set(parsed) == set(tables)
    for row in parsed["groups"]:
        kpis = summary["by_group"][row["agent_group"]]
        assert float(row["occupancy"]) == kpis["occupancy"]["mean"]
        assert float(row["occupancy_ci95"]) == kpis["occupancy"]["ci95"]
    md = _invoke(["run", scenario, "-r", "2", "-q", "--format", "md"])
    name, kpis = next(iter(summary["by_type"].items()))
    line = next(x for x in md.splitlines() if x.startswith(f"| {name} |"))
    assert f"{100 * kpis['service_level']['mean']:.1f}%" in line


def test_the_screen_says_what_the_numbers_mean():
    text = _invoke(["run", str(ROOT / "scenarios" / "retail_bank_day.yaml"), "-r", "2", "-q"],
                   200)
    assert "window 07:00–24:00" in text
    assert "SL = answered within" in text and "abandons count against" in text
    assert "± = half-width of the 95 % confidence interval over 2 replications" in text
    assert "Wait p90 of answered" in text and "Days meeting target" in text
    week = _invoke(["run", str(ROOT / "scenarios" / "omnichannel_bank.yaml"), "-r", "2", "-q"],
                   200)
    assert re.search(r"window Mon \S* ?00:00 – Sun \S* ?24:00 \(7 days\)", week)
    assert "5946" not in week  # no "all" wait mixing seconds and hours


def test_columns_is_honoured_off_a_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "97")
    assert screen.screen_width() == 97
    monkeypatch.delenv("COLUMNS")
    assert screen.screen_width() in (screen.PIPE_WIDTH,) or screen.screen_width() > 0
