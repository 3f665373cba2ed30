"""Which load run a reconciliation reads: the one named, or the latest completed one."""

from __future__ import annotations

import duckdb

from loaders.load.ledger import SCHEMA, SUCCESS_ACTIONS, Run, find_run, latest_run


class NoRunToReconcileError(Exception):
    """There is no completed load run to reconcile; the message is one line."""


def choose_run(con: duckdb.DuckDBPyConnection, run_id: str | None) -> Run:
    """The run `run_id`, or the latest completed run; it must have completed."""
    if not _has_ledger(con):
        raise NoRunToReconcileError(
            "No load run is recorded in this work folder: run `stames-sf load` first."
        )
    if run_id is None:
        latest = latest_run(con, status="completed")
        if latest is None:
            raise NoRunToReconcileError(
                "No completed load run to reconcile: finish the load (`stames-sf load`) first."
            )
        return latest
    run = find_run(con, run_id)
    if run is None:
        raise NoRunToReconcileError(f"No load run {run_id} in this work folder.")
    if run.status != "completed":
        raise NoRunToReconcileError(
            f"Load run {run_id} is {run.status}, not completed: resume it (`stames-sf load`) first."
        )
    return run


def loaded_ids(con: duckdb.DuckDBPyConnection, run_id: str, phase: str) -> dict[str, str]:
    """Stames id → Salesforce id of every record the run's `phase` loaded (any success action)."""
    rows = con.execute(
        f"SELECT stames_id, salesforce_id FROM {SCHEMA}.load_records WHERE run_id = ? AND phase = ? "
        f"AND salesforce_id IS NOT NULL AND action IN {SUCCESS_ACTIONS}",
        [run_id, phase],
    ).fetchall()
    return dict(rows)


def _has_ledger(con: duckdb.DuckDBPyConnection) -> bool:
    [(count,)] = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'load_runs'",
        [SCHEMA],
    ).fetchall()
    return bool(count)
