"""`stames-sf discover`."""

from __future__ import annotations

import typer

from stames_sf.options import DEFAULT_WORK, WorkOption


def discover(work: WorkOption = DEFAULT_WORK) -> None:
    """Not built yet."""
    typer.echo("not built yet", err=True)
    raise typer.Exit(2)
