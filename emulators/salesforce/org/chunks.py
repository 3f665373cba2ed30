"""Checks Salesforce makes per DML chunk rather than per record.

Salesforce hands a write call's records to the database in chunks of 200 (the size triggers see).
Within one chunk of an upsert, two records carrying the same external id fail together instead of
the second one updating what the first just created [page: salesforce.stackexchange.com questions
296121 and 104048, `DUPLICATE_VALUE, Duplicate external id specified`]. sObject Collections send
at most 200 records, so a call is one chunk; Bulk 2.0 chunks each internal batch the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

DML_CHUNK_SIZE = 200


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
