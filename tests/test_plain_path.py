"""The plain hot path (``engine/plain.py``) changes nothing.

A plain center whose observer takes records (``Statistics``: its ``ledger``) runs through
``_on_arrival_plain`` / ``_on_done_plain``. The same replication is run three ways and its sums
must agree to the bit: the plain path with ``Statistics``; ``Statistics`` behind
``Observers`` (no ledger: the general path, told by hooks); the general path (``_is_plain``
forced off). The ledger's batches must not matter either: folding after every arrival, or
once at the end across every interval, gives the same sums.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ccsim
from ccsim.engine.center import Center, simulate_replication
from ccsim.measure.interval_sums import Statistics
from ccsim.measure.observers import Observers
from ccsim.routing import get_router
from ccsim.skills import SkillGraph
from ccsim.streams import Streams

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
PLAIN = ("erlang_a", "multiskill_telecom", "retail_bank_day", "workforce_day")


def _sums(scenario, replication, wrap=False):
    graph = SkillGraph(scenario)
    streams = Streams(5, replication)
    router = get_router(scenario.routing.policy, scenario.base_dir)(
        graph, scenario.routing.params, rng=streams("routing"))
    statistics = Statistics(scenario)
    simulate_replication(scenario, graph, router,
                         Observers([statistics]) if wrap else statistics, streams)
    return statistics.data()


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key, value in a.items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(value, b[key]), key
        else:
            assert value == b[key], key


@pytest.mark.parametrize("name", PLAIN)
def test_the_plain_path_gives_the_sums_of_the_general_path(name, monkeypatch):
    scenario = ccsim.load_scenario(SCENARIOS / f"{name}.yaml")
    seen = []
    is_plain = Center._is_plain
    monkeypatch.setattr(Center, "_is_plain", lambda self: seen.append(is_plain(self)) or seen[-1])
    plain, wrapped = _sums(scenario, 1), _sums(scenario, 1, wrap=True)
    assert seen == [True]  # the shipped plain scenarios take the plain path (not wrapped)
    assert plain["type.answered"].sum() > 100 and plain["type.queue_area"].sum() > 0
    monkeypatch.setattr(Center, "_is_plain", lambda self: False)
    general = _sums(scenario, 1)
    _assert_same(plain, general)
    _assert_same(wrapped, general)


@pytest.mark.parametrize("name", PLAIN[:2] + ("omnichannel_bank",))
def test_the_ledger_gives_the_same_sums_however_it_is_batched(name, monkeypatch):
    from ccsim.measure.ledger import Ledger
    scenario = ccsim.load_scenario(SCENARIOS / f"{name}.yaml")
    usual = _sums(scenario, 2)
    monkeypatch.setattr(Ledger, "chunk", 1)  # a fold at nearly every arrival
    often = _sums(scenario, 2)
    monkeypatch.setattr(Ledger, "chunk", 10 ** 9)  # one fold, at the end
    once = _sums(scenario, 2)
    assert usual["type.offered"].sum() > 100 and usual["total.queue_max"].max() > 0
    _assert_same(often, usual)
    _assert_same(once, usual)


def test_a_center_with_hours_ivr_or_journeys_is_not_plain(monkeypatch):
    seen = []
    is_plain = Center._is_plain
    monkeypatch.setattr(Center, "_is_plain", lambda self: seen.append(is_plain(self)) or seen[-1])
    _sums(ccsim.load_scenario(SCENARIOS / "omnichannel_bank.yaml"), 0)
    assert seen == [False]


def test_the_plain_path_sets_every_attribute_a_contact_is_born_with():
    """``_on_arrival_plain`` builds a first contact without ``Contact.__init__``: it must set
    the same attributes (their values are checked by the bit-identical runs above)."""
    import inspect
    import re

    from ccsim.engine.entities import Contact
    from ccsim.engine.plain import PlainMixin
    born = set(re.findall(r"self\.(\w+)", inspect.getsource(Contact.__init__)))
    source = inspect.getsource(PlainMixin._on_arrival_plain)
    birth = source[source.index("_new(Contact)"):source.index("find_agent")]
    assert born and set(re.findall(r"contact\.(\w+)\s*=", birth)) == born
