"""One JSONL collection held compactly: raw lines as stored, plus sort keys and filter attributes.

Rows stay as the bytes of the dataset file (memory-mapped), so unknown fields and odd strings are
served exactly as written and a 700k-message dataset costs little more than its sort keys. Only
the rows a page returns are parsed.
"""

from __future__ import annotations

import bisect
import json
import mmap
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SortKey = tuple[Any, ...]
KeyFunction = Callable[[dict[str, Any]], SortKey]
AttrFunction = Callable[[dict[str, Any]], Any]


class RawRows:
    """Line bytes of a JSONL file, addressable by row number, with in-memory replacements."""

    def __init__(self, path: Path, on_line: Callable[[int, bytes], None] | None = None) -> None:
        """Index the non-blank lines of `path`, handing each to `on_line` during the same pass."""
        self._blob: bytes | mmap.mmap = b""
        self._starts = array("q")
        self._ends = array("q")
        self._replaced: dict[int, bytes] = {}
        if not path.is_file() or path.stat().st_size == 0:
            return
        with path.open("rb") as handle:
            self._blob = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            position = 0
            for line in handle:
                start, position = position, position + len(line)
                content = line.rstrip(b"\r\n")
                if content.strip():
                    self._starts.append(start)
                    self._ends.append(start + len(content))
                    if on_line is not None:
                        on_line(len(self._starts) - 1, content)

    def __len__(self) -> int:
        return len(self._starts) + sum(1 for index in self._replaced if index >= len(self._starts))

    def get(self, index: int) -> bytes:
        replaced = self._replaced.get(index)
        if replaced is not None:
            return replaced
        return bytes(self._blob[self._starts[index] : self._ends[index]])

    def put(self, index: int, raw: bytes) -> None:
        self._replaced[index] = raw


class Table:
    """Rows of one collection with keyset order, an id index, and per-row filter attributes."""

    def __init__(self, path: Path, key_of: KeyFunction, attrs_of: AttrFunction) -> None:
        self._path_name = path.name
        self._key_of = key_of
        self._attrs_of = attrs_of
        self.keys: list[SortKey] = []
        self.attrs: list[Any] = []
        self.by_id: dict[Any, int] = {}
        self._order: list[int] = []
        self._sorted_keys: list[SortKey] = []
        self._dirty = True
        self._rows = RawRows(path, self._index_line)

    def _index_line(self, index: int, raw: bytes) -> None:
        try:
            record = json.loads(raw)
        except ValueError as exc:
            raise ValueError(f"{self._path_name}: row {index + 1} is not JSON: {exc}") from exc
        self._index(index, record)

    def _index(self, index: int, record: dict[str, Any]) -> None:
        key, attrs = self._key_of(record), self._attrs_of(record)
        if index == len(self.keys):
            self.keys.append(key)
            self.attrs.append(attrs)
        else:
            self.keys[index], self.attrs[index] = key, attrs
        self.by_id[record.get("id")] = index
        self._dirty = True

    def __len__(self) -> int:
        return len(self.keys)

    def record(self, index: int) -> dict[str, Any]:
        return json.loads(self._rows.get(index))

    def find(self, record_id: Any) -> int | None:
        return self.by_id.get(record_id)

    def replace(self, index: int, record: dict[str, Any]) -> None:
        """Store a changed record (mutation hook); its keys move accordingly."""
        self._rows.put(index, _dump(record))
        self._index(index, record)

    def append(self, record: dict[str, Any]) -> int:
        index = len(self.keys)
        self._rows.put(index, _dump(record))
        self._index(index, record)
        return index

    def _ensure_order(self) -> None:
        if self._dirty:
            self._order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
            self._sorted_keys = [self.keys[index] for index in self._order]
            self._dirty = False

    def scan_from(self, lower: SortKey, *, inclusive: bool) -> Iterator[int]:
        """Row numbers in key order, starting at `lower` (or just after it)."""
        self._ensure_order()
        order, sorted_keys = self._order, self._sorted_keys
        find = bisect.bisect_left if inclusive else bisect.bisect_right
        for position in range(find(sorted_keys, lower), len(order)):
            yield order[position]

    def max_id(self) -> int:
        return max((key for key in self.by_id if isinstance(key, int)), default=0)


def _dump(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=True, separators=(",", ":")).encode("ascii")
