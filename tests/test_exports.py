"""The planner files of ``--out``: interval tables with clock times a spreadsheet reads as
times, averaged over replications, with CI bounds; the same tables in an Excel workbook."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main

ROOT = Path(__file__).parent.parent
BANK = ROOT / "scenarios" / "retail_bank_day.yaml"
OMNI = ROOT / "scenarios" / "omnichannel_bank.yaml"
TABLES = ("interval_overall", "interval_types", "interval_groups")


def _run(scenario: Path, out: Path, *extra: str) -> dict:
    result = CliRunner().invoke(main, ["run", str(scenario), "-r", "3", "--seed", "5", "--out",
                                       str(out), "--xlsx", "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # "written: ..." goes to stderr


def _csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    out = tmp_path_factory.mktemp("bank")
    return out, _run(BANK, out)


@pytest.fixture(scope="module")
def omni(tmp_path_factory):
    out = tmp_path_factory.mktemp("omni")
    return out, _run(OMNI, out)


def test_the_bank_day_tables_carry_clock_times_from_07_00(bank):
    out, _ = bank
    rows = _csv(out / "interval_overall.csv")
    assert len(rows) == 34  # 17 h of 30 min
    times = [dt.datetime.strptime(r["time"], "%H:%M") for r in rows]  # a time, not seconds
    assert times[0].time() == dt.time(7, 0)  # the scenario's start: "07:00"
    assert all(b - a == dt.timedelta(minutes=30) for a, b in zip(times, times[1:]))
    assert "date" not in rows[0] and "day" not in rows[0]  # one undated day: the time is enough


def test_the_week_tables_carry_dates_and_weekdays(omni):
    out, _ = omni
    rows = _csv(out / "interval_types.csv")
    types = {r["contact_type"] for r in rows}
    assert len(rows) == 168 * len(types)
    stamps = sorted({dt.datetime.fromisoformat(f"{r['date']} {r['time']}") for r in rows})
    assert stamps[0] == dt.datetime(2026, 11, 23, 0, 0)  # start_date, start 00:00
    assert stamps[-1] == dt.datetime(2026, 11, 29, 23, 0) and len(stamps) == 168
    by_stamp = {dt.datetime.fromisoformat(f"{r['date']} {r['time']}"): r["weekday"] for r in rows}
    assert all(by_stamp[s] == s.strftime("%a") for s in stamps)


def test_interval_tables_agree_with_the_raw_sums(bank):
    """Means over replications recomputed from intervals.csv (sums per replication)."""
    out, _ = bank
    sums = _csv(out / "intervals.csv")
    reps = sorted({int(r["replication"]) for r in sums})
    for row in _csv(out / "interval_types.csv"):
        mine = [s for s in sums if s["interval"] == row["interval"]
                and s["contact_type"] == row["contact_type"]]
        assert len(mine) == len(reps)
        offered = [float(s["offered"]) - float(s["short_abandoned"]) for s in mine]
        answered = [float(s["answered"]) for s in mine]
        assert float(row["offered"]) == pytest.approx(np.mean(offered), abs=0.006)
        assert float(row["answered"]) == pytest.approx(np.mean(answered), abs=0.006)
        if all(a > 0 for a in answered):
            asa = [float(s["wait_answered"]) / float(s["answered"]) for s in mine]
            assert float(row["asa_s"]) == pytest.approx(np.mean(asa), abs=0.051)
        for column in ("offered", "service_level_pct", "asa_s"):
            if row[column]:
                assert float(row[f"{column}_low"]) <= float(row[column]) <= \
                    float(row[f"{column}_high"])
        if row["service_level_pct"]:
            assert 0 <= float(row["service_level_pct_low"]) <= \
                float(row["service_level_pct_high"]) <= 100


def test_interval_tables_agree_with_the_json(bank):
    out, document = bank
    by_key = {(r["interval"], r["contact_type"]): r for r in document["intervals"]}
    for row in _csv(out / "interval_types.csv"):
        json_row = by_key[(int(row["interval"]), row["contact_type"])]
        for column, kpi, scale in (("service_level_pct", "service_level", 100),
                                   ("abandoned_pct", "abandon_rate", 100), ("aht_s", "aht", 1)):
            if json_row[kpi] is None:
                assert row[column] == ""
            else:
                assert float(row[column]) == pytest.approx(json_row[kpi] * scale, abs=0.051)
    groups = {(r["interval"], r["agent_group"]): r for r in document["group_intervals"]}
    overall = _csv(out / "interval_overall.csv")
    for row in overall:
        k = int(row["interval"])
        staffed = sum(r["mean_staffed"] for (i, _), r in groups.items() if i == k)
        assert float(row["agents"]) == pytest.approx(staffed, abs=0.006)


def _same_as_csv(workbook_path: Path, out: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames == list(TABLES)
    for name in TABLES:
        rows = _csv(out / f"{name}.csv")
        sheet = list(book[name].iter_rows(values_only=True))
        assert list(sheet[0]) == list(rows[0]) and len(sheet) == len(rows) + 1
        for cells, row in zip(sheet[1:], rows):
            for value, (key, text) in zip(cells, row.items()):
                if key == "time":
                    assert isinstance(value, dt.time) and value.strftime("%H:%M") == text
                elif key == "date":  # a real date cell (openpyxl reads dates as datetimes)
                    assert isinstance(value, dt.datetime) and value.date().isoformat() == text
                elif text == "":
                    assert value is None
                elif key in ("contact_type", "agent_group", "weekday"):
                    assert value == text
                elif key == "warmup":
                    assert value is (text == "True")
                else:
                    assert float(value) == float(text), (name, key)


def test_the_workbook_holds_the_csv_values_as_numbers_and_times(bank, omni):
    for out, _ in (bank, omni):
        _same_as_csv(out / "results.xlsx", out)


def test_xlsx_needs_out(tmp_path):
    result = CliRunner().invoke(main, ["run", str(BANK), "-r", "2", "--xlsx"])
    assert result.exit_code == 2 and "--xlsx" in result.output and "--out" in result.output



SINGLE = """\
horizon: 2h
interval: 1h
start: "08:00"
contact_types:
  calls:
    arrivals: 120/h
    talk: {dist: exponential, mean: 4min}
    patience: {dist: exponential, mean: 5min}
agent_groups:
  team: {headcount: 9, skills: [calls]}
"""


def test_staff_and_stress_files_have_clock_times_and_units(tmp_path):
    path = tmp_path / "single.yaml"
    path.write_text(SINGLE)
    runner = CliRunner()
    result = runner.invoke(main, ["staff", str(path), "-r", "4", "--json", "--xlsx", "--out",
                                  str(tmp_path / "staff")])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout[result.stdout.index("{"):])
    rows = _csv(tmp_path / "staff" / "staffing.csv")
    assert [r["time"] for r in rows] == ["08:00", "09:00"] and "start" not in rows[0]
    for row, plan in zip(rows, document["intervals"]):
        assert float(row["required_sl_pct"]) == pytest.approx(plan["required_sl"] * 100, abs=0.006)
        assert int(row["required"]) == plan["required"]
    openpyxl = pytest.importorskip("openpyxl")
    sheet = list(openpyxl.load_workbook(tmp_path / "staff" / "staffing.xlsx")["staffing"]
                 .iter_rows(values_only=True))
    assert sheet[1][1] == dt.time(8, 0)
    result = runner.invoke(main, ["stress", str(path), "-r", "3", "--volume", "1,1.2", "--aht",
                                  "1", "--absence", "0,5%", "--json", "--out", str(tmp_path / "st")])
    assert result.exit_code == 0, result.output
    points = json.loads(result.stdout[result.stdout.index("{"):])["points"]
    rows = _csv(tmp_path / "st" / "stress.csv")
    assert list(rows[0])[:3] == ["volume_factor", "aht_factor", "absence_pct"]
    for row, point in zip(rows, points):
        assert float(row["absence_pct"]) == pytest.approx(point["absence"] * 100)
        assert float(row["asa_s"]) == pytest.approx(point["asa"], abs=0.051)
        low = point["service_level"] - point["service_level_ci95"]
        assert float(row["service_level_pct_low"]) == pytest.approx(max(low, 0) * 100, abs=0.006)
