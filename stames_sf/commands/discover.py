"""`stames-sf discover`: the field-level scope report of the extracted Stames data."""

from __future__ import annotations

import typer

from stames_sf.options import DEFAULT_WORK, WorkOption


def discover(work: WorkOption = DEFAULT_WORK) -> None:
    """Profile the raw extraction and write reports/scope.md and reports/scope.html."""
    import duckdb

    from stames_sf.discovery.service import run_discovery
    from stames_sf.workdir import WorkDir

    work_dir = WorkDir.at(work)
    if not work_dir.warehouse.exists():
        typer.echo(f"No warehouse in {work_dir.root}: run `stames-sf extract` first.", err=True)
        raise typer.Exit(1)
    try:
        report = run_discovery(work_dir)
    except duckdb.IOException as error:
        # DuckDB allows one writer: an extraction still running holds the file.
        typer.echo(f"Cannot read {work_dir.warehouse} (is an extraction running?): {error}", err=True)
        raise typer.Exit(1) from error
    present = sum(1 for finding in report.findings if finding.count)
    typer.echo(
        f"{report.records('tickets') or 0:,} tickets, {present} edge-case classes present; "
        f"about {report.estimate.api_calls:,} Salesforce API calls."
    )
    typer.echo(f"Wrote {report.markdown_path}")
    typer.echo(f"Wrote {report.html_path}")
