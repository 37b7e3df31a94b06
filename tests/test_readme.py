"""The README's commands run as written: every ``ccsim ...`` command of its ``bash`` blocks is
executed (in order, in a scratch copy of the files they name) and must exit 0.

Only the number of replications is changed (``-r 2``, ``--max-replications 4``), so the test
checks the commands, their options and their files, not the statistics. Commands that cannot
run here are listed in ``SKIP`` with the reason.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COPIED = ("scenarios", "experiments", "docs")  # what the commands read
SIMULATING = {"run", "compare", "report", "staff", "stress", "sweep"}
SKIP = {  # a fragment of the command → why it is not run here
    "--dask-local": "needs the dask extra (pip install -e '.[dask]'), which CI installs apart",
}


def readme_commands() -> list[str]:
    """``ccsim`` commands of the README's bash blocks, in order; a line ``a && ccsim ...``
    gives its ccsim parts."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith("ccsim "):
                    commands.append(part)
    return commands


def _small(command: str) -> str:
    """The command with few replications, its trailing comment dropped."""
    words = shlex.split(command, comments=True)
    redirect = None
    if ">" in words:
        at = words.index(">")
        words, redirect = words[:at], words[at + 1]
    out, k = [], 0
    while k < len(words):
        word = words[k]
        if word in ("-r", "--replications"):
            out += ["-r", "2"]
            k += 2
            continue
        if word == "--max-replications":
            out += [word, "4"]
            k += 2
            continue
        out.append(word)
        k += 1
    if out[1] in SIMULATING and "-r" not in out:
        out += ["-r", "2"]
    line = shlex.join([sys.executable, "-m", "ccsim", *out[1:]])
    return line + (f" > {shlex.quote(redirect)}" if redirect else "")


COMMANDS = readme_commands()


def test_the_readme_has_commands_and_the_sample_files_exist():
    assert len(COMMANDS) >= 20
    assert any("import-intervals docs/examples/acd_export.csv" in c for c in COMMANDS)
    assert any(c.startswith("ccsim stress") and "--out" in c for c in COMMANDS)
    for command in COMMANDS:
        for word in shlex.split(command, comments=True):
            if re.match(r"^(scenarios|experiments|docs)/.*\.(yaml|csv)$", word):
                assert (ROOT / word).exists(), f"{command}: {word} does not exist"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    where = tmp_path_factory.mktemp("readme")
    for name in COPIED:
        shutil.copytree(ROOT / name, where / name,
                        ignore=shutil.ignore_patterns("*.png", "*.svg", "*.gif", "__pycache__"))
    return where


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command, scratch):
    reason = next((why for fragment, why in SKIP.items() if fragment in command), None)
    if reason:
        pytest.skip(reason)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               MPLBACKEND="Agg")
    done = subprocess.run(_small(command), shell=True, cwd=scratch, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr


def test_replications_are_made_small():
    assert _small("ccsim run scenarios/x.yaml -r 50 --jobs 2").endswith("-r 2 --jobs 2")
    assert _small("ccsim stress s.yaml --volume 1,2  # why").endswith("--volume 1,2 -r 2")
    assert _small("ccsim erlang b -c 10 --load 7").endswith("erlang b -c 10 --load 7")
    assert _small("ccsim run s.yaml --json > e.json").endswith("-r 2 > e.json")
    assert find_spec("ccsim") is not None
