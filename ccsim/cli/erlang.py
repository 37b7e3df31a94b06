"""``ccsim erlang b|c|a``: analytic values of the classic queueing models, no simulation."""

from __future__ import annotations

import json
import math

import click

from .. import theory
from ..limits import LIMITS
from .params import Duration, Integer, Number, Rate

__all__ = ["erlang"]


_AGENTS = Integer(1, LIMITS.agents_per_group)


@click.group()
def erlang():
    """Analytic Erlang B, C and A values (no simulation)."""


def _common(function):
    function = click.option("--threshold", type=Duration(zero=True), default="20s", show_default=True,
                            help="Service-level threshold.")(function)
    function = click.option("--aht", type=Duration(), required=True, help="Mean handle time, e.g. 5min.")(function)
    function = click.option("--rate", type=Rate(), required=True, help="Arrival rate, e.g. 240/h.")(function)
    function = click.option("-c", "--agents", type=_AGENTS, required=True, help="Number of agents.")(function)
    return function


@erlang.command("b")
@click.option("-c", "--agents", type=_AGENTS, required=True, help="Number of lines or agents.")
@click.option("--load", type=Number(0), required=True, help="Offered load in erlangs.")
def erlang_b(agents, load):
    """Blocking probability of M/M/c/c (no waiting room)."""
    click.echo(json.dumps({"agents": agents, "load": load,
                           "blocking": theory.erlang_b(agents, load)}, indent=2))


@erlang.command("c")
@_common
def erlang_c(agents, rate, aht, threshold):
    """M/M/c: probability of waiting, ASA and service level."""
    load = rate * aht
    click.echo(json.dumps({
        "agents": agents, "load": load, "occupancy": min(1.0, load / agents),
        "p_wait": theory.erlang_c(agents, load),
        "asa": _finite(theory.erlang_c_asa(agents, load, aht)),
        "service_level": theory.erlang_c_service_level(agents, load, aht, threshold),
        "threshold": threshold,
    }, indent=2))


@erlang.command("a")
@_common
@click.option("--patience", type=Duration(infinite=True), required=True, help="Mean patience, e.g. 10min (inf: nobody abandons).")
def erlang_a(agents, rate, aht, threshold, patience):
    """M/M/c+M: waiting, abandonment, ASA and service level with impatient callers."""
    result = theory.erlang_a(agents, rate, aht, patience)
    click.echo(json.dumps({
        "agents": agents, "load": rate * aht, "p_wait": result.p_wait,
        "p_abandon": result.p_abandon, "asa": result.asa,
        "service_level": result.service_level(threshold), "threshold": threshold,
    }, indent=2))


def _finite(value: float):
    return value if math.isfinite(value) else None
