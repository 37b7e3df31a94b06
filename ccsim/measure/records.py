"""Event logs of one replication: a record per contact and a record per agent-state period.

``Statistics`` keeps sums; ``Records`` keeps one row per contact, shaped like the call-detail
records an ACD exports (IVR entry and exit, queue entry and exit, service start and end, outcome,
agent), and one row per period an agent spent in one state (idle, busy, on an activity such as
"break", logged out). An analysis written for real call records can then run on simulated ones.

Records are opt-in: the engine knows nothing of them (it calls observer hooks, as for the
statistics), and a run that does not ask for them has no ``Records`` observer at all, so nothing
is kept and the engine runs as fast as without. With records on, memory grows with the contacts of
the replication (one small dict each) until ``write()``.

Columns and units are documented in docs/output-format.md ("Event logs"). Times are simulation
seconds from the start of the horizon; ``day`` and ``clock`` place the arrival on the calendar.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from operator import itemgetter
from pathlib import Path

from .observers import Observer
from ..files import write_atomic

__all__ = ["Records", "records_observer", "CONTACT_COLUMNS", "AGENT_STATE_COLUMNS", "FORMATS"]

FORMATS = ("csv", "parquet")
DAY = 86400.0

# (column, type): the type is what a reader parses the CSV text back into
CONTACT_COLUMNS = (
    ("replication", int), ("contact_id", int), ("customer_id", int), ("contact_type", str),
    ("channel", str), ("segment", str), ("priority", int), ("origin", str), ("attempt", int),
    ("day", int), ("clock", float), ("interval", int), ("arrival", float),
    ("ivr_entry", float), ("ivr_exit", float), ("queue_entry", float), ("queue_exit", float),
    ("service_start", float), ("service_end", float), ("outcome", str), ("wait", float),
    ("talk", float), ("hold", float), ("acw", float), ("handle_time", float),
    ("factor", float), ("agent_id", int), ("agent_name", str), ("agent_group", str),
    ("callback", str),
    ("redialed", int), ("resolution", str),
)
AGENT_STATE_COLUMNS = (
    ("replication", int), ("agent_id", int), ("agent_name", str), ("agent_group", str),
    ("state", str),
    ("start", float), ("end", float), ("duration", float),
)

_BLANK_CONTACT = dict.fromkeys(name for name, _ in CONTACT_COLUMNS)  # copied for each record

# how a contact's record ends, by the hook that ended it
_IVR_OUTCOME = {"blocked": "ivr_blocked", "contained": "contained", "hangup": "ivr_hangup"}
_JOURNEY_OUTCOME = {"callback not reached": "not_reached", "callback failed": "callback_failed"}
_RESOLUTION = frozenset({"transferred", "resolved", "unresolved"})  # said after handling


class Records(Observer):
    """Observer building the event logs of replication ``replication``; ``write()`` saves them
    as ``contacts.<fmt>`` and ``agent_states.<fmt>`` in ``directory/replication-<r>/``.

    Run it beside the statistics (``Observers([statistics, records])``): it only listens, so
    the replication's numbers are the same with or without it."""

    def __init__(self, scenario, replication: int, directory, fmt: str = "csv"):
        if fmt not in FORMATS:
            raise ValueError(f"records format must be one of {', '.join(FORMATS)} (got {fmt!r})")
        self.replication = replication
        self.directory = Path(directory) / f"replication-{replication}"
        self.fmt = fmt
        self.start, self.horizon = scenario.start, scenario.horizon
        self.channels = [t.channel for t in scenario.contact_types]
        self.contacts: dict[int, dict] = {}  # by contact id, in order of first appearance
        self.agents: dict[int, _Timeline] = {}  # by agent id
        self._from_ivr: dict[int, float] = {}  # routed IVR call id -> its IVR entry time
        self.closed_at = None

    # --- contacts ----------------------------------------------------------------------------
    def _open(self, contact, outcome: str) -> dict:
        """A new record for ``contact``, met for the first time."""
        arrival = contact.arrival
        moment = self.start + arrival
        entry = self._from_ivr.pop(contact.id, None)
        row = _BLANK_CONTACT.copy()
        row.update(
            replication=self.replication, contact_id=contact.id, customer_id=contact.customer,
            contact_type=contact.type, channel=self.channels[contact.type_index],
            segment=contact.segment or None, priority=contact.priority, origin=contact.origin,
            attempt=contact.attempt, day=int(moment // DAY), clock=moment % DAY,
            interval=contact.interval, arrival=arrival, outcome=outcome, redialed=0,
            callback="accepted" if contact.callback else None)
        if entry is not None:
            row["ivr_entry"], row["ivr_exit"] = entry, arrival
        self.contacts[contact.id] = row
        return row

    def arrival(self, contact, now):
        row = self._open(contact, "waiting")
        row["queue_entry"] = contact.arrival

    def turned_away(self, contact, now):
        self._open(contact, "turned_away")

    def block(self, contact, now):
        row = self.contacts[contact.id]
        row["outcome"], row["queue_entry"] = "blocked", None  # never in the queue

    def answer(self, contact, agent, now, duration):
        row = self.contacts[contact.id]
        factor = contact.factor
        row.update(outcome="in_service", queue_exit=now, service_start=now,
                   wait=now - contact.arrival, talk=contact.talk * factor,
                   hold=contact.hold * factor, acw=contact.acw * factor, handle_time=duration,
                   factor=factor, agent_id=agent.id, agent_name=agent.name,
                   agent_group=agent.group)
        self._timeline(agent, now).serve(1, now)

    def abandon(self, contact, now):
        self.contacts[contact.id].update(outcome="abandoned", queue_exit=now,
                                         wait=now - contact.arrival)

    def retimed(self, contact, agent, now, old_end, new_end):
        row, factor = self.contacts[contact.id], contact.factor
        row.update(talk=contact.talk * factor, hold=contact.hold * factor,
                   acw=contact.acw * factor, factor=factor,
                   handle_time=new_end - row["service_start"])

    def complete(self, contact, agent, factor, now):
        row = self.contacts[contact.id]
        row["outcome"], row["service_end"] = "handled", now
        self._timeline(agent, now).serve(-1, now)

    def journey(self, event, contact, now):
        row = self.contacts[contact.id]
        if event in _JOURNEY_OUTCOME:
            row["outcome"] = _JOURNEY_OUTCOME[event]
            if event == "callback not reached":  # the call-back failed: it left the queue
                row["queue_exit"], row["wait"] = now, now - contact.arrival
        elif event in _RESOLUTION:
            row["resolution"] = event
        elif event == "redial":
            row["redialed"] = 1
        elif event == "callback offered":
            row["callback"] = "declined"  # until accepted
        elif event == "callback accepted":
            row["callback"] = "accepted"

    def ivr(self, event, call, now):
        if event == "routed":  # the contact it becomes arrives next, with the call's id
            self._from_ivr[call.id] = call.entered
        elif event in _IVR_OUTCOME:  # the call ends in the IVR: it never reaches a type
            moment = self.start + call.entered
            row = _BLANK_CONTACT.copy()
            row.update(replication=self.replication, contact_id=call.id, customer_id=call.id,
                       channel="phone", origin="new", attempt=1,
                       day=int(moment // DAY), clock=moment % DAY, interval=call.interval,
                       arrival=call.entered, ivr_entry=call.entered, ivr_exit=now,
                       outcome=_IVR_OUTCOME[event], redialed=0)
            self.contacts[call.id] = row

    # --- agents ------------------------------------------------------------------------------
    def _timeline(self, agent, now: float) -> _Timeline:
        timeline = self.agents.get(agent.id)
        if timeline is None:
            timeline = self.agents[agent.id] = _Timeline(agent.group, agent.name, now)
        return timeline

    def agent_state(self, agent, state, now):
        self._timeline(agent, now).present(state, now)

    # --- the end -----------------------------------------------------------------------------
    def end(self, now, center):
        self.closed_at = max(now, self.horizon)
        for row in self.contacts.values():
            if row["outcome"] == "waiting":  # still in the queue: its wait so far
                row["wait"] = self.closed_at - row["arrival"]
        for timeline in self.agents.values():
            timeline.close(self.closed_at)

    def contact_rows(self) -> list[dict]:
        return list(self.contacts.values())

    def agent_state_rows(self) -> list[dict]:
        """Periods in agent-id order, each agent's in time order."""
        return [dict(replication=self.replication, agent_id=agent_id, agent_name=t.name,
                     agent_group=t.group, state=state, start=start, end=end,
                     duration=end - start)
                for agent_id, t in sorted(self.agents.items()) for state, start, end in t.periods]

    def write(self) -> list[Path]:
        """Write both logs atomically into ``directory/replication-<r>/``; return their paths."""
        self.directory.mkdir(parents=True, exist_ok=True)
        tables = (("contacts", CONTACT_COLUMNS, self.contact_rows()),
                  ("agent_states", AGENT_STATE_COLUMNS, self.agent_state_rows()))
        writer = _write_parquet if self.fmt == "parquet" else _write_csv
        paths = []
        for name, columns, rows in tables:
            path = self.directory / f"{name}.{self.fmt}"
            writer(path, columns, rows)
            paths.append(path)
        return paths


class _Timeline:
    """One agent's states as consecutive periods ``[state, start, end]`` (the last one open).

    Presence comes from ``agent_state`` (logged in, logged out, an activity); while logged in
    the agent is "busy" when it holds at least one contact, else "idle". Several changes at one
    instant leave no zero-length period: an agent logging in and answering at once is busy."""

    __slots__ = ("group", "name", "logged_in", "held", "periods")

    def __init__(self, group: str, name: str, now: float):
        self.group, self.name = group, name
        self.logged_in = True  # an agent first seen answering is at work
        self.held = 0
        self.periods = [["idle", now, None]]

    def _switch(self, state: str, now: float) -> None:
        periods = self.periods
        current = periods[-1]
        if current[0] == state:
            return
        if current[1] < now:
            current[2] = now
        else:  # it lasted no time: forget it, and resume the one before if it is the same
            periods.pop()
            if periods and periods[-1][0] == state and periods[-1][2] == now:
                periods[-1][2] = None
                return
        periods.append([state, now, None])

    def present(self, state: str, now: float) -> None:
        self.logged_in = state == "logged_in"
        if self.logged_in:
            state = "busy" if self.held else "idle"
        self._switch(state, now)

    def serve(self, change: int, now: float) -> None:
        self.held += change
        if self.logged_in:
            self._switch("busy" if self.held else "idle", now)

    def close(self, now: float) -> None:
        current = self.periods[-1]
        if current[1] < now:
            current[2] = now
        else:
            self.periods.pop()


def _write_csv(path: Path, columns, rows: list[dict]) -> None:
    """CSV with a header even when there are no rows; missing values are empty cells."""
    names = [name for name, _ in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(map(itemgetter(*names), rows))
    write_atomic(path, buffer.getvalue())


def _write_parquet(path: Path, columns, rows: list[dict]) -> None:
    """Parquet with typed columns (missing values as nulls), written beside and renamed."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("writing records as Parquet needs pyarrow: "
                           "pip install ccsim[parquet]") from None
    types = {int: pa.int64(), float: pa.float64(), str: pa.string()}
    schema = pa.schema([(name, types[kind]) for name, kind in columns])
    table = pa.table({name: [row[name] for row in rows] for name, _ in columns}, schema=schema)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def records_observer(scenario, replication: int, directory, fmt: str = "csv"):
    """The ``Records`` observer for one replication, or ``None`` when no directory is given
    (records off: the engine then runs with the statistics observer alone)."""
    if directory is None:
        return None
    return Records(scenario, replication, directory, fmt)
