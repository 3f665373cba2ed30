"""Read-only queries on the raw Stames schema for the proposer, tolerant of missing tables.

A hand-written warehouse may lack whole collections (no status history, no agents): the proposer
then proposes from what is there instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

RAW_SCHEMA = "raw_stames"


@dataclass
class RawTables:
    connection: duckdb.DuckDBPyConnection
    schema: str = RAW_SCHEMA
    _columns: dict[str, set[str]] = field(default_factory=dict)

    def has(self, table: str, *columns: str) -> bool:
        """Whether `table` exists with every one of `columns`."""
        if table not in self._columns:
            rows = self.connection.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ?",
                [self.schema, table],
            ).fetchall()
            if not rows:
                return False
            self._columns[table] = {name for (name,) in rows}
        return set(columns) <= self._columns[table]

    def table(self, name: str) -> str:
        return f'"{self.schema}"."{name}"'

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, list(parameters)).fetchall()

    def distinct(self, table: str, column: str, where: str = "TRUE") -> list[Any]:
        """Distinct values of one column (NULL included), sorted with NULL last; [] if absent."""
        if not self.has(table, column):
            return []
        rows = self.rows(
            f'SELECT DISTINCT "{column}" FROM {self.table(table)} WHERE {where} ORDER BY 1 NULLS LAST'
        )
        return [value for (value,) in rows]

    def count(self, table: str, where: str = "TRUE") -> int:
        if not self.has(table):
            return 0
        return int(self.rows(f"SELECT count(*) FROM {self.table(table)} WHERE {where}")[0][0])


@contextmanager
def open_raw(warehouse: Path) -> Iterator[RawTables]:
    """The raw schema of `warehouse`, opened read-only so a writer's lock is never needed."""
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        yield RawTables(connection)
    finally:
        connection.close()
