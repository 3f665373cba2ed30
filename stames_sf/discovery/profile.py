"""Generic field profiling of every table in a DuckDB schema.

Knows nothing about Stames: it works on whatever dlt landed, so a new source column shows up
in the inventory without a code change. One aggregate query per table keeps it fast on large
warehouses; distinct counts hash the values so wide text columns cost little memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from stames_sf.discovery.masking import field_kind, safe_example, shown_as_is

DLT_PREFIX = "_dlt"
EXAMPLE_COUNT = 3
# Examples are cut in SQL before they reach Python: a 2 MB body is never fetched to show 80 chars.
EXAMPLE_SQL_CHARS = 200
EXAMPLE_CHARS = 60
RANGE_CHARS = 80

TEXT_TYPES = ("VARCHAR", "JSON")
RANGE_TYPE_PREFIXES = (
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
    "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL", "DATE", "TIME", "TIMESTAMP", "BOOLEAN",
)  # fmt: skip


@dataclass(frozen=True)
class FieldProfile:
    """What one column holds: the facts a field mapping is decided on."""

    name: str
    data_type: str
    rows: int
    filled: int
    empty_strings: int
    distinct: int
    minimum: str | None
    maximum: str | None
    min_length: int | None
    max_length: int | None
    examples: tuple[str, ...]

    @property
    def fill_rate(self) -> float:
        """Share of rows with a value; empty strings count as missing (the source keeps them)."""
        return self.filled / self.rows if self.rows else 0.0


@dataclass(frozen=True)
class TableProfile:
    schema: str
    name: str
    rows: int
    fields: tuple[FieldProfile, ...]


def quote(identifier: str) -> str:
    """A DuckDB identifier, quoted so any dlt-normalised name is safe."""
    return '"' + identifier.replace('"', '""') + '"'


def qualified(schema: str, table: str) -> str:
    return f"{quote(schema)}.{quote(table)}"


def list_tables(connection: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    """Data tables of `schema`, without dlt's bookkeeping tables."""
    rows = connection.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name",
        [schema],
    ).fetchall()
    return [name for (name,) in rows if not name.startswith(DLT_PREFIX)]


def list_columns(
    connection: duckdb.DuckDBPyConnection, schema: str, table: str, include_dlt: bool = False
) -> list[tuple[str, str]]:
    """`(name, type)` of each column in table order; dlt's lineage columns left out by default."""
    rows = connection.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    return [(name, data_type) for name, data_type in rows if include_dlt or not name.startswith(DLT_PREFIX)]


def _is_text(data_type: str) -> bool:
    return data_type.upper() in TEXT_TYPES


def _has_range(data_type: str) -> bool:
    return data_type.upper().startswith(RANGE_TYPE_PREFIXES)


def _column_aggregates(index: int, column: str, data_type: str) -> list[str]:
    """SELECT items for one column, named `c<index>_<measure>`."""
    ref = quote(column)
    as_text = f"CAST({ref} AS VARCHAR)"
    items = [
        f"count({ref}) AS c{index}_non_null",
        f"count(DISTINCT hash({ref})) FILTER (WHERE {ref} IS NOT NULL) AS c{index}_distinct",
    ]
    if _is_text(data_type):
        items += [
            f"count(*) FILTER (WHERE {as_text} = '') AS c{index}_empty",
            f"min(length({as_text})) FILTER (WHERE {as_text} <> '') AS c{index}_min_length",
            f"max(length({as_text})) AS c{index}_max_length",
        ]
    else:
        items += [f"0 AS c{index}_empty", f"NULL AS c{index}_min_length", f"NULL AS c{index}_max_length"]
    if _has_range(data_type):
        items += [
            f"CAST(min({ref}) AS VARCHAR) AS c{index}_min",
            f"CAST(max({ref}) AS VARCHAR) AS c{index}_max",
        ]
    else:
        items += [f"NULL AS c{index}_min", f"NULL AS c{index}_max"]
    items.append(
        f"approx_top_k(left({as_text}, {EXAMPLE_SQL_CHARS}), {EXAMPLE_COUNT}) "
        f"FILTER (WHERE {as_text} <> '') AS c{index}_examples"
    )
    return items


MEASURES = ("non_null", "distinct", "empty", "min_length", "max_length", "min", "max", "examples")


def profile_table(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> TableProfile:
    """Profile every non-dlt column of one table in a single scan."""
    columns = list_columns(connection, schema, table)
    select_items = ["count(*) AS row_count"]
    for index, (column, data_type) in enumerate(columns):
        select_items += _column_aggregates(index, column, data_type)
    row = connection.execute(f"SELECT {', '.join(select_items)} FROM {qualified(schema, table)}").fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns one row
    row_count = int(row[0])
    fields = []
    width = len(MEASURES)
    for index, (column, data_type) in enumerate(columns):
        values = dict(zip(MEASURES, row[1 + index * width : 1 + (index + 1) * width], strict=True))
        fields.append(_field_profile(table, column, data_type, row_count, values))
    return TableProfile(schema=schema, name=table, rows=row_count, fields=tuple(fields))


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _shown(table: str, column: str, data_type: str) -> Callable[[object, int], str]:
    """How this column's values appear in the report: text is masked by what it holds; numbers,
    timestamps and booleans are shown as they are."""
    if not _is_text(data_type):
        return shown_as_is
    kind = field_kind(table, column)
    return lambda value, limit: safe_example(value, limit, kind)


def _field_profile(
    table: str, column: str, data_type: str, row_count: int, values: dict[str, Any]
) -> FieldProfile:
    non_null = int(values["non_null"] or 0)
    empty = int(values["empty"] or 0)
    shown = _shown(table, column, data_type)
    return FieldProfile(
        name=column,
        data_type=data_type,
        rows=row_count,
        filled=non_null - empty,
        empty_strings=empty,
        distinct=int(values["distinct"] or 0),
        minimum=None if values["min"] is None else shown(values["min"], RANGE_CHARS),
        maximum=None if values["max"] is None else shown(values["max"], RANGE_CHARS),
        min_length=_int_or_none(values["min_length"]),
        max_length=_int_or_none(values["max_length"]),
        examples=tuple(shown(example, EXAMPLE_CHARS) for example in values["examples"] or []),
    )


def profile_schema(connection: duckdb.DuckDBPyConnection, schema: str) -> list[TableProfile]:
    """Profiles of every data table in `schema`, in name order."""
    return [profile_table(connection, schema, table) for table in list_tables(connection, schema)]
