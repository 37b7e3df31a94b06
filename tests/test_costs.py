"""Cost and value: the ``costs:`` section and ``value:`` are checked with located messages, and
the money figures agree with what can be worked out by hand from the plan and from the same
replication's contact and group KPIs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.scenario import ScenarioError

# one phone line with room for 2 waiting callers, impatient callers, closed 07:00-08:00, and a
# constant headcount that stops with the horizon: nobody ever stays late
FLAT = """
start: "07:00"
horizon: 3h
interval: 30min
warmup: 30min
end: stop
seed: 3
hours: {{phone: {{daily: "08:00-23:00"}}}}
{costs}
contact_types:
  sales:
    arrivals: 70/h
    talk: {{dist: exponential, mean: 5min}}
    patience: {{dist: exponential, mean: 1min}}
    queue_capacity: 2
    value: {value}
agent_groups:
  team:
    headcount: {agents}
    skills: [sales]
"""
COSTS = "costs: {currency: EUR, agent_hour: 28}"


def flat(costs: str = COSTS, value: float = 120, agents: int = 4) -> ccsim.Scenario:
    return ccsim.scenario_from_text(FLAT.format(costs=costs, value=value, agents=agents))


def error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        ccsim.scenario_from_text(text)
    return caught.value


# --- the scenario format ----------------------------------------------------------------------

def test_costs_are_read_with_defaults_and_per_group_rates():
    text = FLAT.format(costs="costs: {agent_hour: 28, groups: {team: 35}}", value=120, agents=4)
    scenario = ccsim.scenario_from_text(text)
    costs = scenario.costs
    assert costs.agent_rate("team") == 35.0 and costs.agent_rate("other") == 28.0
    assert (costs.overtime_factor, costs.trunk_line_hour, costs.ivr_port_hour) == (1.5, 0.0, 0.0)
    assert costs.currency == "" and scenario.contact_type("sales").value == 120.0
    assert scenario.as_dict()["costs"]["groups"] == {"team": 35.0}  # in run.json and the hash
    plain = ccsim.scenario_from_text(FLAT.format(costs="", value=0, agents=4))
    assert plain.costs is None and plain.contact_type("sales").value == 0.0


def test_every_group_priced_makes_agent_hour_optional():
    assert flat("costs: {groups: {team: 30}}").costs.agent_hour == 0.0
    problem = error(FLAT.format(costs="costs: {currency: EUR}", value=0, agents=4))
    assert problem.path == "costs" and "missing required key 'agent_hour'" in problem.message
    assert "team" in problem.message


def test_unknown_group_in_costs_is_located_with_a_suggestion():
    problem = error(FLAT.format(costs="costs:\n  agent_hour: 28\n  groups: {teams: 35}",
                                value=0, agents=4))
    assert problem.path == "costs.groups.teams" and problem.line == 11
    assert "unknown agent group 'teams'" in problem.message
    assert "did you mean 'team'?" in problem.message


@pytest.mark.parametrize("costs, path", [
    ("costs: {agent_hour: -28}", "costs.agent_hour"),
    ("costs: {agent_hour: 28, overtime_factor: -1}", "costs.overtime_factor"),
    ("costs: {agent_hour: 28, groups: {team: -3}}", "costs.groups.team"),
])
def test_negative_rates_are_refused(costs, path):
    problem = error(FLAT.format(costs=costs, value=0, agents=4))
    assert problem.path == path and problem.message.startswith("must be >= 0")


def test_negative_value_is_refused():
    problem = error(FLAT.format(costs="", value=-5, agents=4))
    assert problem.path == "contact_types.sales.value" and "must be >= 0" in problem.message


def test_rates_of_resources_the_center_lacks_are_refused():
    problem = error(FLAT.format(costs="costs: {agent_hour: 28, trunk_line_hour: 0.4}",
                                value=0, agents=4))
    assert problem.path == "costs.trunk_line_hour" and "trunks: N" in problem.message
    problem = error(FLAT.format(costs="costs: {agent_hour: 28, ivr_port_hour: 0.1}",
                                value=0, agents=4))
    assert problem.path == "costs.ivr_port_hour" and "ports" in problem.message


def test_unknown_cost_key_gets_a_suggestion():
    problem = error(FLAT.format(costs="costs: {agent_hours: 28}", value=0, agents=4))
    assert problem.path == "costs.agent_hours" and "did you mean 'agent_hour'?" in problem.message


# --- the money --------------------------------------------------------------------------------

def test_constant_headcount_costs_headcount_times_window_and_nothing_more():
    """4 agents for the 2.5 h after the warm-up, logged off by the stop: 10 paid hours, none
    extra; every cost per contact and revenue follows from the same replication's counts."""
    results = ccsim.simulate(flat(), replications=3, seed=5)
    for tree in results.replications:
        cost, sales = tree["cost"], tree["by_type"]["sales"]
        assert cost["by_group"]["team"] == {"paid_hours": 10.0, "overtime_hours": 0.0,
                                            "agent_cost": 280.0}
        total = cost["overall"]
        assert total["agent_cost"] == total["total_cost"] == 280.0
        assert total["trunk_cost"] == total["ivr_cost"] == 0.0
        assert total["cost_per_handled"] == pytest.approx(280.0 / tree["overall"]["handled"])
        assert total["cost_per_offered"] == pytest.approx(280.0 / tree["overall"]["offered"])
        assert sales["abandoned"] > 0 and sales["blocked"] > 0 and sales["closed"] > 0
        lost = sales["abandoned"] + sales["blocked"] + sales["closed"]
        assert cost["by_type"]["sales"]["contacts_lost"] == lost
        assert total["revenue_at_risk"] == cost["by_type"]["sales"]["revenue_at_risk"] == 120 * lost
        assert total["revenue_handled"] == 120 * sales["handled"]


def test_summary_gives_every_cost_figure_a_mean_and_interval():
    results = ccsim.simulate(flat(), replications=3, seed=5)
    summary = results.summary()["cost"]
    assert set(summary) == {"overall", "by_group", "by_type"}
    at_risk = [tree["cost"]["overall"]["revenue_at_risk"] for tree in results.replications]
    assert summary["overall"]["revenue_at_risk"]["mean"] == pytest.approx(sum(at_risk) / 3)
    assert summary["overall"]["revenue_at_risk"]["ci95"] > 0  # it varies between days
    assert summary["by_group"]["team"]["paid_hours"] == {"mean": 10.0, "ci95": 0.0}
    document = json.loads(json.dumps(results.to_dict()))  # NaN-free, as --json prints it
    assert document["summary"]["cost"]["by_type"]["sales"]["revenue_handled"]["mean"] > 0


def test_agents_finishing_calls_after_their_log_off_are_overtime():
    """Headcount 3 then 0: the agents still on a call at the drop stay on. In the interval with
    no one planned, all logged-in time is overtime: the group's staffed agents × 30 min."""
    text = FLAT.format(costs="costs: {agent_hour: 20, overtime_factor: 2}", value=0,
                       agents="[0, 0, 3, 3, 0, 0]")
    results = ccsim.simulate(ccsim.scenario_from_text(text), replications=4, seed=2)
    overtime = []
    for tree in results.replications:
        team = tree["cost"]["by_group"]["team"]
        late = sum(row["by_group"]["team"]["mean_staffed"] * 0.5
                   for row in tree["intervals"][4:])
        assert team["paid_hours"] == 3.0
        assert team["overtime_hours"] == pytest.approx(late, abs=1e-9)
        assert team["agent_cost"] == pytest.approx(20 * (3.0 + 2 * late))
        overtime.append(team["overtime_hours"])
    assert min(overtime) >= 0 and max(overtime) > 0


TRUNKS_AND_IVR = """
horizon: 2h
interval: 1h
end: stop
trunks: 10
costs: {agent_hour: 25, trunk_line_hour: 0.5, ivr_port_hour: 0.25}
ivr:
  ports: 4
  arrivals: 30/h
  menu:
    main: {time: {dist: deterministic, value: 20s}, branches: {calls: 0.8, self_service: 0.2}}
contact_types:
  calls:
    talk: {dist: exponential, mean: 3min}
agent_groups:
  team:
    headcount: 2
    skills: [calls]
"""


def test_lines_and_ports_cost_capacity_times_hours_used_or_not():
    results = ccsim.simulate(ccsim.scenario_from_text(TRUNKS_AND_IVR), replications=2, seed=1)
    for tree in results.replications:
        total = tree["cost"]["overall"]
        assert total["trunk_cost"] == 10 * 2 * 0.5 and total["ivr_cost"] == 4 * 2 * 0.25
        assert total["total_cost"] == pytest.approx(25 * 2 * 2 + 10 + 2)
        assert "revenue_at_risk" in total and total["revenue_at_risk"] == 0.0


def test_no_cost_section_without_costs_or_values():
    results = ccsim.simulate(flat(costs="", value=0), replications=2, seed=1)
    assert "cost" not in results.replications[0] and "cost" not in results.summary()


def test_values_alone_give_revenue_but_no_costs():
    tree = ccsim.simulate(flat(costs="", value=50), replications=2, seed=1).replications[0]
    assert "by_group" not in tree["cost"]
    assert set(tree["cost"]["overall"]) == {"contacts_lost", "revenue_handled", "revenue_at_risk"}
    assert not math.isnan(tree["cost"]["overall"]["revenue_at_risk"])


def test_run_prints_the_cost_table(tmp_path):
    file = tmp_path / "flat.yaml"
    file.write_text(FLAT.format(costs=COSTS, value=120, agents=4))
    result = CliRunner().invoke(main, ["run", str(file), "-r", "2"])
    assert result.exit_code == 0, result.output
    assert "Cost and value (EUR)" in result.output
    assert "group team" in result.output and "type sales" in result.output
    assert "280.00" in result.output  # 4 agents × 2.5 h × 28


def test_report_cost_tables_carry_the_numbers_of_the_summary(monkeypatch):
    from ccsim.output import report
    from test_report import _cheap_image, _compare_with_summary, _parse

    monkeypatch.setattr(report, "figure_data_uri", _cheap_image)  # charts are tested elsewhere
    results = ccsim.simulate(flat(), replications=2, seed=1)
    cells = _parse(report.render_report(results)).cells
    costs = {key: value for key, value in cells.items() if key[1].startswith("cost")}
    assert {key[0] for key in costs} == {"kpi-cost", "kpi-cost-groups", "kpi-value"}
    summary = json.loads(json.dumps(results.to_dict()["summary"]))
    assert _compare_with_summary(costs, summary) == 6 + 2 * 3 + 2 * 3
    assert float(costs[("kpi-cost-groups", "cost.by_group", "team", "agent_cost")]) == 280.0


LATE_BREAK = Path(__file__).parent / "late_break_shift.yaml"


def _late_break(talk_minutes: int):
    text = LATE_BREAK.read_text().replace("value: 50min", f"value: {talk_minutes}min")
    return ccsim.simulate(ccsim.scenario_from_text(text), replications=1, seed=1)


def test_a_break_delayed_by_a_contact_is_not_overtime():
    """The agent works 0:00-0:50, takes its break 0:50-1:04 and goes home: it never works past
    its shift end (1:00), so there is no overtime, although it was logged in 50 minutes of an
    interval whose plan had 46 (issue 15, item 6: billed as 4 minutes of overtime)."""
    cost = _late_break(50).replications[0]["cost"]["by_group"]["desk"]
    assert cost["paid_hours"] == 1.0
    assert cost["overtime_hours"] == 0.0
    assert cost["agent_cost"] == 10.0


def test_a_contact_finished_after_the_shift_end_is_overtime_to_the_second():
    """A 70-minute email from 0:00 ends at 1:10: 10 minutes past the shift end are overtime
    (the break, never taken, does not add its 14 minutes as the per-interval excess did)."""
    results = _late_break(70)
    cost = results.replications[0]["cost"]["by_group"]["desk"]
    assert cost["overtime_hours"] == pytest.approx(10 / 60, abs=1e-12)
    assert cost["agent_cost"] == pytest.approx(10 * (1 + 1.5 * 10 / 60))
    assert results.sums[0]["group.overtime_area"][:, 0].tolist() == [0.0, 600.0, 0.0]


def test_an_agent_kept_on_then_put_back_on_the_plan_is_overtime_until_then():
    """Headcount 1, 0, 1 (hours): the agent holding a 130-minute contact at 1:00 is let go by
    the plan but stays; at 2:00 the plan takes it back. Overtime is exactly the hour between."""
    text = """
horizon: 3h
interval: 1h
costs: {agent_hour: 10}
contact_types:
  mail:
    channel: email
    arrivals: {per_interval: [0, 0, 1]}
    initial_backlog: 1
    talk: {dist: deterministic, value: 130min}
agent_groups:
  desk:
    headcount: [1, 0, 1]
    skills: [mail]
"""
    results = ccsim.simulate(ccsim.scenario_from_text(text), replications=1, seed=1)
    assert results.replications[0]["cost"]["by_group"]["desk"]["overtime_hours"] == 1.0
    assert results.sums[0]["group.overtime_area"][:, 0].tolist() == [0.0, 3600.0, 0.0, 0.0]
