"""Named random streams: reproducible per (seed, replication, name), independent of draw order."""

from __future__ import annotations

import numpy as np
import pytest

from ccsim.distributions import (DISTRIBUTIONS, Deterministic, Empirical, Erlang, Exponential,
                                 Gamma, Lognormal, Triangular, Uniform)
from ccsim.streams import BATCH, Streams

NAMES = ("sales.talk", "sales.patience", "sales.arrivals", "billing.talk", "billing.acw")


def test_same_seed_replication_and_name_give_the_same_numbers():
    a = Streams(42, 3)("sales.talk").random(100)
    b = Streams(42, 3)("sales.talk").random(100)
    assert np.array_equal(a, b)


def test_calling_the_same_stream_twice_restarts_it():
    streams = Streams(42, 3)
    assert np.array_equal(streams("x").random(10), streams("x").random(10))


def _distinct(arrays):
    """No two arrays share any value (for 100 uniforms each, a shared value would mean reuse)."""
    seen = set()
    for array in arrays:
        values = set(array.tolist())
        assert len(values) == len(array)
        assert not values & seen
        seen |= values


def test_different_names_give_different_numbers():
    streams = Streams(1, 0)
    _distinct([streams(name).random(100) for name in NAMES])


def test_similar_names_give_different_numbers():
    streams = Streams(1, 0)
    _distinct([streams(name).random(100) for name in ("a", "b", "a ", "A", "ab", "ba", "")])


def test_different_replications_give_different_numbers():
    _distinct([Streams(1, r)("sales.talk").random(100) for r in range(20)])


def test_different_seeds_give_different_numbers():
    _distinct([Streams(seed, 0)("sales.talk").random(100) for seed in range(20)])


def test_seed_and_replication_are_not_interchangeable():
    _distinct([Streams(1, 2)("x").random(100), Streams(2, 1)("x").random(100)])


def test_streams_are_statistically_uncorrelated():
    # 20,000 pairs of uniforms from two named streams: the correlation of independent samples is
    # about N(0, 1/n), so |r| <= 4.5 / sqrt(n) ≈ 0.032 holds unless the streams are related
    streams = Streams(5, 0)
    n = 20_000
    x, y = streams("sales.talk").random(n), streams("sales.patience").random(n)
    assert abs(np.corrcoef(x, y)[0, 1]) <= 4.5 / np.sqrt(n)


def test_drawing_from_one_stream_does_not_change_another():
    streams = Streams(9, 1)
    alone = streams("billing.talk").random(50)
    busy = streams("sales.talk")
    busy.random(10_000)
    again = streams("billing.talk").random(50)
    assert np.array_equal(alone, again)


@pytest.mark.parametrize("order", [NAMES, tuple(reversed(NAMES)), NAMES[2:] + NAMES[:2]])
def test_values_do_not_depend_on_the_order_streams_are_used(order):
    reference_streams = Streams(11, 4)
    reference = {name: reference_streams(name).random(30) for name in NAMES}
    streams = Streams(11, 4)
    generators = {name: streams(name) for name in order}
    # interleave draws in the given order, a few values at a time
    got = {name: [] for name in NAMES}
    for start in range(0, 30, 5):
        for name in order:
            got[name].extend(generators[name].random(5).tolist())
    for name in NAMES:
        assert np.array_equal(reference[name], got[name]), name


def test_draws_of_interleaved_streams_do_not_depend_on_order():
    distribution = Exponential(60.0)
    first = Streams(3, 0)
    talk, patience = first.draws("t", distribution), first.draws("p", distribution)
    a_talk = [talk() for _ in range(BATCH + 10)]
    a_patience = [patience() for _ in range(BATCH + 10)]
    second = Streams(3, 0)
    patience2, talk2 = second.draws("p", distribution), second.draws("t", distribution)
    b_talk, b_patience = [], []
    for _ in range(BATCH + 10):
        b_patience.append(patience2())
        b_talk.append(talk2())
    assert a_talk == b_talk and a_patience == b_patience


@pytest.mark.parametrize("distribution", [Exponential(60.0), Lognormal(270.0, 0.9),
                                          Uniform(0.0, 60.0), Empirical((1.0, 2.0, 5.0))],
                         ids=lambda d: type(d).__name__)
def test_draws_match_batched_sampling_of_the_same_generator(distribution):
    streams = Streams(2026, 7)
    n = 2 * BATCH + 37  # crosses two batch boundaries
    draw = streams.draws("sales.talk", distribution)
    values = [draw() for _ in range(n)]
    rng = streams("sales.talk")
    expected = np.concatenate([distribution.sample(rng, BATCH) for _ in range(3)])[:n]
    assert np.array_equal(np.asarray(values), expected)
    assert all(isinstance(v, float) for v in values[:5])


def test_draws_equal_for_equal_streams():
    a = Streams(1, 1).draws("x", Exponential(1.0))
    b = Streams(1, 1).draws("x", Exponential(1.0))
    assert [a() for _ in range(100)] == [b() for _ in range(100)]


@pytest.mark.parametrize("seed, replication", [(-1, 0), (0, -1)])
def test_negative_seed_or_replication_is_rejected(seed, replication):
    with pytest.raises(ValueError, match=">= 0"):
        Streams(seed, replication)


def test_keyed_values_do_not_depend_on_the_order_of_asking_nor_on_the_cache():
    from ccsim.streams import KEYED_BLOCK, KEYED_CACHE
    keys = [(s, c, a, h, r) for s in (0, 2) for c in (1, 5, KEYED_BLOCK + 3, 40 * KEYED_BLOCK)
            for a in (1, 2, 3) for h in (0, 1) for r in (0, 1)]
    assert len(keys) > KEYED_CACHE * 2  # enough blocks that some are dropped and drawn again
    forward = Streams(8, 2).keyed("sales.talk", Lognormal(300.0, 0.8))
    values = [forward(k) for k in keys]
    backward = Streams(8, 2).keyed("sales.talk", Lognormal(300.0, 0.8))
    assert [backward(k) for k in reversed(keys)] == values[::-1]
    assert [forward(k) for k in keys] == values  # asked again after blocks were dropped
    assert len(set(values)) == len(values)  # every key its own value


def test_keyed_streams_are_apart_from_ordered_ones_and_from_each_other():
    unit = Uniform(0.0, 1.0)

    def first_hundred(keyed):
        return np.array([keyed((0, customer, 1, 0, 0)) for customer in range(100)])

    streams = Streams(3, 1)
    _distinct([first_hundred(streams.keyed("x", unit)), first_hundred(streams.keyed("y", unit)),
               streams("x").random(100), first_hundred(Streams(3, 2).keyed("x", unit)),
               np.array([streams.keyed("x", unit)((1, c, 1, 0, 0)) for c in range(100)]),
               np.array([streams.keyed("x", unit)((0, c, 2, 0, 0)) for c in range(100)])])


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**32 - 1, 2**32, 2**64 + 5, 2**130 + 3])
@pytest.mark.parametrize("replication", [0, 7, 2**33 + 1])
def test_the_quick_seeding_gives_the_generators_of_the_documented_seeding(seed, replication):
    """Streams seeds its generators from the words SeedSequence(entropy=seed,
    spawn_key=(replication, ...)) would mix: the states must be those of that call, for
    named and keyed streams, and for a key word too big for the shortcut."""
    from ccsim.streams import _name_key, keyed_tag
    streams = Streams(seed, replication)

    def documented(spawn_key):
        sequence = np.random.SeedSequence(entropy=seed, spawn_key=(replication, *spawn_key))
        return np.random.PCG64(sequence).state

    assert streams("sales.talk").bit_generator.state == documented(_name_key("sales.talk"))
    for key in [(0, 1, 1, 0, 0), (3, 2**31, 2, 1, 4), (1, 2**40, 1, 0, 0)]:
        state = streams.generator_at("sales.talk", key).bit_generator.state
        assert state == documented((*keyed_tag("sales.talk"), len(key), *key)), key


@pytest.mark.parametrize("family", sorted(DISTRIBUTIONS))
def test_every_family_gives_the_same_values_however_its_batches_are_cut(family):
    """Streams start with small batches (64, 128, ... up to BATCH): that keeps the values
    only because each family's sampling takes the generator's next numbers value by value.
    Checked for every family, on random cuts, against one whole batch."""
    examples = {"exponential": Exponential(60.0), "lognormal": Lognormal(270.0, 0.9),
                "gamma": Gamma(200.0, 0.5), "erlang": Erlang(200.0, 3),
                "deterministic": Deterministic(30.0), "uniform": Uniform(0.0, 60.0),
                "triangular": Triangular(10.0, 20.0, 90.0),
                "empirical": Empirical(tuple(float(v) for v in range(1, 40000, 7)))}
    distribution = examples[family]
    assert isinstance(distribution, DISTRIBUTIONS[family][0])
    cuts = np.random.default_rng(11)
    for replication in range(5):
        whole = distribution.sample(Streams(5, replication)("x"), 3000)
        rng, pieces = Streams(5, replication)("x"), []
        while sum(len(p) for p in pieces) < 3000:
            pieces.append(distribution.sample(rng, int(cuts.integers(1, 300))))
        assert np.array_equal(np.concatenate(pieces)[:3000], whole)
