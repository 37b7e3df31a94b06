"""The scenario format as JSON Schema (draft 2020-12), for editors' completion and checks.

It describes the same keys ``build.py`` accepts; a test validates every shipped scenario against
it and checks that both know the same keys. The loader stays the authority on values (units,
cross-references), which a schema cannot fully express.
"""

from __future__ import annotations

from ..calendar import DAYS
from ..distributions import DISTRIBUTIONS, REQUIRED
from ..units import DURATION_UNITS
from .build import TOP_KEYS
from .contact_types import ARRIVAL_KEYS, SL_KEYS, TYPE_KEYS
from .groups import GROUP_KEYS, SKILL_KEYS
from .costs import COST_KEYS
from .spec import CHANNELS, END_MODES, SL_FORMULAS

__all__ = ["scenario_schema"]

_UNITS = "|".join(sorted(DURATION_UNITS, key=len, reverse=True))
DURATION = {
    "description": "A duration: '20s', '4.5min', '8h', '8h30min', '2d', or a number of seconds.",
    "anyOf": [{"type": "number", "minimum": 0},
              {"type": "string", "pattern": rf"^\s*[0-9.]+([eE][+-]?[0-9]+)?\s*({_UNITS})?\s*$"},
              {"type": "string", "pattern": r"^\s*([0-9.]+\s*(d|h|min|s)\s*){2,4}$"}],
}
RATE = {"description": "A rate with its unit: '240/h', '4/min', '0.5/s'.",
        "type": "string", "pattern": rf"^\s*[0-9.]+([eE][+-]?[0-9]+)?\s*/\s*({_UNITS})\s*$"}
_HOURS = {"anyOf": [
    {"type": "string", "pattern": r"^\s*(closed|\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2})\s*$"},
    {"type": "array", "items": {"type": "string", "pattern": r"^\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*$"}}]}
CALENDAR = {
    "description": "'always', or days (mon, mon-fri, sat,sun, daily) to opening hours "
                   "('08:00-20:00', a list of ranges, or closed), with dated exceptions",
    "anyOf": [{"const": "always"},
              {"type": "object",
               "properties": {"exceptions": {"type": "object", "additionalProperties": _HOURS}},
               "additionalProperties": _HOURS}],
}
PROBABILITY = {"type": "number", "minimum": 0, "maximum": 1}
MONEY = {"type": "number", "minimum": 0}  # an amount or a rate in the scenario's currency
CSV_COLUMN = {"csv": {"type": "string", "description": "CSV file, relative to the scenario"},
              "column": {"type": "string", "description": "column of the CSV file"}}
ARRIVALS = {"anyOf": [RATE, {
    "type": "object", "additionalProperties": False,
    "properties": {"rate": RATE,
                   "per_interval": {"type": "array", "minItems": 1,
                                    "items": {"type": "number", "minimum": 0},
                                    "description": "expected contacts per interval"},
                   **CSV_COLUMN}}]}
_KIND = {"duration": DURATION, "number": {"type": "number", "exclusiveMinimum": 0},
         "integer": {"type": "integer", "minimum": 1},
         "durations": {"type": "array", "items": DURATION, "minItems": 1}}


def _distribution() -> dict:
    variants = []
    for family, (cls, kinds) in DISTRIBUTIONS.items():
        properties = {"dist": {"const": family}}
        properties.update({k: _KIND[kind] for k, kind in kinds.items()})
        if family == "empirical":
            properties.update(CSV_COLUMN)
        variant = {"type": "object", "title": family, "description": (cls.__doc__ or "").strip(),
                   "properties": properties, "additionalProperties": False,
                   "required": ["dist", *REQUIRED[family]]}
        if family == "empirical":  # values inline, or a CSV column instead
            variant["required"] = ["dist"]
            variant["oneOf"] = [{"required": ["values"]}, {"required": ["csv", "column"]}]
        if "sd" in kinds:  # the spread as either sd or cv
            variant["oneOf"] = [{"required": ["sd"], "not": {"required": ["cv"]}},
                                {"required": ["cv"], "not": {"required": ["sd"]}}]
        variants.append(variant)
    return {"oneOf": variants}


_PERCENT = r"\s*(100(\.0*)?|[0-9]{1,2}(\.[0-9]*)?)\s*%\s*"
SHARE = {"anyOf": [PROBABILITY, {"type": "string", "pattern": rf"^{_PERCENT}$"}]}
# "80/20": 80 % answered within 20 s (before '/' a percentage, after it a duration)
SL_SHORTHAND = {"type": "string", "description": "80/20: 80 % answered within 20 s",
                "pattern": rf"^\s*(100(\.0*)?|[1-9][0-9]?(\.[0-9]*)?)\s*%?\s*/\s*[0-9.]+\s*"
                           rf"({_UNITS})?\s*$"}
SL_TARGET = {"description": "share answered within the threshold: 0.8, '80%' or '80/20'",
             "anyOf": [PROBABILITY, {"type": "string", "pattern": rf"^{_PERCENT}$"},
                       SL_SHORTHAND]}


def _workforce(distribution) -> dict:
    """Agent-group keys of shifts, absence and adherence (docs/workforce.md)."""
    activity = {"type": "object", "required": ["at", "length"], "additionalProperties": False,
                "properties": {"name": {"type": "string"}, "at": DURATION, "length": DURATION,
                               "paid": {"type": "boolean"}, "window": DURATION}}
    shift = {"type": "object", "required": ["start", "length"], "additionalProperties": False,
             "oneOf": [{"required": ["count"]}, {"required": ["agents"]}],
             "properties": {"start": {"type": "string", "description": "clock time, '07:00'"},
                            "length": DURATION, "count": {"type": "integer", "minimum": 0},
                            "agents": {"type": "array", "items": {"type": "string"}},
                            "days": {"type": "string", "description": "mon-fri, sat,sun, ..."},
                            "activities": {"type": "array", "items": activity},
                            "description": {"type": "string"}}}
    lapse = {"type": "object", "required": ["probability", "by"], "additionalProperties": False,
             "properties": {"probability": SHARE, "by": distribution}}
    return {
        "shifts": {"type": "object", "additionalProperties": shift, "minProperties": 1},
        "absence": {**SHARE, "description": "probability an agent misses a whole day"},
        "adherence": {"type": "object", "additionalProperties": False,
                      "properties": {k: lapse for k in ("late_login", "early_logout",
                                                        "long_breaks")}},
        "finish_contact": {"type": "boolean",
                           "description": "activities wait for the contact in hand"},
    }


def scenario_schema() -> dict:
    distribution = {"$ref": "#/$defs/distribution"}
    contact_type = {
        "type": "object", "required": ["talk"], "additionalProperties": False,
        "properties": {
            "description": {"type": "string"},
            "channel": {"enum": list(CHANNELS), "default": "phone"},
            "segment": {"type": "string", "default": "standard"},
            "priority": {"type": "integer", "default": 0},
            "redial": {"type": "object", "additionalProperties": False,
                       "required": ["probability", "delay"],
                       "properties": {"probability": PROBABILITY, "delay": distribution,
                                      "max_attempts": {"type": "integer", "minimum": 1},
                                      "to": {"type": "string"}}},
            "callback": {"type": "object", "additionalProperties": False,
                         "required": ["offer_after", "accept"],
                         "properties": {"offer_after": DURATION, "accept": PROBABILITY,
                                        "reach": PROBABILITY,
                                        "retries": {"type": "integer", "minimum": 0},
                                        "retry_delay": distribution,
                                        "service_level": {"type": "object"}}},
            "resolution": {"type": "object", "additionalProperties": False, "required": ["fcr"],
                           "properties": {"fcr": PROBABILITY, "repeat_probability": PROBABILITY,
                                          "repeat_delay": distribution,
                                          "repeat_to": {"type": "string"},
                                          "max_repeats": {"type": "integer", "minimum": 1}}},
            "transfer": {"type": "object", "additionalProperties": False,
                         "required": ["probability", "to"],
                         "properties": {"probability": PROBABILITY, "to": {"type": "string"}}},
            "initial_backlog": {"type": "integer", "minimum": 0,
                                "description": "email/social contacts waiting at the start"},
            "backlog_age": distribution,
            "value": {**MONEY, "description": "revenue per contact handled (at risk if lost)"},
            "queue_capacity": {"type": "integer", "minimum": 0,
                               "description": "waiting places; arrivals finding none are blocked"},
            "arrivals": ARRIVALS,
            "talk": distribution, "hold": distribution, "acw": distribution,
            "patience": {"anyOf": [distribution, {"type": "string",
                                                  "pattern": "^\\s*([iI][nN][fF]([iI][nN][iI][tT][eE])?|[nN][eE][vV][eE][rR])\\s*$"}]},
            "service_level": {"anyOf": [SL_SHORTHAND, {
                "type": "object", "additionalProperties": False,
                "properties": {"threshold": DURATION, "target": SL_TARGET,
                               "formula": {"enum": list(SL_FORMULAS)},
                               "short_abandon": DURATION}}]},
        },
    }
    skill = {"type": ["object", "null"], "additionalProperties": False,
             "properties": {"proficiency": {"type": "number", "exclusiveMinimum": 0,
                                            "description": "handle-time factor (1.0 nominal)"},
                            "rank": {"type": "integer", "minimum": 1},
                            "fcr": PROBABILITY}}
    agent_group = {
        "type": "object", "required": ["skills"], "additionalProperties": False,
        "oneOf": [{"required": ["headcount"]}, {"required": ["shifts"]}],
        "properties": {
            **_workforce(distribution),
            "description": {"type": "string"},
            "concurrency": {"type": "integer", "minimum": 1,
                            "description": "chats an agent holds at once (chat-only groups)"},
            "stretch": {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0},
                        "description": "handle-time factor when holding 1, 2, ... chats"},
            "stretch_model": {"enum": ["fixed", "dynamic"],
                              "description": "fixed: a chat keeps the factor of the load it "
                                             "started at; dynamic: its remaining work follows the "
                                             "agent's current load"},
            "headcount": {"anyOf": [{"type": "integer", "minimum": 0},
                                    {"type": "array", "items": {"type": "integer", "minimum": 0},
                                     "minItems": 1},
                                    {"type": "object", "properties": CSV_COLUMN,
                                     "required": ["csv", "column"], "additionalProperties": False}]},
            "skills": {"anyOf": [{"type": "array", "items": {"type": "string"}, "minItems": 1},
                                 {"type": "object", "additionalProperties": skill,
                                  "minProperties": 1}]},
        },
    }
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ccsim scenario",
        "type": "object",
        "required": ["horizon", "contact_types", "agent_groups"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "description": {"type": "string"},
            "start": {"description": "clock time of t = 0, e.g. '07:00' (display only)",
                      "anyOf": [{"type": "string"}, {"type": "number"}]},
            "start_day": {"enum": list(DAYS), "description": "weekday of the start"},
            "start_date": {"type": "string", "format": "date",
                           "description": "date of the start (for dated exceptions)"},
            "hours": {"type": "object", "description": "opening hours per channel",
                      "propertyNames": {"enum": list(CHANNELS)},
                      "additionalProperties": {"$ref": "#/$defs/calendar"}},
            "forecast_error": {"type": "object", "additionalProperties": False,
                               "description": "coefficients of variation of the day and "
                                              "interval busyness factors",
                               "properties": {"day": SHARE, "interval": SHARE}},
            "trunks": {"type": "integer", "minimum": 1,
                       "description": "phone lines shared by IVR, queue and talk"},
            "ivr": {"type": "object", "additionalProperties": False,
                    "required": ["arrivals", "menu"],
                    "properties": {
                        "ports": {"type": "integer", "minimum": 1},
                        "arrivals": ARRIVALS, "start": {"type": "string"},
                        "caller_id": {"type": "object", "additionalProperties": False,
                                      "properties": {"share": PROBABILITY,
                                                     "skip": {"type": "array"},
                                                     "priority": {"type": "integer"}}},
                        "menu": {"type": "object", "minProperties": 1, "additionalProperties": {
                            "type": "object", "required": ["branches"],
                            "additionalProperties": False,
                            "properties": {"time": distribution,
                                           "branches": {"type": "object",
                                                        "additionalProperties": PROBABILITY}}}}}},
            "costs": {"type": "object", "additionalProperties": False,
                      "description": "hourly rates of agents, trunk lines and IVR ports",
                      "properties": {
                          "currency": {"type": "string", "description": "label only"},
                          "agent_hour": {**MONEY, "description": "per paid agent hour"},
                          "groups": {"type": "object", "additionalProperties": MONEY,
                                     "description": "agent group -> its own agent_hour"},
                          "overtime_factor": {**MONEY, "default": 1.5},
                          "trunk_line_hour": {**MONEY, "description": "per line and hour"},
                          "ivr_port_hour": {**MONEY, "description": "per port and hour"}}},
            "horizon": DURATION, "interval": DURATION, "warmup": DURATION,
            "end": {"enum": list(END_MODES), "default": "drain"},
            "seed": {"type": "integer", "minimum": 0},
            "replications": {"type": "integer", "minimum": 1},
            "contact_types": {"type": "object", "minProperties": 1,
                              "additionalProperties": contact_type},
            "agent_groups": {"type": "object", "minProperties": 1,
                             "additionalProperties": agent_group},
            "routing": {"anyOf": [{"type": "string"}, {
                "type": "object", "required": ["policy"], "additionalProperties": False,
                "properties": {"policy": {"type": "string"}, "params": {"type": "object"}}}]},
        },
        "$defs": {"distribution": _distribution(), "calendar": CALENDAR},
    }
    # the loader's key lists are the source of truth; the schema must not drift from them
    assert set(schema["properties"]) == set(TOP_KEYS)
    assert set(contact_type["properties"]) == set(TYPE_KEYS)
    assert set(agent_group["properties"]) == set(GROUP_KEYS)
    assert set(skill["properties"]) == set(SKILL_KEYS)
    assert set(contact_type["properties"]["service_level"]["anyOf"][1]["properties"]) == set(SL_KEYS)
    assert set(ARRIVALS["anyOf"][1]["properties"]) == set(ARRIVAL_KEYS)
    assert set(schema["properties"]["costs"]["properties"]) == set(COST_KEYS)
    return schema
