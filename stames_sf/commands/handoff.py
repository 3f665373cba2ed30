"""`stames-sf handoff`: the pack a customer keeps after a load run, in `<work>/handoff/<run id>/`."""

from __future__ import annotations

from typing import Annotated

import typer

from stames_sf.options import DEFAULT_WORK, WorkOption


def handoff(
    work: WorkOption = DEFAULT_WORK,
    run: Annotated[
        str | None,
        typer.Option("--run", help="The load run to hand off (default: the latest in ops.load_runs)."),
    ] = None,
) -> None:
    """Build handoff/<run id>/: the run's reports copied, error CSVs per object, the manual-work
    inventory, and index.html linking them all."""
    from datetime import UTC, datetime

    import duckdb
    from rich.console import Console

    from stames_sf.handoff.run import NoRunToHandOffError
    from stames_sf.handoff.service import build_handoff
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    work_dir = WorkDir.at(work)
    errors = Console(stderr=True)
    try:
        pack = build_handoff(work_dir, run, datetime.now(UTC))
    except (NoRunToHandOffError, WorkDirBusyError) as refused:
        errors.print(str(refused), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except duckdb.IOException as busy:
        # DuckDB allows one writer: a stage running in another process holds the file.
        errors.print(
            f"Cannot read {work_dir.warehouse} (is another stage running?): {busy}",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    console = Console()
    console.print(f"Handoff pack of load run {pack.run.run_id}: {pack.files} files.", markup=False)
    for item in pack.missing:
        console.print(f"Not produced yet: {item.what} (run `{item.command}`).", markup=False, highlight=False)
    console.print(f"Index: {pack.index}", markup=False, highlight=False)
