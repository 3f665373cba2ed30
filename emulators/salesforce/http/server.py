"""Run the emulator: in the foreground (`stames-sf salesforce serve`) or in a thread (tests, demo).

Both write `<state>/connection.json` (instance URL, admin access token, CA file, API version,
username), which is all a client needs to connect without reading any code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from emulators.salesforce.http.app import DEFAULT_API_VERSION, create_app
from emulators.salesforce.http.orgview import org_id_of, username_of
from emulators.salesforce.http.tls import TlsFiles, ensure_tls
from emulators.salesforce.org.store import DATABASE_FILE
from emulators.serving import LOOPBACK, serve_forever, serve_in_thread

CONNECTION_FILE = "connection.json"


@dataclass(frozen=True)
class Connection:
    """What `connection.json` holds."""

    instance_url: str
    access_token: str
    ca_file: str | None
    api_version: str
    username: str


@dataclass(frozen=True)
class RunningServer:
    """A started emulator: where it listens and how to call it."""

    app: Starlette
    state_dir: Path
    port: int
    connection: Connection

    @property
    def instance_url(self) -> str:
        return self.connection.instance_url

    @property
    def access_token(self) -> str:
        return self.connection.access_token

    @property
    def ca_file(self) -> Path | None:
        return Path(self.connection.ca_file) if self.connection.ca_file else None

    @property
    def api_version(self) -> str:
        return self.connection.api_version

    @property
    def org(self) -> Any:
        return self.app.state.org


def connection_path(state_dir: Path) -> Path:
    return Path(state_dir) / CONNECTION_FILE


def org_exists(state_dir: Path) -> bool:
    """Whether the state folder already holds an org (seeding happens only on creation)."""
    return (Path(state_dir) / DATABASE_FILE).exists()


def read_connection(state_dir: Path) -> Connection:
    return Connection(**json.loads(connection_path(state_dir).read_text()))


def admin_token(app: Starlette) -> str:
    """The admin's token; reused across restarts so an old connection.json keeps working."""
    org = app.state.org
    admin_id = str(org.admin_user_id)
    auth = app.state.auth
    return auth.token_for(admin_id) or auth.issue(org_id_of(org), admin_id)


def write_connection(app: Starlette, port: int, tls: TlsFiles | None) -> Connection:
    scheme = "https" if tls else "http"
    host = "localhost" if tls else LOOPBACK  # the certificate names both; hostnames read better
    connection = Connection(
        instance_url=f"{scheme}://{host}:{port}",
        access_token=admin_token(app),
        ca_file=str(tls.ca_file.resolve()) if tls else None,
        api_version=str(app.state.api_version),
        username=username_of(app.state.org, str(app.state.org.admin_user_id)),
    )
    path = connection_path(app.state.state_dir)
    path.write_text(json.dumps(asdict(connection), indent=2) + "\n")
    path.chmod(0o600)
    return connection


def run_server(
    state_dir: Path,
    port: int = 8443,
    *,
    use_http: bool = False,
    api_version: str = DEFAULT_API_VERSION,
    match_agent_emails: list[str] | None = None,
    on_listening: Callable[[Connection], None] | None = None,
) -> None:
    """Serve in the foreground until interrupted. Once the port is bound (port 0: any free port),
    connection.json is written with it and `on_listening` gets the connection, before serving."""
    app = create_app(state_dir, api_version=api_version, match_agent_emails=match_agent_emails)
    tls = None if use_http else ensure_tls(Path(state_dir))

    def listening(bound_port: int) -> None:
        connection = write_connection(app, bound_port, tls)
        if on_listening is not None:
            on_listening(connection)

    serve_forever(
        app,
        port,
        certfile=tls.cert_file if tls else None,
        keyfile=tls.key_file if tls else None,
        on_listening=listening,
    )


@contextmanager
def running_server(
    state_dir: Path,
    port: int | None = None,
    *,
    use_http: bool = False,
    api_version: str = DEFAULT_API_VERSION,
    match_agent_emails: list[str] | None = None,
) -> Iterator[RunningServer]:
    """Serve in a background thread for the duration of the block (tests, demo)."""
    app = create_app(state_dir, api_version=api_version, match_agent_emails=match_agent_emails)
    tls = None if use_http else ensure_tls(Path(state_dir))
    certfile, keyfile = (tls.cert_file, tls.key_file) if tls else (None, None)
    with serve_in_thread(app, port, certfile=certfile, keyfile=keyfile) as bound_port:
        connection = write_connection(app, bound_port, tls)
        yield RunningServer(app=app, state_dir=Path(state_dir), port=bound_port, connection=connection)
