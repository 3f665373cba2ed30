"""The Salesforce org emulator's HTTP face: OAuth, REST, sObject Collections, query, admin."""

from emulators.salesforce.http.app import create_app
from emulators.salesforce.http.server import (
    Connection,
    RunningServer,
    read_connection,
    run_server,
    running_server,
)

__all__ = ["Connection", "RunningServer", "create_app", "read_connection", "run_server", "running_server"]
