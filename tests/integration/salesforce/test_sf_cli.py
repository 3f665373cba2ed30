"""The Salesforce CLI (`sf`, jsforce underneath) against the emulator over plain HTTP: log in with an
access token, Bulk-import a CSV, query it back over REST, Bulk-delete it.

Needs `sf` on PATH (npm `@salesforce/cli`, on Node 22); skipped otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from emulators.salesforce.http.server import running_server

pytestmark = [
    pytest.mark.sfcli,
    pytest.mark.skipif(shutil.which("sf") is None, reason="the Salesforce CLI (sf) is not installed"),
]

NAMES = ["CLI Alpha", "CLI Beta", "CLI Gamma"]
QUERY = "SELECT Id, Name FROM Account WHERE Name LIKE 'CLI %' ORDER BY Name"

Run = Callable[..., dict]


def _runner(tmp_path: Path, token: str) -> Run:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "SF_ACCESS_TOKEN": token,
        "SF_USE_GENERIC_UNIX_KEYCHAIN": "true",
        "SF_DISABLE_TELEMETRY": "true",
        "SF_AUTOUPDATE_DISABLE": "true",
    }

    def run(*args: str) -> dict:
        done = subprocess.run(
            ["sf", *args, "--json"], env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return json.loads(done.stdout)

    return run


def test_sf_cli_logs_in_imports_queries_and_deletes(tmp_path: Path) -> None:
    with running_server(tmp_path / "org", use_http=True) as server:
        run = _runner(tmp_path, server.access_token)
        login = run(
            "org", "login", "access-token", "--instance-url", server.instance_url, "--no-prompt", "-a", "emu"
        )
        assert login["result"]["username"] == server.connection.username

        accounts = tmp_path / "accounts.csv"
        accounts.write_text("Name\n" + "\n".join(NAMES) + "\n")
        imported = run(
            "data", "import", "bulk", "--sobject", "Account", "--file", str(accounts), "-o", "emu", "-w", "5"
        )
        assert imported["result"]["processedRecords"] == len(NAMES)
        assert imported["result"]["failedRecords"] == 0

        queried = run("data", "query", "--query", QUERY, "-o", "emu")
        records = queried["result"]["records"]
        assert [record["Name"] for record in records] == NAMES

        ids = tmp_path / "ids.csv"
        ids.write_text("Id\n" + "\n".join(record["Id"] for record in records) + "\n")
        deleted = run(
            "data", "delete", "bulk", "--sobject", "Account", "--file", str(ids), "-o", "emu", "-w", "5"
        )
        assert deleted["result"]["jobInfo"]["numberRecordsProcessed"] == len(NAMES)
        assert len(deleted["result"]["records"]["successfulResults"]) == len(NAMES)
        assert run("data", "query", "--query", QUERY, "-o", "emu")["result"]["totalSize"] == 0
