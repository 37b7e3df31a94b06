"""Broken scenarios must fail with one clear located message, exit status 2, no traceback.

Every file in ``tests/broken/`` is a small scenario with exactly one mistake. Its first two
lines say what ``ccsim validate`` has to report::

    # expect: <yaml path, empty for file-level errors> | <lowercase fragment of the message>
    # line: <line the message must point at, or "none">

The message must read ``<file>:<line>:<column>: <yaml path>: <message>`` (without the path part
for file-level errors such as bad YAML syntax), on standard error, on one line.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from ccsim.cli import main

BROKEN = Path(__file__).parent / "broken"
CORPUS = sorted(BROKEN.glob("*.yaml"))

VALID = """\
horizon: 10h
interval: 1h
contact_types:
  sales:
    arrivals: 100/h
    talk: {dist: exponential, mean: 5min}
    patience: {dist: exponential, mean: 10min}
agent_groups:
  team:
    headcount: 9
    skills: [sales]
"""


class Expect(NamedTuple):
    path: str
    fragment: str
    line: int | None


# files that cannot carry the header comments (a comment would make them non-empty)
NO_HEADER = {"empty_file.yaml": Expect(path="", fragment="empty", line=1)}

HEADER = re.compile(r"^# expect: *(?P<path>[^|]*?) *\| *(?P<fragment>.+?) *\n"
                    r"# line: *(?P<line>\d+|none) *$", re.MULTILINE)


def expectation(file: Path) -> Expect:
    if file.name in NO_HEADER:
        return NO_HEADER[file.name]
    head = "".join(file.read_text(encoding="utf-8").splitlines(keepends=True)[:2])
    match = HEADER.match(head)
    assert match, f"{file.name}: the first two lines must be '# expect: PATH | FRAGMENT' and '# line: N'"
    line = match["line"]
    return Expect(match["path"], match["fragment"], None if line == "none" else int(line))


class Outcome(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str
    crash: str  # formatted traceback of an exception that escaped the CLI, or ""


def invoke(*args: str) -> Outcome:
    result = CliRunner().invoke(main, list(args))
    try:
        stderr = result.stderr
    except ValueError:  # click < 8.2 mixes stderr into output unless told otherwise
        stderr = result.output
    crash = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info))
    return Outcome(result.exit_code, result.stdout, stderr, crash)


def assert_clean_failure(outcome: Outcome) -> str:
    """Exit status 2, no traceback, exactly one message line on stderr; returns that line."""
    everything = outcome.stdout + outcome.stderr + outcome.crash
    assert "Traceback" not in everything, f"a traceback escaped:\n{everything}"
    assert outcome.exit_code == 2, (f"exit status {outcome.exit_code}, expected 2\n"
                                    f"stderr: {outcome.stderr}\n{outcome.crash}")
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one message line on stderr, got:\n{outcome.stderr}"
    return lines[0]


def located(file: Path, expect: Expect) -> re.Pattern:
    """``[error: ]<file>:<line>:<col>: <path>: <message>`` (no line:col when none applies)."""
    where = re.escape(str(file)) + (r":(?P<line>\d+):(?P<col>\d+)" if expect.line else "")
    path = re.escape(expect.path) + ": " if expect.path else ""
    return re.compile(rf"^(?:error: )?{where}: {path}(?P<message>.+)$")


def test_corpus_is_complete():
    assert len(CORPUS) >= 30
    for file in CORPUS:
        expectation(file)  # every file carries a readable header
    assert (BROKEN / "empty_file.yaml").read_bytes() == b""


def test_minimal_scenario_is_valid(tmp_path):
    """The corpus files differ from this one by a single mistake; it must pass."""
    file = tmp_path / "minimal.yaml"
    file.write_text(VALID, encoding="utf-8")
    outcome = invoke("validate", str(file))
    assert outcome.exit_code == 0, outcome.stderr + outcome.crash
    assert "OK" in outcome.stdout


@pytest.mark.parametrize("file", CORPUS, ids=[f.stem for f in CORPUS])
def test_broken_scenario(file: Path):
    expect = expectation(file)
    # --allow-code: the corpus includes policy files that only fail once imported
    message = assert_clean_failure(invoke("validate", "--allow-code", str(file)))
    match = located(file, expect).match(message)
    assert match, (f"message does not have the form '{file}:LINE:COL: "
                   f"{expect.path or '(no path)'}: ...':\n{message}")
    if expect.line is not None:
        assert int(match["line"]) == expect.line, f"points at the wrong line:\n{message}"
        assert int(match["col"]) >= 1
    if not expect.path:
        # a file-level error must not look as if it named a YAML path
        assert not re.match(r"[\w.\[\]-]+: ", match["message"]), message
    assert expect.fragment in match["message"].lower(), (
        f"message lacks {expect.fragment!r}:\n{message}")


@pytest.mark.parametrize("name", ["contact_type_no_group_has_skill.yaml", "rate_without_unit.yaml"])
def test_run_rejects_broken_scenario(name: str):
    """``ccsim run`` loads through the same checks: same message, exit 2, nothing simulated."""
    file = BROKEN / name
    expect = expectation(file)
    message = assert_clean_failure(invoke("run", "--replications", "1", str(file)))
    match = located(file, expect).match(message)
    assert match and int(match["line"]) == expect.line, message
    assert expect.fragment in match["message"].lower(), message
    assert message == assert_clean_failure(invoke("validate", str(file)))


@pytest.mark.parametrize("command", ["validate", "run"])
def test_missing_scenario_file(tmp_path, command: str):
    file = tmp_path / "no_such_scenario.yaml"
    message = assert_clean_failure(invoke(command, str(file)))
    expect = Expect(path="", fragment="no such file", line=None)
    match = located(file, expect).match(message)
    assert match, f"message does not name the missing file:\n{message}"
    assert expect.fragment in match["message"].lower(), message
