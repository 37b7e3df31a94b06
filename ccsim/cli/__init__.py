"""The ``ccsim`` command. Each family of commands lives in its own module; this one only
gathers them under one group.

Bad input — a scenario mistake, a wrong option value — prints ``error: ...`` naming the file
(line, column, YAML path) or the option, and exits with status 2, never a traceback.
"""

from __future__ import annotations

import click

from .. import __version__
from .check import graph, policies, schema, validate
from .erlang import erlang
from .imports import import_intervals
from .command import CcsimGroup
from .plan import plan_command
from .present import animate, report
from .run import compare, run, sweep
from .workforce import staff_command, stress_command

__all__ = ["main"]


@click.group(cls=CcsimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccsim")
def main():
    """ccsim — simulate a contact center described in a YAML scenario."""


for command in (run, compare, sweep, staff_command, stress_command, plan_command, validate, graph, policies,
                schema, erlang, report, animate, import_intervals):
    main.add_command(command)
