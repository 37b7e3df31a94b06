"""Long commands say how far they are on stderr also off a terminal (plain periodic lines), and
every command that writes files ends with ``written: path, path``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ccsim.cli import main
from ccsim.cli.common import _PlainProgress

ERLANG_C = str(Path(__file__).resolve().parent.parent / "scenarios" / "erlang_c.yaml")


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_plain_progress_prints_each_tenth_every_few_seconds_and_the_end(capsys):
    clock = _Clock()
    progress = _PlainProgress("x: replications", every=5.0, clock=clock)
    for done in range(1, 201):  # 200 steps of 0.1 s: 20 s in all
        clock.now += 0.1
        progress(done, 200)
    progress(200, 200)  # a repeated end is not printed twice
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "x: replications 20/200, 0:02 elapsed, ETA 0:18"
    assert lines[-1] == "x: replications 200/200, 0:20 elapsed"
    assert len(lines) == 10
    slow = _PlainProgress("y", every=5.0, clock=clock)
    clock.now += 6.0
    slow(1, 1000)  # under a tenth, but 6 s since the start
    assert capsys.readouterr().err.startswith("y 1/1000, 0:06 elapsed, ETA 1:39:54")


def test_run_off_a_terminal_reports_progress_on_stderr_and_what_it_wrote(tmp_path):
    result = CliRunner().invoke(main, ["run", ERLANG_C, "-r", "3", "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "replications 3/3" in result.stderr and "3/3" not in result.stdout
    assert f"written: {tmp_path / 'out' / 'summary.json'}" in result.stdout
    quiet = CliRunner().invoke(main, ["run", ERLANG_C, "-r", "2", "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_json_keeps_stdout_a_document(tmp_path):
    import json

    result = CliRunner().invoke(main, ["run", ERLANG_C, "-r", "2", "--json", "--out",
                                       str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert "written:" in result.stderr


def test_compare_and_schema_name_what_they_wrote(tmp_path):
    plot = tmp_path / "c.png"
    result = CliRunner().invoke(main, ["compare", ERLANG_C, "--policies",
                                       "longest_idle,priority", "-r", "2", "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert "compare: replications 4/4" in result.stderr
    assert f"written: {plot}" in result.stdout and plot.exists()
    schema = tmp_path / "s.json"
    result = CliRunner().invoke(main, ["schema", "-o", str(schema)])
    assert result.exit_code == 0 and f"written: {schema}" in result.stdout
