"""The validation record: `ops.validations` in the warehouse, and the fingerprint of the sync tables.

`ops.validations(validated_at, passed, data_hash, mapping_hash, failed_expectations, report_path)`:
one row per `stames-sf validate`; the loader's gate (`expectations.gate`) reads the latest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from expectations.sync_tables import SYNC_SCHEMA, SYNC_TABLE_PREFIX

OPS_SCHEMA = "ops"
VALIDATIONS_TABLE = f"{OPS_SCHEMA}.validations"
_COLUMNS = (
    "validated_at TIMESTAMPTZ, passed BOOLEAN, data_hash VARCHAR, mapping_hash VARCHAR, "
    "failed_expectations INTEGER, report_path VARCHAR"
)


@dataclass(frozen=True)
class ValidationRecord:
    validated_at: datetime
    passed: bool
    data_hash: str
    mapping_hash: str
    failed_expectations: int
    report_path: str


COVERED_BY_CHECKSUM: dict[str, str] = {"stames__inline_content": "stames__sha256"}
"""Columns left out of the fingerprint because another column of the row is their checksum: a
generated file's content (a data: image, an over-long body) runs to megabytes a row, and a scan
of 2,048 such rows at once does not fit the validation's memory limit."""


def data_hash(con: duckdb.DuckDBPyConnection) -> str:
    """A fingerprint of every sync table: its name, row count and the sum of its rows' hashes,
    computed in DuckDB (streaming, nothing held), hashed together with sha256. Any changed,
    added or removed row changes it (a file's content through its checksum column)."""
    columns: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ? "
        "AND starts_with(table_name, ?) ORDER BY table_name, ordinal_position",
        [SYNC_SCHEMA, SYNC_TABLE_PREFIX],
    ).fetchall():
        columns.setdefault(table, []).append(column)
    digest = hashlib.sha256()
    for table, names in columns.items():
        hashed = [f't."{name}"' for name in names if COVERED_BY_CHECKSUM.get(name) not in names] or ["NULL"]
        [(rows, total)] = con.execute(
            f"SELECT count(*), coalesce(sum(hash({', '.join(hashed)})::HUGEINT), 0) "
            f'FROM {SYNC_SCHEMA}."{table}" AS t'
        ).fetchall()
        digest.update(f"{table}:{rows}:{total}\n".encode())
    return "sha256:" + digest.hexdigest()


def record_validation(warehouse: Path, record: ValidationRecord) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {OPS_SCHEMA}")
        con.execute(f"CREATE TABLE IF NOT EXISTS {VALIDATIONS_TABLE} ({_COLUMNS})")
        con.execute(
            f"INSERT INTO {VALIDATIONS_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
            [
                record.validated_at,
                record.passed,
                record.data_hash,
                record.mapping_hash,
                record.failed_expectations,
                record.report_path,
            ],
        )


def latest_validation(con: duckdb.DuckDBPyConnection) -> ValidationRecord | None:
    # duckdb 2.0: a result read with fetchone() stays open and blocks the connection; fetchall() closes it.
    [(exists,)] = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [OPS_SCHEMA, "validations"],
    ).fetchall()
    if not exists:
        return None
    rows = con.execute(
        f"SELECT validated_at, passed, data_hash, mapping_hash, failed_expectations, report_path "
        f"FROM {VALIDATIONS_TABLE} ORDER BY validated_at DESC LIMIT 1"
    ).fetchall()
    return ValidationRecord(*rows[0]) if rows else None
