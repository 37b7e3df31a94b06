"""Which column of an ACD interval export is which of our fields: presets modelled on common
exports (our own ``ccsim`` schema, Genesys-, Avaya- and Cisco-like names), the user's ``--map``,
and the channel names exports use. ``importer`` reads the rows once the columns are known."""

from __future__ import annotations

import difflib
import re

from ..scenario.files import shown

__all__ = ["IntervalFileError", "COUNTS", "DURATIONS", "FIELDS", "PRESETS", "CHANNELS", "hint",
           "match_columns"]

COUNTS = ("offered", "handled", "abandoned", "abandoned_short", "answered_within_sl",
          "abandoned_within_sl")
DURATIONS = ("wait_answered_s", "wait_abandoned_s", "talk_s", "max_wait_s", "hold_s", "acw_s",
             "sl_threshold_s", "short_abandon_threshold_s")
FIELDS = ("interval_start", "date", "time", "interval_minutes", "queue", "channel", *COUNTS,
          *DURATIONS)
_PRESETS = {  # field=file column|other spelling; every preset also accepts our field names
    "ccsim": "",  # our own schema, that of docs/import-intervals.md
    "genesys": "interval_start=Interval Start; queue=Queue|Queue Name; channel=Media Type; "
               "offered=Offer|Offered; handled=Answered|Handle; abandoned=Abandon|Abandoned; "
               "talk_s=Total Talk; hold_s=Total Hold; acw_s=Total ACW; max_wait_s=Max Wait; "
               "wait_answered_s=Total Answer|Total Answer Time; answered_within_sl=Answered "
               "Within SL; wait_abandoned_s=Total Abandon|Total Abandon Time",
    "avaya": "date=ROW_DATE|Date; time=STARTTIME|Start Time|Time; interval_minutes=INTRVL; "
             "queue=SPLIT|Split/Skill|Skill; offered=CALLSOFFERED|Calls Offered; handled="
             "ACDCALLS|ACD Calls; abandoned=ABNCALLS|Aband Calls; wait_answered_s=ANSTIME; "
             "wait_abandoned_s=ABNTIME; talk_s=ACDTIME|ACD Time; hold_s=HOLDACDTIME|Hold Time; "
             "acw_s=ACWTIME|ACW Time; answered_within_sl=ACCEPTABLE; sl_threshold_s=SERVICELEVEL",
    "cisco": "interval_start=DateTime; queue=CallTypeName|Call Type Name|Call Type; offered="
             "CallsOffered; handled=CallsHandled; abandoned=TotalCallsAband; wait_answered_s="
             "AnswerWaitTime; wait_abandoned_s=CallDelayAbandTime; talk_s=TalkTime; hold_s="
             "HoldTime; acw_s=WorkTime; answered_within_sl=ServiceLevelCalls; "
             "abandoned_within_sl=ServiceLevelAband; sl_threshold_s=ServiceLevelThreshold",
}
PRESETS = {name: {f: tuple(c.split("|")) for f, _, c in (e.partition("=") for e in text.split("; "))
                  if f} for name, text in _PRESETS.items()}
CHANNELS = {**dict.fromkeys(("phone", "voice", "call", "calls", "inbound", "callback"), "phone"),
            **dict.fromkeys(("chat", "webchat", "web chat"), "chat"),
            **dict.fromkeys(("email", "e-mail", "mail"), "email"),
            **dict.fromkeys(("social", "message", "messaging", "sms"), "social")}


class IntervalFileError(Exception):
    """An interval file that cannot be imported; ``str`` is ``path:line: message``."""

    def __init__(self, path, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def hint(word, choices, cutoff=0.6) -> str:
    """``; did you mean 'x'?`` when ``word`` is close to one of ``choices``, else nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"; did you mean {close[0]!r}?" if close else ""


def match_columns(path, header: list, preset: str, mapping: dict) -> tuple[dict, list]:
    """Column index → our field (--map first, then the preset, then our own field names), and
    the columns that matched nothing."""
    known = {_key(f): f for f in FIELDS}
    known.update({_key(c): f for f, names in PRESETS[preset].items() for c in names})
    for column, ours in mapping.items():
        if _key(column) not in map(_key, header):
            raise IntervalFileError(path, 1, f"--map {column}={ours}: no column {column!r} in the "
                                    f"file{hint(column, header)}")
        if ours not in (*FIELDS, "ignore"):
            raise IntervalFileError(path, None, f"--map {column}={ours}: unknown field {ours!r}"
                                    f"{hint(ours, FIELDS)} (fields: {', '.join(FIELDS)}, ignore)")
    known.update({_key(c): ours for c, ours in mapping.items()})
    columns, unmatched = {}, []
    for index, name in enumerate(header):
        ours = known.get(_key(name))
        if ours in columns.values():
            other = next(header[i] for i, f in columns.items() if f == ours)
            raise IntervalFileError(path, 1, f"columns {other!r} and "
                                    f"{name!r} both map to {ours}: use --map '{name}=ignore'")
        if ours is None:
            close = difflib.get_close_matches(_key(name), list(known), n=1)
            unmatched.append(f"{shown(name)}" + (f" (close to {close[0]!r}, which is "
                                                 f"{known[close[0]]})" if close else ""))
        elif ours != "ignore":
            columns[index] = ours
    missing = [f for f in ("queue", "offered") if f not in columns.values()]
    if "interval_start" not in columns.values() and not {"date", "time"} <= set(columns.values()):
        missing.insert(0, "interval_start (or date and time)")
    if missing:
        raise IntervalFileError(path, 1, f"missing required field(s) {', '.join(missing)} with "
                                f"--preset {preset}; columns that match nothing: "
                                f"{', '.join(unmatched) or 'none'}. Try another --preset "
                                f"({', '.join(PRESETS)}) or --map COLUMN=FIELD")
    if len(unmatched) > 6:  # name a few, not the whole header of a file that may be another
        unmatched = [*unmatched[:5], f"and {len(unmatched) - 5} more"]
    return columns, unmatched
