"""Job Ids, JobInfo shape and the persisted job table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from emulators.salesforce.bulk.jobs import (
    ABORTED,
    IN_PROGRESS,
    OPEN,
    UPLOAD_COMPLETE,
    Job,
    JobTable,
    id_checksum,
    job_id,
    sf_timestamp,
)
from emulators.salesforce.bulk.query import decode_locator, encode_locator


@pytest.mark.parametrize(
    ("id15", "id18"),
    [
        ("a01M00000062mPg", "a01M00000062mPgIAI"),
        ("001M000000qfPyS", "001M000000qfPySIAU"),
        ("AbCdEfGhIjKlMnO", "AbCdEfGhIjKlMnOVKV"),
        ("aBcDEfgHIJKLMNO", "aBcDEfgHIJKLMNO025"),
    ],
)
def test_checksum_matches_published_vectors(id15: str, id18: str) -> None:
    assert id15 + id_checksum(id15) == id18


def test_job_ids_are_18_chars_with_the_750_prefix_and_distinct() -> None:
    ids = {job_id(sequence) for sequence in range(1, 500)}
    assert len(ids) == 499
    assert all(len(value) == 18 and value.startswith("750") for value in ids)
    assert all(value[15:] == id_checksum(value[:15]) for value in ids)


def _job(table: JobTable, kind: str = "ingest") -> Job:
    now = sf_timestamp()
    job = Job(
        id=table.next_id(),
        kind=kind,  # type: ignore[arg-type]
        operation="insert",
        object="Account",
        created_by_id="005000000000001AAA",
        created_date=now,
        system_modstamp=now,
        api_version="62.0",
    )
    table.add(job)
    return job


def test_job_info_has_every_documented_field(tmp_path: Path) -> None:
    table = JobTable(tmp_path / "jobs.sqlite")
    job = _job(table)
    info = job.info()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", info["createdDate"])
    assert info["apiVersion"] == 62.0 and isinstance(info["apiVersion"], float)
    assert info["contentUrl"] == f"services/data/v62.0/jobs/ingest/{job.id}/batches"
    assert info["jobType"] == "V2Ingest"
    for key in (
        "numberRecordsProcessed",
        "numberRecordsFailed",
        "retries",
        "totalProcessingTime",
        "apiActiveProcessingTime",
        "apexProcessingTime",
        "concurrencyMode",
        "lineEnding",
    ):
        assert key in info
    assert "jobType" not in job.info(brief=True)


def test_content_url_disappears_once_the_job_leaves_open(tmp_path: Path) -> None:
    table = JobTable(tmp_path / "jobs.sqlite")
    job = _job(table)
    moved = table.transition(job.id, frozenset({OPEN}), UPLOAD_COMPLETE)
    assert moved is not None and "contentUrl" not in moved.info()


def test_transition_refuses_a_state_it_was_not_allowed_from(tmp_path: Path) -> None:
    table = JobTable(tmp_path / "jobs.sqlite")
    job = _job(table)
    assert table.transition(job.id, frozenset({IN_PROGRESS}), ABORTED) is None
    stored = table.get(job.id)
    assert stored is not None and stored.state == OPEN


def test_jobs_survive_reopening_and_deleted_jobs_are_gone(tmp_path: Path) -> None:
    table = JobTable(tmp_path / "jobs.sqlite")
    kept, dropped = _job(table), _job(table)
    table.mark_deleted(dropped.id)
    table.close()
    reopened = JobTable(tmp_path / "jobs.sqlite")
    assert reopened.get(kept.id) == kept
    assert reopened.get(dropped.id) is None
    assert reopened.get(kept.id, "query") is None
    assert reopened.next_id() not in {kept.id, dropped.id}


def test_listing_pages_in_creation_order(tmp_path: Path) -> None:
    table = JobTable(tmp_path / "jobs.sqlite")
    created = [_job(table).id for _ in range(5)]
    first, next_seq = table.page("ingest", after_seq=0, limit=3)
    assert next_seq is not None
    rest, final = table.page("ingest", after_seq=next_seq, limit=3)
    assert [job.id for job in first + rest] == created
    assert final is None
    assert table.count_active("ingest") == 5


def test_locators_round_trip_and_match_the_documented_example() -> None:
    assert encode_locator(10000) == "MTAwMDA"
    assert decode_locator("MTAwMDA") == 10000
    assert decode_locator("not a locator!") is None
