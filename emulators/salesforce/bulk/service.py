"""BulkService: the job table, the job folders on disk and the background workers that move jobs
from UploadComplete to a terminal state while clients poll."""

from __future__ import annotations

import random
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulators.salesforce.bulk import messages
from emulators.salesforce.bulk.columns import fields_by_lower_name, is_lookup_key
from emulators.salesforce.bulk.csvio import DELIMITERS, LINE_ENDINGS
from emulators.salesforce.bulk.ingest import INTERNAL_BATCH_SIZE, IngestFaults, JobFiles, run_ingest
from emulators.salesforce.bulk.jobs import (
    ABORTED,
    FAILED,
    IN_PROGRESS,
    JOB_COMPLETE,
    OPEN,
    UPLOAD_COMPLETE,
    Job,
    JobKind,
    JobTable,
    sf_timestamp,
)
from emulators.salesforce.bulk.query import run_query
from emulators.salesforce.org.types import OrgStore
from emulators.salesforce.soql import QueryResult, SoqlError, bulk_unsupported_reason, execute

INGEST_OPERATIONS = ("insert", "update", "upsert", "delete", "hardDelete")
QUERY_OPERATIONS = ("query", "queryAll")
UPLOAD_LIMIT_BYTES = 150 * 1024 * 1024
_ABORTABLE = frozenset({OPEN, UPLOAD_COMPLETE, IN_PROGRESS})
_DELETABLE = frozenset({UPLOAD_COMPLETE, JOB_COMPLETE, ABORTED, FAILED})
_SLOW_STEP_S = 0.05


@dataclass(frozen=True)
class BulkError(Exception):
    """A request-level refusal, answered as `[{"errorCode", "message"}]` with `status`."""

    status: int
    code: str
    message: str

    def body(self) -> list[dict[str, str]]:
        return [{"errorCode": self.code, "message": self.message}]


def _not_found() -> BulkError:
    return BulkError(404, *messages.NOT_FOUND)


def _invalid_job(message: str) -> BulkError:
    return BulkError(400, messages.INVALID_JOB, message)


class BulkService:
    """Bulk API 2.0 jobs of one org; `close()` stops the workers."""

    def __init__(
        self, org: OrgStore, state_dir: Path, *, workers: int = 2, batch_size: int = INTERNAL_BATCH_SIZE
    ) -> None:
        self.org = org
        self.batch_size = batch_size
        self._folder = state_dir / "bulk"
        self._folder.mkdir(parents=True, exist_ok=True)
        self.jobs = JobTable(self._folder / "jobs.sqlite")
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bulk-job")
        self._rng = random.Random()
        self._create_lock = threading.Lock()
        self._pending_lock = threading.Lock()
        self._pending_results: dict[str, QueryResult] = {}
        self._closed = False
        self._recover()

    # --- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.jobs.close()

    def _recover(self) -> None:
        """After a restart: interrupted jobs fail, jobs that were only queued are queued again."""
        for job in self.jobs.in_states(frozenset({IN_PROGRESS})):
            self.jobs.update(job.id, _fail_with(messages.INTERRUPTED), only_in=frozenset({IN_PROGRESS}))
        for job in self.jobs.in_states(frozenset({UPLOAD_COMPLETE})):
            self._pool.submit(self._process, job.id)

    def files(self, job_id: str) -> JobFiles:
        return JobFiles(self._folder / "jobs" / job_id)

    # --- ingest ------------------------------------------------------------------------------

    def create_ingest(self, spec: dict[str, Any], user_id: str, api_version: str) -> Job:
        """Validate a create-job request and store the new Open job."""
        operation = _required(spec, "operation")
        if operation not in INGEST_OPERATIONS:
            raise _invalid_job(messages.BAD_OPERATION.format(operation=operation))
        sobject = self._object_name(_required(spec, "object"))
        external_id = self._external_id(spec, operation, sobject)
        if operation == "hardDelete" and not self._may_hard_delete(user_id):
            raise BulkError(400, messages.HARD_DELETE_CODE, messages.HARD_DELETE_MESSAGE)
        delimiter, line_ending = _dialect_options(spec)
        with self._create_lock:
            if self.jobs.count_active("ingest") >= int(self.org.toggle("concurrent_job_limit")):
                raise BulkError(403, *messages.CONCURRENT_LIMIT)
            job = self._new_job("ingest", operation, sobject, user_id, api_version)
            job.column_delimiter = delimiter
            job.line_ending = line_ending
            job.external_id_field_name = external_id
            job.assignment_rule_id = spec.get("assignmentRuleId")
            self.jobs.add(job)
        self.files(job.id).folder.mkdir(parents=True, exist_ok=True)
        return job

    def ingest_job(self, job_id: str) -> Job:
        job = self.jobs.get(job_id, "ingest")
        if job is None:
            raise _not_found()
        return job

    def start_upload(self, job_id: str) -> Path:
        """Where to write the job's CSV; refuses a job that is not Open or already has data."""
        job = self.ingest_job(job_id)
        if job.state != OPEN:
            raise BulkError(400, messages.INVALID_JOB_STATE, messages.UPLOAD_NOT_OPEN)
        if job.uploaded:
            raise BulkError(400, messages.INVALID_JOB_STATE, messages.SECOND_UPLOAD)
        return self.files(job_id).upload

    def finish_upload(self, job_id: str) -> None:
        def mark(job: Job) -> None:
            job.uploaded = True

        if self.jobs.update(job_id, mark, only_in=frozenset({OPEN})) is None:
            raise BulkError(400, messages.INVALID_JOB_STATE, messages.UPLOAD_NOT_OPEN)

    def change_state(self, kind: JobKind, job_id: str, wanted: str) -> Job:
        """PATCH `{"state": …}`: UploadComplete (ingest only) or Aborted."""
        job = self.jobs.get(job_id, kind)
        if job is None:
            raise _not_found()
        if wanted == ABORTED:
            moved = self.jobs.transition(job_id, _ABORTABLE, ABORTED)
            if moved is None:
                message = messages.ABORT_COMPLETED if job.state == JOB_COMPLETE else _bad_change(job, wanted)
                raise BulkError(400, messages.INVALID_JOB_STATE, message)
            return moved
        if wanted == UPLOAD_COMPLETE and kind == "ingest":
            moved = self.jobs.transition(job_id, frozenset({OPEN}), UPLOAD_COMPLETE)
            if moved is None:
                raise BulkError(400, messages.INVALID_JOB_STATE, _bad_change(job, wanted))
            self._pool.submit(self._process, job_id)
            return moved
        raise BulkError(400, messages.INVALID_JOB_STATE, _bad_change(job, wanted))

    def delete(self, kind: JobKind, job_id: str) -> None:
        job = self.jobs.get(job_id, kind)
        if job is None:
            raise _not_found()
        if job.state not in _DELETABLE or (kind == "query" and job.state == UPLOAD_COMPLETE):
            raise BulkError(400, *messages.DELETE_NOT_TERMINATED)
        self.jobs.mark_deleted(job_id)
        shutil.rmtree(self.files(job_id).folder, ignore_errors=True)

    # --- query -------------------------------------------------------------------------------

    def create_query(self, spec: dict[str, Any], user_id: str, api_version: str) -> Job:
        operation = spec.get("operation") or "query"
        if operation not in QUERY_OPERATIONS:
            raise _invalid_job(messages.BAD_OPERATION.format(operation=operation))
        soql = _required(spec, "query")
        delimiter, line_ending = _dialect_options(spec)
        result = self._checked_query(soql, include_deleted=operation == "queryAll", api_version=api_version)
        job = self._new_job("query", operation, result.sobject, user_id, api_version)
        job.state = UPLOAD_COMPLETE
        job.query = soql
        job.column_delimiter = delimiter
        job.line_ending = line_ending
        self.jobs.add(job)
        self.files(job.id).folder.mkdir(parents=True, exist_ok=True)
        with self._pending_lock:
            self._pending_results[job.id] = result
        self._pool.submit(self._process, job.id)
        return job

    def _checked_query(self, soql: str, *, include_deleted: bool, api_version: str) -> QueryResult:
        """Run the SOQL while the client waits, so a query the org refuses is refused at creation.

        The result is kept for the worker, which writes it out; the query therefore runs once.
        """
        try:
            problem = bulk_unsupported_reason(soql)
            if problem:
                raise _invalid_job(problem)
            return execute(self.org, soql, include_deleted=include_deleted, api_version=api_version)
        except SoqlError as error:
            raise _invalid_job(error.message) from None

    def query_job(self, job_id: str) -> Job:
        job = self.jobs.get(job_id, "query")
        if job is None:
            raise _not_found()
        return job

    # --- background processing ---------------------------------------------------------------

    def _process(self, job_id: str) -> None:
        try:
            self._wait_slow_fault(job_id)
            job = self.jobs.transition(job_id, frozenset({UPLOAD_COMPLETE}), IN_PROGRESS)
            if job is None or self._closed:
                self._take_pending(job_id)
                return
            started = time.perf_counter()
            if job.kind == "ingest":
                self._process_ingest(job, started)
            else:
                self._process_query(job, started)
        except Exception as error:  # a worker must never leave a job InProgress for ever
            self.jobs.update(
                job_id, _fail_with(f"{messages.INTERNAL_ERROR} : {type(error).__name__}"), only_in=_ABORTABLE
            )

    def _wait_slow_fault(self, job_id: str) -> None:
        deadline = time.monotonic() + float(self.org.toggle("fault_slow_jobs_seconds") or 0)
        while time.monotonic() < deadline and not self._closed:
            job = self.jobs.get(job_id)
            if job is None or job.state != UPLOAD_COMPLETE:
                return
            time.sleep(_SLOW_STEP_S)

    def _process_ingest(self, job: Job, started: float) -> None:
        faults = IngestFaults(
            lock_row_rate=float(self.org.toggle("fault_lock_row_rate") or 0),
            fail_job=self._rng.random() < float(self.org.toggle("fault_failed_job_rate") or 0),
            rng=self._rng,
        )

        def progress(processed: int, failed: int) -> bool:
            counted = self.jobs.update(
                job.id, _counters(processed, failed, started), only_in=frozenset({IN_PROGRESS})
            )
            return counted is not None and not self._closed

        outcome = run_ingest(
            job, self.files(job.id), self.org, faults=faults, progress=progress, batch_size=self.batch_size
        )

        if outcome.aborted and self._closed:
            outcome.failure = messages.INTERRUPTED  # stopped by shutdown, not by a client's abort

        def finish(final: Job) -> None:
            _counters(outcome.processed, outcome.failed, started)(final)
            if final.state == IN_PROGRESS:
                final.state = FAILED if outcome.failure else JOB_COMPLETE
                final.error_message = outcome.failure

        self.jobs.update(job.id, finish)

    def _process_query(self, job: Job, started: float) -> None:
        try:
            rows = run_query(job, self.files(job.id), self.org, self._take_pending(job.id))
        except SoqlError as error:
            self.jobs.update(job.id, _fail_with(f"{error.code}: {error.message}"), only_in=_ABORTABLE)
            return

        def finish(final: Job) -> None:
            final.number_records_processed = rows
            final.total_processing_time = _elapsed_ms(started)
            if final.state == IN_PROGRESS:
                final.state = JOB_COMPLETE

        self.jobs.update(job.id, finish)

    def _take_pending(self, job_id: str) -> QueryResult | None:
        with self._pending_lock:
            return self._pending_results.pop(job_id, None)

    # --- helpers -----------------------------------------------------------------------------

    def _new_job(self, kind: JobKind, operation: str, sobject: str, user_id: str, api_version: str) -> Job:
        now = sf_timestamp()
        return Job(
            id=self.jobs.next_id(),
            kind=kind,
            operation=operation,
            object=sobject,
            created_by_id=user_id,
            created_date=now,
            system_modstamp=now,
            api_version=api_version,
        )

    def _object_name(self, name: str) -> str:
        try:
            return str(self.org.describe(name)["name"])
        except KeyError:
            raise _invalid_job(messages.UNKNOWN_OBJECT.format(sobject=name)) from None

    def _external_id(self, spec: dict[str, Any], operation: str, sobject: str) -> str | None:
        if operation != "upsert":
            return None
        name = _required(spec, "externalIdFieldName")
        field = fields_by_lower_name(self.org.describe(sobject)).get(name.lower())
        if field is None or not is_lookup_key(field):
            raise _invalid_job(messages.INVALID_EXTERNAL_ID.format(field=name, sobject=sobject))
        return str(field["name"])

    def _may_hard_delete(self, user_id: str) -> bool:
        lookup = getattr(self.org, "user", None)
        if lookup is None:
            return True
        try:
            return bool(lookup(user_id).hard_delete)
        except KeyError:
            return False


def exceeds_upload_limit(raw_bytes: int) -> bool:
    """Whether an upload is over the cap, which counts base64-encoded size (4 bytes per 3)."""
    return (raw_bytes + 2) // 3 * 4 > UPLOAD_LIMIT_BYTES


def _required(spec: dict[str, Any], name: str) -> str:
    value = spec.get(name)
    if not isinstance(value, str) or not value:
        raise _invalid_job(messages.MISSING_FIELD.format(name=name))
    return value


def _dialect_options(spec: dict[str, Any]) -> tuple[str, str]:
    content_type = spec.get("contentType") or "CSV"
    if content_type != "CSV":
        raise _invalid_job(messages.BAD_OPTION.format(name="contentType", value=content_type))
    delimiter = spec.get("columnDelimiter") or "COMMA"
    if delimiter not in DELIMITERS:
        raise _invalid_job(messages.BAD_OPTION.format(name="columnDelimiter", value=delimiter))
    line_ending = spec.get("lineEnding") or "LF"
    if line_ending not in LINE_ENDINGS:
        raise _invalid_job(messages.BAD_OPTION.format(name="lineEnding", value=line_ending))
    return delimiter, line_ending


def _bad_change(job: Job, wanted: str) -> str:
    return messages.BAD_STATE_CHANGE.format(current=job.state, wanted=wanted)


def _elapsed_ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _counters(processed: int, failed: int, started: float) -> Callable[[Job], None]:
    def apply(job: Job) -> None:
        job.number_records_processed = processed
        job.number_records_failed = failed
        job.total_processing_time = _elapsed_ms(started)
        job.api_active_processing_time = job.total_processing_time

    return apply


def _fail_with(message: str) -> Callable[[Job], None]:
    def apply(job: Job) -> None:
        job.state = FAILED
        job.error_message = message

    return apply
