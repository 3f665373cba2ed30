"""`stames-sf dataset …`: write Stames dataset folders (§3b) for the local Stames server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stames_sf.options import DEFAULT_WORK, WorkOption

app = typer.Typer(no_args_is_help=True)


@app.command("generate")
def generate(
    out_dir: Annotated[
        Path | None,
        typer.Argument(
            metavar="OUT_DIR",
            help="Folder to write (default: <work>/datasets/stames-N-SEED).",
            file_okay=False,
        ),
    ] = None,
    tickets: Annotated[
        int, typer.Option("--tickets", min=1, help="Tickets to write; the rest scales.")
    ] = 3000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed and size give byte-identical files.")] = 42,
    work: WorkOption = DEFAULT_WORK,
) -> None:
    """Generate a deterministic Stames dataset with every §3 edge case at its seed-profile rate."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from emulators.stames_api.generator import REPORT_NAME, generate_dataset
    from stames_sf.workdir import WorkDir

    console = Console()
    target = out_dir if out_dir is not None else WorkDir.at(work).datasets / f"stames-{tickets}-{seed}"
    columns = (TextColumn("tickets"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("generate", total=tickets)
        try:
            summary = generate_dataset(
                target, tickets, seed, progress=lambda done, _total: progress.update(task, completed=done)
            )
        except FileExistsError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
    table = Table("collection", "records", title=f"Dataset written to {target}")
    for name, count in summary.counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    report = target / REPORT_NAME
    console.print(f"{len(summary.edge_cases)} edge-case classes counted in {report}")
