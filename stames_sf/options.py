"""CLI options shared by every command."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from stames_sf.workdir import DEFAULT_WORK_DIR, WorkDir

WorkOption = Annotated[
    Path,
    typer.Option(
        "--work",
        help="The migration's work folder: warehouse, files, state, logs and reports.",
        file_okay=False,
    ),
]
DEFAULT_WORK = DEFAULT_WORK_DIR

CONNECTION_FILE_NAME = "connection.json"
"""The file the local org writes in its state folder; a real org's has the same four keys."""

ConnectionOption = Annotated[
    Path | None,
    typer.Option(
        "--connection",
        help="Salesforce connection file: instance_url, access_token, api_version, ca_file "
        "(default: <work>/salesforce-org/connection.json, the local org's).",
        dir_okay=False,
    ),
]


def connection_file(connection: Path | None, work: WorkDir) -> Path:
    """The `--connection` file, or the local org's in the work folder."""
    return (connection or work.salesforce_state / CONNECTION_FILE_NAME).resolve()


class LogFormat(StrEnum):
    text = "text"
    json = "json"


QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", help="Only errors and the final summary on the terminal; the rest goes to the run's log."
    ),
]
LogFormatOption = Annotated[
    LogFormat,
    typer.Option(
        "--log-format",
        help="text, or json: one JSON object per line on stdout (start, stage, summary, error, done) "
        "for automation; the stages' own output goes to the run's log file (<work>/logs/).",
    ),
]
