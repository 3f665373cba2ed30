"""The table a demo or run ends with: per object, where the Stames records went (source, synced,
quarantined, excluded, loaded, failed), and the path of every report.

The numbers are what reconcile already stored for the run (`ops.reconciliation_phases`: the
transform's balance per Stames object beside the ledger's loaded and failed per phase), read back,
not counted again. Before any reconciled run the table is the transform's balance alone
(`salesforce.sync_salesforce__reconciliation`). A phase's links pass (`Case.links`) sets lookups
on records its phase already counted, so it is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from loaders.load.ledger import SCHEMA
from loaders.reconcile.counts import LINKS_SUFFIX, source_balances
from loaders.reconcile.store import SOURCE_PHASE_PREFIX
from stames_sf.steps import PLAIN, Report

STAMES_PREFIX = "Stames "
"""How a row for a Stames object with no load phase of its own is named (`Stames message`)."""


@dataclass(frozen=True)
class ObjectCounts:
    """One row: a Salesforce object (its phase) or a Stames object balanced on its own."""

    name: str
    source: int | None
    synced: int | None
    quarantined: int | None
    excluded: int | None
    loaded: int | None
    failed: int | None
    unexplained: int = 0

    @property
    def accounted(self) -> int | None:
        """Source records the row accounts for: loaded or failed (synced, for a row with no load
        of its own), quarantined or excluded. None for an object with no Stames source of its own."""
        if self.source is None:
            return None
        went_on = self.synced if self.loaded is None else self.loaded + (self.failed or 0)
        return (went_on or 0) + (self.quarantined or 0) + (self.excluded or 0)


@dataclass(frozen=True)
class RunSummary:
    run_id: str | None
    """The load run the numbers are of; None before any load."""
    reconciled_at: datetime | None
    """When reconcile stored them; None: the transform's balance only."""
    passed: bool | None
    objects: tuple[ObjectCounts, ...]
    unexplained: int
    reports: tuple[Report, ...] = ()
    notes: tuple[str, ...] = ()
    """Lines a reader must not miss (the demo's shortcuts)."""
    run_status: str | None = None
    """The run's status in `ops.load_runs` now (`rolled_back` after a rollback)."""

    @property
    def source_records(self) -> int:
        return sum(row.source for row in self.objects if row.source is not None)

    @property
    def accounted_records(self) -> int:
        return sum(row.accounted for row in self.objects if row.accounted is not None)

    @property
    def every_record_accounted_for(self) -> bool:
        return self.unexplained == 0 and self.accounted_records == self.source_records

    def with_reports(self, reports: Sequence[Report], notes: Sequence[str] = ()) -> RunSummary:
        return replace(self, reports=tuple(reports), notes=tuple(notes))

    def as_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "run_status": self.run_status,
            "reconciled_at": self.reconciled_at.isoformat() if self.reconciled_at else None,
            "passed": self.passed,
            "objects": [asdict(row) for row in self.objects],
            "source_records": self.source_records,
            "accounted_records": self.accounted_records,
            "unexplained": self.unexplained,
            "reports": {report.what: str(report.path) for report in self.reports},
            "notes": list(self.notes),
        }


def read_summary(warehouse: Path, run_id: str | None = None) -> RunSummary:
    """The latest reconciliation of `run_id` (default: the latest load run), or the transform's
    balance when that run was never reconciled or nothing was loaded."""
    if not warehouse.is_file():
        return RunSummary(None, None, None, (), 0)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = _tables(con)
        run = run_id or (_latest_run(con) if ("ops", "load_runs") in tables else None)
        reconciled = (
            _latest_reconciliation(con, run) if run and (SCHEMA, "reconciliations") in tables else None
        )
        status = _run_status(con, run) if run else None
        if reconciled is not None:
            at, passed, unexplained = reconciled
            rows = tuple(_reconciled_rows(con, run, at))
            return RunSummary(run, at, passed, rows, unexplained, run_status=status)
        if ("salesforce", "sync_salesforce__reconciliation") in tables:
            balances = source_balances(con).values()
            rows = tuple(
                ObjectCounts(
                    b.object, b.source_rows, b.synced, b.quarantined, b.excluded, None, None, b.unexplained
                )
                for b in balances
            )
            return RunSummary(run, None, None, rows, sum(row.unexplained for row in rows), run_status=status)
    return RunSummary(run, None, None, (), 0)


def _tables(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    return {(schema, name) for schema, name in rows}


def _latest_run(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(f"SELECT run_id FROM {SCHEMA}.load_runs ORDER BY started_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def _run_status(con: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    row = con.execute(f"SELECT status FROM {SCHEMA}.load_runs WHERE run_id = ?", [run_id]).fetchone()
    return row[0] if row else None


def _latest_reconciliation(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[datetime, bool, int] | None:
    return con.execute(
        f"SELECT reconciled_at, passed, unexplained FROM {SCHEMA}.reconciliations WHERE run_id = ? "
        "ORDER BY reconciled_at DESC LIMIT 1",
        [run_id],
    ).fetchone()


def _reconciled_rows(con: duckdb.DuckDBPyConnection, run_id: str, at: datetime) -> list[ObjectCounts]:
    rows = con.execute(
        f"SELECT r.phase, r.source_rows, r.synced, r.quarantined, r.excluded, r.loaded, r.failed, "
        f"r.unexplained FROM {SCHEMA}.reconciliation_phases r LEFT JOIN {SCHEMA}.load_phases p "
        "ON p.run_id = r.run_id AND p.phase = r.phase WHERE r.run_id = ? AND r.reconciled_at = ? "
        "ORDER BY p.phase_order IS NULL, p.phase_order, r.phase",
        [run_id, at],
    ).fetchall()
    return [ObjectCounts(_row_name(row[0]), *row[1:]) for row in rows if not row[0].endswith(LINKS_SUFFIX)]


def _row_name(phase: str) -> str:
    if phase.startswith(SOURCE_PHASE_PREFIX):
        return STAMES_PREFIX + phase.removeprefix(SOURCE_PHASE_PREFIX)
    return phase


COLUMNS = ("object", "source", "synced", "quarantined", "excluded", "loaded", "failed")
CAPTION = (
    "Stames rows: objects that load into several Salesforce objects (messages, attachments), "
    "balanced on their own; – : not counted for that row."
)


def show_summary(summary: RunSummary, console: Console) -> None:
    """The table, whether every record is accounted for, the demo's notes, then every report."""
    if summary.objects:
        console.print(_table(summary))
        console.print(_accounting_line(summary), **PLAIN)
    else:
        console.print("Summary: nothing transformed yet (no sync tables in the warehouse).", **PLAIN)
    for note in summary.notes:
        console.print(note, style="yellow", **PLAIN)
    width = max((len(report.what) for report in summary.reports), default=0)
    for report in summary.reports:
        console.print(f"{report.what:<{width}}  {report.path}", **PLAIN)


def _table(summary: RunSummary) -> Table:
    table = Table(title=_title(summary), caption=CAPTION)
    for column in COLUMNS:
        table.add_column(
            column, justify="left" if column == "object" else "right", no_wrap=column == "object"
        )
    for row in summary.objects:
        failed = f"[red]{row.failed:,}[/red]" if row.failed else _number(row.failed)
        table.add_row(
            row.name,
            _number(row.source),
            _number(row.synced),
            _number(row.quarantined),
            _number(row.excluded),
            _number(row.loaded),
            failed,
        )
    return table


def _title(summary: RunSummary) -> str:
    if summary.reconciled_at is None:
        loaded = f"load run {summary.run_id} not reconciled" if summary.run_id else "nothing loaded yet"
        return f"Summary: the transform's balance ({loaded})"
    verdict = "passed" if summary.passed else "FAILED"
    status = f" ({summary.run_status})" if summary.run_status not in (None, "completed") else ""
    when = f"{summary.reconciled_at:%Y-%m-%d %H:%M}"
    return f"Summary: load run {summary.run_id}{status}, reconciled {when} ({verdict})"


def _accounting_line(summary: RunSummary) -> str:
    counted = f"{summary.accounted_records:,} of {summary.source_records:,} Stames records"
    went = "synced" if summary.reconciled_at is None else "loaded, failed"
    if summary.every_record_accounted_for:
        return f"Every Stames record accounted for: {counted} {went}, quarantined or excluded."
    return (
        f"NOT every Stames record is accounted for: {counted} {went}, quarantined or excluded; "
        f"{summary.unexplained:,} unexplained."
    )


def _number(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"
