"""Service-level targets as planners write them — ``80/20``, ``80%``, ``0.8`` — read by one
parser (``ccsim.units.parse_service_target``) in YAML, ``ccsim staff`` and ``ccsim stress``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from click.testing import CliRunner

from ccsim.cli import main
from ccsim.scenario import ScenarioError, scenario_from_text
from ccsim.scenario.schema import scenario_schema
from ccsim.units import UnitError, parse_service_target, parse_share
from ccsim.workforce.staff import parse_target

ERLANG_C = str(Path(__file__).resolve().parent.parent / "scenarios" / "erlang_c.yaml")
BASE = """\
horizon: 2h
interval: 1h
contact_types:
  sales:
    arrivals: 100/h
    talk: {dist: exponential, mean: 5min}
    service_level: SL
agent_groups:
  team:
    headcount: 9
    skills: [sales]
"""


@pytest.mark.parametrize("text, expected", [
    ("80/20", (0.8, 20.0)), ("80%/20s", (0.8, 20.0)), (" 90 / 1min ", (0.9, 60.0)),
    ("80%", (0.8, None)), ("0.8", (0.8, None)), (0.75, (0.75, None)),
    ("sl>=0.80@20s", (0.8, 20.0)), ("SL >= 90% @ 15s", (0.9, 15.0)), ("100/20", (1.0, 20.0)),
])
def test_targets_as_written(text, expected):
    assert parse_service_target(text) == pytest.approx(expected)


@pytest.mark.parametrize("text, fragment", [
    ("80", "for a percentage write 80%"), ("150%", "from 0% to 100%"),
    ("0.8/20", "write 80/20, not 0.8/20"), ("80/-3", "threshold"), ("80/inf", "threshold"),
    ("eighty", "80/20"), (True, "80/20"), ("80/20parsecs", "80/20"),
])
def test_bad_targets_say_what_was_expected(text, fragment):
    with pytest.raises(UnitError, match="expected") as caught:
        parse_service_target(text)
    assert fragment in str(caught.value)


def test_shares():
    assert parse_share("30%") == pytest.approx(0.3) and parse_share(0.3) == 0.3
    with pytest.raises(UnitError):
        parse_share("30")


def _objective(value: str):
    return scenario_from_text(BASE.replace("SL", value), "s.yaml").contact_types[0].service_level


def test_yaml_shorthand_sets_target_and_threshold():
    objective = _objective("80/30")
    assert (objective.target, objective.threshold) == pytest.approx((0.8, 30.0))
    objective = _objective("{target: 90%, threshold: 15s}")
    assert (objective.target, objective.threshold) == pytest.approx((0.9, 15.0))
    objective = _objective("{target: 70/45, formula: over_answered}")
    assert (objective.target, objective.threshold, objective.formula) == (
        pytest.approx(0.7), 45.0, "over_answered")
    assert _objective("85%").threshold == 20.0  # the default threshold


def test_yaml_mistakes_are_located():
    with pytest.raises(ScenarioError) as caught:
        _objective("{target: 80%%}")
    assert "service_level.target" in str(caught.value) and "s.yaml:7:" in str(caught.value)


def test_staff_target_reads_every_form():
    assert parse_target("80/20") == pytest.approx((0.8, 20.0))
    assert parse_target("85%") == pytest.approx((0.85, 20.0))
    assert parse_target("sl>=0.8@1min") == pytest.approx((0.8, 60.0))


@pytest.mark.parametrize("value", ["1.5", "80/20", "0", "abc"])
def test_stress_target_is_a_share_without_threshold(value):
    result = CliRunner().invoke(main, ["stress", ERLANG_C, "--target", value])
    assert result.exit_code == 2, result.output
    assert "error: --target: expected" in result.output


@pytest.mark.parametrize("value, valid", [
    ("80/20", True), ("90%/1min", True), ("{target: 80%}", True), ("{target: 80/20}", True),
    ("{target: 0.8, threshold: 20s}", True), ("{target: 180%}", False), ("0.8/20", False),
    ("{target: 80}", False),
])
def test_the_schema_accepts_what_the_loader_accepts(value, valid):
    document = yaml.safe_load(BASE.replace("SL", value))
    assert Draft202012Validator(scenario_schema()).is_valid(document) == valid
    if valid:
        _objective(value)
    else:
        with pytest.raises(ScenarioError):
            _objective(value)
