"""Which load run a pack is for: the one named, or the latest in `ops.load_runs`, any status."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from datetime import datetime

import duckdb

from loaders.load.ledger import SCHEMA, latest_run


class NoRunToHandOffError(Exception):
    """There is no load run to hand off; the message is one line saying what to do."""


@dataclass(frozen=True)
class HandoffRun:
    run_id: str
    status: str
    target: str
    instance_url: str | None
    organization_id: str | None
    user_id: str | None
    started_at: datetime
    finished_at: datetime | None
    mapping_hash: str
    audit_fields: dict[str, str] | None
    """Salesforce object → what became of the original CreatedDate (`AuditFields` values);
    None when the run did not record it."""


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    [(count,)] = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return bool(count)


def choose_run(con: duckdb.DuckDBPyConnection, run_id: str | None) -> HandoffRun:
    """The run `run_id`, or the latest run; a stopped or failed run has a pack too."""
    if not has_table(con, SCHEMA, "load_runs"):
        raise NoRunToHandOffError("No load run is recorded in this work folder: run `stames-sf load` first.")
    if run_id is None:
        latest = latest_run(con)
        if latest is None:
            raise NoRunToHandOffError(
                "No load run is recorded in this work folder: run `stames-sf load` first."
            )
        run_id = latest.run_id
    row = con.execute(
        f"SELECT run_id, status, target, instance_url, organization_id, user_id, started_at, finished_at, "
        f"mapping_hash, audit_fields FROM {SCHEMA}.load_runs WHERE run_id = ?",
        [run_id],
    ).fetchone()
    if row is None:
        raise NoRunToHandOffError(f"No load run {run_id} in this work folder (see `ops.load_runs`).")
    return HandoffRun(*row[:-1], audit_fields=parse_audit_fields(row[-1]))


def parse_audit_fields(recorded: str | None) -> dict[str, str] | None:
    """The runner records `str(dict)`: a Python literal, not JSON."""
    if not recorded:
        return None
    try:
        value = ast.literal_eval(recorded)
    except (ValueError, SyntaxError):
        return None
    if not isinstance(value, dict):
        return None
    return {str(sobject): str(outcome) for sobject, outcome in value.items()}
