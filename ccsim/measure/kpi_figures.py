"""The formulas of the KPIs: each figure from totals already taken over a selection of
intervals and contact types (or agent groups). ``kpis.py`` takes those totals with numpy over
any selection; ``interval_kpis.py`` reads them cell by cell for the per-interval figures. Both
call the same formulas, so the numbers are the same whichever way the totals were read."""

from __future__ import annotations

import math

from .stats import percentile

__all__ = ["PERCENTILES", "ratio", "service_levels", "contact_figures", "group_figures"]

PERCENTILES = (50, 80, 90, 95, 99)


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


_ratio = ratio


def service_levels(answered_within, abandoned_within, offered, answered) -> dict:
    """The four service-level variants from A_T, B_T, O and A (see ``kpis.py``)."""
    return {
        "sl_over_offered": _ratio(answered_within, offered),
        "sl_over_offered_less_early_abandons": _ratio(answered_within, offered - abandoned_within),
        "sl_early_abandons_as_met": _ratio(answered_within + abandoned_within, offered),
        "sl_over_answered": _ratio(answered_within, answered),
    }


def contact_figures(total, histogram: dict, forecast: float, came: float, missed: float,
                    formula: str, duration: float, queue_area: float, queue_max: float) -> dict:
    """The contact KPIs from ``total(counter)`` (a float), the merged wait histogram, the
    forecast, the new arrivals and their absolute difference summed interval by interval."""
    offered = total("offered") - total("short_abandoned")
    answered, answered_within = total("answered"), total("answered_within")
    abandoned = total("abandoned") - total("short_abandoned")
    abandoned_within = total("abandoned_within")
    handled = total("handled")
    variants = service_levels(answered_within, abandoned_within, offered, answered)
    talk, hold, acw = total("talk"), total("hold"), total("acw")
    return {
        "forecast": forecast,
        "forecast_error": _ratio(came, forecast) - 1.0,
        "forecast_accuracy": 1.0 - _ratio(missed, forecast),
        "offered": offered,
        "answered": answered,
        "abandoned": abandoned,
        "short_abandoned": total("short_abandoned"),
        "blocked": total("blocked"),
        "closed": total("closed"),
        "handled": handled,
        "waiting_at_end": total("waiting_at_end"),
        "in_service_at_end": total("in_service_at_end"),
        "p_wait": _ratio(offered - total("answered_immediately") - total("blocked"), offered),
        "block_rate": _ratio(total("blocked"), offered),
        "service_level": variants[f"sl_{formula}"],
        **variants,
        "abandon_rate": _ratio(abandoned, offered),
        "asa": _ratio(total("wait_answered"), answered),
        "avg_time_to_abandon": _ratio(total("wait_abandoned"), total("abandoned")),
        "aht": _ratio(talk + hold + acw, handled),
        "talk": _ratio(talk, handled),
        "hold": _ratio(hold, handled),
        "acw": _ratio(acw, handled),
        **{f"wait_p{p}": percentile(histogram, p / 100) for p in PERCENTILES},
        "mean_queue": _ratio(queue_area, duration),
        "max_queue": queue_max,
        # every arrival, first contacts and follow-ups, short abandons included: the same
        # basis as unique_customers, so attempts >= unique_customers
        "attempts": total("offered"),
        "unique_customers": total("unique"),
        "redials": total("redial_arrivals"),
        "repeat_contacts": total("repeat_arrivals"),
        "transfers_in": total("transfer_arrivals"),
        "transfers_out": total("transferred"),
        "fcr": _ratio(total("resolved"), total("resolved") + total("unresolved")),
        "callbacks_offered": total("callback_offered"),
        "callbacks_accepted": total("callback_accepted"),
        "callbacks_completed": total("callback_reached"),
        "callbacks_failed": total("callback_failed"),
        "callback_sl": _ratio(total("callback_within"), total("callback_accepted")),
        "mean_ivr_time": _ratio(total("ivr_time"), total("unique")),
        "beyond_horizon": total("beyond_horizon"),
    }




def group_figures(total, weighted, on_plan: float, duration: float) -> dict:
    """The agent-group KPIs from ``total(counter)``, ``weighted(counter)`` (the counter summed
    with each group's capacity as weight) and the staffed time within plan."""
    busy, staffed = total("busy_area"), total("staffed_area")
    handled = total("handled")
    scheduled, planned = total("scheduled_area"), total("planned_area")
    return {
        "answered": total("answered"),
        "handled": handled,
        "aht": _ratio(total("handle_time"), handled),
        "occupancy": _ratio(busy, weighted("staffed_area")),
        "utilisation": _ratio(busy, weighted("scheduled_area")),
        "concurrency": _ratio(busy, staffed),
        "mean_staffed": _ratio(staffed, duration),
        "mean_busy": _ratio(busy, duration),
        "mean_scheduled": _ratio(scheduled, duration),  # paid, activities included
        "mean_planned": _ratio(planned, duration),  # planned on the phones
        "shrinkage": 1.0 - _ratio(staffed, scheduled),  # planned and unplanned together
        "adherence": _ratio(on_plan, planned),
    }


