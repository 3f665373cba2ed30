"""Repeatable attachment bytes for `{"generate": {"size": N, "seed": S}}` content specs.

The generator hashes these bytes for the metadata's `sha256`; the server streams the same bytes
on download. Both call this module, so the two can never disagree. Bytes are produced in 1 MiB
blocks that each depend only on (seed, block index), so a `Range` request starts mid-file without
generating what comes before it.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

BLOCK_SIZE = 1 << 20


def _block(seed: int, index: int, length: int) -> bytes:
    return random.Random(f"stames-file:{seed}:{index}").randbytes(length)


def generated_bytes(size: int, seed: int, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """Yield bytes `start..end` (end exclusive, default `size`) of the generated file."""
    stop = size if end is None else min(end, size)
    position = start
    while position < stop:
        index, offset = divmod(position, BLOCK_SIZE)
        block_length = min(BLOCK_SIZE, size - index * BLOCK_SIZE)
        chunk = _block(seed, index, block_length)[offset : offset + (stop - position)]
        yield chunk
        position += len(chunk)


def generated_sha256(size: int, seed: int) -> str:
    """Hex sha256 of the whole generated file, computed block by block (flat memory)."""
    digest = hashlib.sha256()
    for chunk in generated_bytes(size, seed):
        digest.update(chunk)
    return digest.hexdigest()
