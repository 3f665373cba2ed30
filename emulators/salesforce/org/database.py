"""SQLite persistence of the org: records as JSON rows, an index of lookup values, and settings.

One writer connection guarded by a re-entrant lock (Bulk processes in background threads); reads
from threads not currently writing use their own connection and see the last committed state (WAL).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    sobject TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_object ON records (sobject, deleted);
CREATE TABLE IF NOT EXISTS lookup (
    sobject TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lookup_by_value ON lookup (sobject, field, value);
CREATE INDEX IF NOT EXISTS lookup_by_id ON lookup (id);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS recycle_bin (id TEXT PRIMARY KEY, deleted_with TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS recycle_bin_by_delete ON recycle_bin (deleted_with);
"""


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


class Database:
    """The org's SQLite file with nested transactions (outermost BEGIN, inner SAVEPOINTs)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer = _connect(path)
        self._writer.executescript(SCHEMA)
        self._lock = threading.RLock()
        self._owner: int | None = None
        self._depth = 0
        self._local = threading.local()
        self._pending_settings: dict[str, str] = {}

    def close(self) -> None:
        self._writer.close()

    @property
    def in_transaction(self) -> bool:
        return self._owner == threading.get_ident() and self._depth > 0

    def _conn(self) -> sqlite3.Connection:
        if self._owner == threading.get_ident():
            return self._writer
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = _connect(self.path)
            self._local.reader = reader
        return reader

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Outermost: one SQLite transaction; nested: a savepoint, so one record can be undone alone."""
        with self._lock:
            self._owner = threading.get_ident()
            self._depth += 1
            savepoint = f"sp{self._depth}"
            outermost = self._depth == 1
            self._writer.execute("BEGIN IMMEDIATE" if outermost else f"SAVEPOINT {savepoint}")
            try:
                yield
            except BaseException:
                if outermost:
                    self._pending_settings.clear()
                    self._writer.execute("ROLLBACK")
                else:
                    self._writer.execute(f"ROLLBACK TO {savepoint}")
                    self._writer.execute(f"RELEASE {savepoint}")
                raise
            else:
                if outermost:
                    self._flush_settings()
                self._writer.execute("COMMIT" if outermost else f"RELEASE {savepoint}")
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._owner = None

    # records

    def insert(self, record_id: str, sobject: str, data: str) -> None:
        self._conn().execute(
            "INSERT INTO records (id, sobject, deleted, data) VALUES (?, ?, 0, ?)", (record_id, sobject, data)
        )

    def replace(self, record_id: str, data: str, *, deleted: bool) -> None:
        self._conn().execute(
            "UPDATE records SET data = ?, deleted = ? WHERE id = ?", (data, int(deleted), record_id)
        )

    def bin(self, record_id: str, deleted_with: str) -> None:
        """A soft-deleted record, and the record whose delete took it (itself, or a cascading parent)."""
        self._conn().execute(
            "INSERT OR REPLACE INTO recycle_bin (id, deleted_with) VALUES (?, ?)", (record_id, deleted_with)
        )

    def binned_with(self, record_id: str) -> list[str]:
        """The records one delete put in the Recycle Bin: what an undelete of it brings back."""
        rows = self._conn().execute("SELECT id FROM recycle_bin WHERE deleted_with = ?", (record_id,))
        return [row[0] for row in rows.fetchall()]

    def unbin(self, record_id: str) -> None:
        self._conn().execute("DELETE FROM recycle_bin WHERE id = ?", (record_id,))

    def remove(self, record_id: str) -> None:
        self._conn().execute("DELETE FROM records WHERE id = ?", (record_id,))
        self._conn().execute("DELETE FROM lookup WHERE id = ?", (record_id,))

    def fetch(self, record_id: str) -> tuple[str, bool, str] | None:
        """(sobject, deleted, data JSON) of one record."""
        row = (
            self._conn()
            .execute("SELECT sobject, deleted, data FROM records WHERE id = ?", (record_id,))
            .fetchone()
        )
        return (row[0], bool(row[1]), row[2]) if row else None

    def scan(self, sobject: str, *, include_deleted: bool) -> Iterator[str]:
        sql = "SELECT data FROM records WHERE sobject = ?" + ("" if include_deleted else " AND deleted = 0")
        cursor = self._conn().execute(sql + " ORDER BY rowid", (sobject,))
        while rows := cursor.fetchmany(1000):
            for (data,) in rows:
                yield data

    def count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM records").fetchone()[0])

    def clear(self) -> None:
        for table in ("records", "lookup", "settings"):
            self._conn().execute(f"DELETE FROM {table}")

    # lookup values

    def index(self, sobject: str, entries: Iterable[tuple[str, str]], record_id: str) -> None:
        self._conn().executemany(
            "INSERT INTO lookup (sobject, field, value, id) VALUES (?, ?, ?, ?)",
            [(sobject, field_name, value, record_id) for field_name, value in entries],
        )

    def unindex(self, record_id: str) -> None:
        self._conn().execute("DELETE FROM lookup WHERE id = ?", (record_id,))

    def lookup(self, sobject: str, field_name: str, value: str) -> list[str]:
        rows = self._conn().execute(
            "SELECT id FROM lookup WHERE sobject = ? AND field = ? AND value = ? ORDER BY rowid",
            (sobject, field_name, value),
        )
        return [row[0] for row in rows]

    # settings

    def setting(self, key: str) -> str | None:
        if self.in_transaction and key in self._pending_settings:
            return self._pending_settings[key]
        row = self._conn().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        """Inside a transaction the value is written once at commit (counters change on every row)."""
        if self.in_transaction:
            self._pending_settings[key] = value
            return
        self._conn().execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def _flush_settings(self) -> None:
        self._writer.executemany(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", list(self._pending_settings.items())
        )
        self._pending_settings.clear()
