"""`stames-sf transform`: dbt build of the sync tables on a confirmed mapping."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from stames_sf.options import DEFAULT_WORK, ConnectionOption, WorkOption, connection_file


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


EngineOption = Annotated[
    Engine,
    typer.Option(
        help="Where dbt runs: DuckDB in the warehouse, or Apache Spark (local mode) over a Parquet "
        "copy of the sources, with the results read back into the warehouse.",
    ),
]


def transform(
    work: WorkOption = DEFAULT_WORK, connection: ConnectionOption = None, engine: EngineOption = Engine.duckdb
) -> None:
    """Build staging, intermediate and the salesforce sync tables (dbt) in the work folder's warehouse;
    companies are matched to the org's Accounts when the org can be reached."""
    from stames_sf.transform_service import TransformRefusedError, run_transform
    from stames_sf.workdir import WorkDir, WorkDirBusyError, exclusive_run

    work_dir = WorkDir.at(work)
    try:
        with exclusive_run(work_dir):
            result = run_transform(work_dir, connection_file(connection, work_dir), engine=engine.value)
    except (TransformRefusedError, WorkDirBusyError) as refused:
        typer.echo(str(refused), err=True)
        raise typer.Exit(1) from refused
    typer.echo(result.summary())
    typer.echo(result.account_matching)
    if result.generated_files:
        typer.echo(result.generated_files)
    for line in result.reconciliation:
        typer.echo(line.line())
    if not result.succeeded:
        for failure in result.failures:
            typer.echo(f"  {failure}", err=True)
        typer.echo(f"dbt's log: {result.log_file}", err=True)
        raise typer.Exit(1)
