"""`run_ingest` over a real Org, without HTTP: internal batches, aborts and the failure fault."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulators.salesforce.bulk.ingest import IngestFaults, JobFiles, run_ingest
from emulators.salesforce.bulk.jobs import Job, sf_timestamp
from emulators.salesforce.org.store import Org


@pytest.fixture
def org(tmp_path: Path) -> Iterator[Org]:
    opened = Org.open(tmp_path / "org")
    yield opened
    opened.close()


def _job(org: Org, operation: str = "insert", **extra: str) -> Job:
    now = sf_timestamp()
    return Job(
        id="750000000000001AAA",
        kind="ingest",
        operation=operation,
        object="Account",
        created_by_id=org.admin_user_id,
        created_date=now,
        system_modstamp=now,
        api_version="62.0",
        **extra,
    )


def _files(tmp_path: Path, data: str) -> JobFiles:
    files = JobFiles(tmp_path / "job")
    files.folder.mkdir()
    files.upload.write_text(data, encoding="utf-8")
    return files


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _names(org: Org) -> set[str]:
    return {row["Name"] for row in org.scan("Account") if str(row["Name"]).startswith("Row ")}


def _rows(count: int) -> str:
    return "Name\n" + "".join(f"Row {n}\n" for n in range(count))


def test_progress_is_reported_once_per_internal_batch(org: Org, tmp_path: Path) -> None:
    reports: list[tuple[int, int]] = []

    def progress(processed: int, failed: int) -> bool:
        reports.append((processed, failed))
        return True

    files = _files(tmp_path, _rows(7))
    outcome = run_ingest(_job(org), files, org, faults=IngestFaults(), progress=progress, batch_size=3)
    assert reports == [(3, 0), (6, 0), (7, 0)]
    assert (outcome.processed, outcome.failed, outcome.failure) == (7, 0, None)
    assert len(_read(files.successful)) == 7
    assert _names(org) == {f"Row {n}" for n in range(7)}


def test_an_abort_stops_after_the_current_batch(org: Org, tmp_path: Path) -> None:
    files = _files(tmp_path, _rows(7))
    outcome = run_ingest(
        _job(org), files, org, faults=IngestFaults(), progress=lambda *_: False, batch_size=3
    )
    assert outcome.aborted
    assert [row["Name"] for row in _read(files.unprocessed)] == [f"Row {n}" for n in range(3, 7)]
    assert _names(org) == {"Row 0", "Row 1", "Row 2"}


def test_the_failure_fault_keeps_the_first_batch_and_leaves_the_rest(org: Org, tmp_path: Path) -> None:
    files = _files(tmp_path, _rows(5))
    faults = IngestFaults(fail_job=True, rng=random.Random(1))
    outcome = run_ingest(_job(org), files, org, faults=faults, progress=lambda *_: True, batch_size=2)
    assert outcome.failure
    assert outcome.processed == 2
    assert len(_read(files.unprocessed)) == 3
    assert _names(org) == {"Row 0", "Row 1"}


def test_wrong_column_count_is_a_row_error(org: Org, tmp_path: Path) -> None:
    files = _files(tmp_path, "Name,Phone\nRow ok,1\nRow bad,1,2\n")
    outcome = run_ingest(_job(org), files, org, faults=IngestFaults(), progress=lambda *_: True)
    assert (outcome.processed, outcome.failed) == (2, 1)
    [failed] = _read(files.failed)
    assert failed["sf__Error"].startswith("INVALID_FIELD:")
    assert _names(org) == {"Row ok"}


def test_update_without_an_id_value_fails_the_row(org: Org, tmp_path: Path) -> None:
    files = _files(tmp_path, "Id,Name\n,Row nameless\n")
    outcome = run_ingest(_job(org, "update"), files, org, faults=IngestFaults(), progress=lambda *_: True)
    [failed] = _read(files.failed)
    assert outcome.failed == 1
    assert failed["sf__Error"].startswith("MISSING_ARGUMENT:")


def test_a_missing_upload_fails_the_job(org: Org, tmp_path: Path) -> None:
    files = JobFiles(tmp_path / "empty")
    files.folder.mkdir()
    outcome = run_ingest(_job(org), files, org, faults=IngestFaults(), progress=lambda *_: True)
    assert outcome.failure is not None and outcome.failure.startswith("InvalidBatch")


def test_a_byte_order_mark_does_not_become_part_of_the_first_header(org: Org, tmp_path: Path) -> None:
    files = _files(tmp_path, "\ufeffName\nRow bom\n")
    outcome = run_ingest(_job(org), files, org, faults=IngestFaults(), progress=lambda *_: True)
    assert (outcome.failure, outcome.failed) == (None, 0)
    assert _names(org) == {"Row bom"}


def test_data_that_is_not_utf8_fails_the_job(org: Org, tmp_path: Path) -> None:
    files = JobFiles(tmp_path / "latin1")
    files.folder.mkdir()
    files.upload.write_bytes("Name\nRow café\n".encode("latin-1"))
    outcome = run_ingest(_job(org), files, org, faults=IngestFaults(), progress=lambda *_: True)
    assert outcome.failure is not None and "UTF-8" in outcome.failure
    assert _names(org) == set()
