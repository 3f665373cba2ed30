"""Per-entity random streams.

Every entity draws from its own stream, named by (seed, kind, index). An entity can therefore be
rebuilt from its index alone (a ticket re-derives its customer or its merge partner) without
holding earlier records in memory, and adding a field to one kind never shifts another kind.
"""

from __future__ import annotations

import random


def rng_for(seed: int, kind: str, index: int = 0) -> random.Random:
    """A stream seeded from a string: stable across runs and Python processes (no hash salt)."""
    return random.Random(f"stames:{seed}:{kind}:{index}")


def chance(rng: random.Random, rate: float) -> bool:
    """One Bernoulli draw; always consumes exactly one number so later draws do not shift."""
    return rng.random() < rate
