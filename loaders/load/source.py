"""The sync rows of a phase as `LoadRecord`s, read in batches so memory stays flat as data grows.

A Case or Contact row is joined to its custom-field table on `Stames_Id__c`; a custom-object
record's fields come from its `stames__field_values` JSON; a `ref__<Field>` column becomes the
parent key of `<Field>`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from expectations.sync_tables import SOBJECT_COLUMN, SYNC_SCHEMA
from loaders.load.generated_files import INLINE_CONTENT
from loaders.load.plan import Phase, PhaseKind
from loaders.load.records import LoadRecord
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID

FIELD_VALUES = "stames__field_values"
ORDER_COLUMNS = {
    "EmailMessage": ("ref__ParentId", "stames__thread_position"),
    "Task": ("ref__WhatId", "stames__thread_position"),
    "CaseComment": ("ref__ParentId", "stames__thread_position"),
}
"""Messages go in thread order: by Case, then position in the thread."""


SHA256 = "stames__sha256"
FIRST_PUBLISH_LOCATION = "FirstPublishLocationId"


def _relation(phase: Phase) -> str:
    return f'{SYNC_SCHEMA}."{phase.model.table}"'


def _where(phase: Phase) -> str:
    if not phase.model.shared:
        return ""
    sobject = phase.sobject.replace("'", "''")
    return f" WHERE main.{SOBJECT_COLUMN} = '{sobject}'"


def keys_sql(phase: Phase) -> str:
    """The phase's keys in load order: only narrow columns are sorted, however wide the rows."""
    key = _key_column(phase)
    order = ", ".join(f'main."{column}"' for column in (*ORDER_COLUMNS.get(phase.sobject, ()), key))
    return f'SELECT main."{key}" FROM {_relation(phase)} main{_where(phase)} ORDER BY {order}'


def rows_sql(phase: Phase) -> str:
    """The rows whose keys are in the registered `batch_keys` table (unordered: the caller orders)."""
    key = _key_column(phase)
    select = f"main.* EXCLUDE ({INLINE_CONTENT})" if phase.kind is PhaseKind.FILES else "main.*"
    join = f'JOIN batch_keys ON batch_keys.key = main."{key}"'
    if phase.extension_table:
        select += f", ext.* EXCLUDE ({STAMES_ID})"
        join += (
            f' LEFT JOIN {SYNC_SCHEMA}."{phase.extension_table}" ext ON ext.{STAMES_ID} = main.{STAMES_ID}'
        )
    return f"SELECT {select} FROM {_relation(phase)} main {join}{_where(phase)}"


def _key_column(phase: Phase) -> str:
    if phase.kind is PhaseKind.TOPICS:
        return "Name"
    if phase.kind is PhaseKind.TOPIC_ASSIGNMENTS:
        return "stames__assignment_key"
    return STAMES_ID


@dataclass(frozen=True)
class FileEntry:
    """What choosing a file's representative needs of every file row: a few strings, not the row."""

    key: str
    sha256: str
    case_key: str | None


def file_index(con: duckdb.DuckDBPyConnection, phase: Phase) -> list[FileEntry]:
    """Every file row's key, checksum and Case key, in load order (`read_batches`' order)."""
    case_column = next(
        (lookup.column for lookup in phase.lookups if lookup.parent.field == FIRST_PUBLISH_LOCATION), None
    )
    case = f'main."{case_column}"' if case_column else "NULL"
    rows = con.execute(
        f'SELECT main."{STAMES_ID}", main.{SHA256}, {case} FROM {_relation(phase)} main{_where(phase)} '
        f'ORDER BY main."{STAMES_ID}"'
    ).fetchall()
    return [
        FileEntry(str(key), str(sha or ""), str(case_key) if case_key is not None else None)
        for key, sha, case_key in rows
    ]


def count_rows(con: duckdb.DuckDBPyConnection, phase: Phase) -> int:
    [(count,)] = con.execute(f"SELECT count(*) FROM {_relation(phase)} main{_where(phase)}").fetchall()
    return int(count)


def read_batches(
    con: duckdb.DuckDBPyConnection, phase: Phase, batch_rows: int = 20_000
) -> Iterator[list[tuple[LoadRecord, dict]]]:
    """(record, helper columns) pairs in load order, `batch_rows` at a time.

    The keys are sorted once; each batch's rows are then fetched by key and put in order here, so
    DuckDB never sorts wide rows (message bodies) and memory follows the batch, not the table."""
    ordered = [str(key) for (key,) in con.execute(keys_sql(phase)).fetchall()]
    key = _key_column(phase)
    lookups = {lookup.column: lookup.parent.field for lookup in phase.lookups}
    sql = rows_sql(phase)
    for start in range(0, len(ordered), batch_rows):
        chunk = ordered[start : start + batch_rows]
        rows = _fetch_by_keys(con, sql, chunk)
        by_key = {str(row[key]): row for row in rows}
        yield [_record(by_key[value], phase, key, lookups) for value in chunk if value in by_key]


def _fetch_by_keys(con: duckdb.DuckDBPyConnection, sql: str, keys: list[str]) -> list[dict]:
    cursor = con.cursor()  # its own cursor: `register` is refused beside a pending result
    try:
        cursor.register("batch_keys", pa.table({"key": pa.array(keys, pa.string())}))
        result = cursor.execute(sql)
        names = [column[0] for column in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        cursor.close()


def _record(row: dict, phase: Phase, key: str, lookups: dict[str, str]) -> tuple[LoadRecord, dict]:
    row = {name: value for name, value in row.items() if name != "key"}
    values = {name: row.get(name) for name in phase.columns if name in row}
    if phase.model.shared and row.get(FIELD_VALUES):
        values.update(json.loads(row[FIELD_VALUES]))
    parent_keys = {
        field: (str(row[column]) if row.get(column) is not None else None)
        for column, field in lookups.items()
    }
    helpers = {name: value for name, value in row.items() if name.startswith("stames__") or name == "Id"}
    return LoadRecord(str(row[key]), values, parent_keys), helpers
