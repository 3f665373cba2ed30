"""`stames-sf stames serve`: a foreground server configured from flags and STAMES_* variables."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from emulators.serving import free_port
from tests.fixtures.stames_api import HANDWRITTEN_DATASET

API_KEY = "sk_test_fromtheclicommandline0000000000"
TICKETS_ONLY_KEY = "sk_test_ticketsonly00000000000000000000"


def _start_serving(tmp_path: Path, attempts: int = 3) -> tuple[str, subprocess.Popen[str]]:
    """Start `serve` on a free port; another test may take the port first, so try a new one then."""
    env = {**os.environ, "STAMES_NOW": "2024-06-01T12:00:00Z", "STAMES_RATE_LIMIT_RPS": "7"}
    for attempt in range(1, attempts + 1):
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "stames_sf.cli",
            "stames",
            "serve",
            "--dataset",
            str(HANDWRITTEN_DATASET),
        ]
        command += ["--port", str(port), "--api-key", API_KEY, "--work", str(tmp_path / "work")]
        command += ["--api-key", f"{TICKETS_ONLY_KEY}=tickets:read"]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        base_url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            if process.poll() is not None:
                break
            try:
                httpx.get(f"{base_url}/api/v1/portal", timeout=1)
                return base_url, process
            except httpx.TransportError:
                time.sleep(0.05)
        output = process.stdout.read() if process.poll() is not None and process.stdout else ""
        process.kill()
        process.wait(timeout=10)
        if "address already in use" not in output.lower() or attempt == attempts:
            pytest.fail(f"serve did not start: {output}")
    raise AssertionError("unreachable")


@pytest.fixture
def served_by_cli(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    base_url, process = _start_serving(tmp_path)
    try:
        yield base_url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_uses_the_flags_and_environment(served_by_cli: tuple[str, subprocess.Popen[str]]) -> None:
    base_url, process = served_by_cli
    with httpx.Client(base_url=f"{base_url}/api/v1", headers={"X-Stames-Api-Key": API_KEY}) as client:
        tickets = client.get("/tickets")
    refused = httpx.get(f"{base_url}/api/v1/tickets", headers={"X-Stames-Api-Key": "sk_test_other"})
    assert tickets.status_code == 200
    assert tickets.json()["meta"]["snapshot_at"] == "2024-06-01T11:59:00.000Z"
    assert tickets.headers["X-RateLimit-Limit"] == "7"
    assert refused.status_code == 401
    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert f"{base_url}/api/v1" in output
    assert API_KEY in output


def test_serve_reports_a_broken_dataset_line_without_a_traceback(tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "manifest.json").write_text('{"format": "stames-dataset/1"}', encoding="utf-8")
    (dataset / "tickets.jsonl").write_text('{"id": 1}\n{oops\n', encoding="utf-8")
    command = [sys.executable, "-m", "stames_sf.cli", "stames", "serve", "--dataset", str(dataset)]
    command += ["--port", str(free_port()), "--work", str(tmp_path / "work")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "tickets.jsonl: row 2 is not JSON" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_key_served_with_some_scopes_is_refused_the_others(
    served_by_cli: tuple[str, subprocess.Popen[str]],
) -> None:
    base_url, _ = served_by_cli
    with httpx.Client(
        base_url=f"{base_url}/api/v1", headers={"X-Stames-Api-Key": TICKETS_ONLY_KEY}
    ) as client:
        tickets = client.get("/tickets")
        agents = client.get("/agents")
    assert tickets.status_code == 200
    assert agents.status_code == 403
    assert agents.json()["error"]["code"] == "insufficient_scope"
    assert agents.json()["error"]["request_id"] == agents.headers["X-Request-Id"]
