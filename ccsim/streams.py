"""Named random streams: one independent generator per purpose, keyed by name, never by order.

``Streams(seed, replication)("sales.talk")`` always gives the same generator for the same
(seed, replication, purpose), whatever else the run draws. Two routing policies simulated with
the same seed therefore see the same contacts (common random numbers), and replications can run
in any order on any number of workers with bit-identical results.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from itertools import chain

import numpy as np

__all__ = ["Streams"]

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

    def draws(self, purpose: str, distribution) -> Callable[[], float]:
        """A function returning the next value of ``distribution`` from the stream ``purpose``.

        Values are drawn from numpy in batches (fast per batch, slow per call) and handed out one
        at a time by a C-level iterator, so a draw costs about as much as a function call."""
        rng = self(purpose)

        def batches():
            while True:
                yield distribution.sample(rng, BATCH).tolist()

        return chain.from_iterable(batches()).__next__
