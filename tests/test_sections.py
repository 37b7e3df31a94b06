"""The optional sections of ``ccsim run`` (journeys, callbacks, IVR, trunks, forecast): shown
only when the scenario uses them, on one basis, with the numbers of ``run --json``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.study.experiment import run_replication
from ccsim.output.tables import _fmt

ROOT = Path(__file__).parent.parent
BANK = str(ROOT / "scenarios" / "retail_bank_day.yaml")
JOURNEYS = str(ROOT / "tests" / "journeys_center.yaml")


def _run(*args):
    result = CliRunner().invoke(main, ["run", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def _table(text: str, title: str) -> dict:
    """The body rows of the rich table titled ``title``: label → cells."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    start = next(i for i in range(start, len(lines)) if lines[i].startswith("├"))
    rows = {}
    for line in lines[start + 1:]:
        if not line.startswith("│"):
            break
        cells = [c.strip() for c in line.strip("│").split("│")]
        rows[cells[0]] = cells[1:]
    return rows


def test_a_center_without_journeys_shows_no_journey_section():
    text = _run(BANK, "-r", "2")
    assert "Contacts" in text and "Agent groups" in text
    for title in ("Journeys", "Callbacks", "IVR", "Trunks", "Forecast accuracy"):
        assert not re.search(rf"^{title}\b", text, re.M), title


def test_journeys_count_attempts_and_customers_on_one_basis():
    """Attempts are every arrival, first contacts among them the customers: attempts ≥
    customers, and attempts = first contacts + follow-ups of every origin, recounted from the
    replication's own counters."""
    scenario = ccsim.load_scenario(JOURNEYS)
    for replication in range(2):
        kpis, sums = run_replication(scenario, seed=11, replication=replication)
        for t, spec in enumerate(scenario.contact_types):
            mine = kpis["by_type"][spec.name]
            # the summary window: row n of the sums holds what arrived after the horizon
            came = sum(sums[f"type.{c}"][:scenario.n_intervals, t].sum() for c in (
                "unique", "redial_arrivals", "repeat_arrivals", "transfer_arrivals",
                "callback_retries"))
            assert mine["attempts"] == came == mine["offered"] + mine["short_abandoned"]
            assert mine["attempts"] >= mine["unique_customers"]
        assert kpis["overall"]["attempts"] > kpis["overall"]["unique_customers"]


def test_the_terminal_sections_show_the_numbers_of_run_json():
    text = _run(JOURNEYS, "-r", "2", "--seed", "4")
    summary = json.loads(_run(JOURNEYS, "-r", "2", "--seed", "4", "--json"))["summary"]
    journeys = _table(text, "Journeys")
    assert set(journeys) == {"calls", "chats", "all"}
    for name, cells in journeys.items():
        kpis = summary["overall"] if name == "all" else summary["by_type"][name]
        assert cells[:2] == [_fmt(kpis["attempts"], "count"),
                             _fmt(kpis["unique_customers"], "count")]
        attempts, customers = (float(c.replace(",", "")) for c in cells[:2])
        assert attempts >= customers
        assert cells[3] == _fmt(kpis["fcr"], "pct")
    callbacks = _table(text, "Callbacks")
    assert set(callbacks) == {"calls"}  # the one type that offers callbacks
    calls = summary["by_type"]["calls"]
    assert callbacks["calls"] == [_fmt(calls[k], kind) for k, kind in (
        ("callbacks_offered", "count"), ("callbacks_accepted", "count"),
        ("callbacks_completed", "count"), ("callbacks_failed", "count"), ("callback_sl", "pct"))]
    ivr = summary["ivr"]
    assert (f"Containment {_fmt(ivr['containment'], 'pct')}, Mean time "
            f"{_fmt(ivr['mean_time'], 'sec')}, Port occupancy "
            f"{_fmt(ivr['port_occupancy'], 'pct')}") in text.replace("\n", " ").replace("  ", " ")
    assert (f"Trunks (20 lines): Occupancy {_fmt(summary['overall']['trunk_occupancy'], 'pct')}"
            in text)
    forecast = _table(text, "Forecast accuracy")
    assert forecast["chats"][2] == _fmt(summary["by_type"]["chats"]["forecast_accuracy"], "pct")
