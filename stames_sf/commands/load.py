"""`stames-sf load`: the sync tables into Salesforce, in dependency order, every record in the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stames_sf.options import DEFAULT_WORK, ConnectionOption, WorkOption, connection_file

EXIT_PAUSED = 3
"""The run stopped at its API budget (or the org's daily limit): load again later to resume."""


def load(
    work: WorkOption = DEFAULT_WORK,
    connection: ConnectionOption = None,
    target: Annotated[
        str,
        typer.Option(
            "--target", help="sandbox (default) or production (only after a signed-off sandbox run)."
        ),
    ] = "sandbox",
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Reload only what failed in the last run, after a fix.")
    ] = False,
    new_run: Annotated[
        bool, typer.Option("--new-run", help="Start a new run instead of resuming a stopped one.")
    ] = False,
    accept_automation: Annotated[
        bool,
        typer.Option(
            "--accept-automation", help="Load even though Case automation would fire for the loading user."
        ),
    ] = False,
    jobs_in_flight: Annotated[int, typer.Option(help="Bulk API 2.0 jobs in flight at once.")] = 4,
    files_in_flight: Annotated[int, typer.Option(help="File uploads in flight at once.")] = 4,
    budget_share: Annotated[
        float, typer.Option(help="Share of the org's remaining daily API calls this run may use.")
    ] = 0.8,
    failure_threshold: Annotated[
        float, typer.Option(help="Share of failed records in a phase that stops the run before its children.")
    ] = 0.10,
    duckdb_memory: Annotated[
        str | None,
        typer.Option(
            help="DuckDB's memory limit while the loader reads the warehouse (e.g. 256MB); "
            "raise it if a load stops for memory."
        ),
    ] = None,
) -> None:
    """Load (or resume) a run: Accounts → Contacts → Cases → history → files → messages → the rest."""
    import duckdb
    from rich.console import Console

    from expectations.gate import ValidationGateError
    from loaders.agents import AgentGateError
    from loaders.load.bulk import BulkSettings
    from loaders.load.context import LoadSettings
    from loaders.load.http import Clock
    from loaders.load.runner import LoadRefusedError
    from mapping.document import MappingError
    from stames_sf.load_service import LoadOptions, run_load_stage
    from stames_sf.load_view import RichLoadProgress, show_outcome
    from stames_sf.org_access import OrgUnreachableError
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    work_dir = WorkDir.at(work)
    errors = Console(stderr=True)
    settings = LoadSettings(
        bulk=BulkSettings(jobs_in_flight=jobs_in_flight),
        files_in_flight=files_in_flight,
        budget_share=budget_share,
        failure_threshold=failure_threshold,
        **({"duckdb_memory_limit": duckdb_memory} if duckdb_memory else {}),
    )
    options = LoadOptions(target, retry_failed, new_run, accept_automation, settings)
    console = Console()
    refusals = (
        MappingError,
        ValidationGateError,
        AgentGateError,
        LoadRefusedError,
        OrgUnreachableError,
        WorkDirBusyError,
        *_automation_errors(),
    )
    try:
        with RichLoadProgress(console) as progress:
            outcome = run_load_stage(
                work_dir, connection_file(connection, work_dir), options, Clock(), progress
            )
    except refusals as refused:
        errors.print(str(refused), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except duckdb.OutOfMemoryException as error:
        errors.print(
            f"DuckDB needed more than its {settings.duckdb_memory_limit} while reading the warehouse "
            f"({_first_line(error)}); what loaded is in the ledger: run `stames-sf load` again with a "
            "higher --duckdb-memory to resume.",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    show_outcome(outcome, console)
    if outcome.status == "paused":
        raise typer.Exit(EXIT_PAUSED)
    if outcome.status != "completed":
        raise typer.Exit(1)


def _first_line(error: Exception) -> str:
    return next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)


def _automation_errors() -> tuple[type[Exception], ...]:
    from loaders.automation import AutomationWouldFireError

    return (AutomationWouldFireError,)


__all__ = ["Path", "load"]
