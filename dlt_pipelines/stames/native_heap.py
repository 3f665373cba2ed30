"""Keep the C heap from growing with the data while dlt extracts in many threads.

Message bodies reach megabytes. glibc raises its mmap threshold each time such a block is freed,
so later big bodies are carved from the heap instead, and every thread that touches one gets an
arena of its own (up to 8 per core); the freed space stays mapped and the process grows with the
number of big bodies seen, not with what it holds. A fixed threshold returns big blocks to the
system on free, and few arenas keep the rest compact. Python's `tracemalloc` does not see this:
live Python objects stay near 20 MB while the resident size grows.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Protocol

from dlt_pipelines.stames import settings

M_MMAP_THRESHOLD = -3
"""`mallopt` parameter numbers from glibc's `<malloc.h>`."""
M_ARENA_MAX = -8


class Mallopt(Protocol):
    def mallopt(self, param: int, value: int) -> int: ...


def _glibc() -> Mallopt | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    libc = ctypes.CDLL(name)
    return libc if hasattr(libc, "mallopt") else None


def bound_native_heap(libc: Mallopt | None = None) -> bool:
    """Apply the heap limits to this process; False where there is no glibc `mallopt` (a no-op).

    Call it before the extraction starts its threads: arenas already created stay.
    """
    libc = libc or _glibc()
    if libc is None:
        return False
    applied = libc.mallopt(M_MMAP_THRESHOLD, settings.MALLOC_MMAP_THRESHOLD_BYTES)
    applied &= libc.mallopt(M_ARENA_MAX, settings.MALLOC_ARENAS)
    return applied == 1
