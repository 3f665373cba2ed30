"""`stames-sf extract`: land every Stames object in `raw_stames`, then download the attachments."""

from __future__ import annotations

from typing import Annotated

import typer

from stames_sf.options import DEFAULT_WORK, WorkOption

BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="Stames API base URL, e.g. http://127.0.0.1:8790/api/v1 "
        "(default: SOURCES__STAMES__BASE_URL or .dlt/config.toml).",
    ),
]
ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        help="Stames API key (default: SOURCES__STAMES__API_KEY or .dlt/secrets.toml).",
    ),
]


def extract(
    work: WorkOption = DEFAULT_WORK,
    base_url: BaseUrlOption = None,
    api_key: ApiKeyOption = None,
    attachments: Annotated[
        bool, typer.Option("--attachments/--no-attachments", help="Download attachments after the load.")
    ] = True,
    attachments_only: Annotated[
        bool, typer.Option("--attachments-only", help="Only run the attachment download step.")
    ] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show live progress.")] = True,
    allow_failed_files: Annotated[
        bool,
        typer.Option(
            "--allow-failed-files",
            help="Exit 0 even when attachments ended `failed` (still counted in the summary and the ledger).",
        ),
    ] = False,
) -> None:
    """Extract Stames into the work folder's warehouse (incremental; rerun any time to resume or delta)."""
    from rich.console import Console

    from dlt_pipelines.stames.pipeline import resolve_connection
    from stames_sf.extraction import extraction_failure, run_extraction
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    console = Console()
    try:
        resolved_url, resolved_key = resolve_connection(base_url, api_key)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    try:
        result = run_extraction(
            WorkDir.at(work),
            base_url=resolved_url,
            api_key=resolved_key,
            console=console,
            load=not attachments_only,
            attachments=attachments or attachments_only,
            progress=progress,
        )
    except WorkDirBusyError as busy:
        Console(stderr=True).print(str(busy), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from busy
    except Exception as error:
        message = extraction_failure(error, resolved_url)
        if message is None:
            raise
        # Nothing is lost: dlt commits data and cursors together, so a rerun resumes from the last load.
        errors = Console(stderr=True)
        errors.print(
            f"Extraction stopped: {message}", style="red", markup=False, highlight=False, soft_wrap=True
        )
        errors.print("Data already loaded is kept; rerun when this is fixed.", markup=False)
        raise typer.Exit(1) from error
    if result.failed_files and not allow_failed_files:
        Console(stderr=True).print(
            f"Exit 1: {result.failed_files:,} attachment(s) failed; rerun, or pass --allow-failed-files "
            "to accept them.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)
