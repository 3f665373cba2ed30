"""`stames-sf salesforce serve` as a user runs it: a separate process, found via connection.json."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from simple_salesforce import Salesforce

ANNOUNCEMENT_PREFIX = "Salesforce org emulator at "
ANNOUNCEMENT = ANNOUNCEMENT_PREFIX + "https://localhost:"
AGENTS = ["ana.lopez@acme.example", "ben.ng@acme.example", "carla.diaz@acme.example"]


@dataclass(frozen=True)
class Served:
    state: Path
    announced_url: str


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    lines = [json.dumps({"id": index, "email": email, "active": True}) for index, email in enumerate(AGENTS)]
    (dataset / "agents.jsonl").write_text("\n".join(lines) + "\n")
    state = tmp_path / "org"
    process, announced_url = _start_serving(state, dataset, tmp_path / "work")
    try:
        yield Served(state, announced_url)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _start_serving(state: Path, dataset: Path, work: Path) -> tuple[subprocess.Popen, str]:
    """Start `serve` on port 0 and wait for the line announcing the port the kernel gave it."""
    command = [
        sys.executable, "-m", "stames_sf.cli", "salesforce", "serve",
        "--port", "0", "--state", str(state),
        "--match-agents", str(dataset), "--work", str(work),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    output: list[str] = []
    for line in process.stdout:  # ends when the process exits without announcing
        output.append(line)
        if line.startswith(ANNOUNCEMENT):
            return process, line.removeprefix(ANNOUNCEMENT_PREFIX).strip()
    process.wait(timeout=30)
    raise AssertionError(f"serve did not start: {''.join(output)}")


def test_serve_on_port_0_writes_the_bound_port_and_seeds_users_for_agents(served: Served) -> None:
    connection = json.loads((served.state / "connection.json").read_text())
    assert connection["instance_url"] == served.announced_url
    assert connection["instance_url"] != "https://localhost:0"
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
