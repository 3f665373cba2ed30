"""Kill `stames-sf extract` mid-way (twice), rerun it: every record and file lands exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from dlt_pipelines.stames.attachment_store import LEDGER_TABLE
from stames_sf.workdir import RAW_SCHEMA, WorkDir
from tests.fixtures.stames_api import RunningStames, StartStames
from tests.integration.extract.compare import assert_matches_dataset, read_jsonl

PROCESS_TIMEOUT_S = 180.0


def _start_extract(server: RunningStames, work: WorkDir, cwd: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "stames_sf.cli",
        "extract",
        "--work",
        str(work.root),
        "--base-url",
        server.api_url,
        "--api-key",
        server.api_key,
        "--no-progress",
    ]
    env = {**os.environ, "RUNTIME__DLTHUB_TELEMETRY": "false"}
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _server_count(server: RunningStames, counter: str) -> int:
    return int(httpx.get(f"{server.base_url}/__admin/stats", timeout=10).json()["counts"][counter])


def _kill_after(server: RunningStames, process: subprocess.Popen[bytes], counter: str, more: int) -> None:
    """SIGKILL the process once the server has answered `more` further requests of `counter`."""
    target = _server_count(server, counter) + more
    deadline = time.monotonic() + PROCESS_TIMEOUT_S
    while _server_count(server, counter) < target:
        assert process.poll() is None, "the extraction finished before it could be killed"
        assert time.monotonic() < deadline, "the extraction made no progress"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_killed_twice_then_rerun_lands_everything_exactly_once(
    start_stames: StartStames, small_stames_dataset: Path, tmp_path: Path
) -> None:
    server = start_stames(small_stames_dataset, rate_limit_rps=20.0, download_rps=20.0)
    work = WorkDir.at(tmp_path / "work")

    _kill_after(server, _start_extract(server, work, tmp_path), "requests", 12)
    _kill_after(server, _start_extract(server, work, tmp_path), "file_requests", 25)
    final = _start_extract(server, work, tmp_path)
    _, stderr = final.communicate(timeout=PROCESS_TIMEOUT_S)
    assert final.returncode == 0, stderr.decode(errors="replace")[-2000:]

    assert_matches_dataset(work.warehouse, small_stames_dataset)
    listed = {
        attachment["id"]
        for message in read_jsonl(small_stames_dataset / "messages.jsonl")
        for attachment in message["attachments"]
    }
    with duckdb.connect(str(work.warehouse), read_only=True) as connection:
        ledger = connection.execute(
            f"SELECT attachment_id, status, storage_path, sha256 FROM {RAW_SCHEMA}.{LEDGER_TABLE}"
        ).fetchall()
    assert sorted(row[0] for row in ledger) == sorted(listed)
    assert not [row for row in ledger if row[1] == "failed"]
    for _, status, storage_path, sha256 in ledger:
        if status == "stored":
            assert Path(storage_path).name == sha256
            assert (work.root / storage_path).is_file()
    assert list((work.files / ".partial").glob("*")) == [], "a killed download's temp file was left behind"
