"""What a center's resources cost, as a frozen ``Costs``, and its YAML.

    costs:
      currency: EUR            # a label for tables and reports
      agent_hour: 28           # per paid agent hour, every group ...
      groups: {sales: 35}      # ... unless the group has its own rate
      overtime_factor: 1.5     # agent time beyond the plan is paid at this multiple
      trunk_line_hour: 0.4     # per trunk line and hour (needs trunks:)
      ivr_port_hour: 0.1       # per IVR port and hour (needs ivr: with ports:)

The value of a contact is a contact-type key (``value: 120``), read by ``build.py``. What the
simulation makes of both is in ``ccsim/measure/costs.py``.
"""

from __future__ import annotations

import difflib

import attrs

from .source import At

__all__ = ["Costs", "COST_KEYS", "parse_costs"]

COST_KEYS = ("currency", "agent_hour", "groups", "overtime_factor", "trunk_line_hour",
             "ivr_port_hour")


@attrs.frozen
class Costs:
    """Hourly rates of agents, trunk lines and IVR ports; money in one unnamed currency."""

    agent_hour: float = 0.0
    groups: dict = attrs.field(factory=dict, hash=False)  # agent group -> its own hourly rate
    overtime_factor: float = 1.5
    trunk_line_hour: float = 0.0
    ivr_port_hour: float = 0.0
    currency: str = ""  # label only

    def agent_rate(self, group: str) -> float:
        """Cost of one paid hour of an agent of ``group``."""
        return self.groups.get(group, self.agent_hour)


def parse_costs(at: At, root: At, group_names) -> Costs:
    """``costs:`` of the scenario whose top level is ``root``, checked against its agent
    groups, trunks and IVR (a rate for a resource the center does not have is a mistake)."""
    at.mapping(COST_KEYS)
    groups = {}
    if at.has("groups"):
        for name, rate in at.child("groups").mapping().items():
            if name not in group_names:
                hint = difflib.get_close_matches(name, list(group_names), n=1)
                tip = f"; did you mean {hint[0]!r}?" if hint else ""
                raise rate.error(f"unknown agent group {name!r} (agent groups: "
                                 f"{', '.join(group_names)}){tip}", key=True)
            groups[name] = rate.number(low=0)
    unpriced = [name for name in group_names if name not in groups]
    if unpriced and not at.has("agent_hour"):
        raise at.error(f"missing required key 'agent_hour' (the hourly cost of the agent groups "
                       f"without a rate in costs.groups: {', '.join(unpriced)})", key=True)
    if at.has("trunk_line_hour") and not root.has("trunks"):
        raise at.child("trunk_line_hour").error(
            "prices trunk lines, but the scenario has none: add a top-level 'trunks: N' "
            "(the number of lines) or remove this key", key=True)
    if at.has("ivr_port_hour") and not (root.has("ivr") and root.child("ivr").has("ports")):
        raise at.child("ivr_port_hour").error(
            "prices IVR ports, but the scenario has no IVR with a number of ports: give "
            "'ivr: {ports: N, ...}' or remove this key", key=True)

    def rate(key: str, default: float) -> float:
        return at.child(key).number(low=0) if at.has(key) else default

    return Costs(agent_hour=rate("agent_hour", 0.0), groups=groups,
                 overtime_factor=rate("overtime_factor", 1.5),
                 trunk_line_hour=rate("trunk_line_hour", 0.0),
                 ivr_port_hour=rate("ivr_port_hour", 0.0),
                 currency=at.child("currency").string() if at.has("currency") else "")
