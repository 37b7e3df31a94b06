"""Analytic queueing formulas for contact-center staffing.

The functions here give closed-form or numerically exact reference values
(Erlang B, Erlang C, Erlang A and staffing rules) that the simulator is
checked against and that reports and the ``ccsim erlang`` command print.

Conventions: every time is in seconds; ``load`` is the offered load in
erlangs, i.e. arrival rate times mean handle time (``aht``); ``c`` is the
number of agents.  All routines stay finite for ``c`` up to a few thousand
and loads above ``c``: they use ratio recursions or log-space sums instead
of factorials and large powers.
"""

from __future__ import annotations

from .erlang import (erlang_b, erlang_c, erlang_c_asa, erlang_c_mean_queue,
                     erlang_c_service_level)
from .erlang_a import ErlangA, ErlangAResult, erlang_a
from .staffing import (Staffing, agents_for, figures, halfin_whitt_beta, lines_for,
                       scheduled_agents, square_root_staffing, staff_erlang_a, staff_erlang_c)

__all__ = [
    "erlang_b",
    "erlang_c",
    "erlang_c_asa",
    "erlang_c_service_level",
    "erlang_c_mean_queue",
    "ErlangA",
    "ErlangAResult",
    "erlang_a",
    "square_root_staffing",
    "halfin_whitt_beta",
    "staff_erlang_c",
    "staff_erlang_a",
    "Staffing",
    "figures",
    "agents_for",
    "lines_for",
    "scheduled_agents",
]

