"""`stames-sf stames …`: the local Stames API server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stames_sf.options import DEFAULT_WORK, WorkOption

app = typer.Typer(no_args_is_help=True)


@app.command()
def serve(
    dataset: Annotated[
        Path,
        typer.Option("--dataset", help="Dataset folder in the §3b format.", exists=True, file_okay=False),
    ],
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (0: any free port).")] = 8790,
    api_key: Annotated[
        list[str] | None,
        typer.Option(
            "--api-key",
            help="Accept this key instead of the default; repeatable. KEY has every scope, "
            "KEY=tickets:read,agents:read only those.",
        ),
    ] = None,
    work: WorkOption = DEFAULT_WORK,
) -> None:
    """Serve a dataset folder as the Stames REST API until interrupted. Knobs come from STAMES_* vars."""
    from emulators.serving import is_bind_error, serve_forever
    from emulators.stames_api.app import create_app
    from emulators.stames_api.settings import StamesSettings, parse_key_spec
    from stames_sf.workdir import WorkDir

    WorkDir.at(work)
    try:
        overrides = {"api_keys": dict(parse_key_spec(spec) for spec in api_key)} if api_key else {}
        settings = StamesSettings.from_env(**overrides)
    except ValueError as error:
        typer.echo(f"Bad key or setting: {error}", err=True)
        raise typer.Exit(2) from error
    try:
        application = create_app(dataset, settings)
    except ValueError as error:  # a hand-written folder with a broken line: say where, no traceback
        typer.echo(f"Cannot serve {dataset}: {error}", err=True)
        raise typer.Exit(2) from error

    def announce(bound_port: int) -> None:
        typer.echo(f"Stames API: http://127.0.0.1:{bound_port}/api/v1")
        for key, scopes in settings.api_keys.items():
            typer.echo(f"API key:    {key} ({', '.join(sorted(scopes))})")

    try:
        serve_forever(application, port, on_listening=announce)
    except OSError as error:
        if not is_bind_error(error):
            raise
        typer.echo(f"Cannot listen on 127.0.0.1:{port}: {error.strerror}", err=True)
        raise typer.Exit(1) from error
