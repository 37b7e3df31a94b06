"""Named random streams: one independent generator per purpose, keyed by name, never by order.

``Streams(seed, replication)("sales.talk")`` always gives the same generator for the same
(seed, replication, purpose), whatever else the run draws. Two routing policies simulated with
the same seed therefore see the same contacts (common random numbers), and replications can run
in any order on any number of workers with bit-identical results.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["Streams", "Draws"]

BATCH = 1024


def _name_key(purpose: str) -> tuple[int, ...]:
    digest = hashlib.blake2b(purpose.encode("utf-8"), digest_size=16).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


class Streams:
    """The random streams of one replication of one run."""

    def __init__(self, seed: int, replication: int = 0):
        if seed < 0 or replication < 0:
            raise ValueError(f"seed and replication must be >= 0 (got {seed}, {replication})")
        self.seed = seed
        self.replication = replication

    def __call__(self, purpose: str) -> np.random.Generator:
        sequence = np.random.SeedSequence(
            entropy=self.seed, spawn_key=(self.replication, *_name_key(purpose))
        )
        return np.random.Generator(np.random.PCG64(sequence))

    def draws(self, purpose: str, distribution) -> "Draws":
        """A buffered source of values of ``distribution`` from the stream named ``purpose``."""
        return Draws(self(purpose), distribution)


class Draws:
    """Values of one distribution drawn in batches (numpy is fast per batch, slow per call)."""

    __slots__ = ("_rng", "_distribution", "_buffer", "_index")

    def __init__(self, rng: np.random.Generator, distribution):
        self._rng = rng
        self._distribution = distribution
        self._buffer: list[float] = []
        self._index = 0

    def __call__(self) -> float:
        if self._index == len(self._buffer):
            self._buffer = self._distribution.sample(self._rng, BATCH).tolist()
            self._index = 0
        value = self._buffer[self._index]
        self._index += 1
        return value
