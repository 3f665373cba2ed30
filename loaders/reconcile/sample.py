"""The seeded sample of Cases compared field by field: the same seed over the same run draws the
same Cases, so a customer can re-draw the sample an engineer reported on."""

from __future__ import annotations

import random
from collections.abc import Iterable

DEFAULT_SAMPLE = 30
MIN_SAMPLE = 25
MAX_SAMPLE = 50


class SampleSizeError(ValueError):
    """The sample size is outside what the reconciliation allows; the message is one line."""


def check_sample_size(size: int) -> int:
    if not MIN_SAMPLE <= size <= MAX_SAMPLE:
        raise SampleSizeError(f"--sample must be between {MIN_SAMPLE} and {MAX_SAMPLE} Cases (got {size}).")
    return size


def draw_sample(case_ids: Iterable[str], size: int, seed: int) -> list[str]:
    """`size` Stames ids drawn with `random.Random(seed)` from the sorted ids (all of them, sorted,
    when there are no more than `size`); returned sorted."""
    population = sorted(set(case_ids))
    check_sample_size(size)
    if len(population) <= size:
        return population
    return sorted(random.Random(seed).sample(population, size))
