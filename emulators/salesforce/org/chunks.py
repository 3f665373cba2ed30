"""Checks Salesforce makes per DML chunk rather than per record.

Salesforce hands a write call's records to the database in chunks of 200 (the size triggers see).
Within one chunk of an upsert, two records carrying the same external id fail together instead of
the second one updating what the first just created [page: salesforce.stackexchange.com questions
296121 and 104048, `DUPLICATE_VALUE, Duplicate external id specified`]. sObject Collections send
at most 200 records, so a call is one chunk; Bulk 2.0 chunks each internal batch the same way.

Records of several objects in one call are also split by type: each run of consecutive records of
one object is a chunk, and a call may hold at most 10 such chunks [doc:
resources-composite-sobjects-collections-create, "{account1, account2, contact1, account3} … is
processed in three chunks … A single request can process up to 10 chunks"].
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

DML_CHUNK_SIZE = 200
MAX_TYPE_CHUNKS = 10
TOO_MANY_TYPE_CHUNKS = (
    "INVALID_BATCH_SIZE",  # [recall]
    "Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking.",
)
"""The refusal of a call with more type chunks; the message is the platform's [page: Salesforce
developers quoting the error in issue trackers], the code is [recall]."""


def type_chunks(types: Sequence[str | None]) -> int:
    """How many chunks a call of records of these object types (in order) is processed in."""
    chunks = 0
    previous: str | None = None
    for position, sobject in enumerate(types):
        key = sobject.lower() if sobject else None
        if position == 0 or key != previous:
            chunks += 1
        previous = key
    return chunks


def repeated_keys(keys: Sequence[str | None], *, case_sensitive: bool) -> set[int]:
    """Positions in `keys` (one chunk) whose non-empty key occurs more than once in that chunk.

    Keys compare as the external id field does: case-insensitively unless the field is
    caseSensitive. Empty keys are left out: those records fail on their own (`MISSING_ARGUMENT`).
    """
    normalized = [_normalize(key, case_sensitive) for key in keys]
    counts = Counter(key for key in normalized if key)
    return {position for position, key in enumerate(normalized) if key and counts[key] > 1}


def _normalize(key: str | None, case_sensitive: bool) -> str | None:
    if key is None or key == "":
        return None
    return key if case_sensitive else key.lower()
