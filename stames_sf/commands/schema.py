"""`stames-sf schema …`: the metadata the confirmed mapping needs, and the preflight against the org."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from rich.console import Console
from rich.table import Table

from stames_sf.options import DEFAULT_WORK, ConnectionOption, WorkOption

app = typer.Typer(no_args_is_help=True)

Result = TypeVar("Result")


@app.command()
def plan(connection: ConnectionOption = None, work: WorkOption = DEFAULT_WORK) -> None:
    """Write <work>/salesforce-metadata/, the SFDX project an admin deploys with `sf project deploy start`."""
    from stames_sf.schema_service import run_plan
    from stames_sf.workdir import WorkDir

    outcome = _one_line_errors(lambda: run_plan(WorkDir.at(work), connection))
    planned = outcome.plan
    typer.echo(
        f"{len(planned.objects)} custom objects, {len(planned.fields)} custom fields, "
        f"{len(planned.value_sets)} standard value sets extended, 1 permission set."
    )
    for value_set in planned.value_sets:
        typer.echo(f"  {value_set.name}: adds {', '.join(value_set.added)}")
    for warning in planned.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    typer.echo(f"Wrote {outcome.folder}")
    typer.echo(f"Deploy: cd {outcome.folder} && sf project deploy start --target-org <org>")
    typer.echo("Then: sf org assign permset --name Stames_Migration --target-org <org>")


@app.command()
def check(connection: ConnectionOption = None, work: WorkOption = DEFAULT_WORK) -> None:
    """Check the org against the confirmed mapping; print every gap and exit 1 if there is any."""
    from stames_sf.schema_service import run_check
    from stames_sf.workdir import WorkDir

    outcome = _one_line_errors(lambda: run_check(WorkDir.at(work), connection))
    result = outcome.result
    console = Console()
    if result.gaps:
        table = Table(title=f"Schema check: {len(result.gaps)} gap(s) in {result.checked} targets")
        table.add_column("target")
        table.add_column("gap")
        for gap in result.gaps:
            table.add_row(gap.target, gap.problem)
        console.print(table)
    else:
        console.print(f"Schema check passed: {result.checked} targets.")
    for note in result.notes:
        console.print(f"- {note}", markup=False)
    console.print(f"Wrote {outcome.report}", markup=False)
    if result.gaps:
        raise typer.Exit(1)


def _one_line_errors(run: Callable[[], Result]) -> Result:
    """The service's result, or its error as one line and exit 1."""
    import requests
    from simple_salesforce.exceptions import SalesforceError

    from loaders.schema.plan import PlanError
    from mapping.document import MappingError
    from stames_sf.schema_service import ConnectionMissingError

    try:
        return run()
    except (MappingError, PlanError, ConnectionMissingError) as error:
        message = str(error)
    except requests.ConnectionError:
        message = "The org does not answer at the connection file's instance URL; is it running?"
    except SalesforceError as error:
        message = f"The org refused a request: {error}".splitlines()[0]
    typer.echo(message, err=True)
    raise typer.Exit(1)
