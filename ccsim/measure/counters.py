"""The counters ``Statistics`` keeps per interval (``interval_sums.py``), by name, and their
indices as constants: list indexing by a constant is the observer's hot path."""

from __future__ import annotations

__all__ = ["TYPE_COUNTERS", "GROUP_COUNTERS", "IVR_COUNTERS"]

# per interval × contact type (one list of these per cell; the constants below index it)
TYPE_COUNTERS = (
    "offered", "answered", "answered_immediately", "answered_within", "blocked", "abandoned",
    "abandoned_within", "short_abandoned", "wait_answered", "wait_abandoned", "handled", "talk",
    "hold", "acw", "waiting_at_end", "wait_at_end", "in_service_at_end", "queue_area",
    "queue_max", "closed", "unique",
    # journeys: arrivals by origin, events, callback response, IVR time, waits for Little's law
    "redial_arrivals", "repeat_arrivals", "transfer_arrivals", "callback_retries", "redialed",
    "callback_offered", "callback_accepted", "callback_reached", "callback_not_reached",
    "callback_failed", "callback_wait", "callback_within", "transferred", "resolved",
    "unresolved", "beyond_horizon", "ivr_time", "wait_not_reached", "age_at_start",
    # what a type's forecast predicts: first contacts of its own arrival process, admitted or
    # turned away (not the initial backlog, not calls routed by the IVR, not follow-ups)
    "new_arrivals",
)
# per interval, for the IVR (counted in the interval the call entered)
IVR_COUNTERS = ("entered", "blocked", "contained", "hangup", "routed", "time")
# per interval × agent group
GROUP_COUNTERS = ("answered", "handled", "handle_time", "busy_area", "staffed_area",
                  "scheduled_area", "planned_area", "overtime_area")


_INDEX = {name: i for i, name in enumerate(TYPE_COUNTERS)}
# the counters touched on every contact, as constants (list indexing is the hot path)
(OFFERED, ANSWERED, IMMEDIATE, WITHIN, BLOCKED, ABANDONED, ABANDONED_WITHIN, SHORT, WAIT_ANSWERED,
 WAIT_ABANDONED, HANDLED, TALK, HOLD, ACW, WAITING_AT_END, WAIT_AT_END, IN_SERVICE_AT_END,
 QUEUE_AREA, QUEUE_MAX, CLOSED, UNIQUE) = range(_INDEX["unique"] + 1)
# arrivals by origin, and the journey events the engine reports, as counters
_ORIGIN = {"redial": _INDEX["redial_arrivals"], "repeat": _INDEX["repeat_arrivals"],
           "transfer": _INDEX["transfer_arrivals"], "callback retry": _INDEX["callback_retries"]}
_EVENT = {"redial": _INDEX["redialed"], "callback offered": _INDEX["callback_offered"],
          "callback accepted": _INDEX["callback_accepted"],
          "callback reached": _INDEX["callback_reached"],
          "callback not reached": _INDEX["callback_not_reached"],
          "callback failed": _INDEX["callback_failed"], "transferred": _INDEX["transferred"],
          "resolved": _INDEX["resolved"], "unresolved": _INDEX["unresolved"],
          "beyond horizon": _INDEX["beyond_horizon"]}
_IVR = {name: i for i, name in enumerate(IVR_COUNTERS)}
CALLBACK_WAIT, CALLBACK_WITHIN, IVR_TIME = (_INDEX["callback_wait"], _INDEX["callback_within"],
                                            _INDEX["ivr_time"])
NEW_ARRIVALS = _INDEX["new_arrivals"]
(G_ANSWERED, G_HANDLED, G_HANDLE_TIME, G_BUSY, G_STAFFED, G_SCHEDULED, G_PLANNED,
 G_OVERTIME) = range(len(GROUP_COUNTERS))
