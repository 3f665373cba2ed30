"""The outcome of a query, and its rendering as Bulk 2.0 query CSV rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from emulators.salesforce.soql.values import parse_datetime


@dataclass
class QueryResult:
    """Records in REST JSON shape (with `attributes` and nested parent objects), the SELECT columns
    as written, and the total. For `SELECT COUNT()` `records` is empty and `is_count` is set."""

    sobject: str
    columns: list[str]
    records: list[dict[str, Any]] = field(default_factory=list)
    total_size: int = 0
    is_count: bool = False


def csv_rows(result: QueryResult) -> Iterator[list[str]]:
    """The header (SELECT columns as written, dotted for parent fields) and one row per record,
    formatted as Bulk 2.0 writes them: empty for null, `true`/`false`, `...T00:00:00.000Z`."""
    yield list(result.columns)
    for record in result.records:
        yield [csv_value(_dig(record, column)) for column in result.columns]


def _dig(record: dict[str, Any], column: str) -> Any:
    """The value at a dotted column in a nested record; keys are matched case-insensitively since
    the column keeps the query's spelling while the record uses the describe's."""
    node: Any = record
    for part in column.split("."):
        if not isinstance(node, dict):
            return None
        node = next((value for key, value in node.items() if key.lower() == part.lower()), None)
    return node


def csv_value(value: Any) -> str:
    """One CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and _looks_like_rest_datetime(value):
        moment = parse_datetime(value)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return str(value)


def _looks_like_rest_datetime(text: str) -> bool:
    return len(text) >= 24 and text[4] == "-" and text[10] == "T" and text[-5] in "+-" and text[-4:].isdigit()
