"""Scale-out: the same numbers on every executor, no lost work when a worker or the whole
run dies, sequential precision, clear errors when results cannot be stored."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.study import store as store_module
from ccsim.cli import main
from ccsim.study.executors import executor_for
from ccsim.study.runner import Store, StoreError
from ccsim.scenario import scenario_from_text

HERE = Path(__file__).parent
BANK = str(HERE.parent / "scenarios" / "retail_bank_day.yaml")

SMALL = """\
name: small
horizon: 4h
interval: 30min
contact_types:
  calls:
    arrivals: 240/h
    talk: {dist: exponential, mean: 3min}
    patience: {dist: exponential, mean: 4min}
agent_groups:
  team: {headcount: 13, skills: [calls]}
"""


def _small(**routing):
    scenario = scenario_from_text(SMALL, "small.yaml", HERE)
    if routing:
        scenario = attrs.evolve(scenario, routing=attrs.evolve(scenario.routing, **routing))
    return scenario


def _same(a, b) -> bool:
    return json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)


def _dying(tmp_path):
    return _small(policy="policies/dies_once.py:DiesOnce",
                  params={"marker": str(tmp_path / "died")})


def test_a_dask_local_cluster_gives_the_serial_numbers():
    pytest.importorskip("distributed")
    scenario = _small()
    serial = ccsim.simulate(scenario, replications=6, seed=3)
    with executor_for(dask_local=2) as executor:
        distributed = ccsim.simulate(scenario, replications=6, seed=3, executor=executor)
    assert _same(serial, distributed)


def test_a_killed_local_worker_costs_nothing(tmp_path):
    scenario = _dying(tmp_path)
    serial = ccsim.simulate(scenario, replications=6, seed=5)  # the main process never dies
    pooled = ccsim.simulate(scenario, replications=6, seed=5, jobs=2)
    assert (tmp_path / "died").exists()  # a worker really died mid-replication
    assert _same(serial, pooled)


def test_a_killed_dask_worker_costs_nothing(tmp_path):
    pytest.importorskip("distributed")
    scenario = _dying(tmp_path)
    serial = ccsim.simulate(scenario, replications=6, seed=5)
    with executor_for(dask_local=2) as executor:
        distributed = ccsim.simulate(scenario, replications=6, seed=5, executor=executor)
    assert (tmp_path / "died").exists()
    assert _same(serial, distributed)


def test_results_do_not_depend_on_the_number_of_jobs():
    scenario = _small()
    one = ccsim.simulate(scenario, replications=5, seed=2, jobs=1)
    assert _same(one, ccsim.simulate(scenario, replications=5, seed=2, jobs=0))


def test_resume_reuses_what_is_stored(tmp_path):
    scenario = _small()
    store = Store(tmp_path)
    first = ccsim.simulate(scenario, replications=3, seed=4, store=store)
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "replications").iterdir()}
    more = ccsim.simulate(scenario, replications=5, seed=4, store=store, resume=True)
    assert len(store) == 5
    for path in (tmp_path / "replications").iterdir():  # the first three were not rerun
        assert stamps.get(path.name, path.stat().st_mtime_ns) == path.stat().st_mtime_ns
    assert _same(more, ccsim.simulate(scenario, replications=5, seed=4))
    assert json.dumps(first.replications) == json.dumps(more.replications[:3])  # NaN-safe


def test_a_full_disk_is_a_clear_error_and_keeps_what_was_stored(tmp_path, monkeypatch):
    real = store_module.write_atomic
    calls = []

    def fill_up(path, data):
        calls.append(path)
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(store_module, "write_atomic", fill_up)
    store = Store(tmp_path)
    with pytest.raises(StoreError, match="No space left on device"):
        ccsim.simulate(_small(), replications=5, seed=1, store=store)
    kept = sorted((tmp_path / "replications").iterdir())
    assert len(kept) == 2 and all(store.get(p.stem) is not None for p in kept)
    assert not [p for p in (tmp_path / "replications").iterdir() if p.suffix == ".tmp"]
    result = CliRunner().invoke(main, ["run", BANK, "-r", "4", "-q", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "intact" in result.output


def test_precision_adds_replications_until_the_bound_holds():
    scenario = _small()
    results = ccsim.simulate(scenario, replications=4, seed=8,
                             precision={"overall.service_level": 0.02})
    half = ccsim.measure.stats.mean_ci(results.values("overall.service_level"))[1]
    assert results.n > 4 and half <= 0.02
    plain = ccsim.simulate(scenario, replications=results.n, seed=8)
    assert _same(results, plain)  # the same replications as a fixed-size run
    capped = ccsim.simulate(scenario, replications=4, seed=8, max_replications=6,
                            precision={"overall.service_level": 0.0001})
    assert capped.n == 6


def _sweep_file(tmp_path) -> Path:
    (tmp_path / "small.yaml").write_text(SMALL)
    path = tmp_path / "sweep.yaml"
    path.write_text("""\
scenario: small.yaml
replications: 6
seed: 3
policies: [longest_idle, random]
grid:
  volume: [1.0, 1.2]
  agent_groups.team.headcount: [12, 14]
""")
    return path


def _ccsim(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "ccsim", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_a_killed_sweep_resumes_to_the_uninterrupted_table(tmp_path):
    path = _sweep_file(tmp_path)
    whole = _ccsim("sweep", str(path), "--out", str(tmp_path / "whole"), "-q")
    assert whole.wait(timeout=300) == 0, whole.stderr.read()
    stored = tmp_path / "cut" / "replications"
    cut = _ccsim("sweep", str(path), "--out", str(tmp_path / "cut"), "-q")
    deadline = time.time() + 120
    while time.time() < deadline and len(list(stored.glob("*.npz"))) < 10:
        time.sleep(0.05)
    cut.send_signal(signal.SIGKILL)
    cut.wait(timeout=30)
    done = len(list(stored.glob("*.npz")))
    assert 10 <= done < 48, done  # killed part-way
    assert not (tmp_path / "cut" / "results.csv").exists()
    resumed = _ccsim("sweep", str(path), "--out", str(tmp_path / "cut"), "--resume", "-q")
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read()
    assert (tmp_path / "cut" / "results.csv").read_text() == \
        (tmp_path / "whole" / "results.csv").read_text()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path, jobs):
    # its own process group, signalled as a terminal's Ctrl-C is: workers get SIGINT too
    process = _ccsim("run", BANK, "-r", "400", "-j", jobs, "--out", str(tmp_path), "-q",
                     start_new_session=True)
    stored = tmp_path / "replications"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(stored.glob("*.npz"))) < 2:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=60) == 130
    assert len(list(stored.glob("*.npz"))) < 400
    message = process.stderr.read()
    assert "interrupted" in message and "--resume" in message and "Traceback" not in message


def test_sweep_files_are_checked_before_running(tmp_path):
    path = _sweep_file(tmp_path)
    path.write_text(path.read_text().replace("agent_groups.team.headcount",
                                             "agent_groups.team.headcuont"))
    result = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "sweep.yaml:7:" in result.output and "no value at agent_groups.team.headcuont" in \
        result.output


def test_the_sweep_table_is_tidy(tmp_path):
    path = _sweep_file(tmp_path)
    result = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "o"),
                                       "-r", "2", "-q"])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "o" / "results.csv").read_text().splitlines()
    assert lines[0].startswith("point,volume,agent_groups.team.headcount,policy,replication,")
    assert len(lines) == 1 + 4 * 2 * 2
    if os.environ.get("CCSIM_NO_PARQUET") is None and _has("pyarrow"):
        import pyarrow.parquet as pq
        table = pq.read_table(tmp_path / "o" / "results.parquet")
        assert table.num_rows == 16 and "service_level" in table.column_names


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def test_the_cli_joins_an_existing_dask_scheduler(tmp_path):
    distributed = pytest.importorskip("distributed")
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    serial = CliRunner().invoke(main, ["run", str(path), "-r", "4", "--json"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = CliRunner().invoke(main, ["run", str(path), "-r", "4", "--json",
                                           "--dask-scheduler", cluster.scheduler_address])
    assert serial.exit_code == remote.exit_code == 0, remote.output
    assert serial.output == remote.output


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed")
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    result = CliRunner().invoke(main, ["run", str(path), "-r", "2", "-q",
                                       "--dask-scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in result.output


def test_sweep_kpis_are_checked_against_the_scenario(tmp_path):
    path = _sweep_file(tmp_path)
    path.write_text(path.read_text() + "kpis: [service_level, cost.overall.total_cost]\n")
    result = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2  # the small center has no costs: no such KPI
    assert "unknown KPI 'cost.overall.total_cost'" in result.output


def test_precision_kpis_are_checked_before_running():
    result = CliRunner().invoke(main, ["run", BANK, "-r", "2", "-q",
                                       "--precision", "by_type.loanz.asa=1"])
    assert result.exit_code == 2 and "unknown KPI 'by_type.loanz.asa'" in result.output
    from ccsim.measure.kpis import known_kpi

    bank = ccsim.load_scenario(BANK)
    for path in ("asa", "overall.service_level", "by_type.loans.asa", "by_group.sales.occupancy",
                 "by_channel.phone.abandon_rate", "cost.overall.total_cost",
                 "cost.by_group.sales.agent_cost", "cost.by_type.loans.revenue_at_risk"):
        assert known_kpi(path, bank), path
    for path in ("asa_", "by_type.loans.occupancy", "trunk_occupancy", "cost.overall.asa"):
        assert not known_kpi(path, bank), path
    assert not known_kpi("cost.overall.total_cost", _small())  # no costs in the small center


def test_a_serial_run_finishes_the_replication_running_at_ctrl_c_then_stops(monkeypatch):
    """With one job, the first Ctrl-C is a request, as with a pool: the replication running
    finishes and is kept, nothing new starts, then KeyboardInterrupt. (Raised at once, it
    could land in a finaliser and be ignored: the run then went on to its end.)"""
    from ccsim.study import runner

    ran = []

    def run_task(task):
        if not ran:  # Ctrl-C while the first replication runs
            os.kill(os.getpid(), signal.SIGINT)
        ran.append(task.replication)
        return task.replication

    monkeypatch.setattr(runner, "run_task", run_task)
    kept = []
    tasks = [runner.Task(key=f"k{r}", scenario=None, seed=1, replication=r) for r in range(3)]
    with pytest.raises(KeyboardInterrupt):
        runner.execute(tasks, jobs=1, progress=lambda done, total: kept.append(done))
    assert ran == [0] and kept == [0, 1]  # the first one finished and was told; no other ran
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
