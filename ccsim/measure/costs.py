"""Cost and value of one replication: what the staffing plan and the lines cost, what the
contacts handled earn and what the contacts lost put at risk (the "strategic value" family of
contact-center metrics).

Everything is computed from the interval sums of the replication over the reported window (the
intervals after the warm-up), like every other KPI, so it gets a mean and a confidence interval
over replications. Money is in the scenario's one currency (``costs.currency``, a label).

- **Paid hours** of a group are its scheduled agent time: a planned agent is paid whether busy,
  idle or absent.
- **Overtime hours** are agent time worked past the agent's scheduled log-off: the end of its
  shift, or for a headcount group the interval boundary where the plan let it go while it still
  held contacts (until it logs out, or the plan takes it back). A break or other activity delayed
  by a contact moves no log-off, so it makes no overtime; an early log-out (adherence) does not
  move the scheduled one either. Booked to the intervals the overtime falls in and paid at
  ``overtime_factor`` times the group's rate. The drain after the horizon (``end: drain``) is
  not in the window, so the agents working off the last queue are not costed.
- **Trunk and IVR cost** is capacity × hours of the window × the hourly rate, whether the lines
  and ports are used or not.
- **Revenue at risk** is the value of the contacts abandoned (short abandons left out, as in
  every KPI), blocked (no waiting place or no line) or turned away (channel closed), counted
  per contact: a caller who abandons and redials successfully is counted at risk once and
  handled once. **Revenue handled** is the value of the contacts handled.
"""

from __future__ import annotations

import math

__all__ = ["cost_kpis", "has_cost_section", "GROUP_COST_KPIS", "TYPE_VALUE_KPIS"]

GROUP_COST_KPIS = ("paid_hours", "overtime_hours", "agent_cost")
TYPE_VALUE_KPIS = ("contacts_lost", "revenue_handled", "revenue_at_risk")


def has_cost_section(scenario) -> bool:
    """Whether replications report cost and value: costs are given or some contact has a value."""
    return scenario.costs is not None or any(t.value for t in scenario.contact_types)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def cost_kpis(data: dict, scenario, rows: slice, by_type: dict, overall: dict) -> dict:
    """``{"overall": {...}, "by_group": {group: {...}}, "by_type": {type: {...}}}`` for the
    interval ``rows`` of one replication; ``by_type`` and ``overall`` are its contact KPIs over
    the same rows (their counts of handled, abandoned, blocked and turned-away contacts).
    Without ``costs`` in the scenario only the value of contacts is reported."""
    result = {"overall": {}, "by_type": {}}
    for spec in scenario.contact_types:
        kpis = by_type[spec.name]
        lost = kpis["abandoned"] + kpis["blocked"] + kpis["closed"]
        result["by_type"][spec.name] = {"contacts_lost": lost,
                                        "revenue_handled": spec.value * kpis["handled"],
                                        "revenue_at_risk": spec.value * lost}
    costs = scenario.costs
    if costs is not None:
        scheduled = data["group.scheduled_area"][rows]
        overtime = data["group.overtime_area"][rows].sum(axis=0) / 3600.0
        paid = scheduled.sum(axis=0) / 3600.0
        result["by_group"] = {}
        for g, spec in enumerate(scenario.agent_groups):
            rate = costs.agent_rate(spec.name)
            result["by_group"][spec.name] = {
                "paid_hours": float(paid[g]), "overtime_hours": float(overtime[g]),
                "agent_cost": float(rate * (paid[g] + costs.overtime_factor * overtime[g]))}
        hours = (scenario.horizon - scenario.warmup) / 3600.0
        trunk_cost = (scenario.trunks * hours * costs.trunk_line_hour
                      if costs.trunk_line_hour else 0.0)
        ivr_cost = (scenario.ivr.ports * hours * costs.ivr_port_hour
                    if costs.ivr_port_hour else 0.0)
        groups = result["by_group"].values()
        agent_cost = sum(g["agent_cost"] for g in groups)
        total = agent_cost + trunk_cost + ivr_cost
        result["overall"] = {
            "paid_hours": sum(g["paid_hours"] for g in groups),
            "overtime_hours": sum(g["overtime_hours"] for g in groups),
            "agent_cost": agent_cost, "trunk_cost": trunk_cost, "ivr_cost": ivr_cost,
            "total_cost": total,
            "cost_per_handled": _ratio(total, overall["handled"]),
            "cost_per_offered": _ratio(total, overall["offered"]),
        }
    values = result["by_type"].values()
    result["overall"].update({key: sum(v[key] for v in values) for key in TYPE_VALUE_KPIS})
    return result
