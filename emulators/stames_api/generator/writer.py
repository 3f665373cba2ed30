"""JSONL output that streams to disk and survives lone surrogates."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import TracebackType
from typing import IO, Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(record: Any) -> str:
    """Compact JSON, UTF-8 text kept readable; a lone surrogate becomes the escape `\\ud83d`.

    `ensure_ascii=False` writes lone surrogates raw, which cannot be encoded as UTF-8; upstream
    systems emit them as JSON escapes, and strict decoders then reject them (§3 #14).
    """
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    if _SURROGATE.search(line):
        line = _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", line)
    return line


class JsonlWriter:
    """Appends one record per line; counts lines so the report needs no second pass."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.count = 0
        self._handle: IO[str] = path.open("w", encoding="utf-8", newline="\n")

    def write(self, record: Any) -> None:
        self._handle.write(dumps(record))
        self._handle.write("\n")
        self.count += 1

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def write_jsonl(path: Path, records: list[Any]) -> int:
    with JsonlWriter(path) as writer:
        for record in records:
            writer.write(record)
        return writer.count


def write_json(path: Path, document: Any) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
