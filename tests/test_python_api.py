"""The Python API an analyst uses in Jupyter: tidy frames that hold the numbers of --json,
a short repr, scenarios from dicts checked like files, simulate() checking its scenario, and
what-if helpers by YAML path."""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.measure import frames

ROOT = Path(__file__).parent.parent
OMNI = ROOT / "scenarios" / "omnichannel_bank.yaml"
DAY = {
    "name": "two-hours",
    "horizon": "2h", "interval": "30min", "start": "08:00",
    "contact_types": {
        "sales": {"arrivals": "240/h", "talk": {"dist": "exponential", "mean": "4min"},
                  "patience": {"dist": "exponential", "mean": "3min"}},
        "billing": {"arrivals": "60/h", "talk": {"dist": "exponential", "mean": "5min"}},
    },
    "agent_groups": {"team": {"headcount": 22, "skills": ["sales", "billing"]}},
}


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    import yaml

    path = tmp_path_factory.mktemp("day") / "day.yaml"
    path.write_text(yaml.safe_dump(DAY, sort_keys=False))
    result = CliRunner().invoke(main, ["run", str(path), "-r", "3", "--seed", "4", "--json"])
    assert result.exit_code == 0, result.output
    return ccsim.simulate(ccsim.load_scenario(path), replications=3, seed=4), \
        json.loads(result.output)


def _same(value, expected):
    if expected is None:
        assert value is None or math.isnan(value)
    else:
        assert value == expected


def test_the_interval_frame_holds_the_numbers_of_json(day):
    results, document = day
    df = results.frame("intervals")
    assert set(df.columns) >= {"interval", "time", "contact_type", "warmup", "kpi", "mean",
                               "half_width", "ci_low", "ci_high"}
    index = df.set_index(["interval", "contact_type", "kpi"])
    for row in document["intervals"]:
        for kpi, value in row.items():
            if kpi in ("interval", "start", "contact_type", "warmup") or kpi.endswith("_ci95"):
                continue
            cell = index.loc[(row["interval"], row["contact_type"], kpi)]
            _same(cell["mean"], value)
            _same(cell["half_width"], row[f"{kpi}_ci95"])
            if value is not None and row[f"{kpi}_ci95"] is not None:
                assert cell["ci_low"] == pytest.approx(value - row[f"{kpi}_ci95"])
    assert len(df) == sum(1 for row in document["intervals"] for k in row
                          if k not in ("interval", "start", "contact_type", "warmup")
                          and not k.endswith("_ci95"))
    # clock time as a Timedelta from midnight (no start_date): 08:00, 08:30, ...
    import pandas as pd
    times = sorted(df["time"].unique())
    assert times[0] == pd.Timedelta(hours=8) and times[1] - times[0] == pd.Timedelta(minutes=30)


def test_summary_and_replication_frames_hold_the_numbers_of_json(day):
    results, document = day
    types = results.frame("types").set_index(["contact_type", "kpi"])
    for name, kpis in document["summary"]["by_type"].items():
        for kpi, estimate in kpis.items():
            _same(types.loc[(name, kpi), "mean"], estimate["mean"])
            _same(types.loc[(name, kpi), "half_width"], estimate["ci95"])
    groups = results.frame("groups").set_index(["agent_group", "kpi"])
    assert groups.loc[("team", "occupancy"), "mean"] == \
        document["summary"]["by_group"]["team"]["occupancy"]["mean"]
    reps = results.frame("replications")
    sl = reps[(reps.scope == "overall") & (reps.kpi == "service_level")]["value"]
    assert len(sl) == 3 and sl.mean() == pytest.approx(
        document["summary"]["overall"]["service_level"]["mean"])
    sums = results.frame("sums")
    assert sums["offered"].sum() / 3 - sums["short_abandoned"].sum() / 3 == pytest.approx(
        document["summary"]["overall"]["offered"]["mean"])


def test_a_dated_week_has_timestamps():
    import pandas as pd
    results = ccsim.simulate(ccsim.load_scenario(OMNI), replications=2, seed=1)
    df = results.frame("group_intervals")
    assert df["time"].min() == pd.Timestamp("2026-11-23 00:00")
    assert df["time"].max() == pd.Timestamp("2026-11-29 23:00")
    text = repr(results)
    assert len(text) < 2000 and "omnichannel" in text.lower()
    html = results._repr_html_()
    assert len(html) < 20_000 and "<table>" in html and "social_complaints" in html


def test_repr_is_short(day):
    results, _ = day
    assert len(repr(results)) < 2000 and "two-hours" in repr(results)
    assert "3 replications" in repr(results)


def test_without_pandas_rows_come_as_dicts_and_frames_name_the_extra(day, monkeypatch):
    results, _ = day
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ImportError, match=r"ccsim\[pandas\]"):
        results.frame("intervals")
    rows = results.rows("intervals")
    assert isinstance(rows[0], dict) and isinstance(rows[0]["time"], dt.timedelta)
    with pytest.raises(ValueError, match="unknown table 'nope'"):
        frames.rows(results, "nope")


def test_a_dict_is_checked_like_a_file():
    bad = {**DAY, "contact_types": {**DAY["contact_types"],
                                    "sales": {**DAY["contact_types"]["sales"],
                                              "channel": "telefon"}}}
    with pytest.raises(ccsim.ScenarioError) as error:
        ccsim.scenario_from_dict(bad)
    assert "contact_types.sales.channel" in str(error.value)
    assert "did you mean 'phone'?" in str(error.value)
    scenario = ccsim.scenario_from_dict(DAY)
    sales = scenario.contact_type("sales")
    assert sales.arrival_rates[0] == pytest.approx(240 / 3600) and sales.talk.mean == 240
    import yaml
    assert scenario == ccsim.scenario_from_text(yaml.safe_dump(DAY, sort_keys=False))


def test_simulate_rejects_a_hand_built_invalid_scenario():
    scenario = ccsim.scenario_from_dict(DAY)
    sales = attrs.evolve(scenario.contact_types[0], channel="telefon")
    bad = attrs.evolve(scenario, contact_types=(sales, *scenario.contact_types[1:]))
    with pytest.raises(ccsim.ScenarioError, match="did you mean 'phone'"):
        ccsim.simulate(bad, replications=2)
    built = ccsim.Scenario(contact_types=scenario.contact_types, agent_groups=(
        attrs.evolve(scenario.agent_groups[0], headcount=(0,)),), horizon=7200.0)
    with pytest.raises(ccsim.ScenarioError, match="no agent can serve"):
        ccsim.simulate(built, replications=2)


def test_evolve_by_yaml_path():
    scenario = ccsim.scenario_from_dict(DAY)
    longer = ccsim.evolve(scenario, "contact_types.sales.talk.mean", "5min")
    assert longer.contact_type("sales").talk.mean == 300
    assert longer.contact_type("billing") == scenario.contact_type("billing")
    more = ccsim.evolve(scenario, "agent_groups.team.headcount", 30)
    assert more.agent_groups[0].headcount == (30,)
    with pytest.raises(ccsim.ScenarioError, match="contact_types.sales.talk.mean"):
        ccsim.evolve(scenario, "contact_types.sales.talk.mean", "-1min")
    busier = ccsim.scaled(scenario, arrivals=1.5)
    assert busier.contact_type("sales").arrival_rates[0] == pytest.approx(1.5 * 240 / 3600)
    assert ccsim.with_headcount(scenario, "team", [25] * 4).agent_groups[0].headcount == (25,) * 4
