"""CLI options shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stames_sf.workdir import DEFAULT_WORK_DIR

WorkOption = Annotated[
    Path,
    typer.Option(
        "--work",
        help="The migration's work folder: warehouse, files, state, logs and reports.",
        file_okay=False,
    ),
]
DEFAULT_WORK = DEFAULT_WORK_DIR
