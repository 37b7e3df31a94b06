"""The averages of the report: run metadata, headline cards, KPI tables by contact type, agent
group (with the workforce figures of shift groups), segment and channel, the omnichannel
sections shared with ``ccsim run`` (``sections.py``), and cost and value."""

from __future__ import annotations

from ..units import format_duration
from .chart_axes import moment
from .report_html import esc, raw, shown, table
from .run_files import run_metadata
from .sections import optional_sections

__all__ = ["metadata", "cards", "kpi_tables", "cost_section", "CONTACT_COLUMNS", "GROUP_COLUMNS"]

CONTACT_COLUMNS = (("offered", "Offered", "count"), ("answered", "Answered", "count"),
                   ("abandoned", "Abandoned", "count"), ("service_level", "Service level", "pct"),
                   ("asa", "ASA", "sec"), ("abandon_rate", "Abandon rate", "pct"),
                   ("p_wait", "P(wait)", "pct"), ("aht", "AHT", "sec"),
                   ("wait_p90", "Wait p90", "sec"), ("mean_queue", "Mean queue", "num"))
GROUP_COLUMNS = (("mean_staffed", "Mean staffed", "num"), ("mean_busy", "Mean busy", "num"),
                 ("answered", "Answered", "count"), ("handled", "Handled", "count"),
                 ("aht", "AHT", "sec"), ("occupancy", "Occupancy", "pct"),
                 ("utilisation", "Utilisation", "pct"))
# shown only when some row has a value other than 0 (queue capacities, opening hours, chats)
OPTIONAL = {"blocked": ("Blocked", "count"), "closed": ("Turned away (closed)", "count"),
            "concurrency": ("Contacts held per agent", "num"),
            "mean_scheduled": ("Paid agents", "num"), "shrinkage": ("Shrinkage", "pct"),
            "adherence": ("Adherence", "pct")}
HEADLINE = (("service_level", "Service level", "pct"), ("asa", "ASA", "sec"),
            ("abandon_rate", "Abandoned", "pct"), ("wait_p90", "Wait p90", "sec"),
            ("aht", "AHT", "sec"), ("offered", "Offered", "count"),
            ("answered", "Answered", "count"), ("group_occupancy", "Occupancy", "pct"))
COST_COLUMNS = (("agent_cost", "Agents", "num"), ("trunk_cost", "Trunk lines", "num"),
                ("ivr_cost", "IVR ports", "num"), ("total_cost", "Total cost", "num"),
                ("cost_per_handled", "Per handled contact", "num"),
                ("cost_per_offered", "Per offered contact", "num"))
GROUP_COST_COLUMNS = (("paid_hours", "Paid hours", "num"),
                      ("overtime_hours", "Overtime hours", "num"), ("agent_cost", "Agent cost", "num"))
VALUE_COLUMNS = (("contacts_lost", "Contacts lost", "count"),
                 ("revenue_handled", "Revenue handled", "num"),
                 ("revenue_at_risk", "Revenue at risk", "num"))


def _with_optional(columns, rows, names) -> tuple:
    """``columns`` and, after the counts, those of ``names`` that some row has a non-zero value of."""
    from .report_html import defined

    extra = [(kpi, *OPTIONAL[kpi]) for kpi in names
             if any(defined(kpis.get(kpi, {}).get("mean")) and kpis[kpi]["mean"] != 0
                    for _, _, _, kpis in rows)]
    counts = [c for c in columns if c[2] == "count"]
    return (*counts, *extra, *(c for c in columns if c[2] != "count"))


def metadata(results) -> str:
    meta = run_metadata(results)
    scenario = results.scenario
    end = scenario.start + scenario.horizon
    items = [("Scenario", meta["scenario"]), ("Scenario file", meta["scenario_file"]),
             ("Scenario hash", meta["scenario_hash"]), ("Seed", str(meta["seed"])),
             ("Replications", str(meta["replications"])), ("Routing policy", meta["policy"]),
             ("ccsim version", meta["ccsim_version"]),
             ("Horizon", f"{moment(scenario.start, scenario)}–{moment(end, scenario)} "
                         f"in intervals of {format_duration(scenario.interval)}"),
             ("Summary window", f"{moment(scenario.start + scenario.warmup, scenario)}–"
                                f"{moment(end, scenario)} (warm-up "
                                f"{format_duration(scenario.warmup) if scenario.warmup else 'none'})")]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items)
    return f'<dl class="meta" id="run-metadata">{rows}</dl>'


def cards(summary: dict) -> str:
    out = []
    for kpi, label, kind in HEADLINE:
        estimate = summary["overall"][kpi]
        mean, half = shown(estimate, kind)
        out.append(f'<div class="card"><div class="label">{esc(label)}</div>'
                   f'<div class="value" data-kpi="{kpi}" data-value="{raw(estimate["mean"])}">'
                   f'{esc(mean)}</div><div class="ci">{esc(half)}</div></div>')
    return f'<div class="cards" id="summary-cards">{"".join(out)}</div>'


def kpi_tables(summary, scenario) -> list[str]:
    """Contact types (SL cells green or red against each type's target), agent groups (with
    paid agents, shrinkage and adherence when shifts or absence plan them), segments, channels,
    then journeys, callbacks, IVR, trunks and forecast accuracy when the scenario uses them."""
    targets = {t.name: t.service_level.target for t in scenario.contact_types}
    labels = {t.name: f"{t.service_level.target:.0%} in "
                      f"{format_duration(t.service_level.threshold)}" for t in scenario.contact_types}
    type_rows = [("by_type", name, name, kpis) for name, kpis in summary["by_type"].items()]
    type_rows.append(("overall", None, "all", summary["overall"]))
    group_rows = [("by_group", n, n, k) for n, k in summary["by_group"].items()]
    workforce = any(g.shifts or g.absence for g in scenario.agent_groups)
    parts = [
        table("kpi-contact-types", "Contacts by type", "Contact type", type_rows,
              _with_optional(CONTACT_COLUMNS, type_rows, ("blocked", "closed")),
              extra=("SL target", labels), targets=targets),
        table("kpi-agent-groups", "Agent groups" + (" and workforce" if workforce else ""),
              "Agent group", group_rows, _with_optional(GROUP_COLUMNS, group_rows, (
                  *(("concurrency",) if any(g.concurrency > 1 for g in scenario.agent_groups)
                    else ()),
                  *(("mean_scheduled", "shrinkage", "adherence") if workforce else ()))))]
    if workforce:
        parts.append('<p class="note">Paid agents: mean agents paid (paid activities '
                     "included). Shrinkage: 1 − staffed ÷ paid agent-time (planned activities and "
                     "unplanned absence together). Adherence: staffed time within the plan ÷ "
                     "time planned on the phones, interval by interval.</p>")
    for section, heading in (("by_segment", "segment"), ("by_channel", "channel")):
        if len(summary[section]) > 1:
            rows = [(section, n, n, k) for n, k in summary[section].items()]
            parts.append(table(f"kpi-{heading}s", f"Contacts by {heading}", heading.capitalize(),
                               rows, _with_optional(CONTACT_COLUMNS, rows, ("blocked", "closed"))))
    used = optional_sections(summary, scenario)
    if used:
        parts.append('<h3 id="omnichannel">Journeys, IVR and trunks</h3>')
    for section in used:
        parts += [table(f"kpi-{section.key}", section.title, section.first or section.title,
                        section.rows, section.columns),
                  f'<p class="note">{esc(section.note)}</p>']
    end = summary["overall"]
    waiting, serving = end["waiting_at_end"]["mean"] or 0, end["in_service_at_end"]["mean"] or 0
    if waiting or serving:
        parts.append(f'<p class="note">At the end: {waiting:.1f} contacts still waiting, '
                     f"{serving:.1f} in service (mean per replication).</p>")
    parts.append('<p class="note">Counts are per replication over the summary window. '
                 "Service level uses each type's own formula and threshold. Percentiles of "
                 "waits are of answered contacts.</p>")
    return parts


def cost_section(cost: dict, costs) -> list[str]:
    """What the plan costs (in total and per agent group) and what the contacts are worth (per
    contact type); rows of a group or a type carry ``data-section="cost.by_group"`` (a path)."""
    unit = f" ({costs.currency})" if costs is not None and costs.currency else ""
    overall = ("cost", "overall", "all", cost["overall"])
    parts = ['<h2 id="cost">Cost and value</h2>']
    if costs is not None:
        parts += [f'<p class="note">Over the summary window, per replication. Paid hours are the '
                  f"scheduled agent time; overtime is agent time logged in beyond the plan (agents "
                  f"finishing a contact after their log-off), paid at {costs.overtime_factor:g} × "
                  "the group's rate. Trunk lines and IVR ports are paid for the whole window.</p>",
                  table("kpi-cost", f"Cost{unit}", "", [overall], COST_COLUMNS),
                  table("kpi-cost-groups", f"Agent cost by group{unit}", "Agent group",
                        [("cost.by_group", n, n, k) for n, k in cost["by_group"].items()]
                        + [overall], GROUP_COST_COLUMNS)]
    rows = [("cost.by_type", n, n, k) for n, k in cost["by_type"].items()] + [overall]
    parts += [table("kpi-value", f"Value of contacts by type{unit}", "Contact type", rows,
                    VALUE_COLUMNS),
              '<p class="note">Revenue handled is the value of the contacts handled; revenue at '
              "risk that of the contacts lost: abandoned (short abandons left out), blocked or "
              "turned away while closed.</p>"]
    return parts
