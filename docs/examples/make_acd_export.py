"""Write ``acd_export.csv``: a synthetic ACD interval export (one weekday, three queues, 30-minute
intervals from midnight to midnight, open 08:00-20:00) in the columns of ccsim's own import preset (docs/import-intervals.md).

The numbers are invented, not taken from any center: Poisson arrivals around a two-peak day,
and per interval the waits, abandons and handle-time sums that Erlang A gives for the staffing
a planner might have had. Run ``python docs/examples/make_acd_export.py`` to write it again
(same seed, same file).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from ccsim import theory

QUEUES = {  # name: (channel, calls per hour at the peak, talk s, hold s, acw s, patience s)
    "accounts": ("phone", 220, 240, 20, 45, 180),
    "cards": ("phone", 130, 300, 35, 60, 150),
    "webchat": ("chat", 60, 420, 0, 30, 240),
}
INTERVAL = 1800


def shape(hour: float) -> float:
    """Relative demand: a morning and an afternoon peak."""
    return 0.35 + 0.65 * math.exp(-((hour - 10.5) / 1.5) ** 2) \
        + 0.5 * math.exp(-((hour - 15.0) / 1.8) ** 2)


def main(path: Path) -> None:
    rng = np.random.default_rng(20260302)
    fields = ["interval_start", "queue", "channel", "offered", "handled", "abandoned",
              "talk_s", "hold_s", "acw_s", "wait_answered_s", "wait_abandoned_s",
              "answered_within_sl", "sl_threshold_s"]
    rows = []
    for k in range(48):
        hour = k / 2
        for name, (channel, peak, talk, hold, acw, patience) in QUEUES.items():
            is_open = 8 <= hour < 20
            offered = int(rng.poisson(peak * shape(hour) / 2)) if is_open else 0
            aht = talk + hold + acw
            rate = offered / INTERVAL
            agents = max(1, math.ceil(rate * aht * 0.95 + 1))  # a little short at the peaks
            model = theory.erlang_a(agents, max(rate, 1e-9), aht, patience)
            abandoned = int(rng.binomial(offered, model.p_abandon))
            handled = offered - abandoned
            within = min(handled, int(round(offered * model.service_level(20))))
            noise = lambda mean: float(mean * handled * rng.uniform(0.93, 1.07))  # noqa: E731
            rows.append({
                "interval_start": f"2026-03-02 {int(hour):02d}:{'30' if k % 2 else '00'}",
                "queue": name, "channel": channel, "offered": offered, "handled": handled,
                "abandoned": abandoned, "talk_s": round(noise(talk)),
                "hold_s": round(noise(hold)), "acw_s": round(noise(acw)),
                "wait_answered_s": round(noise(model.asa)),
                "wait_abandoned_s": round(abandoned * min(patience, 2 * model.asa + 10)),
                "answered_within_sl": within, "sl_threshold_s": 20})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main(Path(__file__).with_name("acd_export.csv"))
