"""Per-ticket decisions that other tickets must be able to recompute: time, fate, merge partner.

They are pure functions of (seed, index), so a ticket written later can learn that an earlier one
was merged into it, and bump its own `updated_at`, without anything kept in memory.
"""

from __future__ import annotations

from functools import lru_cache

from emulators.stames_api.generator import profile
from emulators.stames_api.generator.seeding import rng_for
from emulators.stames_api.generator.timeline import DAY_MS, DST_AMBIGUOUS_MS, FIRST_TICKET_MS, LATEST_MS

NORMAL, DELETED, MERGED, SPAM, BOUNCE = "normal", "deleted", "merged", "spam", "bounce"
MERGE_WINDOW = 5
BOUNCE_BLOCK = 1000
BOUNCE_BURST = 10


def ticket_id(index: int) -> int:
    return profile.FIRST_TICKET_ID + index


def created_ms(seed: int, index: int, count: int) -> int:
    """Tickets arrive in id order over the account's life; one lands on a DST-ambiguous hour."""
    span = LATEST_MS - 2 * DAY_MS - FIRST_TICKET_MS
    if index == _dst_index(count):
        return DST_AMBIGUOUS_MS
    jitter = rng_for(seed, "ticket-created", index).random()
    return FIRST_TICKET_MS + int((index + jitter) / count * span)


def _dst_index(count: int) -> int:
    span = LATEST_MS - 2 * DAY_MS - FIRST_TICKET_MS
    return int((DST_AMBIGUOUS_MS - FIRST_TICKET_MS) / span * count)


def is_bounce(seed: int, index: int, count: int) -> bool:
    """Bounce loops: one burst of near-identical mailer-daemon tickets per block of tickets."""
    block, position = divmod(index, BOUNCE_BLOCK)
    block_size = min(BOUNCE_BLOCK, count - block * BOUNCE_BLOCK)
    burst = max(1, round(block_size * profile.TICKET_BOUNCE))
    if block_size <= burst:
        return False
    start = rng_for(seed, "bounce", block).randrange(block_size - burst)
    return start <= position < start + burst


@lru_cache(maxsize=4096)  # merge lookups revisit the same few neighbours
def _raw_fate(seed: int, index: int, count: int) -> str:
    if is_bounce(seed, index, count):
        return BOUNCE
    draw = rng_for(seed, "ticket-fate", index).random()
    if draw < profile.TICKET_SOFT_DELETED:
        return DELETED
    if draw < profile.TICKET_SOFT_DELETED + profile.TICKET_MERGED:
        return MERGED
    if draw < profile.TICKET_SOFT_DELETED + profile.TICKET_MERGED + profile.TICKET_SPAM:
        return SPAM
    return NORMAL


def merge_target(seed: int, index: int, count: int) -> int | None:
    """Index of the later, ordinary ticket that `index` was merged into (None: not merged)."""
    if _raw_fate(seed, index, count) != MERGED:
        return None
    for candidate in range(index + 1, min(count, index + 1 + MERGE_WINDOW)):
        if _raw_fate(seed, candidate, count) == NORMAL:
            return candidate
    return None


def fate(seed: int, index: int, count: int) -> str:
    raw = _raw_fate(seed, index, count)
    if raw == MERGED and merge_target(seed, index, count) is None:
        return NORMAL
    return raw


def merged_at_ms(seed: int, index: int, count: int, target: int) -> int:
    later = max(created_ms(seed, index, count), created_ms(seed, target, count))
    room = max(2, min(30 * DAY_MS, LATEST_MS - later - 1))
    return later + rng_for(seed, "ticket-merge-time", index).randrange(1, room)


def merged_sources(seed: int, index: int, count: int) -> list[int]:
    """Earlier tickets merged into the ticket at `index`."""
    return [
        source
        for source in range(max(0, index - MERGE_WINDOW), index)
        if merge_target(seed, source, count) == index
    ]
