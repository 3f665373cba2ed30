"""The run ledger in the warehouse, schema `ops`: the only record of what a load did.

- `ops.load_runs`: one row per run (target org, mapping and data fingerprints, status, API calls).
- `ops.load_phases`: one row per phase of a run, with its reconciliation counts.
- `ops.load_records`: one row per record and phase: Stames id, Salesforce id, created / updated /
  linked / failed, the prior values of every field an update changed, the error and attempts.
- `ops.load_snapshot`: every record of every object the run touches, as it was before the run
  started (the fields the run may change): the prior values of updates, and what a rollback
  proves the org returned to.
- `ops.load_snapshot_objects`: per object, the fields the snapshot read and how many records it held.

A record's row is replaced as its state moves on (failed, then created on a later attempt), so a
run's rows are always its current truth; resume and `--retry-failed` read them, nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

SCHEMA = "ops"
SUCCESS_ACTIONS = ("created", "updated", "linked", "unchanged")

UNINDEXED_TABLES = ("load_records", "load_snapshot")
"""One row per record (and per record the org held): no primary key. DuckDB keeps a key's index in
memory, inside its memory limit, so the ledger's index grew with every record loaded until a 64 MB
loader ran out at 10,000 tickets. The ledger keeps one row per key itself (`record`,
`save_snapshot`); a ledger made with the keys loses them when opened (`_drop_row_keys`)."""

DDL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.load_runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    instance_url VARCHAR,
    organization_id VARCHAR,
    user_id VARCHAR,
    mapping_hash VARCHAR NOT NULL,
    data_hash VARCHAR NOT NULL,
    audit_fields VARCHAR,
    snapshot_at TIMESTAMPTZ,
    forecast_calls INTEGER,
    api_calls INTEGER,
    stop_reason VARCHAR
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.load_phases (
    run_id VARCHAR NOT NULL,
    phase VARCHAR NOT NULL,
    phase_order INTEGER NOT NULL,
    sobject VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    source_rows INTEGER,
    quarantined INTEGER,
    attempted INTEGER,
    created INTEGER,
    updated INTEGER,
    linked INTEGER,
    unchanged INTEGER,
    failed INTEGER,
    failed_by_error VARCHAR,
    PRIMARY KEY (run_id, phase)
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.load_records (
    run_id VARCHAR NOT NULL,
    phase VARCHAR NOT NULL,
    sobject VARCHAR NOT NULL,
    stames_id VARCHAR NOT NULL,
    salesforce_id VARCHAR,
    action VARCHAR NOT NULL,
    prior_values VARCHAR,
    error_code VARCHAR,
    error_message VARCHAR,
    attempts INTEGER NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.load_snapshot (
    run_id VARCHAR NOT NULL,
    sobject VARCHAR NOT NULL,
    salesforce_id VARCHAR NOT NULL,
    stames_id VARCHAR,
    field_values VARCHAR
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.load_snapshot_objects (
    run_id VARCHAR NOT NULL,
    sobject VARCHAR NOT NULL,
    fields VARCHAR NOT NULL,
    keyed BOOLEAN NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (run_id, sobject)
);
"""

RECORD_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("phase", pa.string()),
        ("sobject", pa.string()),
        ("stames_id", pa.string()),
        ("salesforce_id", pa.string()),
        ("action", pa.string()),
        ("prior_values", pa.string()),
        ("error_code", pa.string()),
        ("error_message", pa.string()),
        ("attempts", pa.int32()),
        ("recorded_at", pa.timestamp("us", tz="UTC")),
    ]
)


@dataclass(frozen=True)
class LedgerRow:
    phase: str
    sobject: str
    stames_id: str
    salesforce_id: str | None
    action: str
    attempts: int
    prior_values: dict | None = None
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class Run:
    run_id: str
    status: str
    target: str
    mapping_hash: str
    data_hash: str
    started_at: datetime


@dataclass(frozen=True)
class SnapshotObject:
    """What the snapshot read of one object: its fields, whether it has `Stames_Id__c`, how many."""

    sobject: str
    fields: tuple[str, ...]
    keyed: bool
    records: int


@dataclass(frozen=True)
class PhaseCounts:
    source_rows: int
    quarantined: int
    attempted: int
    created: int
    updated: int
    linked: int
    unchanged: int
    failed: int
    failed_by_error: dict[str, int]


RUN_COLUMNS = "run_id, status, target, mapping_hash, data_hash, started_at"


def find_run(con: duckdb.DuckDBPyConnection, run_id: str) -> Run | None:
    """The run `run_id` (a read-only connection will do)."""
    row = con.execute(f"SELECT {RUN_COLUMNS} FROM {SCHEMA}.load_runs WHERE run_id = ?", [run_id]).fetchone()
    return Run(*row) if row else None


def latest_run(con: duckdb.DuckDBPyConnection, status: str | None = None) -> Run | None:
    """The latest run, or the latest run with `status`."""
    where = "WHERE status = ? " if status else ""
    row = con.execute(
        f"SELECT {RUN_COLUMNS} FROM {SCHEMA}.load_runs {where}ORDER BY started_at DESC, run_id DESC LIMIT 1",
        [status] if status else [],
    ).fetchone()
    return Run(*row) if row else None


def _replace_rows(writer: duckdb.DuckDBPyConnection, table: str, batch: str, keys: tuple[str, ...]) -> None:
    """Replace the rows of `table` that share a key with the registered `batch`, in one transaction."""
    matching = " AND ".join(f"{SCHEMA}.{table}.{key} = {batch}.{key}" for key in keys)
    described = writer.execute(f"SELECT * FROM {SCHEMA}.{table} LIMIT 0").description
    columns = ", ".join(column[0] for column in described)
    _in_one_transaction(
        writer,
        [
            f"DELETE FROM {SCHEMA}.{table} USING {batch} WHERE {matching}",
            f"INSERT INTO {SCHEMA}.{table} SELECT {columns} FROM {batch}",
        ],
    )


def _in_one_transaction(con: duckdb.DuckDBPyConnection, statements: Sequence[str]) -> None:
    """Run `statements`, all or none (each result drained: DuckDB refuses `register` beside one)."""
    con.execute("BEGIN TRANSACTION")
    try:
        for statement in statements:
            con.execute(statement).fetchall()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


class Ledger:
    """Reads and writes the `ops.load_*` tables on one open warehouse connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._run(DDL)
        self._drop_row_keys()

    def _drop_row_keys(self) -> None:
        """Rebuild a per-record table that a ledger of an earlier version made with a primary key."""
        for table in UNINDEXED_TABLES:
            [(keys,)] = self.con.execute(
                "SELECT count(*) FROM duckdb_constraints() WHERE schema_name = ? AND table_name = ? "
                "AND constraint_type = 'PRIMARY KEY'",
                [SCHEMA, table],
            ).fetchall()
            if not keys:
                continue
            _in_one_transaction(
                self.con,
                [
                    f"ALTER TABLE {SCHEMA}.{table} RENAME TO {table}_keyed",
                    DDL,  # creates the table anew, without a key
                    f"INSERT INTO {SCHEMA}.{table} SELECT * FROM {SCHEMA}.{table}_keyed",
                    f"DROP TABLE {SCHEMA}.{table}_keyed",
                ],
            )

    def _run(self, sql: str, parameters: list | None = None) -> None:
        """A statement whose result nobody reads, drained so the connection is free again
        (DuckDB refuses `register` while a result is pending)."""
        self.con.execute(sql, parameters or []).fetchall()

    # runs
    def run(self, run_id: str) -> Run | None:
        return find_run(self.con, run_id)

    def latest_run(self) -> Run | None:
        return latest_run(self.con)

    def start_run(
        self,
        run_id: str,
        now: datetime,
        target: str,
        instance_url: str,
        organization_id: str | None,
        user_id: str | None,
        mapping_hash: str,
        data_hash: str,
    ) -> None:
        self._run(
            f"INSERT INTO {SCHEMA}.load_runs (run_id, started_at, status, target, instance_url, "
            "organization_id, user_id, mapping_hash, data_hash) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)",
            [run_id, now, target, instance_url, organization_id, user_id, mapping_hash, data_hash],
        )

    def set_run(self, run_id: str, **columns: object) -> None:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        self._run(
            f"UPDATE {SCHEMA}.load_runs SET {assignments} WHERE run_id = ?", [*columns.values(), run_id]
        )

    # phases
    def phase_status(self, run_id: str, phase: str) -> str | None:
        row = self.con.execute(
            f"SELECT status FROM {SCHEMA}.load_phases WHERE run_id = ? AND phase = ?", [run_id, phase]
        ).fetchone()
        return row[0] if row else None

    def start_phase(self, run_id: str, phase: str, order: int, sobject: str, now: datetime) -> None:
        self._run(
            f"INSERT INTO {SCHEMA}.load_phases (run_id, phase, phase_order, sobject, status, started_at) "
            "VALUES (?, ?, ?, ?, 'running', ?) ON CONFLICT (run_id, phase) DO UPDATE SET status = 'running'",
            [run_id, phase, order, sobject, now],
        )

    def finish_phase(self, run_id: str, phase: str, status: str, counts: PhaseCounts, now: datetime) -> None:
        self._run(
            f"UPDATE {SCHEMA}.load_phases SET status = ?, finished_at = ?, source_rows = ?, "
            "quarantined = ?, attempted = ?, created = ?, updated = ?, linked = ?, unchanged = ?, "
            "failed = ?, failed_by_error = ? WHERE run_id = ? AND phase = ?",
            [
                status,
                now,
                counts.source_rows,
                counts.quarantined,
                counts.attempted,
                counts.created,
                counts.updated,
                counts.linked,
                counts.unchanged,
                counts.failed,
                json.dumps(counts.failed_by_error, sort_keys=True),
                run_id,
                phase,
            ],
        )

    def close_open_phases(self, run_id: str, status: str) -> None:
        """Phases a stop interrupted: resumed first thing next time."""
        self._run(
            f"UPDATE {SCHEMA}.load_phases SET status = ? WHERE run_id = ? AND status = 'running'",
            [status, run_id],
        )

    def counts(self, run_id: str, phase: str) -> dict[str, int]:
        rows = self.con.execute(
            f"SELECT action, count(*) FROM {SCHEMA}.load_records WHERE run_id = ? AND phase = ? "
            "GROUP BY action",
            [run_id, phase],
        ).fetchall()
        return dict(rows)

    def failed_by_error(self, run_id: str, phase: str) -> dict[str, int]:
        rows = self.con.execute(
            f"SELECT error_code, count(*) FROM {SCHEMA}.load_records "
            "WHERE run_id = ? AND phase = ? AND action = 'failed' GROUP BY error_code ORDER BY 1",
            [run_id, phase],
        ).fetchall()
        return {str(code): count for code, count in rows}

    # records
    def record(self, run_id: str, rows: Sequence[LedgerRow], now: datetime) -> None:
        if not rows:
            return
        table = pa.Table.from_pylist(
            [
                {
                    "run_id": run_id,
                    "phase": row.phase,
                    "sobject": row.sobject,
                    "stames_id": row.stames_id,
                    "salesforce_id": row.salesforce_id,
                    "action": row.action,
                    "prior_values": json.dumps(row.prior_values, sort_keys=True, default=str)
                    if row.prior_values is not None
                    else None,
                    "error_code": row.error_code,
                    "error_message": row.error_message,
                    "attempts": row.attempts,
                    "recorded_at": now,
                }
                for row in rows
            ],
            schema=RECORD_SCHEMA,
        )
        writer = self.con.cursor()  # a cursor of its own: DuckDB refuses `register` beside a pending result
        writer.register("ledger_batch", table)
        try:
            # One row per key, replaced in one transaction. Attempts add up across resumes (a row
            # failed twice, then loaded, says 3); the prior values are the first ones recorded.
            merged = writer.sql(
                "SELECT b.run_id, b.phase, b.sobject, b.stames_id, b.salesforce_id, b.action, "
                "coalesce(r.prior_values, b.prior_values) AS prior_values, b.error_code, b.error_message, "
                "coalesce(r.attempts, 0) + b.attempts AS attempts, b.recorded_at "
                f"FROM ledger_batch b LEFT JOIN {SCHEMA}.load_records r "
                "ON r.run_id = b.run_id AND r.phase = b.phase AND r.stames_id = b.stames_id"
            ).to_arrow_table()
            writer.register("ledger_merged", merged)
            _replace_rows(writer, "load_records", "ledger_merged", ("run_id", "phase", "stames_id"))
        finally:
            writer.close()

    def done_keys(self, run_id: str, phase: str) -> set[str]:
        rows = self.con.execute(
            f"SELECT stames_id FROM {SCHEMA}.load_records WHERE run_id = ? AND phase = ? AND action IN "
            f"{SUCCESS_ACTIONS}",
            [run_id, phase],
        ).fetchall()
        return {key for (key,) in rows}

    def failed_keys(self, run_id: str, phase: str) -> set[str]:
        rows = self.con.execute(
            f"SELECT stames_id FROM {SCHEMA}.load_records "
            "WHERE run_id = ? AND phase = ? AND action = 'failed'",
            [run_id, phase],
        ).fetchall()
        return {key for (key,) in rows}

    def loaded_ids(self, run_id: str, sobject: str) -> dict[str, str]:
        """Stames id → Salesforce id of every record of `sobject` this run created or updated."""
        rows = self.con.execute(
            f"SELECT stames_id, salesforce_id FROM {SCHEMA}.load_records WHERE run_id = ? AND sobject = ? "
            f"AND salesforce_id IS NOT NULL AND action IN {SUCCESS_ACTIONS}",
            [run_id, sobject],
        ).fetchall()
        return dict(rows)

    # snapshot
    def has_snapshot(self, run_id: str) -> bool:
        row = self.con.execute(
            f"SELECT snapshot_at FROM {SCHEMA}.load_runs WHERE run_id = ?", [run_id]
        ).fetchone()
        return bool(row and row[0])

    def save_snapshot(
        self, run_id: str, sobject: str, records: Iterable[tuple[str, str | None, dict]]
    ) -> None:
        rows = [
            {
                "run_id": run_id,
                "sobject": sobject,
                "salesforce_id": sf_id,
                "stames_id": key,
                "field_values": json.dumps(values, sort_keys=True, default=str),
            }
            for sf_id, key, values in records
        ]
        if not rows:
            return
        writer = self.con.cursor()
        writer.register("snapshot_batch", pa.Table.from_pylist(rows))
        try:
            _replace_rows(writer, "load_snapshot", "snapshot_batch", ("run_id", "sobject", "salesforce_id"))
        finally:
            writer.close()

    def snapshot(self, run_id: str, sobject: str) -> dict[str, tuple[str, dict]]:
        """Key (Stames id, or Id for a record without one) → (Salesforce id, prior field values)."""
        rows = self.con.execute(
            f"SELECT salesforce_id, stames_id, field_values FROM {SCHEMA}.load_snapshot "
            "WHERE run_id = ? AND sobject = ?",
            [run_id, sobject],
        ).fetchall()
        return {(key or sf_id): (sf_id, json.loads(values)) for sf_id, key, values in rows}

    def save_snapshot_object(self, run_id: str, taken: SnapshotObject) -> None:
        self._run(
            f"INSERT OR REPLACE INTO {SCHEMA}.load_snapshot_objects VALUES (?, ?, ?, ?, ?)",
            [run_id, taken.sobject, json.dumps(list(taken.fields)), taken.keyed, taken.records],
        )

    def snapshot_objects(self, run_id: str) -> list[SnapshotObject]:
        rows = self.con.execute(
            f"SELECT sobject, fields, keyed, records FROM {SCHEMA}.load_snapshot_objects WHERE run_id = ? "
            "ORDER BY sobject",
            [run_id],
        ).fetchall()
        return [
            SnapshotObject(sobject, tuple(json.loads(fields)), keyed, records)
            for sobject, fields, keyed, records in rows
        ]

    def snapshot_by_id(self, run_id: str, sobject: str) -> dict[str, tuple[str | None, dict]]:
        """Salesforce id → (Stames id, field values) of every record of `sobject` before the run."""
        rows = self.con.execute(
            f"SELECT salesforce_id, stames_id, field_values FROM {SCHEMA}.load_snapshot "
            "WHERE run_id = ? AND sobject = ?",
            [run_id, sobject],
        ).fetchall()
        return {sf_id: (key, json.loads(values)) for sf_id, key, values in rows}
