"""The documented ceilings on what one input may ask of the machine.

A typo (one digit too many in a headcount, a sweep step of 1e-7) must end in a located error
before anything is allocated, not in a machine out of memory. Every loader and command checks
against these numbers and names the limit it hit; ``docs/scenario-format.md`` lists them.
They are far above any real contact center, so no honest scenario meets them.
"""

from __future__ import annotations

__all__ = ["LIMITS", "Limits"]

import attrs


@attrs.frozen
class Limits:
    #: bytes in one scenario, sweep, experiment or shift-catalogue YAML file
    yaml_bytes: int = 5_000_000
    #: YAML nodes after alias expansion (a "billion laughs" file expands far past this)
    yaml_nodes: int = 1_000_000
    #: nesting depth of YAML collections
    yaml_depth: int = 64
    #: bytes in one CSV (arrival profiles, headcounts, interval exports)
    csv_bytes: int = 50_000_000
    #: characters in one CSV field
    csv_field: int = 10_000
    #: digits in one number written in a file or an option
    number_digits: int = 30
    #: agents in one group in any interval (headcount, shift counts, rosters)
    agents_per_group: int = 100_000
    #: agents of all groups logged in at once (the engine holds one object per agent)
    agents: int = 500_000
    #: simulated horizon, in seconds (two years)
    horizon: float = 2 * 366 * 86_400.0
    #: intervals in the horizon
    intervals: int = 200_000
    #: expected contacts of one replication (arrivals, backlog and IVR entries)
    contacts: float = 10_000_000
    #: replications of one command
    replications: int = 100_000
    #: points of one stress or sweep grid (before policies and replications)
    grid_points: int = 10_000
    #: columns of one shift-scheduling programme (shift type x start x length x break placement)
    shift_columns: int = 50_000


LIMITS = Limits()
