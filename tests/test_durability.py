"""Stored replications and worker processes under hostile or unlucky conditions: planted
pickles, foreign or truncated files, temporary files left by a crash, edited policy files, and
a main process killed with SIGKILL."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.study.runner import task_key
from ccsim.scenario import load_scenario
from ccsim.study.store import Store, StoredFileInvalid

HERE = Path(__file__).parent

SMALL = """\
name: small
horizon: 2h
interval: 30min
replications: 2
contact_types:
  calls:
    arrivals: 120/h
    talk: {dist: exponential, mean: 3min}
    patience: {dist: exponential, mean: 4min}
agent_groups:
  team: {headcount: 7, skills: [calls]}
"""


def _scenario_file(tmp_path, text=SMALL, name="small.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _stored(out: Path) -> list[Path]:
    return sorted((out / "replications").glob("*.npz"))


class _Payload:
    """Unpickling this creates a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_what_is_stored_reads_back_bit_identical(tmp_path):
    scenario = load_scenario(_scenario_file(tmp_path))
    outcome = ccsim.study.experiment.run_replication(scenario, 3, 1)
    store = Store(tmp_path / "out")
    key = task_key(scenario, 3, 1)
    store.put(key, outcome)
    kpis, sums = store.get(key, scenario)
    assert json.dumps(kpis) == json.dumps(outcome[0])  # NaN-safe, float reprs exact
    assert list(sums) == list(outcome[1])
    for name, value in outcome[1].items():
        if isinstance(value, np.ndarray):
            assert sums[name].dtype == value.dtype and sums[name].tobytes() == value.tobytes()
        else:
            assert sums[name] == value


def test_a_planted_pickle_is_never_run(tmp_path):
    path = _scenario_file(tmp_path)
    out = tmp_path / "out"
    assert _run("run", path, "--out", out, "-q").exit_code == 0
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(_Payload(marker))
    stored = _stored(out)
    stored[0].write_bytes(payload)  # a pickle under the name of a stored replication
    (out / "replications" / f"{stored[1].stem}.pkl").write_bytes(payload)  # the old format
    result = _run("run", path, "--out", out, "--resume", "-q")
    assert not marker.exists()
    assert result.exit_code == 2, result.output
    assert str(stored[0]) in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("damage", ["truncated", "foreign", "wrong_shape", "not_a_zip",
                                    "text_in_kpis"])
def test_a_stored_replication_that_cannot_be_validated_is_refused(tmp_path, damage):
    path = _scenario_file(tmp_path)
    out = tmp_path / "out"
    assert _run("run", path, "--out", out, "-q").exit_code == 0
    first, second = _stored(out)
    scenario = load_scenario(path)
    if damage == "truncated":
        first.write_bytes(first.read_bytes()[: first.stat().st_size // 2])
    elif damage == "foreign":  # another replication's file under this one's name
        first.write_bytes(second.read_bytes())
    elif damage == "not_a_zip":
        first.write_text("hello")
    else:
        other = load_scenario(_scenario_file(tmp_path, SMALL.replace("2h", "3h"), "b.yaml"))
        kpis, sums = ccsim.study.experiment.run_replication(other, 1, 0)
        if damage == "text_in_kpis":
            kpis, sums = ccsim.study.experiment.run_replication(scenario, 1, 0)
            kpis["overall"]["service_level"] = "0.99"
        Store(tmp_path / "scratch").put(first.stem, (kpis, sums))
        first.write_bytes((tmp_path / "scratch" / "replications" / first.name).read_bytes())
    with pytest.raises(StoredFileInvalid, match="stored replication"):
        Store(out).get(first.stem, scenario)
    result = _run("run", path, "--out", out, "--resume", "-q")
    assert result.exit_code == 2, result.output
    assert "error: --resume:" in result.output and first.name in result.output
    assert "Traceback" not in result.output


def test_resume_cleans_the_temporary_files_of_an_interrupted_write(tmp_path):
    path = _scenario_file(tmp_path)
    out = tmp_path / "out"
    assert _run("run", path, "--out", out, "-q").exit_code == 0
    ours = [out / "replications" / ".small-0123.npz.k3j_x9ab.tmp", out / ".summary.json.AbCd1234.tmp"]
    theirs = [out / "notes.tmp", out / "replications" / ".keep.tmp"]
    for file in ours + theirs:
        file.write_text("half")
    assert _run("run", path, "--out", out, "--resume", "-q").exit_code == 0
    assert not any(f.exists() for f in ours)
    assert all(f.exists() for f in theirs)


POLICY = '''
from ccsim.routing import RouterBase


class Pick(RouterBase):
    name = "pick"

    def select_agent(self, contact, view):
        for group in self.groups_for[contact.type]:
            for agent in view.idle_agents(group):
                return agent
        return None

    def select_contact(self, agent, view):
        heads = [view.oldest(t) for t in self.types_for[agent.group]]
        heads = [c for c in heads if c is not None]
        return min(heads, key=lambda c: (c.arrival, c.id), default=None)
'''


def test_editing_the_policy_file_invalidates_the_stored_replications(tmp_path):
    (tmp_path / "pick.py").write_text(POLICY)
    path = _scenario_file(tmp_path, SMALL + 'routing: {policy: "pick.py:Pick"}\n')
    out = tmp_path / "out"
    assert _run("run", path, "--out", out, "-q").exit_code == 0
    before = {p.name for p in _stored(out)}
    assert len(before) == 2
    assert _run("run", path, "--out", out, "--resume", "-q").exit_code == 0
    assert {p.name for p in _stored(out)} == before  # unchanged file: reused
    # the edit: contacts are now taken newest first
    (tmp_path / "pick.py").write_text(POLICY.replace("(c.arrival, c.id)", "(-c.arrival, c.id)"))
    assert _run("run", path, "--out", out, "--resume", "-q").exit_code == 0
    after = {p.name for p in _stored(out)}
    assert len(after) == 4 and before < after  # both replications computed again


def _children(pid: int) -> set[int]:
    """Direct children of ``pid``, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_killing_the_main_process_leaves_no_worker_behind(tmp_path):
    path = _scenario_file(tmp_path, SMALL.replace("replications: 2", "replications: 400"))
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    process = subprocess.Popen([sys.executable, "-m", "ccsim", "run", str(path), "-j", "2",
                                "--out", str(tmp_path / "out"), "-q"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    workers: set[int] = set()
    while time.time() < deadline and len(workers) < 2:
        workers = _children(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the pool did not start"
    while time.time() < deadline and not _stored(tmp_path / "out"):
        time.sleep(0.05)  # the workers are busy
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for pid in left:  # do not leave them running if the check fails
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived their parent"
