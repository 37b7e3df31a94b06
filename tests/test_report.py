"""The HTML report: self-contained, with the same numbers as ``ccsim run --json``, and readable
by a real browser (headless Chromium, when one is installed)."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import signal
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

import ccsim
from ccsim.output import report
from ccsim.cli import main
from ccsim.study.trace import trace_replication
from test_plots import OMNI

ROOT = Path(__file__).parent.parent
BANK = ROOT / "scenarios" / "retail_bank_day.yaml"
BROKEN = ROOT / "tests" / "broken" / "distribution_negative_mean.yaml"
TINY = """
name: tiny
horizon: 2h
interval: 1h
seed: 4
replications: 2
contact_types:
  calls:
    arrivals: 30/h
    talk: {dist: exponential, mean: 3min}
agent_groups:
  team:
    headcount: 2
    skills: [calls]
"""
PNG = b"\x89PNG\r\n\x1a\n"
# charts for the bank: SL, volumes, occupancy, queue/busy, skill graph + 3 per contact type
BANK_CHARTS = 5 + 3 * 3


class _Tables(HTMLParser):
    """Every KPI cell: (table id, data-section, data-name, data-kpi) → data-value."""

    def __init__(self):
        super().__init__()
        self.table = self.row = None
        self.cells = {}
        self.images = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = attrs.get("id")
        elif tag == "tr" and "data-section" in attrs:
            self.row = (attrs["data-section"], attrs.get("data-name"))
        elif tag == "td" and "data-kpi" in attrs:
            self.cells[(self.table, *self.row, attrs["data-kpi"])] = attrs["data-value"]
        elif tag == "img":
            self.images.append(attrs["src"])


def _parse(text: str) -> _Tables:
    parser = _Tables()
    parser.feed(text)
    return parser


def _compare_with_summary(cells: dict, summary: dict) -> int:
    checked = 0
    for (_, section, name, kpi), raw in cells.items():
        node = summary
        for part in section.split("."):  # "cost.by_group": a path into the summary
            node = node[part]
        node = node if name is None else node[name]
        expected = node[kpi]["mean"]
        assert (float(raw) if raw else None) == expected, (section, name, kpi)
        checked += 1
    return checked


@pytest.fixture(scope="module")
def bank_report(tmp_path_factory):
    """The bank's report and its `run --json` document, 3 replications, seed 5."""
    out = tmp_path_factory.mktemp("report") / "bank report.html"
    runner = CliRunner()
    result = runner.invoke(main, ["report", str(BANK), "-o", str(out), "-r", "3", "--seed", "5"])
    assert result.exit_code == 0, result.output
    run = runner.invoke(main, ["run", str(BANK), "-r", "3", "--seed", "5", "--json"])
    assert run.exit_code == 0, run.output
    return out, out.read_text(encoding="utf-8"), json.loads(run.stdout)


def test_report_is_self_contained(bank_report):
    _, text, _ = bank_report
    assert text.startswith("<!DOCTYPE html>")
    assert "http://" not in text and "https://" not in text
    lowered = text.lower()
    for forbidden in ("<script", "<link", "<iframe", "@import", "url(", "<object", "<embed"):
        assert forbidden not in lowered, forbidden
    sources = re.findall(r'\bsrc="([^"]*)"', text)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)


def test_report_images_are_pngs(bank_report):
    _, text, _ = bank_report
    images = _parse(text).images
    assert len(images) == BANK_CHARTS
    for source in images:
        data = base64.b64decode(source.split(",", 1)[1], validate=True)
        assert data[:8] == PNG
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            assert image.width >= 600 and image.height >= 200


def test_report_names_every_type_and_group_and_the_run(bank_report):
    _, text, document = bank_report
    scenario = ccsim.load_scenario(BANK)
    for spec in (*scenario.contact_types, *scenario.agent_groups):
        assert f'data-name="{spec.name}"' in text
        assert f">{spec.name}<" in text
    meta = re.search(r'<dl class="meta" id="run-metadata">(.*?)</dl>', text).group(1)
    values = dict(zip(re.findall(r"<dt>(.*?)</dt>", meta),
                      map(unescape, re.findall(r"<dd>(.*?)</dd>", meta))))
    assert values["Scenario"] == scenario.name == document["scenario"]
    assert values["Scenario file"] == str(BANK)
    assert values["Scenario hash"] == scenario.digest()
    assert values["Seed"] == "5" and values["Replications"] == "3"
    assert values["Routing policy"] == "priority" and values["ccsim version"] == ccsim.__version__
    shown = unescape(re.search(r'<pre id="scenario-json">(.*?)</pre>', text, re.S).group(1))
    assert json.loads(shown) == json.loads(json.dumps(scenario.as_dict(), default=repr))


def test_report_numbers_are_those_of_run_json(bank_report):
    _, text, document = bank_report
    cells = _parse(text).cells
    tables = {key[0] for key in cells}
    assert {"kpi-contact-types", "kpi-agent-groups"} <= tables
    summary = document["summary"]
    rows = {(section, name) for _, section, name, _ in cells}
    assert rows >= {("by_type", n) for n in summary["by_type"]} | {("overall", None)}
    assert rows >= {("by_group", n) for n in summary["by_group"]}
    assert _compare_with_summary(cells, summary) >= 60
    cards = re.findall(r'class="value" data-kpi="(\w+)" data-value="([^"]*)"', text)
    assert len(cards) == 8
    for kpi, raw in cards:
        assert float(raw) == summary["overall"][kpi]["mean"]


def test_report_of_a_results_directory_reproduces_the_run(tmp_path, monkeypatch):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "tiny.yaml").write_text(TINY)
    monkeypatch.chdir(tmp_path)  # run.json records the path as given: relative to here
    runner = CliRunner()
    run = runner.invoke(main, ["run", "scenarios/tiny.yaml", "-r", "3", "--seed", "9",
                               "--policy", "priority", "--out", "results/tiny"])
    assert run.exit_code == 0, run.output
    summary = json.loads((tmp_path / "results" / "tiny" / "summary.json").read_text())["summary"]
    monkeypatch.chdir(tmp_path / "results")  # elsewhere: found from the results directory up
    made = runner.invoke(main, ["report", "tiny", "-o", "report.html"])
    assert made.exit_code == 0, made.output
    text = (tmp_path / "results" / "report.html").read_text(encoding="utf-8")
    # two KPI tables (10 + 7 cells) and the missed target's SL in the panel
    assert _compare_with_summary(_parse(text).cells, summary) == 2 * 10 + 7 + 1
    assert "<dt>Routing policy</dt><dd>priority</dd>" in text
    assert "<dt>Seed</dt><dd>9</dd>" in text and "<dt>Replications</dt><dd>3</dd>" in text


def test_report_of_a_changed_scenario_is_refused(tmp_path):
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY)
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(scenario), "--out", str(tmp_path / "r")]).exit_code == 0
    scenario.write_text(TINY.replace("headcount: 2", "headcount: 3"))
    result = runner.invoke(main, ["report", str(tmp_path / "r"), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "has changed since the run" in result.output
    assert not (tmp_path / "x.html").exists()


def test_report_errors(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(main, ["report", str(BROKEN), "-o", str(tmp_path / "x.html")])
    assert bad.exit_code == 2
    assert re.search(r"distribution_negative_mean\.yaml:\d+:\d+: ", bad.output), bad.output
    empty = runner.invoke(main, ["report", str(tmp_path), "-o", str(tmp_path / "x.html")])
    assert empty.exit_code == 2 and "not a results directory" in empty.output
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY)
    unwritable = runner.invoke(main, ["report", str(scenario), "-o",
                                      str(tmp_path / "missing" / "x.html")])
    assert unwritable.exit_code == 2 and "error: --output:" in unwritable.output
    assert "does not exist" in unwritable.output
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.glob(".*.tmp"))


def test_report_shows_turned_away_contacts_and_chats_held(monkeypatch):
    """Columns that only some centers need appear when they have something to show."""
    monkeypatch.setattr(report, "figure_data_uri", _cheap_image)  # the charts are tested above
    results = ccsim.simulate(ccsim.scenario_from_text(OMNI), replications=2, seed=3)
    text = report.render_report(results, trace_replication(results.scenario, seed=3))
    cells = _parse(text).cells
    summary = json.loads(json.dumps(results.to_dict()["summary"]))
    assert _compare_with_summary(cells, summary) >= 40
    assert float(cells[("kpi-contact-types", "by_type", "calls", "closed")]) > 0
    assert ("kpi-agent-groups", "by_group", "chat_team", "concurrency") in cells
    assert ("kpi-channels", "by_channel", "chat", "closed") in cells
    plain = _parse(report.render_report(ccsim.simulate(ccsim.scenario_from_text(TINY), 2)))
    assert not [key for key in plain.cells if key[3] in ("closed", "blocked", "concurrency")]


def _cheap_image(figure, dpi=100):
    import matplotlib.pyplot as plt

    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(PNG).decode("ascii")


# --- a real browser ---------------------------------------------------------------------

def _browser():
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _headless(browser, tmp_path, *arguments, timeout=120) -> subprocess.CompletedProcess:
    """Run the browser headless, offline, in its own process group (killed on timeout)."""
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-extensions", "--hide-scrollbars",
               f"--user-data-dir={profile}", *arguments]
    environment = dict(os.environ, HOME=str(tmp_path))
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"{browser} did not finish within {timeout} s")
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # helpers it may have left behind
        except ProcessLookupError:
            pass
    return subprocess.CompletedProcess(command, process.returncode, stdout.decode(errors="replace"),
                                       stderr.decode(errors="replace"))


@pytest.mark.skipif(_browser() is None, reason="no headless browser: install Chromium "
                    "(Debian/Ubuntu: apt-get install -y chromium) to check the report renders")
def test_report_renders_in_headless_chromium(bank_report, tmp_path):
    path, _, _ = bank_report
    browser = _browser()
    dom = _headless(browser, tmp_path, "--dump-dom", path.resolve().as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'id="kpi-contact-types"' in dom.stdout and 'id="kpi-agent-groups"' in dom.stdout
    assert dom.stdout.count('<img src="data:image/png;base64,') == BANK_CHARTS
    assert _compare_with_summary(_parse(dom.stdout).cells, bank_report[2]["summary"]) >= 60
    shot = tmp_path / "screenshot.png"
    taken = _headless(browser, tmp_path, f"--screenshot={shot}", "--window-size=1200,1800",
                      path.resolve().as_uri())
    assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == PNG
    with Image.open(shot) as image:
        pixels = image.convert("L")
        assert pixels.size == (1200, 1800)
        histogram = pixels.histogram()
    dark = sum(histogram[:128]) / sum(histogram)
    assert 0.01 < dark < 0.6, f"screenshot looks blank or broken ({dark:.1%} dark pixels)"
    assert sum(1 for count in histogram if count) > 50  # text, tables and charts: many greys


def test_report_shows_the_workforce_figures_of_shift_groups(monkeypatch):
    monkeypatch.setattr(report, "figure_data_uri", _cheap_image)
    scenario = ccsim.load_scenario(Path(__file__).parent.parent / "scenarios" /
                                   "workforce_day.yaml")
    results = ccsim.simulate(scenario, replications=2, seed=3)
    cells = _parse(report.render_report(results, trace_replication(scenario, seed=3))).cells
    summary = json.loads(json.dumps(results.to_dict()["summary"]))
    assert _compare_with_summary(cells, summary) >= 20
    for kpi in ("mean_scheduled", "shrinkage", "adherence"):
        assert ("kpi-agent-groups", "by_group", "service", kpi) in cells


OPTIONAL_TABLES = {"kpi-journeys", "kpi-callbacks", "kpi-ivr", "kpi-trunks", "kpi-forecast"}


def test_report_shows_journeys_ivr_trunks_and_forecast_with_the_numbers_of_run(monkeypatch):
    """Every section `ccsim run` shows for a center with journeys, an IVR, trunk lines and
    forecast error is in the report too, each number the mean of the KPI dict."""
    monkeypatch.setattr(report, "figure_data_uri", _cheap_image)
    scenario = ccsim.load_scenario(ROOT / "tests" / "journeys_center.yaml")
    results = ccsim.simulate(scenario, replications=2, seed=4)
    cells = _parse(report.render_report(results)).cells
    summary = json.loads(json.dumps(results.to_dict()["summary"]))
    assert OPTIONAL_TABLES <= {key[0] for key in cells}
    checked = _compare_with_summary({k: v for k, v in cells.items() if k[0] in OPTIONAL_TABLES},
                                    summary)
    assert checked >= 3 * 7 + 5 + 9 + 1 + 3 * 3
    shown = {(table, kpi) for table, _, _, kpi in cells}
    for table, kpi in (("kpi-journeys", "attempts"), ("kpi-journeys", "unique_customers"),
                       ("kpi-journeys", "redials"), ("kpi-journeys", "fcr"),
                       ("kpi-journeys", "repeat_contacts"), ("kpi-journeys", "transfers_out"),
                       ("kpi-journeys", "transfers_in"), ("kpi-callbacks", "callbacks_accepted"),
                       ("kpi-callbacks", "callback_sl"), ("kpi-ivr", "containment"),
                       ("kpi-ivr", "port_occupancy"), ("kpi-trunks", "trunk_occupancy"),
                       ("kpi-forecast", "forecast_accuracy")):
        assert (table, kpi) in shown
    attempts = float(cells[("kpi-journeys", "overall", None, "attempts")])
    assert attempts >= float(cells[("kpi-journeys", "overall", None, "unique_customers")])


def test_report_leaves_out_the_sections_a_center_does_not_use(bank_report):
    _, text, _ = bank_report
    assert not OPTIONAL_TABLES & {key[0] for key in _parse(text).cells}
    assert "Journeys" not in text and "Callbacks" not in text and "Trunks" not in text


# --- story first: the targets missed, red/green cells, scenario tables, a week ----------------

OMNI_WEEK = ROOT / "scenarios" / "omnichannel_bank.yaml"


@pytest.fixture(scope="module")
def week_report(tmp_path_factory):
    """The omnichannel week's report (2 replications) through the command line, and its
    Results simulated again in-process (same scenario and seed: the same numbers)."""
    out = tmp_path_factory.mktemp("week") / "week.html"
    result = CliRunner().invoke(main, ["report", str(OMNI_WEEK), "-o", str(out), "-r", "2"])
    assert result.exit_code == 0, result.output
    results = ccsim.simulate(ccsim.load_scenario(OMNI_WEEK), replications=2)
    return out, out.read_text(encoding="utf-8"), results


def _section_ids(text: str) -> list[str]:
    """Ids of the page's top-level blocks in order: sections, h2 headings, tables, figures."""
    body = text[text.index("<main>"):]
    return re.findall(r'<(?:section|h2|table|figure)\b[^>]*\bid="([^"]+)"', body)


def _independent_misses(results, name, target):
    """Intervals after the warm-up whose mean SL over the replications that had arrivals in
    them is below target, from the replications' own interval KPIs (not Results.intervals)."""
    missed = []
    for k in range(results.scenario.n_intervals):
        levels = [rep["intervals"][k]["by_type"][name]["service_level"] for rep in
                  results.replications]
        levels = [level for level in levels if level == level]  # NaN: nobody arrived
        if results.replications[0]["intervals"][k]["warmup"] or not levels:
            continue
        if sum(levels) / len(levels) < target - 1e-12:
            missed.append(k)
    return missed


def test_week_report_opens_with_the_targets_missed(week_report):
    _, text, results = week_report
    ids = _section_ids(text)
    assert ids[0] == "targets-missed", ids[:5]
    h1 = text.index("<h1>")
    panel = text.index('<section id="targets-missed"')
    assert h1 < panel and "<h2" not in text[h1:panel] and "<table" not in text[h1:panel]
    # averages come after the interval story
    assert ids.index("targets-missed") < ids.index("sl-by-interval") < ids.index("summary")
    assert max(ids.index(f"chart-sl-{t.name.replace('_', '-')}")
               for t in results.scenario.contact_types) < ids.index("summary")
    panel_text = text[panel:text.index("</section>", panel)]
    for t in results.scenario.contact_types:
        missed = _independent_misses(results, t.name, t.service_level.target)
        shown = re.search(rf'data-name="{t.name}".*?data-missed="(\d+)"', panel_text)
        if missed:
            assert shown and int(shown.group(1)) == len(missed), t.name
        else:
            assert shown is None, t.name
    # each listed stretch: clock times with weekday and date, its worst SL below target
    items = re.findall(r'<li data-first="(\d+)" data-last="(\d+)" data-value="([^"]+)">'
                       r'([^<]*)</li>', panel_text)
    assert items
    for first, last, value, label in items:
        assert re.match(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ Nov \d\d:\d\d–", label), label
        assert "points below" in label and int(first) <= int(last)


def test_sl_cells_are_red_or_green_against_their_target(week_report):
    _, text, results = week_report
    summary = results.summary()
    types_table = text[text.index('id="kpi-contact-types"'):]
    types_table = types_table[:types_table.index("</table>")]
    for t in results.scenario.contact_types:
        cell = re.search(rf'data-name="{t.name}">.*?<td class="num (meet|miss)" '
                         rf'data-kpi="service_level" data-value="([^"]+)"', types_table)
        assert cell, t.name
        mean = summary["by_type"][t.name]["service_level"]["mean"]
        assert float(cell.group(2)) == mean
        assert cell.group(1) == ("meet" if mean >= t.service_level.target else "miss")
    # the grids: one table per type (a week), a row per day, cells coloured by their mean
    rows = {(r["contact_type"], r["interval"]): r for r in results.intervals()}
    for t in results.scenario.contact_types:
        grid = re.search(rf'<table class="grid" id="sl-grid-{t.name}">(.*?)</table>', text, re.S)
        assert grid and grid.group(1).split("<tbody>")[1].count("<tr>") == 7  # Mon..Sun
        for mark, k, value in re.findall(r'<td class="(meet|miss)" data-interval="(\d+)" '
                                         r'data-value="([^"]+)"', grid.group(1)):
            level = rows[(t.name, int(k))]["service_level"]
            assert float(value) == level
            assert mark == ("meet" if level >= t.service_level.target else "miss")


def test_week_report_has_omnichannel_sections_and_scenario_tables(week_report):
    _, text, results = week_report
    ids = _section_ids(text)
    for table in ("kpi-channels", "kpi-journeys", "kpi-callbacks", "kpi-ivr", "kpi-trunks",
                  "scenario-frame", "scenario-types", "scenario-groups", "scenario-hours"):
        assert table in ids, table
    scenario = results.scenario
    for t in scenario.contact_types:
        assert f"<td>{t.name}</td>" in text[text.index('id="scenario-types"'):]
    hours = text[text.index('id="scenario-hours"'):]
    hours = hours[:hours.index("</table>")]
    assert "mon–fri 08:00–20:00" in hours and "2026-11-27 08:00–14:00" in hours
    # the raw JSON is folded away at the end, and small beside the rest of the text
    assert re.search(r'<details id="scenario-details"><summary>.*?<pre id="scenario-json">',
                     text, re.S)
    assert ids[-1] == "scenario-groups" or text.rindex("<details") > text.rindex("<figure")
    words = re.sub(r'src="[^"]*"', "", text)
    json_part = re.search(r'<pre id="scenario-json">.*?</pre>', words, re.S).group(0)
    assert len(json_part) < 0.25 * len(words)
    # the week's skills are drawn as a matrix (too many nodes for a readable network)
    assert 'alt="Skills matrix' in text


@pytest.mark.skipif(_browser() is None, reason="no headless browser: install Chromium "
                    "(Debian/Ubuntu: apt-get install -y chromium) to check the report renders")
def test_week_report_first_screen_in_headless_chromium(week_report, tmp_path):
    """What a browser shows first: the targets-missed panel right under the title."""
    path, _, _ = week_report
    browser = _browser()
    dom = _headless(browser, tmp_path, "--dump-dom", path.resolve().as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    ids = _section_ids(dom.stdout)
    assert ids[0] == "targets-missed" and "sl-by-interval" in ids
    shot = tmp_path / "first-screen.png"
    taken = _headless(browser, tmp_path, f"--screenshot={shot}", "--window-size=1280,900",
                      path.resolve().as_uri())
    assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        assert rgb.size == (1280, 900)
        colours = rgb.getcolors(1280 * 900)
    # the panel's red frame and red cells are on the first screen
    red = sum(n for n, (r, g, b) in colours if r > 150 and g < 90 and b < 90)
    pinkish = sum(n for n, (r, g, b) in colours if (r, g, b) == (0xfd, 0xe0, 0xdc))
    assert red > 500 and pinkish > 2000, (red, pinkish)
