"""The Salesforce CLI (`sf`, jsforce underneath) against the emulator over plain HTTP: log in with an
access token, Bulk-import a CSV, query it back over REST, Bulk-delete it.

`sf` comes from the `sf_cli` fixture (npm `@salesforce/cli` on Node 22, installed into `.tools/sf/`
on first use); the test is skipped only when npm or the npm registry is not there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from emulators.salesforce.http.server import RunningServer, running_server
from tests.fixtures.sf_cli import INSTALL_TIMEOUT_S, SfCli

# The first run installs sf inside the fixture, which counts against the test's time limit.
pytestmark = [pytest.mark.sfcli, pytest.mark.timeout(INSTALL_TIMEOUT_S + 300)]

NAMES = ["CLI Alpha", "CLI Beta", "CLI Gamma"]
QUERY = "SELECT Id, Name FROM Account WHERE Name LIKE 'CLI %' ORDER BY Name"


def _names_in_org(server: RunningServer) -> list[str]:
    """What the org holds, asked over REST without the CLI, so sf's own report is not the only witness."""
    response = requests.get(
        f"{server.instance_url}/services/data/v{server.api_version}/query",
        params={"q": QUERY},
        headers={"Authorization": f"Bearer {server.access_token}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return [record["Name"] for record in response.json()["records"]]


def test_sf_cli_logs_in_imports_queries_and_deletes(sf_cli: SfCli, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with running_server(tmp_path / "org", use_http=True) as server:

        def sf(*args: str) -> dict[str, Any]:
            return sf_cli.run(home, *args, SF_ACCESS_TOKEN=server.access_token)

        login = sf(
            "org", "login", "access-token", "--instance-url", server.instance_url, "--no-prompt", "-a", "emu"
        )
        assert login["result"]["username"] == server.connection.username
        assert login["result"]["instanceUrl"].rstrip("/") == server.instance_url

        accounts = tmp_path / "accounts.csv"
        accounts.write_text("Name\n" + "\n".join(NAMES) + "\n")
        imported = sf(
            "data", "import", "bulk", "--sobject", "Account", "--file", str(accounts), "-o", "emu", "-w", "5"
        )
        assert imported["result"]["processedRecords"] == len(NAMES)
        assert imported["result"]["failedRecords"] == 0
        assert _names_in_org(server) == NAMES

        queried = sf("data", "query", "--query", QUERY, "-o", "emu")
        records = queried["result"]["records"]
        assert [record["Name"] for record in records] == NAMES
        assert all(len(record["Id"]) == 18 and record["Id"].startswith("001") for record in records)

        ids = tmp_path / "ids.csv"
        ids.write_text("Id\n" + "\n".join(record["Id"] for record in records) + "\n")
        deleted = sf(
            "data", "delete", "bulk", "--sobject", "Account", "--file", str(ids), "-o", "emu", "-w", "5"
        )
        assert deleted["result"]["jobInfo"]["numberRecordsProcessed"] == len(NAMES)
        assert len(deleted["result"]["records"]["successfulResults"]) == len(NAMES)
        assert sf("data", "query", "--query", QUERY, "-o", "emu")["result"]["totalSize"] == 0
        assert _names_in_org(server) == []
