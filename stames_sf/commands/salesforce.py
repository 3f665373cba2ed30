"""`stames-sf salesforce …`: run the local Salesforce org emulator and deploy metadata into it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Annotated

import typer

from stames_sf.options import DEFAULT_WORK, WorkOption
from stames_sf.workdir import WorkDir

app = typer.Typer(no_args_is_help=True)

StateOption = Annotated[
    Path | None,
    typer.Option("--state", help="The org's state folder (default: <work>/salesforce-org).", file_okay=False),
]


def _state_dir(state: Path | None, work: Path) -> Path:
    return (state or WorkDir.at(work).salesforce_state).resolve()


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).")] = 8443,
    state: StateOption = None,
    http: Annotated[bool, typer.Option("--http", help="Plain HTTP instead of HTTPS (sf CLI, curl).")] = False,
    match_agents: Annotated[
        Path | None,
        typer.Option(
            "--match-agents",
            help="A Stames dataset folder: give the org a User for each active agent's e-mail.",
            file_okay=False,
            exists=True,
        ),
    ] = None,
    api_version: Annotated[str, typer.Option(help="Newest API version served.")] = "62.0",
    work: WorkOption = DEFAULT_WORK,
) -> None:
    """Serve the local Salesforce org (REST, Bulk 2.0, OAuth) until interrupted."""
    from emulators.salesforce.http.server import Connection, connection_path, org_exists, run_server
    from emulators.salesforce.http.users import agent_emails
    from emulators.serving import is_bind_error

    state_dir = _state_dir(state, work)
    emails = agent_emails(match_agents) if match_agents else None
    if emails and org_exists(state_dir):
        typer.echo("Note: the org already exists; agent users are seeded on first start or on reset.")

    def announce(connection: Connection) -> None:
        typer.echo(f"Salesforce org emulator at {connection.instance_url}")
        typer.echo(f"Connection details (instance URL, token, CA): {connection_path(state_dir)}")

    try:
        run_server(
            state_dir,
            port,
            use_http=http,
            api_version=api_version,
            match_agent_emails=emails,
            on_listening=announce,
        )
    except OSError as error:
        if not is_bind_error(error):
            raise
        typer.echo(f"Cannot listen on 127.0.0.1:{port}: {error.strerror}", err=True)
        raise typer.Exit(1) from error


def zip_folder(folder: Path) -> bytes:
    """The folder as a zip archive in memory (metadata folders are small)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


@app.command()
def deploy(
    source: Annotated[Path, typer.Argument(help="An SFDX source folder (objects/<Object>/fields/*.xml).")],
    state: StateOption = None,
    work: WorkOption = DEFAULT_WORK,
) -> None:
    """Deploy custom objects and fields from an SFDX source folder into a running emulator."""
    import requests

    from emulators.salesforce.http.server import read_connection

    if not source.is_dir():
        raise typer.BadParameter(f"{source} is not a folder", param_hint="SOURCE")
    state_dir = _state_dir(state, work)
    try:
        connection = read_connection(state_dir)
    except FileNotFoundError:
        typer.echo(f"No emulator state in {state_dir}; start `stames-sf salesforce serve` first.", err=True)
        raise typer.Exit(1) from None
    session = requests.Session()
    session.trust_env = False
    session.verify = connection.ca_file or True
    try:
        response = session.post(
            f"{connection.instance_url}/__admin/deploy",
            data=zip_folder(source),
            headers={"Content-Type": "application/zip"},
            timeout=120,
        )
    except requests.ConnectionError:
        typer.echo(f"No emulator answers at {connection.instance_url}; is it running?", err=True)
        raise typer.Exit(1) from None
    if response.status_code >= 300:
        typer.echo(f"Deploy failed ({response.status_code}): {response.text}", err=True)
        raise typer.Exit(1)
    result = response.json()
    typer.echo(json.dumps(result, indent=2))
    if not result.get("success"):
        raise typer.Exit(1)  # a refused deploy must stop a script, as `sf project deploy` does
