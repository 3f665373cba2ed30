"""`stames-sf delta`: at cutover, bring what changed in Stames since the last load."""

from __future__ import annotations

from typing import Annotated

import typer

from stames_sf.commands.extract import ApiKeyOption, BaseUrlOption
from stames_sf.options import DEFAULT_WORK, ConnectionOption, WorkOption, connection_file


def delta(
    work: WorkOption = DEFAULT_WORK,
    connection: ConnectionOption = None,
    base_url: BaseUrlOption = None,
    api_key: ApiKeyOption = None,
    apply_deletes: Annotated[
        bool,
        typer.Option(
            "--apply-deletes",
            help="Delete in Salesforce the Cases of tickets deleted in Stames since they were loaded.",
        ),
    ] = False,
    sample: Annotated[int, typer.Option("--sample", help="Cases the delta's reconciliation compares.")] = 30,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the reconciliation's sample.")] = None,
) -> None:
    """Incremental extract → transform → validate → load of what changed, then the tickets deleted or
    merged since, then the delta's reconciliation. Exit 1 when a stage stops or reconcile fails."""
    from rich.console import Console

    from dlt_pipelines.stames.pipeline import resolve_connection
    from expectations.gate import ValidationGateError
    from loaders.agents import AgentGateError
    from loaders.load.http import Clock
    from loaders.load.runner import LoadRefusedError
    from loaders.reconcile.runs import NoRunToReconcileError
    from mapping.document import MappingError
    from stames_sf.commands.reconcile import show_outcome
    from stames_sf.delta_service import DeltaOptions, DeltaStoppedError, run_delta
    from stames_sf.org_access import OrgUnreachableError
    from stames_sf.reconcile_service import ReconcileOptions
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    console = Console()
    errors = Console(stderr=True)
    try:
        resolved_url, resolved_key = resolve_connection(base_url, api_key)
    except ValueError as error:
        errors.print(str(error), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from error
    work_dir = WorkDir.at(work)
    options = DeltaOptions(
        resolved_url, resolved_key, apply_deletes, ReconcileOptions(sample=sample, seed=seed)
    )
    refusals = (
        DeltaStoppedError,
        MappingError,
        ValidationGateError,
        AgentGateError,
        LoadRefusedError,
        NoRunToReconcileError,
        OrgUnreachableError,
        WorkDirBusyError,
    )
    try:
        outcome = run_delta(work_dir, connection_file(connection, work_dir), options, Clock(), console)
    except refusals as stopped:
        errors.print(f"Delta stopped: {stopped}", style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    for item in outcome.gone:
        console.print(f"ticket {item.stames_id} ({item.reason}): Case {item.case_id}", markup=False)
    if outcome.deleted:
        console.print(f"{sum(row.action == 'deleted' for row in outcome.deleted):,} Case(s) deleted.")
    console.print(f"Deleted and merged tickets: {outcome.gone_report}", markup=False)
    show_outcome(outcome.reconciliation, console)
    if not outcome.reconciliation.reconciliation.passed:
        raise typer.Exit(1)
