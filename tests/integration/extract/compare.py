"""Compare a §3b dataset folder with what an extraction landed in `raw_stames`, row for row.

The oracle of the extract tests, so it knows nothing of the code under test: the expected columns
and their types are the contract's objects (API.md §2.7), written out by hand below; the expected
values are read from the dataset files. Nested objects are columns joined with `__`, lists are
child tables (`tickets__tags`) whose rows point at their parent through `_dlt_parent_id`, and a
list of scalars keeps them in a `value` column: the warehouse layout the README describes.

Every row of every table is compared, child rows included and addressed by their parent's key and
list position, so a value moved to the wrong parent is caught as well as a changed one. Columns
must have the type written here; a column nobody expects (such as a `__v_text` variant made when
a value did not fit the column's type) is a difference.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

SCHEMA = "raw_stames"

INT, TEXT, BOOL, DOUBLE, JSON = "BIGINT", "VARCHAR", "BOOLEAN", "DOUBLE", "JSON"
SERVER_SIGNED = "signed by the server"
"""Marks a field the server adds (§3b: signed URLs), typed but absent from the dataset files."""

# Every timestamp is TEXT: legacy `created_at` values have no offset ("2019-03-02 14:05:00",
# §2.1) and must be kept verbatim, so no column is parsed into a timestamp type.
STAMP = TEXT

# A custom field's `value` is a scalar of any type or a list of strings (multi-select, §3 #24);
# raw keeps every scalar as the text it reads as, so a checkbox never coerces a later amount.
ANY_AS_TEXT = (TEXT, [TEXT])

Spec = dict[str, Any]

AGENT: Spec = {
    "id": INT,
    "email": TEXT,
    "name": TEXT,
    "role": TEXT,
    "permissions": [TEXT],
    "active": BOOL,
    "deleted": BOOL,
    "deactivated_at": STAMP,
    "team_ids": [INT],
    "timezone": TEXT,
    "last_login_at": STAMP,
    "created_at": STAMP,
    "updated_at": STAMP,
}
CUSTOM_FIELD_VALUE: Spec = {"field_id": INT, "key": TEXT, "value": ANY_AS_TEXT}
CUSTOMER: Spec = {
    "id": INT,
    "name": TEXT,
    "email": TEXT,
    "phone": TEXT,
    "phone_raw": TEXT,
    "company": TEXT,
    "identities": [{"type": TEXT, "value": TEXT, "primary": BOOL, "verified": BOOL}],
    "custom_fields": [CUSTOM_FIELD_VALUE],
    "merged_into_id": INT,
    "created_at": STAMP,
    "updated_at": STAMP,
}
TICKET: Spec = {
    "id": INT,
    "number": TEXT,
    "subject": TEXT,
    "description_text": TEXT,
    "description_html": TEXT,
    "status": TEXT,
    "status_category": TEXT,
    "priority": TEXT,
    "assignee_id": INT,
    "team_id": INT,
    "customer_id": INT,
    "requester": {"id": INT, "name": TEXT, "email": TEXT},
    "channel": {"type": TEXT, "inbox_id": INT, "source_ref": TEXT},
    "tags": [TEXT],
    "custom_fields": [CUSTOM_FIELD_VALUE],
    "sla_due_at": STAMP,
    "sms_notification": BOOL,
    "reminder": {"trigger": TEXT, "offset_minutes": INT, "remind_at": STAMP},
    "message_count": INT,
    "attachment_count": INT,
    "merged_into_id": INT,
    "is_spam": BOOL,
    "deleted_at": STAMP,
    "created_at": STAMP,
    "updated_at": STAMP,
}
ATTACHMENT: Spec = {
    "id": INT,
    "message_id": INT,
    "ticket_id": INT,
    "file_name": TEXT,
    "content_type": TEXT,
    "size": INT,
    "inline": BOOL,
    "content_id": TEXT,
    "sha256": TEXT,
    "status": TEXT,
    "download_url": (TEXT, SERVER_SIGNED),
    "expires_at": (STAMP, SERVER_SIGNED),
}
MESSAGE: Spec = {
    "id": INT,
    "ticket_id": INT,
    "author": {"type": TEXT, "id": INT, "name": TEXT},
    "direction": TEXT,
    "is_private": BOOL,
    "channel": {"type": TEXT, "inbox_id": INT},
    "external_id": TEXT,
    "body_text": TEXT,
    "body_html": TEXT,
    "body_truncated": BOOL,
    "body_size_bytes": INT,
    "delivery_status": TEXT,
    "attachments": [ATTACHMENT],
    "created_at": STAMP,
    "updated_at": STAMP,
}
STATUS_CHANGE: Spec = {
    "id": INT,
    "ticket_id": INT,
    "from_status": TEXT,
    "to_status": TEXT,
    "from_category": TEXT,
    "to_category": TEXT,
    "changed_by": {"type": TEXT, "id": INT},
    "via": TEXT,
    "changed_at": STAMP,
    "updated_at": STAMP,
}
# Tombstone ids are strings even for integer-keyed objects (§2.7 #22).
DELETED_RECORD: Spec = {
    "object": TEXT,
    "id": TEXT,
    "deleted_at": STAMP,
    "reason": TEXT,
    "merged_into_id": TEXT,
}
TAG: Spec = {"name": TEXT, "ticket_count": INT}
TICKET_STATUS: Spec = {
    "key": TEXT,
    "label": TEXT,
    "category": TEXT,
    "system": BOOL,
    "active": BOOL,
    "position": INT,
}
CHANNEL: Spec = {"id": INT, "name": TEXT, "type": TEXT, "address": TEXT, "active": BOOL}
CUSTOM_FIELD: Spec = {
    "id": INT,
    "object_type": TEXT,
    "key": TEXT,
    "label": TEXT,
    "type": TEXT,
    "required": BOOL,
    "active": BOOL,
    "options": [{"value": TEXT, "label": TEXT, "active": BOOL}],
    "lookup": {"target": TEXT, "object_key": TEXT},
    "created_at": STAMP,
    "updated_at": STAMP,
}
CUSTOM_OBJECT: Spec = {
    "key": TEXT,
    "name": TEXT,
    "name_plural": TEXT,
    "fields": [
        {
            "key": TEXT,
            "label": TEXT,
            "type": TEXT,
            "required": BOOL,
            "options": [{"value": TEXT, "label": TEXT}],
        }
    ],
    "created_at": STAMP,
    "updated_at": STAMP,
}
# `fields` is free-form per object type (§2.7 #21) and stays one JSON value, whatever its members.
CUSTOM_OBJECT_RECORD: Spec = {
    "id": TEXT,
    "object_key": TEXT,
    "name": TEXT,
    "fields": JSON,
    "customer_id": INT,
    "ticket_ids": [INT],
    "created_at": STAMP,
    "updated_at": STAMP,
}
ACCOUNT: Spec = {
    "id": INT,
    "subdomain": TEXT,
    "name": TEXT,
    "timezone": TEXT,
    "locale": TEXT,
    "plan": TEXT,
    "api_rate_limit_rps": INT,
    "legacy_import": {"source": TEXT, "imported_at": STAMP, "timestamps_local_time": BOOL},
    "created_at": STAMP,
}

DLT_COLUMNS = frozenset({"_dlt_id", "_dlt_load_id", "_dlt_parent_id", "_dlt_root_id", "_dlt_list_idx"})
PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*")
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
JSON_TYPES = {bool: BOOL, int: INT, float: DOUBLE, str: TEXT}


@dataclass(frozen=True)
class Collection:
    """One dataset file and the table it lands in, keyed as the API keys it."""

    source: str
    table: str
    spec: Spec
    key: tuple[str, ...] = ("id",)


CORE_COLLECTIONS = (
    Collection("agents.jsonl", "agents", AGENT),
    Collection("customers.jsonl", "customers", CUSTOMER),
    Collection("tickets.jsonl", "tickets", TICKET),
    Collection("messages.jsonl", "messages", MESSAGE),
    Collection("status_changes.jsonl", "status_changes", STATUS_CHANGE),
    Collection(
        "deleted_records.jsonl", "deleted_records", DELETED_RECORD, ("object", "id", "deleted_at", "reason")
    ),
    Collection("tags.jsonl", "tags", TAG, ("name",)),
    Collection("ticket_statuses.jsonl", "ticket_statuses", TICKET_STATUS, ("key",)),
    Collection("channels.jsonl", "channels", CHANNEL),
    Collection("custom_fields.jsonl", "custom_fields", CUSTOM_FIELD),
    Collection("custom_objects.jsonl", "custom_objects", CUSTOM_OBJECT, ("key",)),
    Collection("manifest.json", "account", ACCOUNT),
)


def collections_of(dataset_dir: Path) -> list[Collection]:
    """The core collections plus one table per custom-object records file."""
    records = sorted((dataset_dir / "custom_object_records").glob("*.jsonl"))
    return [
        *CORE_COLLECTIONS,
        *(
            Collection(
                f"custom_object_records/{path.name}",
                f"custom_object_records_{path.stem}",
                CUSTOM_OBJECT_RECORD,
            )
            for path in records
        ),
    ]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every record of a JSONL file (a missing file is an empty collection, §3b)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def read_records(dataset_dir: Path, collection: Collection) -> list[dict[str, Any]]:
    if collection.source == "manifest.json":
        manifest = dataset_dir / "manifest.json"
        document = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
        return [document["account"]] if document.get("account") else []
    return read_jsonl(dataset_dir / collection.source)


# ---------------------------------------------------------------- what the dataset says


def as_landed(value: Any) -> Any:
    """A dataset value as raw keeps it: a lone UTF-16 surrogate cannot be stored as UTF-8, so it is
    kept visible as its JSON escape text (`\\ud83d`) rather than dropped or replaced (§3 #14)."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", value)
    if isinstance(value, dict):
        return {key: as_landed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_landed(item) for item in value]
    return value


@dataclass
class Expected:
    """Rows by table, and column types by table: from the spec, or the data for unknown fields."""

    rows: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = field(default_factory=dict)
    types: dict[str, dict[str, str]] = field(default_factory=dict)
    server_added: dict[str, set[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def declare(self, table: str, column: str, column_type: str) -> None:
        known = self.types.setdefault(table, {})
        if known.setdefault(column, column_type) != column_type:
            self.problems.append(f"{table}.{column}: the dataset mixes {known[column]} and {column_type}")


def _column_types(spec: Spec, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, kind in spec.items():
        if isinstance(kind, dict):
            yield from _column_types(kind, f"{prefix}{name}__")
        else:
            yield f"{prefix}{name}", kind


def _declare_spec(expected: Expected, table: str, spec: Spec) -> None:
    """Columns of `table` and of its child tables, as the spec writes them."""
    for column, kind in _column_types(spec):
        scalar, nested = _split(kind)
        if scalar is not None:
            expected.declare(table, column, scalar)
            if isinstance(kind, tuple) and SERVER_SIGNED in kind:
                expected.server_added.setdefault(table, set()).add(column)
        if nested is not None:
            child = f"{table}__{column}"
            if isinstance(nested, dict):
                _declare_spec(expected, child, nested)
            else:
                expected.declare(child, "value", nested)


def _split(kind: Any) -> tuple[str | None, Any]:
    """(scalar column type or None, list item spec or None) of one spec entry."""
    if isinstance(kind, list):
        return None, kind[0]
    if isinstance(kind, tuple):
        scalar = next((part for part in kind if isinstance(part, str) and part != SERVER_SIGNED), None)
        nested = next((part[0] for part in kind if isinstance(part, list)), None)
        return scalar, nested
    return kind, None


def _flatten(
    expected: Expected, table: str, spec: Spec, record: dict[str, Any], address: tuple[Any, ...]
) -> dict[str, Any]:
    """The record's columns in `table`; its lists become rows of child tables (added to `expected`)."""
    columns: dict[str, Any] = {}

    def visit(value: dict[str, Any], prefix: str, level: Spec | None) -> None:
        for key, item in value.items():
            name = f"{prefix}{key}"
            kind = (level or {}).get(key)
            if not PLAIN_NAME.fullmatch(key):
                expected.problems.append(f"{table}: field {key!r} needs a hand-written column name")
            elif kind == JSON:
                columns[name] = item
            elif isinstance(item, dict):
                visit(item, f"{name}__", kind if isinstance(kind, dict) else None)
            elif isinstance(item, list):
                _, nested = _split(kind) if kind is not None else (None, None)
                child = f"{table}__{name}"
                for index, element in enumerate(item):
                    _add_row(expected, child, nested, element, (*address, index))
            else:
                columns[name] = item
                if kind is None and item is not None:
                    expected.declare(table, name, JSON_TYPES[type(item)])

    visit(record, "", spec)
    return columns


def _add_row(expected: Expected, table: str, spec: Any, value: Any, address: tuple[Any, ...]) -> None:
    if isinstance(value, dict):
        columns = _flatten(expected, table, spec if isinstance(spec, dict) else {}, value, address)
    else:
        columns = {"value": value}
        if spec is None and value is not None:
            expected.declare(table, "value", JSON_TYPES[type(value)])
    expected.rows.setdefault(table, []).append((address, columns))


def expected_from(records: list[dict[str, Any]], collection: Collection) -> Expected:
    expected = Expected()
    _declare_spec(expected, collection.table, collection.spec)
    for record in records:
        landed = as_landed(record)
        address = tuple(landed.get(part) for part in collection.key)
        _add_row(expected, collection.table, collection.spec, landed, address)
    return expected


def _stored_form(value: Any, column_type: str) -> Any:
    """What a dataset value reads back as from a column of `column_type`."""
    if value is None:
        return None
    if column_type == TEXT and isinstance(value, bool | int | float):
        return str(value)  # a custom field value in a text column: `True`, `3`, `12.5`
    if column_type == DOUBLE and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


# ---------------------------------------------------------------- what the warehouse holds


def _table_columns(connection: duckdb.DuckDBPyConnection, prefix: str) -> dict[str, dict[str, str]]:
    """Column types of `prefix` and of its child tables (`prefix__…`)."""
    rows = connection.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND (table_name = ? OR starts_with(table_name, ?))",
        [SCHEMA, prefix, f"{prefix}__"],
    ).fetchall()
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, {})[column] = data_type
    return tables


def _read_rows(connection: duckdb.DuckDBPyConnection, table: str) -> list[dict[str, Any]]:
    cursor = connection.execute(f'SELECT * FROM {SCHEMA}."{table}"')
    names = [description[0] for description in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _found_rows(
    connection: duckdb.DuckDBPyConnection, collection: Collection, tables: dict[str, dict[str, str]]
) -> dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]]:
    """Rows by table, each addressed like the expected ones: root key, then list positions."""
    addresses: dict[str, tuple[Any, ...]] = {}
    found: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = {}
    for table in sorted(tables, key=lambda name: name.count("__")):  # parents before children
        for row in _read_rows(connection, table):
            if table == collection.table:
                address: tuple[Any, ...] = tuple(row.get(part) for part in collection.key)
            else:
                parent = addresses.get(row.get("_dlt_parent_id"), ("orphan", row.get("_dlt_parent_id")))
                address = (*parent, row.get("_dlt_list_idx"))
            addresses[row["_dlt_id"]] = address
            found.setdefault(table, []).append(
                (address, {name: value for name, value in row.items() if name not in DLT_COLUMNS})
            )
    return found


# ---------------------------------------------------------------- the comparison


@dataclass(frozen=True)
class Comparison:
    table: str
    dataset_rows: int
    warehouse_rows: int
    distinct_keys: int
    child_rows_expected: dict[str, int]
    child_rows_found: dict[str, int]
    problems: list[str]


def _canonical(address: tuple[Any, ...], columns: dict[str, Any]) -> str:
    return json.dumps([address, columns], sort_keys=True, ensure_ascii=False, default=str)


def _type_problems(
    table: str, found_types: dict[str, str], expected: Expected, required: set[str]
) -> Iterator[str]:
    wanted = expected.types.get(table, {})
    for column, data_type in sorted(found_types.items()):
        if column in DLT_COLUMNS:
            continue
        if column not in wanted:
            yield f"{table}.{column} ({data_type}): a column neither the contract nor the dataset has"
        elif data_type != wanted[column]:
            yield f"{table}.{column} is {data_type}, expected {wanted[column]}"
    for column in sorted(required - set(found_types)):
        yield f"{table}.{column}: missing, though the dataset has values for it"


def compare_collection(
    connection: duckdb.DuckDBPyConnection, dataset_dir: Path, collection: Collection
) -> Comparison:
    records = read_records(dataset_dir, collection)
    expected = expected_from(records, collection)
    found_types = _table_columns(connection, collection.table)
    found = _found_rows(connection, collection, found_types)
    problems = list(expected.problems)
    for table in sorted(set(expected.rows) | set(found)):
        wanted = expected.types.get(table, {})
        compared = sorted(set(wanted) - expected.server_added.get(table, set()))
        required = {
            name
            for _, columns in expected.rows.get(table, [])
            for name, value in columns.items()
            if value is not None
        }
        problems.extend(_type_problems(table, found_types.get(table, {}), expected, required))
        dataset_side = Counter(
            _canonical(address, {name: _stored_form(columns.get(name), wanted[name]) for name in compared})
            for address, columns in expected.rows.get(table, [])
        )
        warehouse_side = Counter(
            _canonical(address, {name: _read_back(columns.get(name), wanted[name]) for name in compared})
            for address, columns in found.get(table, [])
        )
        if dataset_side != warehouse_side:
            missing = sorted((dataset_side - warehouse_side).elements())
            extra = sorted((warehouse_side - dataset_side).elements())
            problems.append(
                f"{table}: {len(missing)} dataset rows not in the warehouse, {len(extra)} warehouse rows "
                f"not in the dataset\n  dataset only:   {missing[0][:600] if missing else None}"
                f"\n  warehouse only: {extra[0][:600] if extra else None}"
            )
    root_rows = found.get(collection.table, [])
    prefix = f"{collection.table}__"
    return Comparison(
        table=collection.table,
        dataset_rows=len(records),
        warehouse_rows=len(root_rows),
        distinct_keys=len({address for address, _ in root_rows}),
        child_rows_expected={
            name.removeprefix(prefix): len(rows)
            for name, rows in sorted(expected.rows.items())
            if name != collection.table
        },
        child_rows_found={
            name.removeprefix(prefix): len(rows)
            for name, rows in sorted(found.items())
            if name != collection.table
        },
        problems=problems,
    )


def _read_back(value: Any, column_type: str) -> Any:
    """A warehouse value in the dataset's terms (a JSON column reads as its text)."""
    if column_type == JSON and isinstance(value, str):
        return json.loads(value)
    return value


def compare_dataset(warehouse: Path, dataset_dir: Path) -> list[Comparison]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return [
            compare_collection(connection, dataset_dir, collection)
            for collection in collections_of(dataset_dir)
        ]


def assert_matches_dataset(warehouse: Path, dataset_dir: Path) -> list[Comparison]:
    """Every collection: same rows with the same values and types, each key once, same child rows."""
    comparisons = compare_dataset(warehouse, dataset_dir)
    for result in comparisons:
        assert result.distinct_keys == result.warehouse_rows, f"duplicate keys in {result.table}"
        assert result.warehouse_rows == result.dataset_rows, result
        assert not result.problems, "\n".join(result.problems)
    return comparisons
