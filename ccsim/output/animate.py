"""A short teaching animation of ONE replication: the center as it moves, minute by minute.

``animation_frames.frame_data`` samples what happened at the frame times; this module draws
the frames with matplotlib's ``PillowWriter`` and writes the GIF atomically. Each agent group is
a block of squares coloured by state; waiting contacts per type (and the IVR) are bars.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ..files import write_atomic
from .animation_frames import MAX_FRAMES, Frames, Recorder, frame_data, parse_clock, parse_start

__all__ = ["Recorder", "Frames", "frame_data", "build_figure", "write_animation", "parse_clock",
           "parse_start", "MAX_FRAMES"]

COLOURS = {"talking": "#d62828", "after-contact work": "#f77f00", "idle": "#2a9d8f",
           "not logged in": "#d9d9d9"}
_PER_ROW = 25  # squares per row of an agent block


# --- drawing -----------------------------------------------------------------------------------
def _layout(data: Frames):
    """Square centres (x, y) per group, rows of ``_PER_ROW``, groups stacked top to bottom, and
    the y of each group's label."""
    positions, labels, y = {}, {}, 0.0
    for name in data.groups:
        n = data.slots[name]
        labels[name] = y
        y -= 1.0
        k = np.arange(n)
        positions[name] = (k % _PER_ROW, y - k // _PER_ROW)
        y -= (n - 1) // _PER_ROW + 1.6
    return positions, labels, y


def _states(data: Frames, name: str, i: int) -> list[str]:
    talking, acw = int(data.talking[name][i]), int(data.acw[name][i])
    logged = int(data.staffed[name][i]) * data.capacity[name]
    idle = max(0, logged - talking - acw)
    states = ["talking"] * talking + ["after-contact work"] * acw + ["idle"] * idle
    states += ["not logged in"] * (data.slots[name] - len(states))
    return states[:data.slots[name]]


def build_figure(data: Frames):
    """The figure (made without pyplot) and ``draw(i)``, which sets it to frame ``i``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    positions, label_y, bottom = _layout(data)
    rows = -bottom
    bars = list(data.queue) + (["in IVR"] if data.ivr is not None else [])
    figure = Figure(figsize=(10, max(4.2, 1.4 + 0.3 * max(rows, 2.0 * len(bars)))), dpi=80)
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(1, 2, width_ratios=(1.7, 1), left=0.03, right=0.97, top=0.86,
                               bottom=0.12, wspace=0.18)
    agents, queues = figure.add_subplot(grid[0]), figure.add_subplot(grid[1])

    agents.set_xlim(-0.8, _PER_ROW - 0.2)
    agents.set_ylim(bottom + 0.3, 0.8)
    agents.set_aspect("equal")
    agents.axis("off")
    box = agents.get_position()  # squares sized to the axes: ~80 % of a cell, in points²
    unit = min(box.width * figure.get_figwidth() / (_PER_ROW + 0.6),
               box.height * figure.get_figheight() / (0.5 - bottom)) * 72
    squares, texts = {}, {}
    for name in data.groups:
        x, y = positions[name]
        squares[name] = agents.scatter(x, y, marker="s", s=(0.8 * unit) ** 2, linewidths=0)
        texts[name] = agents.text(-0.5, label_y[name], "", fontsize=9, va="center")
    agents.legend(handles=[Patch(color=c, label=s) for s, c in COLOURS.items()], ncol=4,
                  loc="upper center", bbox_to_anchor=(0.5, -0.0), fontsize=8, frameon=False)

    values = [data.queue[t] for t in data.queue] + ([data.ivr] if data.ivr is not None else [])
    top = max(5, max(int(v.max(initial=0)) for v in values))
    colours = ["#457b9d"] * len(data.queue) + (["#9d4edd"] if data.ivr is not None else [])
    rectangles = queues.barh(np.arange(len(bars)), [0] * len(bars), height=0.5, color=colours)
    queues.set_yticks(np.arange(len(bars)), bars, fontsize=9)
    queues.invert_yaxis()
    queues.set_xlim(0, top * 1.15)
    queues.set_xticks([])  # each bar carries its number: no tick labels to draw every frame
    queues.set_xlabel("contacts waiting" + (" / calls in the IVR" if data.ivr is not None else ""),
                      fontsize=9)
    queues.spines[["top", "right"]].set_visible(False)
    numbers = [queues.text(0, j, "", va="center", fontsize=9) for j in range(len(bars))]
    title = figure.suptitle("", fontsize=12)

    def draw(i):
        title.set_text(f"{data.scenario.name} — {data.clock(i)}")
        for name in data.groups:
            squares[name].set_facecolor([COLOURS[s] for s in _states(data, name, i)])
            unit = " chats" if data.capacity[name] > 1 else ""
            texts[name].set_text(
                f"{name}: {data.talking[name][i]} talking, {data.acw[name][i]} ACW, "
                f"{data.idle(name)[i]} idle{unit} — {data.staffed[name][i]} agents logged in")
        for j, (rectangle, value) in enumerate(zip(rectangles, values)):
            rectangle.set_width(value[i])
            numbers[j].set_position((value[i] + top * 0.02, j))
            numbers[j].set_text(str(int(value[i])))

    return figure, draw


def write_animation(data: Frames, path, fps: int = 8) -> Path:
    """Draw ``data`` and write it as a GIF to ``path`` atomically (Pillow writes to a scratch
    file, whose bytes are then written beside ``path`` and renamed)."""
    from matplotlib.animation import PillowWriter

    path = Path(path)
    figure, draw = build_figure(data)
    with tempfile.TemporaryDirectory() as scratch:
        frames = Path(scratch) / "animation.gif"
        writer = PillowWriter(fps=fps)
        with writer.saving(figure, str(frames), dpi=80):
            for i in range(len(data.times)):  # each frame drawn once, by the writer
                draw(i)
                writer.grab_frame()
        write_atomic(path, frames.read_bytes())
    return path
