"""Reruns after an interrupted extract: packages left unloaded, leftover folders, a second run at once."""

from __future__ import annotations

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from dlt_pipelines.stames import stames_source
from dlt_pipelines.stames.pipeline import stames_pipeline
from stames_sf.cli import app
from stames_sf.workdir import RAW_SCHEMA, WorkDir, exclusive_run
from tests.fixtures.stames_api import HANDWRITTEN_DATASET, RunningStames
from tests.integration.extract.compare import read_jsonl


def _extract(server: RunningStames, work: WorkDir) -> tuple[int, str]:
    arguments = ["extract", "--work", str(work.root), "--base-url", server.api_url]
    arguments += ["--api-key", server.api_key, "--no-attachments", "--no-progress"]
    result = CliRunner().invoke(app, arguments)
    return result.exit_code, result.output


def _touch(server: RunningStames, ticket_id: int) -> str:
    """Change a ticket on the server and move its clock past the 60 s snapshot window."""
    stamp = server.admin("mutate", {"ticket_ids": [ticket_id], "action": "touch"})["updated_at"]
    server.admin("clock", {"advance_seconds": 120})
    return str(stamp)


def test_a_package_a_killed_load_left_is_loaded_and_the_run_still_extracts(
    stames: RunningStames, tmp_path: Path
) -> None:
    work = WorkDir.at(tmp_path / "work")
    assert _extract(stames, work)[0] == 0
    tickets = read_jsonl(HANDWRITTEN_DATASET / "tickets.jsonl")
    live = [t["id"] for t in tickets if not t.get("deleted_at") and t.get("merged_into_id") is None]
    before_kill = _touch(stames, live[0])
    # A run killed in dlt's load step: extracted and normalized, never loaded.
    killed = stames_pipeline(work.warehouse, work.dlt_dir)
    killed.extract(
        stames_source(base_url=stames.api_url, api_key=stames.api_key), loader_file_format="parquet"
    )
    killed.normalize()
    assert killed.list_normalized_load_packages()
    # And one killed mid-extract: its private extract folder stays behind.
    leftover = Path(killed.working_dir) / "normalize" / "k1lled00"
    leftover.mkdir(parents=True)
    (leftover / "tickets.0.parquet").write_bytes(b"half a file")
    spilled = work.duckdb_spill / "duckdb_temp_storage_DEFAULT-0.tmp"
    spilled.parent.mkdir(parents=True, exist_ok=True)
    spilled.write_bytes(b"spilled by the killed run")
    after_kill = _touch(stames, live[1])

    exit_code, output = _extract(stames, work)

    assert exit_code == 0, output
    assert "Loaded 1 package(s) an interrupted run had extracted" in output
    assert "Extracted 0 rows" not in output
    with duckdb.connect(str(work.warehouse), read_only=True) as connection:
        stored = dict(
            connection.execute(
                f"SELECT id, updated_at FROM {RAW_SCHEMA}.tickets WHERE id IN (?, ?)", live[:2]
            ).fetchall()
        )
        ticket_count = connection.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.tickets").fetchone()[0]
    assert stored[live[0]] == before_kill, "the killed run's package was loaded"
    assert stored[live[1]] == after_kill, "a change made after the kill arrives on the first rerun"
    assert ticket_count == len(tickets)
    assert not leftover.exists()
    assert not spilled.exists()
    assert not stames_pipeline(work.warehouse, work.dlt_dir).has_pending_data


def test_a_second_run_on_a_busy_work_folder_says_so_in_one_line(
    stames: RunningStames, tmp_path: Path
) -> None:
    work = WorkDir.at(tmp_path / "work")
    with exclusive_run(work):
        holder_pid = work.lock_file.read_text().strip()
        exit_code, output = _extract(stames, work)
    assert exit_code == 1, output
    assert f"Another stames-sf run (process {holder_pid}) is using the work folder" in output
    assert "Traceback" not in output
    assert not work.warehouse.exists(), "the refused run must not have touched the warehouse"
