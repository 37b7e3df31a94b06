"""Named random streams: one independent generator per purpose, keyed by name, never by order.

``Streams(seed, replication)("sales.talk")`` always gives the same generator for the same
(seed, replication, purpose), whatever else the run draws. Two routing policies simulated with
the same seed therefore see the same contacts (common random numbers), and replications can run
in any order on any number of workers with bit-identical results.

Two ways to read a stream, for two kinds of contact:

* ``draws(purpose, distribution)``: the next value, in the order asked. Used where the order
  cannot depend on routing: the attributes (talk, hold, ACW, patience) of a type's first
  contacts, created in arrival order, and of callers leaving the IVR.
* ``keyed(purpose, distribution)``: the value *at a key*, whatever the order of asking. A
  follow-up contact (a redial, a repeat, a transfer leg, a call-back retry) is created when the
  routing lets it happen, and every journey decision (redial or not, accept a call-back, reached,
  transferred, resolved, come back) is taken when routing gets there; both read values keyed by
  the contact: ``(source, customer, attempt, hop, retry)``. ``source`` is the index of the type
  whose arrival brought the customer (the number of types for an IVR caller), ``customer`` its
  arrival number there (1, 2, ...), ``attempt`` the customer's attempt (1 for the first, +1 at each
  redial or repeat), ``hop`` the transfer leg within the attempt (0, 1, ...), ``retry`` the
  call-back retry of that leg (0, 1, ...). So customer 17 of ``sales`` makes its second attempt
  with the same talk time and the same patience under every policy, when it makes it at all.
  Keyed values are drawn in blocks of ``KEYED_BLOCK`` customers, each block from its own
  generator named by (purpose, source, attempt, hop, retry, block): a block is recomputed
  identically if it was dropped from the small cache, so the cache only saves time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from itertools import chain

import numpy as np

__all__ = ["Streams", "Keyed"]

BATCH = 1024
FIRST_BATCH = 64  # a stream's first batch; each next one twice as big, up to BATCH
KEYED_BLOCK = 256  # customers per block of keyed values
KEYED_CACHE = 32  # blocks kept per keyed stream (16 dropped a third of the week's blocks early)


def _name_key(purpose: str) -> tuple[int, ...]:
    digest = hashlib.blake2b(purpose.encode("utf-8"), digest_size=16).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


def _words(n: int) -> list[int]:
    """A non-negative integer as 32-bit words, least significant first (at least one)."""
    words = [n & 0xFFFFFFFF]
    while n >> 32:
        n >>= 32
        words.append(n & 0xFFFFFFFF)
    return words


class Streams:
    """The random streams of one replication of one run.

    Every generator is seeded by ``SeedSequence(entropy=seed, spawn_key=(replication, ...))``.
    That sequence mixes the seed's 32-bit words, padded with zeros to its pool size, then the
    words of the spawn key; handing it that very list of words as its entropy gives the same
    state, for a quarter of the cost of building it from the seed and the key
    (``tests/test_streams.py`` holds the two equal)."""

    def __init__(self, seed: int, replication: int = 0):
        if seed < 0 or replication < 0:
            raise ValueError(f"seed and replication must be >= 0 (got {seed}, {replication})")
        self.seed = seed
        self.replication = replication
        seed_words = _words(seed)
        pool = np.random.SeedSequence(0).pool_size
        self._prefix = seed_words + [0] * (pool - len(seed_words)) + _words(replication)

    def _generator(self, spawn_key) -> np.random.Generator:
        if max(spawn_key) >> 32:  # a word the shortcut would not split as numpy does
            sequence = np.random.SeedSequence(entropy=self.seed,
                                              spawn_key=(self.replication, *spawn_key))
        else:
            sequence = np.random.SeedSequence(np.array(self._prefix + list(spawn_key),
                                                       dtype=np.uint32))
        return np.random.Generator(np.random.PCG64(sequence))

    def __call__(self, purpose: str) -> np.random.Generator:
        return self._generator(_name_key(purpose))

    def generator_at(self, purpose: str, key: tuple[int, ...], tag=None) -> np.random.Generator:
        """The generator of ``purpose`` at the integer ``key`` (distinct from ``self(purpose)``
        and from every other key: the name is tagged and the key words follow it). ``tag`` is
        ``keyed_tag(purpose)``, for a caller that asks often."""
        return self._generator((*(tag or keyed_tag(purpose)), len(key), *key))

    def keyed(self, purpose: str, distribution) -> "Keyed":
        """Values of ``distribution`` addressed by a contact's key (see the module docstring)."""
        return Keyed(self, purpose, distribution)

    def draws(self, purpose: str, distribution) -> Callable[[], float]:
        """A function returning the next value of ``distribution`` from the stream ``purpose``.

        Values are drawn from numpy in batches (fast per batch, slow per call) and handed out one
        at a time by a C-level iterator, so a draw costs about as much as a function call.
        Batches start small and double up to ``BATCH``, so a stream that is read little costs
        little. Every distribution takes the generator's next numbers value by value, wherever a
        batch is cut (``tests/test_streams.py`` checks each family), so the values are those of
        batches of ``BATCH`` all along."""
        rng = self(purpose)

        def batches():
            size = FIRST_BATCH
            while True:
                yield distribution.sample(rng, size).tolist()
                size = min(2 * size, BATCH)

        return chain.from_iterable(batches()).__next__


def keyed_tag(purpose: str) -> tuple[int, ...]:
    """The words naming a keyed stream in its generators' seeds."""
    return _name_key("keyed:" + purpose)


class Keyed:
    """``keyed(key)`` is the value of one distribution at a contact's key
    ``(source, customer, attempt, hop, retry)``: the same for the same key in any run with the
    same seed and replication, whatever was asked before."""

    __slots__ = ("streams", "purpose", "distribution", "blocks", "tag")

    def __init__(self, streams: Streams, purpose: str, distribution):
        self.streams, self.purpose, self.distribution = streams, purpose, distribution
        self.blocks: dict[tuple, list] = {}
        self.tag = keyed_tag(purpose)

    def __call__(self, key: tuple[int, int, int, int, int]) -> float:
        source, customer, attempt, hop, retry = key
        block, offset = divmod(customer, KEYED_BLOCK)
        name = (source, attempt, hop, retry, block)
        values = self.blocks.get(name)
        if values is None:
            if len(self.blocks) >= KEYED_CACHE:  # drop the oldest block (recomputable)
                del self.blocks[next(iter(self.blocks))]
            rng = self.streams.generator_at(self.purpose, name, self.tag)
            values = self.blocks[name] = self.distribution.sample(rng, KEYED_BLOCK).tolist()
        return values[offset]
