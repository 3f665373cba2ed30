"""A full extraction equals the dataset it was served from, record for record."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import duckdb
from dlt.common.configuration.utils import get_resolved_traces

from stames_sf.workdir import WorkDir
from tests.fixtures.extract import ExtractFrom
from tests.fixtures.stames_api import StartStames
from tests.integration.extract.compare import SCHEMA, assert_matches_dataset, read_jsonl

INCREMENTAL_TABLES = ("agents", "customers", "tickets", "messages", "status_changes", "deleted_records")


def _query(warehouse: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def test_generated_dataset_lands_record_for_record(
    start_stames: StartStames, small_stames_dataset: Path, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    server = start_stames(small_stames_dataset)
    work = WorkDir.at(tmp_path / "work")
    summary = extract_from(server, work)
    comparisons = assert_matches_dataset(work.warehouse, small_stames_dataset)
    by_table = {result.table: result for result in comparisons}
    assert by_table["tickets"].dataset_rows == 100
    assert by_table["messages"].child_rows_found["attachments"] > 0
    assert summary.rows_per_table["tickets"] == 100
    assert summary.requests > 0
    manifest = json.loads((small_stames_dataset / "manifest.json").read_text(encoding="utf-8"))
    assert _query(work.warehouse, f"SELECT id, timezone FROM {SCHEMA}.account") == [
        (manifest["account"]["id"], manifest["account"]["timezone"])
    ]


def test_truncated_bodies_arrive_whole(
    start_stames: StartStames, small_stames_dataset: Path, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    huge = [
        m for m in read_jsonl(small_stames_dataset / "messages.jsonl") if len(m["body_text"] or "") > 65536
    ]
    assert huge, "the generated dataset should hold messages over 64 KiB"
    server = start_stames(small_stames_dataset)
    work = WorkDir.at(tmp_path / "work")
    extract_from(server, work)
    for message in huge:
        rows = _query(
            work.warehouse, f"SELECT length(body_text) FROM {SCHEMA}.messages WHERE id = ?", message["id"]
        )
        assert rows == [(len(message["body_text"]),)]


def test_second_run_fetches_nothing_new_and_keeps_everything_once(
    start_stames: StartStames, small_stames_dataset: Path, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    server = start_stames(small_stames_dataset)
    work = WorkDir.at(tmp_path / "work")
    first = extract_from(server, work)
    second = extract_from(server, work)
    for table in INCREMENTAL_TABLES:
        assert first.rows_per_table.get(table, 0) > 0
        assert second.rows_per_table.get(table, 0) == 0, table
    assert second.requests < first.requests
    assert_matches_dataset(work.warehouse, small_stames_dataset)


def test_a_first_run_in_rounds_of_one_page_lands_the_same_records_once(
    start_stames: StartStames, small_stames_dataset: Path, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    server = start_stames(small_stames_dataset)
    work = WorkDir.at(tmp_path / "work")
    page = 100  # no page holds more (API.md: `limit` is clamped to 1..100)
    messages = len(read_jsonl(small_stames_dataset / "messages.jsonl"))
    assert messages > 3 * page, "the dataset should need several one-page rounds"

    first = extract_from(server, work, round_pages=1)

    assert first.rounds >= -(-messages // page), "every round reads one page of messages at most"
    assert not get_resolved_traces().all_traces, "dlt's log of config lookups is not kept round after round"
    assert len(first.load_ids) == first.rounds, "each round is loaded as its own package"
    assert_matches_dataset(work.warehouse, small_stames_dataset)
    landed = _query(work.warehouse, f"SELECT count(*), count(DISTINCT id) FROM {SCHEMA}.messages")
    assert landed == [(messages, messages)]
    second = extract_from(server, work, round_pages=1)
    assert second.rounds == 1
    for table in INCREMENTAL_TABLES:
        assert second.rows_per_table.get(table, 0) == 0, table


def test_portal_is_noted_as_not_extractable(
    start_stames: StartStames, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    work = WorkDir.at(tmp_path / "work")
    extract_from(start_stames(), work)
    notes = _query(work.warehouse, f"SELECT topic, extractable, http_status FROM {SCHEMA}._extraction_notes")
    assert notes == [("portal", False, 404)]


def test_handwritten_edge_cases_land_once_and_intact(
    start_stames: StartStames, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    server = start_stames()
    work = WorkDir.at(tmp_path / "work")
    extract_from(server, work)
    assert_matches_dataset(work.warehouse, server.dataset_dir)
    customers = {row["id"]: row for row in read_jsonl(server.dataset_dir / "customers.jsonl")}
    stored = dict(_query(work.warehouse, f"SELECT id, name FROM {SCHEMA}.customers"))
    nfd = [
        cid
        for cid, row in customers.items()
        if row["name"] and not unicodedata.is_normalized("NFC", row["name"])
    ]
    assert nfd and all(stored[cid] == customers[cid]["name"] for cid in nfd), (
        "NFD names must not be normalised"
    )
    emoji = [cid for cid, row in customers.items() if any(ord(char) > 0xFFFF for char in row["name"] or "")]
    assert emoji and all(stored[cid] == customers[cid]["name"] for cid in emoji)
    surrogate = [cid for cid, row in customers.items() if "\ud83d" in (row["name"] or "")]
    assert surrogate and all("\\ud83d" in stored[cid] for cid in surrogate)
    empty_emails = [cid for cid, row in customers.items() if row["email"] == ""]
    assert empty_emails
    emails = dict(_query(work.warehouse, f"SELECT id, email FROM {SCHEMA}.customers"))
    assert all(emails[cid] == "" for cid in empty_emails), "empty strings stay empty strings"
    tickets = read_jsonl(server.dataset_dir / "tickets.jsonl")
    legacy = [t for t in tickets if "T" not in str(t["created_at"])]
    assert legacy
    created = dict(_query(work.warehouse, f"SELECT id, created_at FROM {SCHEMA}.tickets"))
    assert all(created[t["id"]] == t["created_at"] for t in legacy), "timezone-less created_at stays verbatim"
