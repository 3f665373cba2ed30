"""Compare a §3b dataset folder with what the extraction landed in `raw_stames`, record for record.

Every top-level scalar field (and every field of a nested object, flattened as dlt does with `__`)
is compared per record; lists are checked through their child tables' row counts. Lone surrogates
are compared in the escaped form the extraction stores (see `escape_lone_surrogates`).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from dlt.common.normalizers.naming.snake_case import NamingConvention

from dlt_pipelines.stames.helpers import escape_lone_surrogates

NAMING = NamingConvention()
SCHEMA = "raw_stames"


@dataclass(frozen=True)
class Collection:
    jsonl: str
    table: str
    key: tuple[str, ...] = ("id",)


CORE_COLLECTIONS = (
    Collection("agents.jsonl", "agents"),
    Collection("customers.jsonl", "customers"),
    Collection("tickets.jsonl", "tickets"),
    Collection("messages.jsonl", "messages"),
    Collection("status_changes.jsonl", "status_changes"),
    Collection("deleted_records.jsonl", "deleted_records", ("object", "id", "deleted_at", "reason")),
    Collection("tags.jsonl", "tags", ("name",)),
    Collection("ticket_statuses.jsonl", "ticket_statuses", ("key",)),
    Collection("channels.jsonl", "channels"),
    Collection("custom_fields.jsonl", "custom_fields"),
    Collection("custom_objects.jsonl", "custom_objects", ("key",)),
)


def collections_of(dataset_dir: Path) -> list[Collection]:
    """The core collections plus one per custom-object records file."""
    records = sorted((dataset_dir / "custom_object_records").glob("*.jsonl"))
    return [
        *CORE_COLLECTIONS,
        *(
            Collection(f"custom_object_records/{path.name}", f"custom_object_records_{path.stem}")
            for path in records
        ),
    ]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def flatten(
    record: dict[str, Any], prefix: str = "", json_columns: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], dict[str, int]]:
    """Scalars by dlt column name, and list lengths by child-table suffix. A column typed JSON keeps
    its whole value (dlt neither flattens it nor makes child tables of it)."""
    scalars: dict[str, Any] = {}
    lists: dict[str, int] = {}
    for key, value in record.items():
        name = prefix + NAMING.normalize_identifier(key)
        if name in json_columns:
            scalars[name] = escape_lone_surrogates(value)
        elif isinstance(value, dict):
            if value:
                inner_scalars, inner_lists = flatten(value, name + "__", json_columns)
                scalars.update(inner_scalars)
                lists.update(inner_lists)
            else:
                scalars[name] = None
        elif isinstance(value, list):
            lists[name] = len(value)
        else:
            scalars[name] = escape_lone_surrogates(value)
    return scalars, lists


def _canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Comparison:
    table: str
    dataset_rows: int
    warehouse_rows: int
    distinct_keys: int
    dataset_checksum: str
    warehouse_checksum: str
    child_rows_expected: dict[str, int]
    child_rows_found: dict[str, int]
    first_difference: str | None


def _columns(connection: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [SCHEMA, table],
    ).fetchall()
    return [row[0] for row in rows]


def _columns_of_type(connection: duckdb.DuckDBPyConnection, table: str, data_type: str) -> frozenset[str]:
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? AND data_type = ?",
        [SCHEMA, table, data_type],
    ).fetchall()
    return frozenset(row[0] for row in rows)


def _as_stored(value: Any, text_column: bool) -> Any:
    """dlt writes a number into a column typed text (first value seen was a string) as its str()."""
    if text_column and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _warehouse_value(row: dict[str, Any], name: str, json_columns: frozenset[str]) -> Any:
    """A field's value, wherever dlt put it (its own column or a `__v_<type>` variant)."""
    if name in json_columns and row.get(name) is not None:
        return json.loads(row[name])
    if row.get(name) is not None:
        return row[name]
    for column, value in row.items():
        if column.startswith(name + "__v_") and value is not None:
            return value
    return None


def compare_collection(
    connection: duckdb.DuckDBPyConnection, dataset_dir: Path, collection: Collection
) -> Comparison:
    records = read_jsonl(dataset_dir / collection.jsonl)
    json_columns = _columns_of_type(connection, collection.table, "JSON")
    flattened = [flatten(record, json_columns=json_columns) for record in records]
    field_names = sorted({name for scalars, _ in flattened for name in scalars})
    columns = _columns(connection, collection.table)
    rows: list[dict[str, Any]] = []
    if columns:
        cursor = connection.execute(f'SELECT * FROM {SCHEMA}."{collection.table}"')
        names = [description[0] for description in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    text_columns = _columns_of_type(connection, collection.table, "VARCHAR")
    expected = Counter(
        _canonical({name: _as_stored(scalars.get(name), name in text_columns) for name in field_names})
        for scalars, _ in flattened
    )
    found = Counter(
        _canonical({name: _warehouse_value(row, name, json_columns) for name in field_names}) for row in rows
    )
    key_columns = [NAMING.normalize_identifier(part) for part in collection.key]
    distinct = len({tuple(row.get(column) for column in key_columns) for row in rows})
    child_expected: Counter[str] = Counter()
    for _, lists in flattened:
        child_expected.update(lists)
    child_found = {
        child: _count(connection, f"{collection.table}__{child}") for child in sorted(child_expected)
    }
    difference = None
    if expected != found:
        missing = sorted((expected - found).elements())[:1]
        extra = sorted((found - expected).elements())[:1]
        difference = (
            f"dataset only: {missing[0][:400] if missing else None}\n"
            f"warehouse only: {extra[0][:400] if extra else None}"
        )
    return Comparison(
        table=collection.table,
        dataset_rows=len(records),
        warehouse_rows=len(rows),
        distinct_keys=distinct,
        dataset_checksum=_checksum(expected),
        warehouse_checksum=_checksum(found),
        child_rows_expected=dict(sorted(child_expected.items())),
        child_rows_found=child_found,
        first_difference=difference,
    )


def _count(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    if not _columns(connection, table):
        return 0
    return int(connection.execute(f'SELECT count(*) FROM {SCHEMA}."{table}"').fetchone()[0])


def _checksum(rows: Counter[str]) -> str:
    digest = hashlib.sha256()
    for line in sorted(rows.elements()):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def compare_dataset(warehouse: Path, dataset_dir: Path) -> list[Comparison]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return [
            compare_collection(connection, dataset_dir, collection)
            for collection in collections_of(dataset_dir)
        ]


def assert_matches_dataset(warehouse: Path, dataset_dir: Path) -> list[Comparison]:
    """Every collection: same records, same field values, each key exactly once, same child rows."""
    comparisons = compare_dataset(warehouse, dataset_dir)
    for result in comparisons:
        assert result.warehouse_rows == result.dataset_rows, result
        assert result.distinct_keys == result.warehouse_rows, f"duplicate keys in {result.table}"
        assert result.warehouse_checksum == result.dataset_checksum, result.first_difference
        assert result.child_rows_found == result.child_rows_expected, result
    return comparisons
