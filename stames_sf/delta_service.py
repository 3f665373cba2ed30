"""`stames-sf delta`: the cutover delta as one call. An incremental extract from the stored cursors,
then transform, validate, a load that writes only what differs (changed tickets updated, new
messages, files and status changes added), the tickets deleted or merged in Stames since they were
loaded (deleted in Salesforce only when asked), and the delta's own reconciliation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
from rich.console import Console

from loaders.delta.gone import GoneTicket, delete_gone_cases, find_gone_tickets
from loaders.load.http import Clock
from loaders.load.ledger import Ledger, LedgerRow
from loaders.load.runner import LoadOutcome
from stames_sf.reconcile_service import ReconcileOptions, ReconcileOutcome
from stames_sf.workdir import WorkDir


class DeltaStoppedError(Exception):
    """A stage of the delta did not pass; the message is one line saying which and what to do."""


@dataclass(frozen=True)
class DeltaOptions:
    base_url: str
    api_key: str
    apply_deletes: bool = False
    reconcile: ReconcileOptions = ReconcileOptions()  # noqa: RUF009 - frozen: one shared default is safe
    progress: bool = True
    """The extraction's live progress on the terminal."""


@dataclass(frozen=True)
class DeltaOutcome:
    load: LoadOutcome
    gone: tuple[GoneTicket, ...]
    deleted: tuple[LedgerRow, ...]
    gone_report: Path
    reconciliation: ReconcileOutcome


def require_previous_load(work: WorkDir) -> None:
    if work.warehouse.is_file():
        with duckdb.connect(str(work.warehouse), read_only=True) as con:
            tables = {
                name
                for (name,) in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ops'"
                ).fetchall()
            }
            if "load_runs" in tables:
                [(count,)] = con.execute(
                    "SELECT count(*) FROM ops.load_runs WHERE status = 'completed'"
                ).fetchall()
                if count:
                    return
    raise DeltaStoppedError("a delta follows a completed load: run `stames-sf load` first")


def run_delta(
    work: WorkDir, connection_file: Path, options: DeltaOptions, clock: Clock, console: Console
) -> DeltaOutcome:
    from stames_sf.extraction import run_extraction
    from stames_sf.load_service import LoadOptions, run_load_stage
    from stames_sf.load_view import RichLoadProgress, show_outcome
    from stames_sf.reconcile_service import run_reconcile_stage
    from stames_sf.transform_service import run_transform
    from stames_sf.validate_service import run_validation, show_result

    require_previous_load(work)
    console.rule("delta 1. extract what changed (incremental, from the stored cursors)")
    run_extraction(
        work, base_url=options.base_url, api_key=options.api_key, console=console, progress=options.progress
    )

    console.rule("delta 2. transform")
    transformed = run_transform(work, connection_file)
    console.print(transformed.summary())
    if not transformed.succeeded:
        raise DeltaStoppedError("the transform failed: see `dbt build` output in the work folder's logs")

    console.rule("delta 3. validate")
    validated = run_validation(work, connection_file, clock.now())
    show_result(validated, console)
    if not validated.passed:
        raise DeltaStoppedError("validation failed: fix the data or the mapping, then run the delta again")

    console.rule("delta 4. load what differs")
    with RichLoadProgress(console) as progress:
        loaded = run_load_stage(work, connection_file, LoadOptions(), clock, progress)
    show_outcome(loaded, console)
    if loaded.status != "completed":
        raise DeltaStoppedError(
            f"load run {loaded.run_id} {loaded.status}: {loaded.reason}; run the delta again"
        )

    console.rule("delta 5. tickets deleted or merged in Stames since they were loaded")
    with duckdb.connect(str(work.warehouse), read_only=True) as con:
        gone = find_gone_tickets(con)
    deleted = (
        _apply_deletes(work, connection_file, loaded.run_id, gone, clock) if options.apply_deletes else []
    )
    gone_report = write_gone_report(
        work.reports, loaded.run_id, gone, deleted, options.apply_deletes, clock.now()
    )

    console.rule("delta 6. reconcile the delta run")
    reconcile_options = ReconcileOptions(
        run_id=loaded.run_id, sample=options.reconcile.sample, seed=options.reconcile.seed
    )
    reconciliation = run_reconcile_stage(work, connection_file, reconcile_options, clock)
    return DeltaOutcome(loaded, tuple(gone), tuple(deleted), gone_report, reconciliation)


def _apply_deletes(
    work: WorkDir, connection_file: Path, run_id: str, gone: list[GoneTicket], clock: Clock
) -> list[LedgerRow]:
    from stames_sf.org_access import org_http
    from stames_sf.workdir import exclusive_run

    with (
        exclusive_run(work),
        org_http(connection_file, clock) as http,
        duckdb.connect(str(work.warehouse)) as con,
    ):
        ledger = Ledger(con)
        before = {sf_id: values for sf_id, (_, values) in ledger.snapshot_by_id(run_id, "Case").items()}
        return delete_gone_cases(http, ledger, run_id, gone, before)


def write_gone_report(
    reports: Path,
    run_id: str,
    gone: list[GoneTicket],
    deleted: list[LedgerRow],
    applied: bool,
    written_at: datetime,
) -> Path:
    """A Markdown list for the customer's decision (Ids and reasons only: nothing to escape)."""
    outcome = {row.salesforce_id: row.action for row in deleted}
    lines = [
        f"# Tickets deleted or merged in Stames after they were loaded (delta run {run_id})",
        "",
        f"Written {written_at:%Y-%m-%d %H:%M} UTC. Deleted and spam tickets left the sync tables, so "
        "no load touches their Cases; they are deleted in Salesforce only with "
        "`stames-sf delta --apply-deletes` (each with a ledger row holding its values). Merged tickets "
        "stay as closed Cases under the Case they were merged into.",
        "",
        "| Stames ticket | Case Id | in Stames | in Salesforce |",
        "|---|---|---|---|",
    ]
    for item in gone:
        if item.reason == "merged":
            state = f"closed, under the Case of ticket {item.merged_into}"
        elif item.case_id in outcome:
            state = "deleted by this delta" if outcome[item.case_id] == "deleted" else "delete FAILED"
        elif not item.still_in_org:
            state = "deleted by an earlier delta"
        else:
            state = "kept (run with --apply-deletes to delete)" if not applied else "kept"
        lines.append(f"| {item.stames_id} | {item.case_id} | {item.reason} | {state} |")
    if not gone:
        lines.append("| none | | | |")
    reports.mkdir(parents=True, exist_ok=True)
    path = reports / f"delta-{run_id}-gone-tickets.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
