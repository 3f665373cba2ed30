"""Delta runs after activity on the server, and full runs through injected faults."""

from __future__ import annotations

from pathlib import Path

import duckdb

from stames_sf.workdir import WorkDir
from tests.fixtures.extract import DownloadFrom, ExtractFrom
from tests.fixtures.stames_api import StartStames
from tests.integration.extract.compare import SCHEMA, assert_matches_dataset, read_jsonl


def _scalar(warehouse: Path, sql: str, *params: object) -> object:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        row = connection.execute(sql, list(params)).fetchone()
    return row[0] if row else None


def _rows(warehouse: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def test_delta_brings_exactly_the_changes_and_keeps_tombstones(
    start_stames: StartStames, small_stames_dataset: Path, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    server = start_stames(small_stames_dataset)
    work = WorkDir.at(tmp_path / "work")
    extract_from(server, work)
    live = [
        t["id"]
        for t in read_jsonl(small_stames_dataset / "tickets.jsonl")
        if not t["deleted_at"] and t["merged_into_id"] is None
    ]
    touched, messaged, restated, merged, deleted = live[3], live[10], live[20], live[30], live[40]
    stamps = {
        action: server.admin("mutate", {"ticket_ids": [ticket_id], "action": action})["updated_at"]
        for action, ticket_id in (
            ("touch", touched),
            ("add_message", messaged),
            ("change_status", restated),
            ("merge", merged),
            ("delete", deleted),
        )
    }
    # Snapshot isolation hides the last 60 s: let the server clock move past it.
    server.admin("clock", {"advance_seconds": 120})
    delta = extract_from(server, work)

    assert delta.rows_per_table.get("tickets") == 5
    assert delta.rows_per_table.get("messages") == 1
    assert delta.rows_per_table.get("status_changes") == 2  # change_status and the merge's close
    assert delta.rows_per_table.get("deleted_records") == 2
    assert delta.rows_per_table.get("customers", 0) == 0
    assert delta.rows_per_table.get("agents", 0) == 0

    wh = work.warehouse
    dataset_tickets = len(read_jsonl(small_stames_dataset / "tickets.jsonl"))
    assert _scalar(wh, f"SELECT count(*) FROM {SCHEMA}.tickets") == dataset_tickets
    assert _scalar(wh, f"SELECT count(DISTINCT id) FROM {SCHEMA}.tickets") == dataset_tickets
    for action, ticket_id in (("touch", touched), ("change_status", restated), ("delete", deleted)):
        assert (
            _scalar(wh, f"SELECT updated_at FROM {SCHEMA}.tickets WHERE id = ?", ticket_id) == stamps[action]
        )
    assert _rows(
        wh, f"SELECT status, merged_into_id IS NOT NULL FROM {SCHEMA}.tickets WHERE id = ?", merged
    ) == [("closed", True)]
    assert _scalar(wh, f"SELECT status FROM {SCHEMA}.tickets WHERE id = ?", deleted) == "deleted"
    merged_tags = _rows(
        wh,
        f"SELECT tag.value FROM {SCHEMA}.tickets__tags tag "
        f"JOIN {SCHEMA}.tickets t ON tag._dlt_parent_id = t._dlt_id WHERE t.id = ?",
        merged,
    )
    assert ("closed_by_merge",) in merged_tags

    dataset_messages = len(read_jsonl(small_stames_dataset / "messages.jsonl"))
    assert _scalar(wh, f"SELECT count(*) FROM {SCHEMA}.messages") == dataset_messages + 1
    assert (
        _scalar(wh, f"SELECT count(*) FROM {SCHEMA}.messages WHERE updated_at = ?", stamps["add_message"])
        == 1
    )
    dataset_changes = len(read_jsonl(small_stames_dataset / "status_changes.jsonl"))
    assert _scalar(wh, f"SELECT count(*) FROM {SCHEMA}.status_changes") == dataset_changes + 2

    dataset_tombstones = read_jsonl(small_stames_dataset / "deleted_records.jsonl")
    stored_tombstones = set(_rows(wh, f"SELECT object, id, reason FROM {SCHEMA}.deleted_records"))
    assert {(t["object"], t["id"], t["reason"]) for t in dataset_tombstones} <= stored_tombstones
    assert ("ticket", str(merged), "merged") in stored_tombstones
    assert ("ticket", str(deleted), "deleted") in stored_tombstones
    assert len(stored_tombstones) == len(dataset_tombstones) + 2


def test_faults_and_throttling_still_land_every_record_and_file(
    start_stames: StartStames,
    small_stames_dataset: Path,
    extract_from: ExtractFrom,
    download_from: DownloadFrom,
    tmp_path: Path,
) -> None:
    server = start_stames(
        small_stames_dataset,
        rate_limit_rps=40.0,
        download_rps=40.0,
        fault_429_rate=0.05,
        fault_503_every_n=11,
        fault_file_503_rate=0.05,
        fault_truncate_every_n=17,
        retry_after_httpdate_rate=0.5,
        url_ttl_seconds=1,
    )
    work = WorkDir.at(tmp_path / "work")
    summary = extract_from(server, work)
    assert summary.rate_limited > 0
    assert summary.retries > summary.rate_limited  # the 503s were retried too
    truncated = server.admin_get("stats")["counts"]["truncated"]
    assert truncated > 0
    assert summary.retries >= summary.rate_limited + truncated  # and the cut-off responses
    assert_matches_dataset(work.warehouse, small_stames_dataset)
    files = download_from(server, work)
    assert files.counts.get("failed", 0) == 0
    listed = {
        attachment["id"]
        for message in read_jsonl(small_stames_dataset / "messages.jsonl")
        for attachment in message["attachments"]
    }
    assert sum(files.counts.values()) == len(listed)
