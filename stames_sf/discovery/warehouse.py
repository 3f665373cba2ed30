"""Read-only SQL access to the raw schema that tolerates missing tables and columns.

A hand-written dataset may lack whole collections, and a source may drop a field: discovery
then reports "none found" instead of failing. Every Stames-specific query goes through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from stames_sf.discovery.profile import list_columns, list_tables, qualified, quote


@dataclass
class RawWarehouse:
    """The dlt-landed raw schema of one warehouse, opened read-only."""

    connection: duckdb.DuckDBPyConnection
    schema: str
    _columns: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path, schema: str) -> RawWarehouse:
        """Read-only, so discovery can run beside (never instead of) a writer's lock."""
        if not path.exists():
            return cls(duckdb.connect(":memory:"), schema)
        return cls(duckdb.connect(str(path), read_only=True), schema)

    def close(self) -> None:
        self.connection.close()

    @property
    def tables(self) -> list[str]:
        return list_tables(self.connection, self.schema)

    def has(self, table: str, *columns: str) -> bool:
        """Whether `table` exists with every one of `columns`."""
        if table not in self._columns:
            names = {name for name, _ in list_columns(self.connection, self.schema, table, include_dlt=True)}
            if not names:
                return False
            self._columns[table] = names
        return set(columns) <= self._columns[table]

    def column_type(self, table: str, column: str) -> str | None:
        """The DuckDB type dlt gave `column` (`VARCHAR`, `TIMESTAMP WITH TIME ZONE`, …), None if absent."""
        types = dict(list_columns(self.connection, self.schema, table, include_dlt=True))
        return types.get(column)

    def columns_like(self, table: str, prefix: str) -> list[str]:
        """Columns of `table` whose name starts with `prefix` (dlt variant columns, flattened dicts)."""
        if not self.has(table):
            return []
        return sorted(name for name in self._columns[table] if name.startswith(prefix))

    def table(self, name: str) -> str:
        """The qualified, quoted name to put in a FROM clause."""
        return qualified(self.schema, name)

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, list(parameters)).fetchall()

    def scalar(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        row = self.connection.execute(sql, list(parameters)).fetchone()
        return None if row is None else row[0]

    def count(self, table: str, where: str = "TRUE") -> int | None:
        """Rows of `table` matching `where`; None when the table does not exist."""
        if not self.has(table):
            return None
        return int(self.scalar(f"SELECT count(*) FROM {self.table(table)} WHERE {where}"))

    def first_id(self, table: str, where: str, id_column: str = "id") -> str | None:
        """The smallest id matching `where`: a stable example to look a finding up by."""
        if not self.has(table, id_column):
            return None
        value = self.scalar(f"SELECT min({quote(id_column)}) FROM {self.table(table)} WHERE {where}")
        return None if value is None else str(value)


def text(column: str) -> str:
    """A column as text for comparisons, whatever type dlt inferred for it."""
    return f"CAST({quote(column)} AS VARCHAR)"
