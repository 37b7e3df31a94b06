"""Durations and rates with units: parse_duration, parse_rate, format_duration.

Expected values are plain arithmetic (1 min = 60 s, 1 h = 3600 s, 1 d = 86400 s)."""

from __future__ import annotations

import math

import pytest

from ccsim.units import DURATION_UNITS, UnitError, format_duration, parse_duration, parse_rate

SECONDS_PER = {"s": 1, "min": 60, "h": 3600, "d": 86400}
SPELLINGS = {
    "s": ("s", "sec", "second", "seconds"),
    "min": ("min", "minute", "minutes"),
    "h": ("h", "hour", "hours"),
    "d": ("d", "day", "days"),
}


# --- parse_duration -------------------------------------------------------------------------

@pytest.mark.parametrize("base", SPELLINGS)
def test_every_spelling_of_every_duration_unit(base):
    for spelling in SPELLINGS[base]:
        assert parse_duration(f"3{spelling}") == pytest.approx(3 * SECONDS_PER[base])
        assert parse_duration(f"2.5 {spelling}") == pytest.approx(2.5 * SECONDS_PER[base])


def test_documented_unit_table_is_exactly_the_known_spellings():
    expected = {spelling: float(SECONDS_PER[base])
                for base, spellings in SPELLINGS.items() for spelling in spellings}
    assert DURATION_UNITS == expected


@pytest.mark.parametrize("text, seconds", [
    ("20s", 20.0), ("4.5min", 270.0), ("8h", 28800.0), ("2d", 172800.0), ("1.5h", 5400.0),
    (".5h", 1800.0), ("1e2s", 100.0), ("  3h  ", 10800.0), ("5 min", 300.0), ("0s", 0.0),
    ("90", 90.0), ("2.25", 2.25),          # a bare number in a string is seconds
])
def test_duration_strings(text, seconds):
    assert parse_duration(text) == seconds
    assert isinstance(parse_duration(text), float)


@pytest.mark.parametrize("number", [0, 45, 2.5, 86400])
def test_bare_numbers_are_seconds(number):
    value = parse_duration(number)
    assert value == number and isinstance(value, float)


@pytest.mark.parametrize("text", ["inf", "Inf", "INF", "infinite", "never", " inf "])
def test_infinite_durations(text):
    assert parse_duration(text) == math.inf


@pytest.mark.parametrize("text, unit", [("20 parsecs", "parsecs"), ("5minz", "minz"),
                                        ("5Min", "Min"), ("3hrs", "hrs"), ("2w", "w")])
def test_unknown_duration_unit_is_named_and_the_known_ones_listed(text, unit):
    with pytest.raises(UnitError) as info:
        parse_duration(text)
    message = str(info.value)
    assert repr(unit) in message and repr(text) in message
    for known in ("s", "min", "h", "d"):
        assert known in message


@pytest.mark.parametrize("value", ["10:00", "", "abc", "min", "5 5s", None, True, [5], {"s": 5}])
def test_not_a_duration(value):
    with pytest.raises(UnitError, match="expected a duration") as info:
        parse_duration(value)
    assert repr(value) in str(info.value)


def test_unit_error_is_a_value_error():
    assert issubclass(UnitError, ValueError)


# --- parse_rate -----------------------------------------------------------------------------

@pytest.mark.parametrize("base", SPELLINGS)
def test_every_spelling_of_every_rate_unit(base):
    for spelling in SPELLINGS[base]:
        assert parse_rate(f"120/{spelling}") == pytest.approx(120 / SECONDS_PER[base])


@pytest.mark.parametrize("text, per_second", [
    ("240/h", 240 / 3600), ("4/min", 4 / 60), ("0.5/s", 0.5), ("1000/d", 1000 / 86400),
    ("240 / h", 240 / 3600), (" 1e3/h", 1000 / 3600), ("0/h", 0.0),
])
def test_rates(text, per_second):
    assert parse_rate(text) == pytest.approx(per_second, rel=1e-15)


def test_same_rate_in_different_units_agrees():
    assert parse_rate("240/h") == pytest.approx(parse_rate("4/min"))
    assert parse_rate("86400/d") == pytest.approx(parse_rate("1/s"))


@pytest.mark.parametrize("value", ["240", "  240 ", 240, 4.5, None])
def test_rate_without_unit_says_the_unit_is_missing(value):
    with pytest.raises(UnitError, match="with its unit") as info:
        parse_rate(value)
    assert repr(value) in str(info.value)
    assert "/h" in str(info.value)  # shows an example of the right form


@pytest.mark.parametrize("text, unit", [("100/[h]", "[h]"), ("100/hr", "hr"), ("100/", ""),
                                        ("100/week", "week")])
def test_rate_with_unknown_unit(text, unit):
    with pytest.raises(UnitError, match="unknown time unit") as info:
        parse_rate(text)
    assert repr(unit) in str(info.value) and repr(text) in str(info.value)


@pytest.mark.parametrize("text", ["abc/h", "/h", "1 2/h"])
def test_rate_with_bad_number(text):
    with pytest.raises(UnitError, match="number before '/'") as info:
        parse_rate(text)
    assert repr(text) in str(info.value)


# --- format_duration ------------------------------------------------------------------------

@pytest.mark.parametrize("seconds, text", [
    (0, "0s"), (45, "45s"), (59.5, "59.5s"), (60, "1min"), (270, "4.5min"), (3600, "1h"),
    (7200, "2h"), (5400, "1.5h"), (172800, "48h"), (-90, "-1.5min"), (math.inf, "inf"),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize("seconds", [0.0, 1.0, 20.0, 59.0, 90.0, 270.0, 1800.0, 5400.0, 28800.0,
                                     math.inf])
def test_format_then_parse_round_trip(seconds):
    assert parse_duration(format_duration(seconds)) == pytest.approx(seconds)
