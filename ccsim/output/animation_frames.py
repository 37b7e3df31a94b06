"""What a teaching animation of ONE replication shows, sampled frame by frame (the drawing is
``animate.py``).

Each agent group is a block of squares, one per agent (one per chat slot for a group whose agents
hold several chats at once), coloured by state: talking (talk and hold), after-contact work,
idle, or not logged in. Contacts waiting per contact type are horizontal bars, with the calls in
the IVR as one more bar when the scenario has an IVR; the clock is in the title.

What is drawn comes from ``Recorder``, an observer that keeps, per answered contact that overlaps
the window, when talking ends and when the after-contact work ends, plus step series of the
staffed agents, queue lengths and IVR occupancy. ``frame_data`` samples it at the frame times;
``write_animation`` draws the frames with matplotlib's ``PillowWriter``
and writes the GIF atomically.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import numpy as np

from ..measure.observers import Observer
from ..study.trace import StepSeries

__all__ = ["Recorder", "Frames", "frame_data", "parse_clock", "parse_start", "MAX_FRAMES"]

MAX_FRAMES = 120  # longer windows are sampled more sparsely than once a simulated minute


def parse_clock(text: str) -> float:
    """``"09:00"`` or ``"9:30"`` (``HH:MM``) → seconds since midnight."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(text))
    if not match or int(match[1]) > 47 or int(match[2]) > 59:
        raise ValueError(f"expected a clock time HH:MM, got {text!r}")
    return int(match[1]) * 3600 + int(match[2]) * 60


WEEKDAYS = {name: i for i, day in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    for name in (day, day[:3])}


def parse_start(text: str, scenario) -> float:
    """Where a multi-day animation starts, as seconds since midnight of the scenario's first day
    (what ``frame_data`` takes): ``"HH:MM"`` (the first day), ``"day N HH:MM"`` (day 1 is the
    first day, as in the frame titles), ``"tue HH:MM"`` (the first such weekday of the horizon,
    the weekdays placed by ``start_day``) or ``"YYYY-MM-DD HH:MM"`` (with ``start_date``)."""
    words = str(text).split()
    day_text, clock_text = (" ".join(words[:-1]), words[-1]) if words else ("", "")
    try:
        clock = parse_clock(clock_text)
    except ValueError:
        raise ValueError(f"expected HH:MM, 'day N HH:MM', a weekday and HH:MM ('tue 09:00') "
                         f"or a date and HH:MM ('2026-11-24 09:00'), got {text!r}") from None
    day_text = day_text.lower()
    day_number = re.fullmatch(r"day\s*(\d+)", day_text)
    if not day_text:
        day = 0
    elif day_number:
        day = int(day_number[1]) - 1
        if day < 0:
            raise ValueError(f"days are counted from 1 (day 1 is the first day), got {text!r}")
    elif day_text in WEEKDAYS:
        day = (WEEKDAYS[day_text] - scenario.start_day) % 7
        if day == 0 and clock < scenario.start:  # the first day began after that clock time
            day = 7
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", day_text):
        if scenario.start_date is None:
            raise ValueError(f"{text!r} names a date, but the scenario has no start_date: "
                             "give 'day N HH:MM' or a weekday instead")
        try:
            date = datetime.date.fromisoformat(day_text)
        except ValueError as exc:
            raise ValueError(f"not a date in {text!r}: {exc}") from None
        day = (date - scenario.start_date).days
    else:
        raise ValueError(f"expected HH:MM preceded by nothing, 'day N', a weekday (mon … sun) "
                         f"or a date YYYY-MM-DD, got {text!r}")
    return day * 86400.0 + clock


def _clock(seconds: float) -> str:
    day, rest = divmod(int(round(seconds)), 86400)
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return text if day == 0 else f"day {day + 1} {text}"


class Recorder(Observer):
    """Observer for the window ``[begin, end)``
    (seconds from the start of the horizon)."""

    def __init__(self, scenario, begin: float, end: float):
        self.begin, self.until = begin, end
        groups, types = scenario.agent_groups, scenario.contact_types
        # per group: answer time, end of talk+hold, end of after-contact work
        self.contacts = [([], [], []) for _ in groups]
        self.staffed = [StepSeries() for _ in groups]
        self.queue = [StepSeries() for _ in types]
        self.ivr_calls = StepSeries()

    def answer(self, contact, agent, now, duration):
        finish = now + duration
        if finish <= self.begin or now >= self.until:
            return
        talked = now + (contact.talk + contact.hold) * contact.factor
        starts, talks, finishes = self.contacts[agent.group_index]
        starts.append(now)
        talks.append(talked)
        finishes.append(finish)

    def staffing(self, group_index, staffed, now):
        self.staffed[group_index].set(now, staffed)

    def queue_changed(self, type_index, length, now):
        self.queue[type_index].set(now, length)

    def ivr(self, event, call, now):
        self.ivr_calls.add(now, 1 if event == "entered" else -1)


def _at(series: StepSeries, times: np.ndarray) -> np.ndarray:
    """Values of a step series at ``times`` (after every change at that very instant)."""
    index = np.searchsorted(series.times, times, side="right") - 1
    return series.values[np.maximum(index, 0)]


@dataclass
class Frames:
    """The numbers behind each frame. ``times``: seconds from the start of the horizon (clock:
    ``scenario.start + times``); per agent group (arrays of one value per frame): ``talking``,
    ``acw`` (contacts in each phase), ``staffed`` (agents logged in), ``capacity`` (contacts
    an agent holds at once) and ``slots`` (squares drawn: most agents logged in during the
    window × capacity); ``queue`` per contact type; ``ivr`` calls in the IVR, or None."""
    scenario: object
    times: np.ndarray
    groups: list
    talking: dict
    acw: dict
    staffed: dict
    capacity: dict
    slots: dict
    queue: dict
    ivr: np.ndarray | None

    def idle(self, group: str) -> np.ndarray:
        return np.maximum(0, self.staffed[group] * self.capacity[group]
                          - self.talking[group] - self.acw[group])

    def clock(self, i: int) -> str:
        return _clock(self.scenario.start + self.times[i])


def _window(scenario, start: float | None, minutes: float) -> tuple[float, float]:
    begin = 0.0 if start is None else start - scenario.start
    if not 0 <= begin < scenario.horizon:
        def when(t):  # "09:00" on the first day, "day 3 09:00" after; a day ends at 24:00
            if t <= 0 or t % 86400:
                return _clock(t)[:-3]
            return "24:00" if t == 86400 else f"day {int(t // 86400)} 24:00"
        raise ValueError(f"--start {when(scenario.start + begin)} is outside the scenario "
                         f"({when(scenario.start)} to {when(scenario.start + scenario.horizon)})")
    if minutes <= 0:
        raise ValueError("--minutes must be positive")
    return begin, min(scenario.horizon, begin + minutes * 60)


def frame_data(scenario, start: float | None = None, minutes: float = 60, frames: int | None = None,
               seed: int | None = None, replication: int = 0) -> Frames:
    """Simulate replication ``replication`` (master ``seed``, default the scenario's) and sample
    it at ``frames`` evenly spaced times from clock time ``start`` (seconds since midnight;
    default the scenario's start) over ``minutes``: by default one frame per simulated minute,
    at most ``MAX_FRAMES``."""
    from ..engine.center import simulate_replication
    from ..routing import get_router
    from ..skills import SkillGraph
    from ..streams import Streams

    begin, end = _window(scenario, start, minutes)
    if frames is None:
        frames = max(1, min(MAX_FRAMES, int(round((end - begin) / 60))))
    times = begin + np.arange(frames) * ((end - begin) / frames)
    seed = scenario.seed if seed is None else seed
    graph = SkillGraph(scenario)
    streams = Streams(seed, replication)
    router = get_router(scenario.routing.policy, scenario.base_dir)(
        graph, scenario.routing.params, rng=streams("routing"))
    recorder = Recorder(scenario, begin, end)
    simulate_replication(scenario, graph, router, recorder, streams)

    groups = [g.name for g in scenario.agent_groups]
    talking, acw, staffed, capacity, slots = {}, {}, {}, {}, {}
    column = times[None, :]
    for spec, (starts, talks, finishes), series in zip(scenario.agent_groups, recorder.contacts,
                                                      recorder.staffed):
        starts, talks, finishes = (np.asarray(a, dtype=float)[:, None]
                                   for a in (starts, talks, finishes))
        talking[spec.name] = np.sum((starts <= column) & (column < talks), axis=0)
        acw[spec.name] = np.sum((talks <= column) & (column < finishes), axis=0)
        staffed[spec.name] = _at(series, times).astype(int)
        capacity[spec.name] = spec.concurrency
        inside = series.values[(series.times >= begin) & (series.times < end)]
        most = max([staffed[spec.name].max(initial=0), *inside])
        slots[spec.name] = max(1, int(most) * spec.concurrency)
    queue = {t.name: _at(s, times).astype(int)
             for t, s in zip(scenario.contact_types, recorder.queue)}
    ivr = _at(recorder.ivr_calls, times).astype(int) if scenario.ivr is not None else None
    return Frames(scenario, times, groups, talking, acw, staffed, capacity, slots, queue, ivr)
