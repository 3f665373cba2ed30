"""`stames-sf salesforce serve` as a user runs it: a separate process, found via connection.json."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from simple_salesforce import Salesforce

from emulators.serving import free_port

AGENTS = ["ana.lopez@acme.example", "ben.ng@acme.example", "carla.diaz@acme.example"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Path]:
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    lines = [json.dumps({"id": index, "email": email, "active": True}) for index, email in enumerate(AGENTS)]
    (dataset / "agents.jsonl").write_text("\n".join(lines) + "\n")
    state = tmp_path / "org"
    process = _start_serving(state, dataset, tmp_path / "work")
    try:
        yield state
    finally:
        process.terminate()
        process.wait(timeout=30)


def _start_serving(state: Path, dataset: Path, work: Path, attempts: int = 3) -> subprocess.Popen:
    """Start `serve` on a free port; another test may take the port first, so try a new one then."""
    for attempt in range(1, attempts + 1):
        command = [
            sys.executable, "-m", "stames_sf.cli", "salesforce", "serve",
            "--port", str(free_port()), "--state", str(state),
            "--match-agents", str(dataset), "--work", str(work),
        ]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            _wait_until_serving(state, process)
            return process
        except AssertionError as error:  # its message carries the process output
            process.kill()
            process.wait(timeout=30)
            if "address already in use" not in str(error).lower() or attempt == attempts:
                raise
    raise AssertionError("unreachable")


def _wait_until_serving(state: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        connection_file = state / "connection.json"
        if connection_file.exists():
            connection = json.loads(connection_file.read_text())
            try:
                requests.get(
                    f"{connection['instance_url']}/services/data", verify=connection["ca_file"], timeout=5
                )
                return
            except requests.ConnectionError:
                pass
        time.sleep(0.1)
    raise AssertionError("the emulator did not start")


def test_serve_writes_connection_json_and_seeds_users_for_agents(served: Path) -> None:
    connection = json.loads((served / "connection.json").read_text())
    session = requests.Session()
    session.trust_env = False
    session.verify = connection["ca_file"]
    sf = Salesforce(
        instance_url=connection["instance_url"],
        session_id=connection["access_token"],
        version=connection["api_version"],
        session=session,
    )
    emails = {record["Email"].lower() for record in sf.query_all("SELECT Email FROM User")["records"]}
    assert emails & set(AGENTS)
    assert connection["instance_url"].startswith("https://localhost:")
    session.close()
