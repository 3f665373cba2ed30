"""The rollback's own ledger in schema `ops`, so a rollback killed halfway finishes the job.

- `ops.rollbacks`: one row per rolled-back run (status, counts, whether the proof passed).
- `ops.rollback_records`: one row per record the rollback deleted or restored, or failed to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from loaders.load.ledger import SCHEMA

DONE_ACTIONS = ("deleted", "restored")

DDL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.rollbacks (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,
    deleted INTEGER,
    restored INTEGER,
    failed INTEGER,
    identical BOOLEAN,
    report_path VARCHAR
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.rollback_records (
    run_id VARCHAR NOT NULL,
    sobject VARCHAR NOT NULL,
    salesforce_id VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    error_code VARCHAR,
    error_message VARCHAR,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, salesforce_id)
);
"""

ROW_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("sobject", pa.string()),
        ("salesforce_id", pa.string()),
        ("action", pa.string()),
        ("error_code", pa.string()),
        ("error_message", pa.string()),
        ("recorded_at", pa.timestamp("us", tz="UTC")),
    ]
)


@dataclass(frozen=True)
class RollbackRow:
    sobject: str
    salesforce_id: str
    action: str
    """deleted, restored or failed."""
    error_code: str | None = None
    error_message: str | None = None


class RollbackStore:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.con.execute(DDL).fetchall()

    def start(self, run_id: str, now: datetime) -> None:
        self.con.execute(
            f"INSERT INTO {SCHEMA}.rollbacks (run_id, started_at, status) VALUES (?, ?, 'running') "
            "ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL",
            [run_id, now],
        ).fetchall()

    def finish(self, run_id: str, now: datetime, identical: bool, report_path: str) -> None:
        counts = dict(
            self.con.execute(
                f"SELECT action, count(*) FROM {SCHEMA}.rollback_records WHERE run_id = ? GROUP BY action",
                [run_id],
            ).fetchall()
        )
        self.con.execute(
            f"UPDATE {SCHEMA}.rollbacks SET status = ?, finished_at = ?, deleted = ?, restored = ?, "
            "failed = ?, identical = ?, report_path = ? WHERE run_id = ?",
            [
                "completed" if identical and not counts.get("failed") else "failed",
                now,
                counts.get("deleted", 0),
                counts.get("restored", 0),
                counts.get("failed", 0),
                identical,
                report_path,
                run_id,
            ],
        ).fetchall()

    def record(self, run_id: str, rows: Sequence[RollbackRow], now: datetime) -> None:
        if not rows:
            return
        batch = pa.Table.from_pylist(
            [{"run_id": run_id, **asdict(row), "recorded_at": now} for row in rows], schema=ROW_SCHEMA
        )
        writer = self.con.cursor()
        writer.register("rollback_batch", batch)
        try:
            writer.execute(f"INSERT OR REPLACE INTO {SCHEMA}.rollback_records SELECT * FROM rollback_batch")
        finally:
            writer.close()

    def done_ids(self, run_id: str) -> set[str]:
        rows = self.con.execute(
            f"SELECT salesforce_id FROM {SCHEMA}.rollback_records WHERE run_id = ? AND action IN "
            f"{DONE_ACTIONS}",
            [run_id],
        ).fetchall()
        return {sf_id for (sf_id,) in rows}

    def failures(self, run_id: str) -> list[RollbackRow]:
        rows = self.con.execute(
            "SELECT sobject, salesforce_id, action, error_code, error_message "
            f"FROM {SCHEMA}.rollback_records "
            "WHERE run_id = ? AND action = 'failed' ORDER BY sobject, salesforce_id",
            [run_id],
        ).fetchall()
        return [RollbackRow(*row) for row in rows]
