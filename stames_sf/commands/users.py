"""`stames-sf users`: the agent gate. Match every agent the records name to a Salesforce User, write
the reconciliation queue, record the owner decisions `stames-sf load` checks."""

from __future__ import annotations

from typing import Annotated

import typer

from stames_sf.options import DEFAULT_WORK, ConnectionOption, WorkOption, connection_file

AcceptFallbackOption = Annotated[
    bool,
    typer.Option(
        "--accept-fallback",
        help="Give every agent still without an active user to the mapping's fallback owner, "
        "without asking, and say so.",
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by", help="Who accepts the fallback, recorded with the decision (default: accept-fallback)."
    ),
]


def users(
    work: WorkOption = DEFAULT_WORK,
    connection: ConnectionOption = None,
    accept_fallback: AcceptFallbackOption = False,
    by: ByOption = None,
) -> None:
    """Reconcile Stames agents with Salesforce users; exit 1 while any agent is unresolved."""
    from datetime import UTC, datetime

    import duckdb
    from rich.console import Console

    from loaders.agents import AgentGateError
    from mapping.document import MappingError
    from stames_sf.org_access import OrgUnreachableError
    from stames_sf.users_service import run_users, show_result
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    errors = Console(stderr=True)

    def fail(message: str) -> typer.Exit:
        errors.print(message, style="red", markup=False, highlight=False, soft_wrap=True)
        return typer.Exit(1)

    if by is not None and not accept_fallback:
        raise fail("--by names who accepts the fallback owner: use it with --accept-fallback.")
    work_dir = WorkDir.at(work)
    org_connection = connection_file(connection, work_dir)
    try:
        result = run_users(
            work_dir, org_connection, datetime.now(UTC), accept_fallback=accept_fallback, by=by
        )
    except (MappingError, AgentGateError, OrgUnreachableError, WorkDirBusyError) as refused:
        raise fail(str(refused)) from refused
    except duckdb.IOException as busy:
        # DuckDB allows one writer: a transform or extraction still running holds the file.
        raise fail(f"Cannot open {work_dir.warehouse} (is another stage running?): {busy}") from busy
    show_result(result, Console())
    if not result.resolved:
        raise typer.Exit(1)
