"""Hostile input files that a YAML header cannot describe: other encodings, oversized files,
bombs run under a memory ceiling, CSVs that must not be echoed, interval exports, sweep and
experiment files, and the work estimate of ``validate``.

Every case must end in exit status 2 with one located message and no traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ccsim.limits import LIMITS
from ccsim.scenario import estimate_work, scenario_from_text
from test_bad_input import VALID, assert_clean_failure, invoke

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).parent / "broken"


def scenario_file(tmp_path, data: bytes, name="scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings ------------------------------------------------------------------------------
@pytest.mark.parametrize("data, fragment, line", [
    (VALID.encode("utf-16"), "utf-16", None),
    (VALID.encode("utf-16-le"), "utf-16", 1),           # no byte-order mark: NUL bytes
    (VALID.encode("utf-32"), "utf-32", None),
    (("# équipe de vente\n" + VALID).encode("latin-1"), "not utf-8", 1),
    ((VALID + "name: caf\xe9\n").encode("cp1252"), "latin-1", 12),
    (VALID.encode() + b"\x00\x01binary", "nul byte", 12),
])
def test_other_encodings_are_named_with_their_place(tmp_path, data, fragment, line):
    file = scenario_file(tmp_path, data)
    message = assert_clean_failure(invoke("validate", str(file)))
    assert str(file) in message and fragment in message.lower(), message
    if line is not None:
        assert f"{file}:{line}:" in message, message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    file = scenario_file(tmp_path, b"\xef\xbb\xbf" + VALID.encode())
    outcome = invoke("validate", str(file))
    assert outcome.exit_code == 0, outcome.stderr


def test_an_oversized_yaml_file_is_refused_before_it_is_read(tmp_path):
    file = tmp_path / "big.yaml"
    with open(file, "wb") as handle:
        handle.write(VALID.encode())
        handle.truncate(LIMITS.yaml_bytes + 1)          # sparse: costs no disk
    message = assert_clean_failure(invoke("validate", str(file)))
    assert f"limit of {LIMITS.yaml_bytes:,} bytes" in message


# --- bombs under a memory ceiling -----------------------------------------------------------
BOMBS = ["bomb_yaml_alias.yaml", "bomb_headcount_2_pow_63.yaml", "bomb_interval_tiny.yaml",
         "bomb_arrivals_huge_rate.yaml", "yaml_deep_flow.yaml", "bomb_shift_count.yaml"]
CAPPED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from ccsim.cli import main
sys.argv = ["ccsim", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("name", BOMBS)
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bombs_end_quickly_within_two_gigabytes(name, command):
    args = [command, str(BROKEN / name)] + (["-r", "1", "-q"] if command == "run" else [])
    done = subprocess.run([sys.executable, "-c", CAPPED, *args], capture_output=True, text=True,
                          timeout=30, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and str(BROKEN / name) in done.stderr


# --- CSVs are not echoed --------------------------------------------------------------------
def test_a_csv_that_is_another_file_is_not_printed(tmp_path):
    (tmp_path / "notes.txt").write_text("password=hunter2,token=SECRET-TOKEN-123\nmore secret "
                                        "lines\n", encoding="utf-8")
    file = scenario_file(tmp_path, VALID.replace(
        "headcount: 9", "headcount: {csv: notes.txt, column: agents}").encode())
    message = assert_clean_failure(invoke("validate", str(file)))
    assert "notes.txt" in message
    assert "hunter2" not in message and "SECRET" not in message and "more secret" not in message


def test_an_offending_cell_is_quoted_shortened(tmp_path):
    (tmp_path / "agents.csv").write_text("agents\n4\n" + "x" * 5000 + "\n", encoding="utf-8")
    file = scenario_file(tmp_path, VALID.replace(
        "headcount: 9", "headcount: {csv: agents.csv, column: agents}").encode())
    message = assert_clean_failure(invoke("validate", str(file)))
    assert "agents.csv:3" in message and len(message) < 400, message


# --- the work estimate ----------------------------------------------------------------------
def test_the_estimate_adds_up_arrivals_backlog_and_agents():
    scenario = scenario_from_text(textwrap.dedent("""\
        horizon: 10h
        interval: 1h
        contact_types:
          sales: {arrivals: {per_interval: [10, 30]}, talk: {dist: exponential, mean: 5min}}
          mail: {channel: email, arrivals: 6/h, initial_backlog: 40,
                 talk: {dist: exponential, mean: 5min}}
        agent_groups:
          a: {headcount: [3, 5], skills: [sales, mail]}
          b: {headcount: 2, skills: [sales]}
        """))
    work = estimate_work(scenario)
    assert work.intervals == 10
    # sales: 5 cycles of 10 + 30 contacts; mail: 6 an hour for 10 hours + 40 waiting
    assert work.contacts == pytest.approx(5 * 40 + 60 + 40)
    assert work.agents_peak == 7 and work.agent_hours == pytest.approx(5 * (3 + 5) + 10 * 2)


def test_validate_prints_the_estimate(tmp_path):
    file = scenario_file(tmp_path, VALID.encode())
    outcome = invoke("validate", str(file))
    assert outcome.exit_code == 0
    assert "work per replication: 10 intervals, up to 9 agents at once (90.0 agent-hours), " \
           "about 1,000 contacts" in outcome.stdout


def test_agents_of_all_groups_are_bounded_together(tmp_path):
    groups = "".join(f"  g{i}:\n    headcount: 90000\n    skills: [sales]\n" for i in range(6))
    text = VALID.split("agent_groups:")[0] + "agent_groups:\n" + groups
    message = assert_clean_failure(invoke("validate", str(scenario_file(tmp_path, text.encode()))))
    assert f"limit of {LIMITS.agents:,}" in message and "agent_groups" in message


# --- interval exports -----------------------------------------------------------------------
EXPORT = "interval_start,interval_minutes,queue,offered,handled,abandoned,talk_s\n"


@pytest.mark.parametrize("rows, fragment", [
    ("2024-03-04T09:00,0,A,5,5,0,600\n2024-03-04T09:30,0,A,5,5,0,600\n", "export.csv:2:"),
    ("2024-03-04T09:00:00.000001,A,5,5,0,600\n2024-03-04T09:00:00.000002,A,5,5,0,600\n",
     "at least 1 second"),
    ("2024-03-04T09:00,30,A,5,5,0,1e300\n2024-03-04T09:30,30,A,5,5,0,600\n", "the limit"),
    ("2024-03-04T09:00,30,A,1e300,5,0,600\n2024-03-04T09:30,30,A,5,5,0,600\n", "the limit"),
    ("2024-03-04T09:00,30,A,nan,5,0,600\n2024-03-04T09:30,30,A,5,5,0,600\n", "export.csv:2:"),
    ("0001-01-01T00:00,1,A,5,5,0,600\n9999-01-01T00:00,1,A,5,5,0,600\n", "limit of 200,000"),
    ("2024-03-04T09:00,30,A,9000000,9000000,0,9e10\n2024-03-04T09:30,30,A,5,5,0,600\n",
     "erlangs of work"),
])
def test_hostile_interval_exports(tmp_path, rows, fragment):
    export = tmp_path / "export.csv"
    header = EXPORT if rows.count(",") == 2 * EXPORT.count(",") else \
        EXPORT.replace("interval_minutes,", "")
    export.write_text(header + rows, encoding="utf-8")
    outcome = invoke("import-intervals", str(export), "--out", str(tmp_path / "out"))
    message = assert_clean_failure(outcome)
    assert fragment in message, message


def test_an_export_in_utf16_is_named(tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes((EXPORT + "2024-03-04T09:00,30,A,5,5,0,600\n").encode("utf-16"))
    message = assert_clean_failure(invoke("import-intervals", str(export), "--out",
                                          str(tmp_path / "out")))
    assert "utf-16" in message.lower() and "export.csv" in message


# --- sweep and experiment files -------------------------------------------------------------
def sweep_file(tmp_path, body: str) -> Path:
    (tmp_path / "s.yaml").write_text(VALID, encoding="utf-8")
    path = tmp_path / "sweep.yaml"
    path.write_text("scenario: s.yaml\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, line, fragment", [
    ("grid:\n  volume: [" + ", ".join(["1"] * 200) + "]\n  aht: [" + ", ".join(["1"] * 200)
     + "]\n", 2, "more than the limit of 10,000"),
    ("policies: [longest_idle, nope]\ngrid:\n  volume: [1]\n", 2, "unknown routing policy"),
    ("policies: [x.csv:Router]\ngrid:\n  volume: [1]\n", 2, "python file"),
    ("grid:\n  agent_groups.nosuch.headcount: [3]\n", 3, "no value at agent_groups.nosuch"),
    ("grid:\n  volume: [1.0e+300]\n", 3, "between 0 and 1000"),
    ("grid:\n  volume: [5000]\n", 3, "between 0 and 1000"),
    ("replications: 10000\ngrid:\n  volume: [0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9]\n",
     2, "runs, more than the limit"),
])
def test_hostile_sweep_files(tmp_path, body, line, fragment):
    path = sweep_file(tmp_path, body)
    message = assert_clean_failure(invoke("sweep", str(path), "--out", str(tmp_path / "o")))
    assert f"{path}:{line}:" in message and fragment in message.lower(), message


@pytest.mark.parametrize("policies, scale, fragment", [
    ("[longest_idle, {time_overflow: {delays: {sales: {nosuch: 30s}}}}]", "", "nosuch"),
    ("[longest_idle, nope.txt:Router]", "", "python file"),
    ("[longest_idle]", "    scale: {arrivals: 1.0e+300}\n", "between 0 and 1000"),
    ("[longest_idle]", "    scale: {headcount: 999}\n", "limit of 100,000"),
    ("[longest_idle]", "    scale: {arrivals: 900}\n", "contacts expected"),
])
def test_hostile_experiment_files(tmp_path, policies, scale, fragment):
    busy = VALID.replace("100/h", "20000/h").replace("headcount: 9", "headcount: 500")
    (tmp_path / "s.yaml").write_text(busy, encoding="utf-8")
    path = tmp_path / "study.yaml"
    path.write_text(f"policies: {policies}\nscenarios:\n  - file: s.yaml\n{scale}",
                    encoding="utf-8")
    message = assert_clean_failure(invoke("compare", str(path)))
    assert f"{path}:" in message and fragment in message.lower(), message
