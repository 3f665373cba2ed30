"""`stames-sf stames serve`: a foreground server configured from flags and STAMES_* variables."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.fixtures.stames_api import HANDWRITTEN_DATASET

API_KEY = "sk_test_fromtheclicommandline0000000000"
TICKETS_ONLY_KEY = "sk_test_ticketsonly00000000000000000000"
URL_LINE = re.compile(r"Stames API: (?P<base_url>http://127\.0\.0\.1:[1-9][0-9]*)/api/v1$")


@dataclass(frozen=True)
class ServedByCli:
    """A `stames serve` process on the port the kernel gave it, and what it printed up to then."""

    base_url: str
    process: subprocess.Popen[str]
    announced: str


def _start_serving(tmp_path: Path) -> ServedByCli:
    """Start `serve` on port 0 and read the bound port from the URL line it prints."""
    env = {**os.environ, "STAMES_NOW": "2024-06-01T12:00:00Z", "STAMES_RATE_LIMIT_RPS": "7"}
    command = [
        sys.executable,
        "-m",
        "stames_sf.cli",
        "stames",
        "serve",
        "--dataset",
        str(HANDWRITTEN_DATASET),
    ]
    command += ["--port", "0", "--api-key", API_KEY, "--work", str(tmp_path / "work")]
    command += ["--api-key", f"{TICKETS_ONLY_KEY}=tickets:read"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    output: list[str] = []
    for line in process.stdout:  # ends when the process exits without announcing
        output.append(line)
        found = URL_LINE.match(line)
        if found:
            return ServedByCli(found["base_url"], process, "".join(output))
    process.wait(timeout=10)
    pytest.fail(f"serve did not start: {''.join(output)}")


@pytest.fixture
def served_by_cli(tmp_path: Path) -> Iterator[ServedByCli]:
    served = _start_serving(tmp_path)
    try:
        yield served
    finally:
        served.process.terminate()
        served.process.wait(timeout=10)


def test_serve_uses_the_flags_and_environment(served_by_cli: ServedByCli) -> None:
    base_url = served_by_cli.base_url
    with httpx.Client(base_url=f"{base_url}/api/v1", headers={"X-Stames-Api-Key": API_KEY}) as client:
        tickets = client.get("/tickets")
    refused = httpx.get(f"{base_url}/api/v1/tickets", headers={"X-Stames-Api-Key": "sk_test_other"})
    assert tickets.status_code == 200
    assert tickets.json()["meta"]["snapshot_at"] == "2024-06-01T11:59:00.000Z"
    assert tickets.headers["X-RateLimit-Limit"] == "7"
    assert refused.status_code == 401
    served_by_cli.process.terminate()
    served_by_cli.process.wait(timeout=10)
    # read through the text stream: lines it read ahead while the URL was looked for are in its
    # buffer, which communicate(timeout=...) would bypass (it reads the raw pipe)
    assert served_by_cli.process.stdout is not None
    rest = served_by_cli.process.stdout.read()
    assert f"Stames API: {base_url}/api/v1" in served_by_cli.announced
    assert API_KEY in served_by_cli.announced + rest


def test_serve_on_a_taken_port_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "stames_sf.cli", "stames", "serve"]
        command += ["--dataset", str(HANDWRITTEN_DATASET), "--port", str(port)]
        command += ["--work", str(tmp_path / "work")]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


def test_serve_reports_a_broken_dataset_line_without_a_traceback(tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "manifest.json").write_text('{"format": "stames-dataset/1"}', encoding="utf-8")
    (dataset / "tickets.jsonl").write_text('{"id": 1}\n{oops\n', encoding="utf-8")
    command = [sys.executable, "-m", "stames_sf.cli", "stames", "serve", "--dataset", str(dataset)]
    command += ["--port", "0", "--work", str(tmp_path / "work")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "tickets.jsonl: row 2 is not JSON" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_key_served_with_some_scopes_is_refused_the_others(served_by_cli: ServedByCli) -> None:
    base_url = served_by_cli.base_url
    with httpx.Client(
        base_url=f"{base_url}/api/v1", headers={"X-Stames-Api-Key": TICKETS_ONLY_KEY}
    ) as client:
        tickets = client.get("/tickets")
        agents = client.get("/agents")
    assert tickets.status_code == 200
    assert agents.status_code == 403
    assert agents.json()["error"]["code"] == "insufficient_scope"
    assert agents.json()["error"]["request_id"] == agents.headers["X-Request-Id"]
