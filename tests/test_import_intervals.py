"""``ccsim import-intervals``: interval exports → arrivals.csv + a scenario that loads and runs.

Small synthetic exports are written in tmp_path for each preset, ``--map``, HH:MM:SS durations
and each kind of bad input (exit 2, ``file:line: message``, no traceback). The Anonymous Bank
test reads the shared data and skips when it is absent.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import ccsim
from ccsim import theory
from ccsim.cli import main
from ccsim.workforce.import_scenario import read_staffing, suggest_headcount, write_scenario
from ccsim.workforce.importer import IntervalFileError, read_intervals

HEADER = ("interval_start,interval_minutes,queue,channel,offered,handled,abandoned,"
          "wait_answered_s,wait_abandoned_s,talk_s,hold_s,acw_s,sl_threshold_s")
# two queues, four half-hours; PS: 4 abandoned, 300 s waited by answered, 100 s by abandoned
ROWS = """\
1999-08-03T10:00,30,PS,phone,10,9,1,90,20,1800,90,270,20
1999-08-03T10:00,30,NW,phone,4,4,0,8,0,480,,,20
1999-08-03T10:30,30,PS,phone,12,10,2,150,50,2000,100,300,20
1999-08-03T10:30,30,NW,phone,0,0,0,0,0,0,,,20
1999-08-03T11:00,30,PS,phone,7,7,0,10,0,1400,70,210,20
1999-08-03T11:00,30,NW,phone,5,5,0,5,0,600,,,20
1999-08-03T11:30,30,PS,phone,3,2,1,50,30,400,20,60,20
1999-08-03T11:30,30,NW,phone,1,1,0,0,0,120,,,20
"""


def write(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args):
    result = CliRunner().invoke(main, ["import-intervals", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def imported(tmp_path, text, *options, name="export.csv"):
    """Import ``text``; return the loaded scenario (the command must succeed)."""
    out = tmp_path / "out"
    result = invoke(write(tmp_path, text, name), "--out", out, *options)
    assert result.exit_code == 0, result.output + result.stderr
    return ccsim.load_scenario(out / "scenario.yaml")


def types(scenario) -> dict:
    return {t.name: t for t in scenario.contact_types}


def test_ccsim_preset_gives_a_scenario_that_reproduces_the_offered_counts(tmp_path):
    scenario = imported(tmp_path, HEADER + "\n" + ROWS)
    assert scenario.interval == 1800 and scenario.n_intervals == 4
    assert scenario.start == 10 * 3600 and str(scenario.start_date) == "1999-08-03"
    offered = {"PS": [10, 12, 7, 3], "NW": [4, 0, 5, 1]}
    for name, counts in offered.items():
        rates = types(scenario)[name].arrival_rates
        assert [round(rate * scenario.interval, 9) for rate in rates] == counts
    ps = types(scenario)["PS"]
    assert ps.talk.mean == pytest.approx(5600 / 28)     # talk_s / handled
    assert ps.hold.mean == pytest.approx(280 / 28)
    assert ps.acw.mean == pytest.approx(840 / 28)
    assert ps.service_level.threshold == 20
    assert types(scenario)["NW"].hold is None             # blank column: no hold for NW


def test_patience_is_the_exponential_mle_total_wait_over_abandoned(tmp_path):
    # PS: waits of answered 90 + 150 + 10 + 50 = 300 s, of abandoned 20 + 50 + 0 + 30 = 100 s,
    # abandoned 1 + 2 + 0 + 1 = 4: the MLE of an exponential mean patience is 400 / 4 = 100 s
    scenario = imported(tmp_path, HEADER + "\n" + ROWS)
    assert types(scenario)["PS"].patience.mean == pytest.approx(100.0)
    assert types(scenario)["NW"].patience is None          # nobody abandoned: never
    data = read_intervals(write(tmp_path, HEADER + "\n" + ROWS))
    assert data.queues["PS"].patience == pytest.approx(400 / 4)
    assert math.isinf(data.queues["NW"].patience)


def test_the_imported_scenario_validates_and_runs(tmp_path):
    invoke(write(tmp_path, HEADER + "\n" + ROWS), "--out", tmp_path / "out")
    scenario = str(tmp_path / "out" / "scenario.yaml")
    assert CliRunner().invoke(main, ["validate", scenario]).exit_code == 0
    result = CliRunner().invoke(main, ["run", scenario, "-r", "2", "--json"])
    assert result.exit_code == 0, result.output


def test_without_staffing_the_headcount_is_an_erlang_c_suggestion(tmp_path):
    path = write(tmp_path, HEADER + "\n" + ROWS)
    scenario = imported(tmp_path, HEADER + "\n" + ROWS)
    data = read_intervals(path)
    queues = list(data.queues.values())
    assert scenario.agent_groups[0].headcount == suggest_headcount(data, queues)
    # interval 0 by hand: PS 10 contacts of 200 s + 10 s + 30 s, NW 4 of 120 s
    work = 10 * (5600 + 280 + 840) / 28 + 4 * 1200 / 10
    assert scenario.agent_groups[0].headcount[0] == theory.staff_erlang_c(
        work / 1800, work / 14, 20, 0.8)
    assert "Erlang C suggestion" in (tmp_path / "out" / "scenario.yaml").read_text()


def test_staffing_csv_is_referenced_by_absolute_path(tmp_path):
    plan = write(tmp_path, "interval_start,agents\n1999-08-03T10:00,3\n1999-08-03T10:30,4\n"
                           "1999-08-03T11:00,4\n1999-08-03T11:30,2\n", "plan.csv")
    scenario = imported(tmp_path, HEADER + "\n" + ROWS, "--staffing", f"{plan}:agents",
                        "--name", "bank")
    assert scenario.name == "bank" and scenario.agent_groups[0].headcount == (3, 4, 4, 2)
    assert str(plan.resolve()) in (tmp_path / "out" / "scenario.yaml").read_text()


GENESYS = """\
Interval Start,Interval End,Queue,Media Type,Offered,Answered,Abandoned,Total Talk,Total Hold,Total ACW,Total Answer,Total Abandon,Service Level %
2024-03-04T08:00:00.000Z,2024-03-04T08:15:00.000Z,Billing,Voice,20,18,2,01:00:00,0:03:00,00:09:00,0:06:00,00:02:00,80
2024-03-04T08:15:00.000Z,2024-03-04T08:30:00.000Z,Billing,Voice,10,10,0,0:30:00,0:00:00,0:05:00,0:01:40,0:00:00,90
2024-03-04T08:00:00.000Z,2024-03-04T08:15:00.000Z,Web,Chat,5,5,0,0:25:00,0:00:00,0:00:00,0:00:50,0:00:00,100
2024-03-04T08:15:00.000Z,2024-03-04T08:30:00.000Z,Web,Chat,6,6,0,0:30:00,0:00:00,0:00:00,0:01:00,0:00:00,100
"""


def test_genesys_style_preset_with_hh_mm_ss_durations(tmp_path):
    scenario = imported(tmp_path, GENESYS, "--preset", "genesys")
    assert scenario.interval == 15 * 60 and scenario.start == 8 * 3600
    billing, web = types(scenario)["Billing"], types(scenario)["Web"]
    assert billing.channel == "phone" and web.channel == "chat"
    assert billing.talk.mean == pytest.approx(5400 / 28)   # 1:30:00 over 28 answered
    assert billing.acw.mean == pytest.approx(840 / 28)
    assert billing.patience.mean == pytest.approx((460 + 120) / 2)
    assert [round(r * 900, 9) for r in billing.arrival_rates] == [20, 10]


AVAYA = """\
ROW_DATE,STARTTIME,INTRVL,SPLIT,CALLSOFFERED,ACDCALLS,ABNCALLS,ANSTIME,ABNTIME,ACDTIME,ACWTIME,HOLDACDTIME,ACCEPTABLE,SERVICELEVEL
2024-03-04,800,30,Sales,30,27,3,810,150,5400,1350,270,20,30
2024-03-04,830,30,Sales,40,36,4,1440,240,7200,1800,360,24,30
"""


def test_avaya_style_preset_with_date_and_hhmm_start_time(tmp_path):
    scenario = imported(tmp_path, AVAYA, "--preset", "avaya")
    sales = types(scenario)["Sales"]
    assert scenario.start == 8 * 3600 and scenario.n_intervals == 2
    assert sales.talk.mean == pytest.approx(12600 / 63)
    assert sales.patience.mean == pytest.approx((810 + 150 + 1440 + 240) / 7)
    assert sales.service_level.threshold == 30


CISCO = """\
DateTime,CallTypeName,CallsOffered,CallsHandled,TotalCallsAband,AnswerWaitTime,CallDelayAbandTime,TalkTime,HoldTime,WorkTime,ServiceLevelCalls,ServiceLevelAband,ServiceLevelThreshold
2024-03-04 09:00:00,CT_Support,12,10,2,300,60,2400,100,300,6,1,20
2024-03-04 09:30:00,CT_Support,8,8,0,80,0,1600,50,200,7,0,20
"""


def test_cisco_style_preset(tmp_path):
    scenario = imported(tmp_path, CISCO, "--preset", "cisco")
    support = types(scenario)["CT_Support"]
    assert support.talk.mean == pytest.approx(4000 / 18)
    assert support.hold.mean == pytest.approx(150 / 18)
    assert support.patience.mean == pytest.approx(440 / 2)


def test_map_renames_and_ignores_columns(tmp_path):
    text = ("When,Skill,Calls In,Calls Answered,Calls Lost,Talk,Notes\n"
            "2024-03-04 09:00,A,10,9,1,1800,x\n2024-03-04 09:30,A,6,6,0,1200,y\n")
    scenario = imported(tmp_path, text, "--map", "When=interval_start", "--map", "Skill=queue",
                        "--map", "Calls In=offered", "--map", "Calls Answered=handled",
                        "--map", "Calls Lost=abandoned", "--map", "Talk=talk_s",
                        "--map", "Notes=ignore")
    a = types(scenario)["A"]
    assert a.talk.mean == pytest.approx(200) and a.patience is None   # no wait sums
    assert [round(r * 1800, 9) for r in a.arrival_rates] == [10, 6]


# ---- bad input: exit status 2, file:line: message on stderr, never a traceback -------------

def fails(tmp_path, text, *options, status=2):
    result = invoke(write(tmp_path, text), "--out", tmp_path / "out", *options)
    assert result.exit_code == status, result.output
    assert "Traceback" not in result.output + result.stderr
    assert "error: " in result.stderr and "Traceback" not in result.stderr
    return result.stderr


def test_missing_required_fields_name_the_unmatched_columns_with_a_hint(tmp_path):
    message = fails(tmp_path, "interval_start,queue,ofered,handled\n2024-03-04 09:00,A,1,1\n")
    assert "export.csv:1:" in message and "missing required field(s) offered" in message
    assert "'ofered' (close to 'offered'" in message
    assert "--preset" in message and "--map" in message


def test_a_vendor_file_read_with_the_wrong_preset_says_so(tmp_path):
    message = fails(tmp_path, CISCO)          # default preset ccsim: DateTime is not matched
    assert "export.csv:1: missing required field(s) interval_start (or date and time), queue, " \
        "offered" in message and "'CallsOffered'" in message and "cisco" in message
    # Genesys-style names partly match ours (Interval Start, Queue, Offered): warn, then stop
    message = fails(tmp_path, GENESYS)
    assert "warning: no column for handled, talk_s with --preset ccsim" in message
    assert "'Total Talk'" in message and "nothing to simulate" in message


@pytest.mark.parametrize("cell, expected", [
    ("x", "offered: expected a number, got 'x'"),
    ("-3", "offered: expected a number >= 0, got '-3'"),
    ("", "offered: expected a number, got ''"),
])
def test_bad_counts_are_located(tmp_path, cell, expected):
    rows = ROWS.splitlines()
    rows[2] = rows[2].replace(",12,10,", f",{cell},10,")
    message = fails(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    assert "export.csv:4: " + expected in message


def test_bad_duration_and_time_are_located(tmp_path):
    bad = GENESYS.replace("0:30:00,0:00:00,0:05:00", "0:3x:00,0:00:00,0:05:00", 1)
    assert "export.csv:3: Total Talk: expected seconds or HH:MM:SS, got '0:3x:00'" in fails(
        tmp_path, bad, "--preset", "genesys")
    bad = ROWS.replace("1999-08-03T11:00,30,NW", "1999-08-03 11h,30,NW")
    assert "export.csv:7: interval_start: expected a date and time" in fails(
        tmp_path, HEADER + "\n" + bad)


def test_a_missing_interval_is_named_with_the_previous_row(tmp_path):
    rows = [r for r in ROWS.splitlines() if not r.startswith("1999-08-03T10:30,30,PS")]
    message = fails(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    assert ("export.csv:5: interval 1999-08-03T10:30 missing for queue PS "
            "(previous row 1999-08-03T10:00)") in message


def test_inconsistent_interval_lengths(tmp_path):
    bad = ROWS.replace("1999-08-03T11:00,30,PS", "1999-08-03T11:00,15,PS")
    assert "export.csv:6: inconsistent interval lengths: 15 min here, 30 min on line 2" in fails(
        tmp_path, HEADER + "\n" + bad)
    bad = ROWS.replace("1999-08-03T11:00,30,PS", "1999-08-03T11:10,30,PS")
    assert "export.csv:6: inconsistent interval lengths" in fails(tmp_path, HEADER + "\n" + bad)


def test_duplicate_interval_and_empty_file(tmp_path):
    rows = ROWS + ROWS.splitlines()[0] + "\n"
    assert "export.csv:10: interval 1999-08-03T10:00 appears twice for queue PS (first on line 2)" \
        in fails(tmp_path, HEADER + "\n" + rows)
    assert "export.csv:1: the file is empty" in fails(tmp_path, "")
    assert "export.csv:1: only a header: expected a header row, then one row" in fails(
        tmp_path, HEADER + "\n\n")


def test_more_handled_and_abandoned_than_offered_is_only_a_warning(tmp_path):
    bad = ROWS.replace("1999-08-03T11:30,30,PS,phone,3,2,1", "1999-08-03T11:30,30,PS,phone,3,9,1")
    result = invoke(write(tmp_path, HEADER + "\n" + bad), "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert "warning: 1 row(s) with handled + abandoned > offered" in result.stderr
    assert "export.csv:8" in result.stderr


def test_bad_map_and_staffing_options(tmp_path):
    text = HEADER + "\n" + ROWS
    assert "--map queue=quue: unknown field 'quue'; did you mean 'queue'?" in fails(
        tmp_path, text, "--map", "queue=quue")
    assert "no column 'Queue Name'" in fails(tmp_path, text, "--map", "Queue Name=queue")
    assert "expected COLUMN=FIELD" in fails(tmp_path, text, "--map", "queue")
    plan = write(tmp_path, "agents\n3\n4\n2.5\n1\n", "plan.csv")
    assert "plan.csv:4: agents: expected a whole number of agents >= 0, got '2.5'" in fails(
        tmp_path, text, "--staffing", f"{plan}:agents")
    assert "plan.csv:1: no column 'agent'; did you mean 'agents'?" in fails(
        tmp_path, text, "--staffing", f"{plan}:agent")
    plan = write(tmp_path, "agents\n3\n4\n", "plan.csv")
    assert "2 rows, but" in fails(tmp_path, text, "--staffing", f"{plan}:agents")


def test_an_unwritable_out_directory_is_a_clear_error(tmp_path):
    blocker = write(tmp_path, "not a directory", "blocker")
    result = invoke(write(tmp_path, HEADER + "\n" + ROWS), "--out", blocker / "out")
    assert result.exit_code == 2 and result.stderr.startswith("error: --out:")  # a bad argument


def test_the_python_api_raises_located_errors(tmp_path):
    with pytest.raises(IntervalFileError) as caught:
        read_intervals(write(tmp_path, HEADER + "\n1999-08-03T10:00,30,PS,phone,abc\n"))
    assert caught.value.line == 2 and str(caught.value).endswith("expected a number, got 'abc'")
    data = read_intervals(write(tmp_path, CISCO), preset="cisco")
    with pytest.raises(IntervalFileError):
        read_staffing("no-column-given", data)


# ---- the Anonymous Bank, August 1999 (Brown et al. 2005; Technion SEE Lab) -----------------

def bank_data() -> Path:
    folder = Path(os.environ.get("CCSIM_BANK_DATA") or
                  Path(__file__).resolve().parents[2] / "shared" / "data" / "anonymous_bank_1999")
    if not (folder / "interval30_1999_08.csv").is_file():
        pytest.skip(f"Anonymous Bank data not found in {folder} (set CCSIM_BANK_DATA)")
    return folder


def test_anonymous_bank_august_matches_the_headline_numbers(tmp_path):
    folder = bank_data()
    data = read_intervals(folder / "interval30_1999_08.csv")
    assert len(data.starts) == 1488 and data.interval == 1800
    assert sum(q.total("offered") for q in data.queues.values()) == 38711
    assert data.queues["PS"].total("offered") == 25219
    assert data.queues["PS"].mean("talk_s") == pytest.approx(171, abs=0.5)
    staffing = read_staffing(f"{folder / 'staffing_proxy30_1999_08.csv'}:agents_seen", data)
    paths, _ = write_scenario(data, tmp_path, "bank_august", staffing)
    scenario = ccsim.load_scenario(paths[1])
    assert scenario.n_intervals == 1488 and scenario.start_day == 6   # 1999-08-01: a Sunday
    offered = sum(round(r * scenario.interval) for t in scenario.contact_types
                  for r in t.arrival_rates)
    assert offered == 38711
