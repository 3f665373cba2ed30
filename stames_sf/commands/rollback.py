"""`stames-sf rollback --run RUN_ID`: delete what a load run created, restore what it updated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from stames_sf.options import DEFAULT_WORK, ConnectionOption, WorkOption, connection_file

if TYPE_CHECKING:
    from rich.console import Console

    from loaders.rollback.runner import RollbackOutcome


def rollback(
    run: Annotated[str, typer.Option("--run", help="The load run to undo (see `ops.load_runs`).")],
    work: WorkOption = DEFAULT_WORK,
    connection: ConnectionOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be deleted and restored; change nothing.")
    ] = False,
) -> None:
    """Undo a run: restore what it updated, delete what it created (children first), then compare
    the org with the snapshot the load took before the run. Exit 1 unless identical."""
    from rich.console import Console

    from loaders.load.http import Clock
    from loaders.rollback.runner import RollbackRefusedError
    from stames_sf.load_view import RichLoadProgress
    from stames_sf.org_access import OrgUnreachableError
    from stames_sf.rollback_service import run_rollback_stage
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    work_dir = WorkDir.at(work)
    console = Console()
    try:
        with RichLoadProgress(console) as progress:
            outcome = run_rollback_stage(
                work_dir, connection_file(connection, work_dir), run, dry_run, Clock(), progress
            )
    except (RollbackRefusedError, OrgUnreachableError, WorkDirBusyError) as refused:
        Console(stderr=True).print(str(refused), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    show_outcome(outcome, console)
    if dry_run:
        return
    if not outcome.succeeded:
        console.print(
            "The org is not yet as the run found it: run the rollback again once the cause is fixed."
        )
        raise typer.Exit(1)
    console.print(f"Run {run} is rolled back: the org is as the run found it.")


def show_outcome(outcome: RollbackOutcome, console: Console) -> None:
    """What was deleted and restored per object, the org against the snapshot, the report."""
    from rich.table import Table

    report = outcome.report
    actions = Table(title=f"Rollback of {report.run_id}{' (dry run)' if report.dry_run else ''}")
    for column in ("object", "delete", "restore", "nothing to undo"):
        actions.add_column(column, justify="left" if column == "object" else "right")
    for row in report.actions:
        actions.add_row(row.sobject, f"{row.deletions:,}", f"{row.restores:,}", f"{row.kept:,}")
    console.print(actions)
    if report.proof:
        proof = Table(title="The org against the snapshot taken before the run")
        for column in ("object", "before", "now", "missing", "left over", "changed", "identical"):
            proof.add_column(column, justify="left" if column in ("object", "identical") else "right")
        for item in report.proof:
            proof.add_row(
                item.sobject,
                f"{item.before:,}",
                f"{item.now:,}",
                str(len(item.missing)),
                str(len(item.left_over)),
                str(len(item.changed)),
                "yes" if item.identical else "no",
            )
        console.print(proof)
    for line in report.differences[:20]:
        console.print(line, markup=False, highlight=False)
    for failure in report.failures[:20]:
        console.print(
            f"{failure.sobject} {failure.salesforce_id}: {failure.error_code} {failure.error_message}",
            markup=False,
            highlight=False,
        )
    console.print(f"Report: {outcome.markdown_path}\n        {outcome.html_path}", markup=False)
