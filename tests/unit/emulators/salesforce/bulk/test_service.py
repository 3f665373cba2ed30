"""BulkService over a real Org without HTTP: restarts, the upload cap, and create-time checks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulators.salesforce.bulk.jobs import IN_PROGRESS, OPEN, UPLOAD_COMPLETE, Job
from emulators.salesforce.bulk.service import UPLOAD_LIMIT_BYTES, BulkError, BulkService, exceeds_upload_limit
from emulators.salesforce.org.store import Org


@pytest.fixture
def org(tmp_path: Path) -> Iterator[Org]:
    opened = Org.open(tmp_path / "org")
    yield opened
    opened.close()


def _final(service: BulkService, job_id: str) -> Job:
    deadline = time.monotonic() + 30
    while True:
        job = service.jobs.get(job_id)
        assert job is not None
        if job.is_terminal or time.monotonic() > deadline:
            return job
        time.sleep(0.02)


def test_a_job_interrupted_in_progress_is_failed_on_restart(org: Org, tmp_path: Path) -> None:
    service = BulkService(org, tmp_path / "bulk")
    job = service.create_ingest({"object": "Account", "operation": "insert"}, org.admin_user_id, "62.0")
    service.jobs.transition(job.id, frozenset({OPEN}), IN_PROGRESS)
    service.close()
    restarted = BulkService(org, tmp_path / "bulk")
    recovered = restarted.jobs.get(job.id)
    restarted.close()
    assert recovered is not None
    assert recovered.state == "Failed"
    assert recovered.error_message


def test_a_job_queued_at_shutdown_runs_after_restart(org: Org, tmp_path: Path) -> None:
    service = BulkService(org, tmp_path / "bulk")
    job = service.create_ingest({"object": "Account", "operation": "insert"}, org.admin_user_id, "62.0")
    service.start_upload(job.id).write_text("Name\nQueued before restart\n", encoding="utf-8")
    service.finish_upload(job.id)
    service.jobs.transition(job.id, frozenset({OPEN}), UPLOAD_COMPLETE)  # closed, never picked up
    service.close()
    restarted = BulkService(org, tmp_path / "bulk")
    final = _final(restarted, job.id)
    restarted.close()
    assert (final.state, final.number_records_processed) == ("JobComplete", 1)
    assert any(row["Name"] == "Queued before restart" for row in org.scan("Account"))


def test_the_upload_cap_counts_base64_size() -> None:
    raw_cap = UPLOAD_LIMIT_BYTES // 4 * 3
    assert not exceeds_upload_limit(raw_cap)
    assert exceeds_upload_limit(raw_cap + 1)
    assert exceeds_upload_limit(100 * 1024 * 1024 + raw_cap)


def test_a_second_upload_is_refused_once_data_is_in(org: Org, tmp_path: Path) -> None:
    service = BulkService(org, tmp_path / "bulk")
    job = service.create_ingest({"object": "Account", "operation": "insert"}, org.admin_user_id, "62.0")
    service.start_upload(job.id).write_text("Name\nA\n", encoding="utf-8")
    service.finish_upload(job.id)
    with pytest.raises(BulkError) as refused:
        service.start_upload(job.id)
    service.close()
    assert refused.value.code == "INVALIDJOBSTATE"


def test_upsert_needs_an_indexed_external_id_field(org: Org, tmp_path: Path) -> None:
    service = BulkService(org, tmp_path / "bulk")
    with pytest.raises(BulkError) as refused:
        service.create_ingest(
            {"object": "Account", "operation": "upsert", "externalIdFieldName": "Website"},
            org.admin_user_id,
            "62.0",
        )
    accepted = service.create_ingest(
        {"object": "Account", "operation": "upsert", "externalIdFieldName": "id"}, org.admin_user_id, "62.0"
    )
    service.close()
    assert (refused.value.status, refused.value.code) == (400, "INVALIDJOB")
    assert "Website" in refused.value.message
    assert accepted.external_id_field_name == "Id"
