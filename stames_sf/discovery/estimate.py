"""What a load will cost on the Salesforce side: records, data and file storage, API calls.

Pure arithmetic over volumes, so the rules can be tested and argued about on their own. The
limits are Salesforce's published ones (Bulk API 2.0 limits, REST blob upload limits); the
2 KB-per-record storage rule is Salesforce's usual accounting for most objects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

KB = 1024
MB = 1024 * KB

# Data storage: most records count 2 KB whatever their content.
RECORD_STORAGE_BYTES = 2 * KB
# Bulk API 2.0: ~100 MB of raw CSV per upload (150 MB after base64), 10,000 records per internal
# batch, 15,000 batches and 150,000,000 records per rolling 24 h.
BULK_UPLOAD_BYTES = 100 * MB
BULK_RECORDS_PER_BATCH = 10_000
BULK_DAILY_BATCHES = 15_000
BULK_DAILY_RECORDS = 150_000_000
# Calls per ingest job: create, upload, close, ~3 status polls, successful and failed results.
CALLS_PER_BULK_JOB = 8
# Non-multipart inserts carry at most 37.5 MB of base64; base64 is 4/3 of the raw size.
BASE64_LIMIT_BYTES = int(37.5 * MB)
# Query paging returns up to 2,000 rows per call (reading ContentDocumentIds back after upload).
QUERY_ROWS_PER_CALL = 2_000


@dataclass(frozen=True)
class TargetVolume:
    """Records bound for one Salesforce object and the rule that produced the number."""

    sobject: str
    records: int
    source: str
    # Bytes of CSV per record for the Bulk upload; bodies make EmailMessage rows far larger.
    csv_bytes: int = 0
    # Content stored beyond the flat 2 KB (EmailMessage bodies count at their size).
    stored_bytes: int | None = None

    @property
    def data_storage_bytes(self) -> int:
        flat = self.records * RECORD_STORAGE_BYTES
        return max(flat, self.stored_bytes) if self.stored_bytes is not None else flat


@dataclass(frozen=True)
class FileVolume:
    """Attachment bytes bound for ContentVersion (file storage, not data storage)."""

    files: int
    total_bytes: int
    multipart_files: int


@dataclass(frozen=True)
class BulkPlan:
    sobject: str
    jobs: int
    batches: int
    api_calls: int


@dataclass(frozen=True)
class SalesforceEstimate:
    volumes: tuple[TargetVolume, ...]
    files: FileVolume
    bulk: tuple[BulkPlan, ...]
    file_api_calls: int

    @property
    def records(self) -> int:
        return sum(volume.records for volume in self.volumes)

    @property
    def data_storage_bytes(self) -> int:
        return sum(volume.data_storage_bytes for volume in self.volumes)

    @property
    def file_storage_bytes(self) -> int:
        return self.files.total_bytes

    @property
    def bulk_batches(self) -> int:
        return sum(plan.batches for plan in self.bulk)

    @property
    def api_calls(self) -> int:
        return sum(plan.api_calls for plan in self.bulk) + self.file_api_calls

    @property
    def days_for_bulk_batches(self) -> int:
        """Rolling 24 h windows the batch allowance needs (at least 1 when anything loads)."""
        if not self.bulk_batches:
            return 0
        by_batches = math.ceil(self.bulk_batches / BULK_DAILY_BATCHES)
        by_records = math.ceil(self.records / BULK_DAILY_RECORDS)
        return max(by_batches, by_records)


def needs_multipart(size_bytes: int) -> bool:
    """A file whose base64 form exceeds 37.5 MB cannot go in a JSON insert: multipart upload."""
    return base64_size(size_bytes) > BASE64_LIMIT_BYTES


def base64_size(size_bytes: int) -> int:
    return 4 * math.ceil(size_bytes / 3)


def plan_bulk(volume: TargetVolume) -> BulkPlan:
    """Bulk API 2.0 jobs, internal batches and REST calls for one object."""
    if volume.records == 0:
        return BulkPlan(volume.sobject, jobs=0, batches=0, api_calls=0)
    jobs = max(1, math.ceil(volume.records * volume.csv_bytes / BULK_UPLOAD_BYTES))
    batches = max(jobs, math.ceil(volume.records / BULK_RECORDS_PER_BATCH))
    return BulkPlan(volume.sobject, jobs=jobs, batches=batches, api_calls=jobs * CALLS_PER_BULK_JOB)


def file_api_calls(files: FileVolume) -> int:
    """One insert per file (JSON or multipart) plus paged queries to read the document ids back."""
    if files.files == 0:
        return 0
    return files.files + math.ceil(files.files / QUERY_ROWS_PER_CALL)


def estimate(volumes: list[TargetVolume], files: FileVolume) -> SalesforceEstimate:
    """The Salesforce side of a migration from its target volumes."""
    return SalesforceEstimate(
        volumes=tuple(volumes),
        files=files,
        bulk=tuple(plan_bulk(volume) for volume in volumes),
        file_api_calls=file_api_calls(files),
    )
