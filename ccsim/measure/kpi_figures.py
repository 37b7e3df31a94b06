"""The formulas of the KPIs: each figure from totals already taken over a selection of
intervals and contact types (or agent groups). ``kpis.py`` takes those totals with numpy over
any selection, as floats; ``interval_kpis.py`` hands in whole tables (numpy arrays, one cell
per interval and type or group) and gets every figure as a table of the same shape. Both call
the same formulas, and an array is divided cell by cell exactly as a float is, so the numbers
are the same whichever way the totals were read."""

from __future__ import annotations

import math

import numpy as np

from .stats import bin_edges

__all__ = ["PERCENTILES", "ratio", "service_levels", "contact_figures", "group_figures",
           "wait_percentiles", "figure_cells"]

PERCENTILES = (50, 80, 90, 95, 99)
_NO_WAITS = [math.nan] * len(PERCENTILES)


def ratio(numerator, denominator):
    """``numerator / denominator``, NaN where the denominator is not positive; floats or
    arrays (then cell by cell: the same division, so the same bits, as on floats)."""
    if isinstance(denominator, np.ndarray):
        out = np.full(denominator.shape, math.nan)
        np.divide(numerator, denominator, out=out, where=denominator > 0)
        return out
    return numerator / denominator if denominator > 0 else math.nan


def wait_percentiles(histogram: dict) -> list:
    """The waits at ``PERCENTILES`` of a wait histogram (NaN for an empty one): what
    ``stats.percentile`` gives for each, in one walk through the sorted bins (the ranks
    increase, so each search resumes where the last one stopped; ``tests/test_kpis_vectorised``
    checks it against ``stats.percentile``)."""
    total = sum(histogram.values()) if histogram else 0
    if total == 0:
        return _NO_WAITS
    bins = sorted(histogram)
    out, i, seen, last = [], 0, 0, len(bins)
    for p in PERCENTILES:
        rank = p / 100 * total
        while i < last:
            index = bins[i]
            count = histogram[index]
            if seen + count >= rank:
                low, high = bin_edges(index)
                out.append(low + (high - low) * max(0.0, rank - seen) / count)
                break
            seen += count
            i += 1
        else:
            out.append(bin_edges(bins[-1])[1])
    return out


def figure_cells(figures: dict) -> tuple[list, list]:
    """The names of ``figures`` and their tables stacked: ``cells[k][j]`` (or ``cells[k]`` for
    a table per interval) lists the figures of one cell, in the order of the names. A missing
    figure is ``math.nan`` itself, as the scalar formulas give it (so two KPI trees compare
    equal with ``==``, which takes a NaN as equal only to the same object)."""
    table = np.stack(list(figures.values()), axis=-1)
    cells = table.astype(object)
    cells[np.isnan(table)] = math.nan
    return list(figures), cells.tolist()


def _service_level(variants: dict, formula):
    """The variant a formula names; for a table, ``formula`` may be one formula per column."""
    if isinstance(formula, str):
        return variants[f"sl_{formula}"]
    return np.stack([variants[f"sl_{f}"][..., j] for j, f in enumerate(formula)], axis=-1)


_ratio = ratio


def service_levels(answered_within, abandoned_within, offered, answered) -> dict:
    """The four service-level variants from A_T, B_T, O and A (see ``kpis.py``)."""
    return {
        "sl_over_offered": _ratio(answered_within, offered),
        "sl_over_offered_less_early_abandons": _ratio(answered_within, offered - abandoned_within),
        "sl_early_abandons_as_met": _ratio(answered_within + abandoned_within, offered),
        "sl_over_answered": _ratio(answered_within, answered),
    }


def contact_figures(total, waits, forecast, came, missed, formula, duration: float,
                    queue_area, queue_max) -> dict:
    """The contact KPIs from ``total(counter)`` (a float or a table), the waits at
    ``PERCENTILES`` (``wait_percentiles`` of the merged wait histogram), the forecast, the new
    arrivals and their absolute difference summed interval by interval."""
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
        "service_level": _service_level(variants, formula),
        **variants,
        "abandon_rate": _ratio(abandoned, offered),
        "asa": _ratio(total("wait_answered"), answered),
        "avg_time_to_abandon": _ratio(total("wait_abandoned"), total("abandoned")),
        "aht": _ratio(talk + hold + acw, handled),
        "talk": _ratio(talk, handled),
        "hold": _ratio(hold, handled),
        "acw": _ratio(acw, handled),
        **{f"wait_p{p}": w for p, w in zip(PERCENTILES, waits)},
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


