"""The JSON Schema printed by ``ccsim schema`` against the shipped and the broken scenarios."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from ccsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "docs" / "example-scenario.yaml"]
BROKEN = ROOT / "tests" / "broken"

# broken files whose one mistake is structural: an unknown key, a missing key, a wrong type,
# a value outside an enumeration or range, a unit the pattern does not allow
SCHEMA_DETECTABLE = (
    "unknown_key_in_contact_type", "unknown_key_typo", "missing_horizon",
    "missing_skills", "missing_talk", "list_where_mapping_expected",
    "string_where_number_expected", "headcount_not_integer", "headcount_negative",
    "per_interval_string_cell", "arrivals_list_instead_of_per_interval", "end_bad_value",
    "service_level_unknown_formula", "service_level_target_above_one", "unknown_distribution",
    "rate_without_unit", "rate_without_unit_quoted", "rate_unit_in_brackets", "time_unit_minz",
    "time_unit_parsecs", "patience_typo_forever", "contact_types_empty", "top_level_list",
    "value_negative",
)


@pytest.fixture(scope="module")
def schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def validator(schema):
    return Draft202012Validator(schema)


def _load(path: Path):
    # as an editor sees it: JSON types only (YAML dates such as start_date become strings)
    return _as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


def _as_json(value):
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def test_schema_is_a_valid_draft_2020_12_schema(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_option_writes_the_same_document(schema, tmp_path):
    target = tmp_path / "scenario.schema.json"
    result = CliRunner().invoke(main, ["schema", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == schema


def test_there_are_shipped_scenarios():
    assert len(SHIPPED) >= 2 and all(path.exists() for path in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_scenarios_validate(validator, path):
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(_load(path))]
    assert errors == []


def _expected_path(text: str) -> tuple:
    """The YAML path of the mistake from the file's '# expect: PATH | ...' header."""
    header = re.match(r"# expect: *([^|]*?) *\|", text)
    assert header, "broken file without its '# expect:' header"
    path = []
    for part in filter(None, header.group(1).split(".")):
        key, indices = re.match(r"^(.*?)((?:\[\d+\])*)$", part).groups()
        path += ([key] if key else []) + [int(i) for i in re.findall(r"\d+", indices)]
    return tuple(path)


def _all_errors(errors):
    for error in errors:
        yield error
        yield from _all_errors(error.context or ())


@pytest.mark.parametrize("name", SCHEMA_DETECTABLE)
def test_structurally_broken_files_are_rejected_by_the_schema(validator, name):
    path = BROKEN / f"{name}.yaml"
    assert path.exists(), f"{path.name} is gone from tests/broken"
    text = path.read_text(encoding="utf-8")
    errors = list(_all_errors(validator.iter_errors(yaml.safe_load(text))))
    assert errors, f"{name}: the schema accepts it"
    # the schema objects at the mistake itself (or, for a missing or unknown key, its parent)
    expected = _expected_path(text)
    located = {tuple(e.absolute_path) for e in errors}
    assert expected in located or expected[:-1] in located, (expected, located)


def test_unknown_key_error_names_the_key(validator):
    errors = list(validator.iter_errors(_load(BROKEN / "unknown_key_in_contact_type.yaml")))
    assert any("queue_timeout" in e.message for e in errors)


def test_schema_rejects_distribution_without_required_parameter(validator):
    # an exponential without its mean is as structural a mistake as a contact type without talk
    data = _load(BROKEN / "distribution_missing_mean.yaml")
    assert not validator.is_valid(data), (
        "the schema's distribution variants require only 'dist', so a talk time without "
        "'mean' passes the schema although the loader rejects it")
