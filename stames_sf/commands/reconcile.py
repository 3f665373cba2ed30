"""`stames-sf reconcile`: read the org back after a load and prove it matches Stames and the sync
tables, per phase and on a seeded sample of Cases; exit 1 on any unexplained difference."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from stames_sf.options import DEFAULT_WORK, ConnectionOption, WorkOption, connection_file

if TYPE_CHECKING:
    from rich.console import Console

    from stames_sf.reconcile_service import ReconcileOutcome


def reconcile(
    work: WorkOption = DEFAULT_WORK,
    connection: ConnectionOption = None,
    run: Annotated[
        str | None, typer.Option("--run", help="The load run to reconcile (default: the latest completed).")
    ] = None,
    sample: Annotated[int, typer.Option("--sample", help="Cases compared field by field (25 to 50).")] = 30,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed of the sample draw; the same seed re-draws the same Cases."),
    ] = None,
    sign_off: Annotated[
        str | None,
        typer.Option("--sign-off", help="Record who signed the reconciliation off (only when it passes)."),
    ] = None,
) -> None:
    """Counts per phase, Case statuses and a sample of Cases, read back from the org and compared."""
    from rich.console import Console

    from loaders.load.http import Clock
    from loaders.reconcile.runs import NoRunToReconcileError
    from loaders.reconcile.sample import SampleSizeError
    from mapping.document import MappingError
    from stames_sf.org_access import OrgUnreachableError
    from stames_sf.reconcile_service import ReconcileOptions, run_reconcile_stage
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    work_dir = WorkDir.at(work)
    errors = Console(stderr=True)
    refusals = (NoRunToReconcileError, SampleSizeError, MappingError, OrgUnreachableError, WorkDirBusyError)
    options = ReconcileOptions(run, sample, seed, sign_off)
    try:
        outcome = run_reconcile_stage(work_dir, connection_file(connection, work_dir), options, Clock())
    except refusals as refused:
        errors.print(str(refused), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console = Console()
    show_outcome(outcome, console)
    if sign_off and outcome.signed_off_by is None:
        errors.print(
            f"Not signed off: the reconciliation has {outcome.reconciliation.unexplained} unexplained "
            "difference(s); fix them and reconcile again.",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if not outcome.reconciliation.passed:
        raise typer.Exit(1)


def show_outcome(outcome: ReconcileOutcome, console: Console) -> None:
    from rich.table import Table

    result = outcome.reconciliation
    counts = Table(title=f"Load run {result.run.run_id}: counts per phase")
    for column in ("phase", "source", "synced", "quarantined", "excluded", "loaded", "failed", "in org"):
        counts.add_column(column, justify="left" if column == "phase" else "right", no_wrap=column == "phase")
    counts.add_column("unexplained", justify="right")
    for row in result.counts.phases:
        counts.add_row(
            row.phase,
            _number(row.source.source_rows if row.source else None),
            _number(row.synced),
            _number(row.source.quarantined if row.source else None),
            _number(row.source.excluded if row.source else None),
            str(row.loaded),
            str(row.failed) + (f" ({_errors(row.failed_by_error)})" if row.failed else ""),
            _number(row.in_org),
            _flag(row.unexplained),
        )
    for source in result.counts.sources:
        counts.add_row(
            f"Stames {source.object}",
            str(source.source_rows),
            str(source.synced),
            str(source.quarantined),
            str(source.excluded),
            "–",
            "–",
            "–",
            _flag(source.unexplained),
        )
    console.print(counts)
    statuses = Table(title="Case status")
    for column in ("Status", "from Stames", "synced", "loaded", "in org", "unexplained"):
        statuses.add_column(column)
    for row in result.statuses:
        statuses.add_row(
            row.status,
            row.stames_statuses,
            str(row.synced),
            str(row.loaded),
            str(row.in_org),
            _flag(row.unexplained),
        )
    console.print(statuses)
    failed = [case for case in result.cases if not case.passed]
    console.print(
        f"Sample: {len(result.cases)} Cases (seed {result.seed}), {len(result.cases) - len(failed)} passed, "
        f"{len(failed)} failed."
    )
    if failed:
        mismatches = Table(title="Mismatches")
        for column in ("Case", "field", "expected", "in the org"):
            mismatches.add_column(column, overflow="fold")
        for case in failed:
            for mismatch in case.mismatches:
                mismatches.add_row(mismatch.case, mismatch.field, mismatch.expected, mismatch.actual)
        console.print(mismatches)
    verdict = (
        "[green]PASSED[/green]" if result.passed else f"[red]FAILED[/red]: {result.unexplained} unexplained"
    )
    console.print(
        f"Reconciliation {verdict}. Report: {outcome.report.html} and {outcome.report.markdown.name}"
    )
    if outcome.signed_off_by:
        console.print(f"Signed off by {outcome.signed_off_by}.", markup=False)


def _number(value: int | None) -> str:
    return "–" if value is None else str(value)


def _flag(value: int) -> str:
    return f"[red]{value}[/red]" if value else "0"


def _errors(failed_by_error: dict[str, int] | object) -> str:
    return ", ".join(f"{code}: {count}" for code, count in dict(failed_by_error).items())  # type: ignore[call-overload]
