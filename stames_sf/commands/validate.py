"""`stames-sf validate`: the load-readiness gate (Great Expectations), Data Docs and the sign-off."""

from __future__ import annotations

import typer

from stames_sf.options import DEFAULT_WORK, ConnectionOption, WorkOption, connection_file


def validate(work: WorkOption = DEFAULT_WORK, connection: ConnectionOption = None) -> None:
    """Check the sync tables against the target org and the confirmed mapping; exit 1 on any failure."""
    from datetime import UTC, datetime

    import duckdb
    from rich.console import Console

    from expectations.validation import NoSyncTablesError
    from mapping.document import MappingError
    from stames_sf.org_access import OrgUnreachableError
    from stames_sf.validate_service import (
        run_validation,
        show_result,
    )
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    work_dir = WorkDir.at(work)
    org_connection = connection_file(connection, work_dir)
    errors = Console(stderr=True)
    try:
        result = run_validation(work_dir, org_connection, datetime.now(UTC))
    except (MappingError, NoSyncTablesError, WorkDirBusyError) as refused:
        errors.print(str(refused), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from refused
    except OrgUnreachableError as unreachable:
        errors.print(str(unreachable), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from unreachable
    except duckdb.IOException as busy:
        # DuckDB allows one writer: a transform or extraction still running holds the file.
        errors.print(
            f"Cannot open {work_dir.warehouse} (is another stage running?): {busy}",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from busy
    show_result(result, Console())
    if not result.passed:
        raise typer.Exit(1)
