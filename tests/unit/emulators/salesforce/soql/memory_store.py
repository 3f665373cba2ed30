"""A small in-memory `RecordStore` for SOQL unit tests: a test double of the protocol, built from
trimmed real describe responses (Account, Case, Contact) plus minimal User, Group and
ContentDocumentLink describes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from emulators.salesforce.soql.values import canonical_id, id_checksum

DESCRIBES: dict[str, dict[str, Any]] = json.loads((Path(__file__).parent / "describes.json").read_text())


class MemoryStore:
    """Records per object in insertion order; Ids minted from the describe's key prefix."""

    def __init__(self) -> None:
        self.records: dict[str, list[dict[str, Any]]] = {name: [] for name in DESCRIBES}
        self.counter = 0
        self.get_calls = 0
        self.scan_calls = 0

    def add(self, sobject: str, **values: Any) -> str:
        self.counter += 1
        id15 = f"{DESCRIBES[sobject]['keyPrefix']}{'0' * 6}{self.counter:06d}"
        record_id = id15 + id_checksum(id15)
        self.records[sobject].append({"Id": record_id, "IsDeleted": False, **values})
        return record_id

    def delete(self, record_id: str) -> None:
        for rows in self.records.values():
            for row in rows:
                if row["Id"] == record_id:
                    row["IsDeleted"] = True

    def sobject_names(self) -> list[str]:
        return list(DESCRIBES)

    def describe(self, sobject: str) -> dict[str, Any]:
        for name, described in DESCRIBES.items():
            if name.lower() == sobject.lower():
                return described
        raise KeyError(sobject)

    def scan(self, sobject: str, *, include_deleted: bool = False) -> Iterator[dict[str, Any]]:
        self.scan_calls += 1
        name = self.describe(sobject)["name"]
        for row in self.records[name]:
            if include_deleted or not row["IsDeleted"]:
                yield dict(row)

    def get(self, record_id: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        self.get_calls += 1
        wanted = canonical_id(record_id)
        for name, rows in self.records.items():
            for row in rows:
                if row["Id"] == wanted and (include_deleted or not row["IsDeleted"]):
                    return {"attributes": {"type": name}, **row}
        return None

    def find_ids(self, sobject: str, field_name: str, value: str) -> list[str]:
        name = self.describe(sobject)["name"]
        return [row["Id"] for row in self.records[name] if not row["IsDeleted"] and row.get(field_name) == value]
