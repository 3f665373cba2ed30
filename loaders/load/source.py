"""The sync rows of a phase as `LoadRecord`s, read in batches so memory stays flat as data grows.

A Case or Contact row is joined to its custom-field table on `Stames_Id__c`; a custom-object
record's fields come from its `stames__field_values` JSON; a `ref__<Field>` column becomes the
parent key of `<Field>`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import duckdb

from expectations.sync_tables import SOBJECT_COLUMN, SYNC_SCHEMA
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


def source_sql(phase: Phase) -> str:
    table = f'{SYNC_SCHEMA}."{phase.model.table}"'
    select = "main.*"
    join = ""
    if phase.extension_table:
        select += ", ext.* EXCLUDE (" + STAMES_ID + ")"
        join = f' LEFT JOIN {SYNC_SCHEMA}."{phase.extension_table}" ext ON ext.{STAMES_ID} = main.{STAMES_ID}'
    where = ""
    if phase.model.shared:
        sobject = phase.sobject.replace("'", "''")
        where = f" WHERE main.{SOBJECT_COLUMN} = '{sobject}'"
    key = _key_column(phase)
    order = ", ".join(f'main."{column}"' for column in (*ORDER_COLUMNS.get(phase.sobject, ()), key))
    return f"SELECT {select} FROM {table} main{join}{where} ORDER BY {order}"


def _key_column(phase: Phase) -> str:
    if phase.kind is PhaseKind.TOPICS:
        return "Name"
    if phase.kind is PhaseKind.TOPIC_ASSIGNMENTS:
        return "stames__assignment_key"
    return STAMES_ID


def count_rows(con: duckdb.DuckDBPyConnection, phase: Phase) -> int:
    [(count,)] = con.execute(f"SELECT count(*) FROM ({source_sql(phase)})").fetchall()
    return int(count)


def read_batches(
    con: duckdb.DuckDBPyConnection, phase: Phase, batch_rows: int = 20_000
) -> Iterator[list[tuple[LoadRecord, dict]]]:
    """(record, helper columns) pairs in load order, `batch_rows` at a time."""
    cursor = con.cursor()
    try:
        cursor.execute(source_sql(phase))
        names = [column[0] for column in cursor.description]
        key = _key_column(phase)
        lookups = {lookup.column: lookup.parent.field for lookup in phase.lookups}
        while rows := cursor.fetchmany(batch_rows):
            yield [_record(dict(zip(names, row, strict=True)), phase, key, lookups) for row in rows]
    finally:
        cursor.close()


def _record(row: dict, phase: Phase, key: str, lookups: dict[str, str]) -> tuple[LoadRecord, dict]:
    values = {name: row.get(name) for name in phase.columns if name in row}
    if phase.model.shared and row.get(FIELD_VALUES):
        values.update(json.loads(row[FIELD_VALUES]))
    parent_keys = {
        field: (str(row[column]) if row.get(column) is not None else None)
        for column, field in lookups.items()
    }
    helpers = {name: value for name, value in row.items() if name.startswith("stames__") or name == "Id"}
    return LoadRecord(str(row[key]), values, parent_keys), helpers
