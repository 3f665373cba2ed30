"""Process one uploaded ingest job: read its CSV from disk, write every row through the OrgStore in
internal batches of 10,000 (one `atomic()` each), and stream the three result files to disk."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from emulators.salesforce.bulk import messages
from emulators.salesforce.bulk.columns import Column, JobFailedError, id_column_index, plan_columns
from emulators.salesforce.bulk.csvio import (
    NULL_MARKER,
    CsvDialect,
    CsvRowError,
    all_quoted_line,
    iter_records,
    line_ending_matches,
    parse_record,
    result_line,
)
from emulators.salesforce.bulk.echo import echo_value
from emulators.salesforce.bulk.jobs import Job
from emulators.salesforce.org.types import FieldError, OpContext, OrgStore, SaveResult

INTERNAL_BATCH_SIZE = 10_000
DELETE_OPERATIONS = frozenset({"delete", "hardDelete"})

Progress = Callable[[int, int], bool]
"""Called after each internal batch with (processed, failed); False means the job was aborted."""


@dataclass(frozen=True)
class JobFiles:
    """Where one job keeps its upload and results, so big jobs never sit in memory."""

    folder: Path

    @property
    def upload(self) -> Path:
        return self.folder / "upload.csv"

    @property
    def successful(self) -> Path:
        return self.folder / "successfulResults.csv"

    @property
    def failed(self) -> Path:
        return self.folder / "failedResults.csv"

    @property
    def unprocessed(self) -> Path:
        return self.folder / "unprocessedrecords.csv"

    @property
    def query_results(self) -> Path:
        return self.folder / "queryResults.csv"

    @property
    def query_index(self) -> Path:
        return self.folder / "queryResults.idx"


@dataclass
class IngestFaults:
    """Injected failures, read from the org toggles when the job starts."""

    lock_row_rate: float = 0.0
    fail_job: bool = False
    rng: random.Random = field(default_factory=random.Random)


@dataclass
class IngestOutcome:
    processed: int = 0
    failed: int = 0
    aborted: bool = False
    failure: str | None = None


@dataclass(frozen=True)
class RowResult:
    """What one row produced: a SaveResult, or an error found before reaching the store."""

    record_id: str
    created: bool
    error: FieldError | None


class ResultWriter:
    """The three result files of a job, header rows included."""

    def __init__(self, files: JobFiles, dialect: CsvDialect) -> None:
        self._dialect = dialect
        self._successful = files.successful.open("w", encoding="utf-8", newline="")
        self._failed = files.failed.open("w", encoding="utf-8", newline="")
        self._unprocessed = files.unprocessed.open("w", encoding="utf-8", newline="")

    def headers(self, headers: list[str], raw_header: str) -> None:
        self._successful.write(result_line(["sf__Id", "sf__Created"], headers, self._dialect))
        self._failed.write(result_line(["sf__Id", "sf__Error"], headers, self._dialect))
        self._unprocessed.write(raw_header + self._dialect.terminator)

    def success(self, record_id: str, created: bool, echoed: list[str]) -> None:
        values = [record_id, "true" if created else "false", *echoed]
        self._successful.write(all_quoted_line(values, self._dialect))

    def failure(self, record_id: str, error: FieldError, echoed: list[str]) -> None:
        self._failed.write(all_quoted_line([record_id, error.bulk_error(), *echoed], self._dialect))

    def unprocessed(self, raw_record: str) -> None:
        self._unprocessed.write(raw_record + self._dialect.terminator)

    def close(self) -> None:
        for handle in (self._successful, self._failed, self._unprocessed):
            handle.close()


def run_ingest(
    job: Job,
    files: JobFiles,
    store: OrgStore,
    *,
    faults: IngestFaults,
    progress: Progress,
    batch_size: int = INTERNAL_BATCH_SIZE,
) -> IngestOutcome:
    """Process the job's upload; JobFailedError (header-level problems) ends up in `outcome.failure`."""
    dialect = CsvDialect(job.column_delimiter, job.line_ending)
    writer = ResultWriter(files, dialect)
    outcome = IngestOutcome()
    if not files.upload.exists():
        writer.close()
        outcome.failure = messages.EMPTY_UPLOAD
        return outcome
    try:
        with files.upload.open("r", encoding="utf-8-sig", newline="") as source:
            _process(job, source, store, writer, outcome, faults, progress, batch_size)
    except JobFailedError as failure:
        outcome.failure = str(failure)
    except UnicodeDecodeError:
        outcome.failure = messages.NOT_UTF8
    finally:
        writer.close()
    return outcome


def _process(
    job: Job,
    source: TextIO,
    store: OrgStore,
    writer: ResultWriter,
    outcome: IngestOutcome,
    faults: IngestFaults,
    progress: Progress,
    batch_size: int,
) -> None:
    dialect = CsvDialect(job.column_delimiter, job.line_ending)
    first_line = source.readline()
    if not first_line.strip():
        raise JobFailedError(messages.EMPTY_UPLOAD)
    if not line_ending_matches(first_line, dialect):
        raise JobFailedError(messages.LINE_ENDING.format(ending=job.line_ending))
    records = iter_records(itertools.chain([first_line], source), dialect)
    raw_header = next(records)
    try:
        headers = parse_record(raw_header, dialect.delimiter)
    except CsvRowError as error:
        raise JobFailedError(messages.BAD_HEADER.format(reason=error)) from error
    writer.headers(headers, raw_header)
    row_writer = _row_handler(job, store, headers)
    ctx = OpContext(user_id=job.created_by_id, wire="csv", api="bulk")
    for batch in _batches(records, batch_size):
        if outcome.aborted or outcome.failure:
            for raw in batch:
                writer.unprocessed(raw)
            continue
        with store.atomic():
            for raw in batch:
                _one_row(raw, dialect, headers, row_writer, ctx, faults, writer, outcome)
        if not progress(outcome.processed, outcome.failed):
            outcome.aborted = True
        if faults.fail_job:
            outcome.failure = messages.FAILED_FAULT


def _batches(records: Iterator[str], size: int) -> Iterator[list[str]]:
    while batch := list(itertools.islice(records, size)):
        yield batch


RowHandler = Callable[[list[str], OpContext], RowResult]


def _one_row(
    raw: str,
    dialect: CsvDialect,
    headers: list[str],
    handler: RowHandler,
    ctx: OpContext,
    faults: IngestFaults,
    writer: ResultWriter,
    outcome: IngestOutcome,
) -> None:
    outcome.processed += 1
    try:
        cells = parse_record(raw, dialect.delimiter)
    except CsvRowError as error:
        outcome.failed += 1
        code, message = messages.BAD_CSV_ROW
        writer.failure("", FieldError(code, message.format(reason=error)), raw.split(dialect.delimiter))
        return
    if len(cells) != len(headers):
        outcome.failed += 1
        code, message = messages.COLUMN_COUNT
        writer.failure("", FieldError(code, message.format(found=len(cells), expected=len(headers))), cells)
        return
    if faults.lock_row_rate and faults.rng.random() < faults.lock_row_rate:
        outcome.failed += 1
        writer.failure("", FieldError(*messages.LOCK_ROW), cells)
        return
    result = handler(cells, ctx)
    if result.error is not None:
        outcome.failed += 1
        writer.failure(result.record_id, result.error, cells)
    else:
        writer.success(result.record_id, result.created, _echo(handler, cells))


def _echo(handler: RowHandler, cells: list[str]) -> list[str]:
    columns: list[Column] | None = getattr(handler, "columns", None)
    if columns is None:
        return cells
    return [echo_value(cell, column.field_type) for cell, column in zip(cells, columns, strict=True)]


def _row_handler(job: Job, store: OrgStore, headers: list[str]) -> RowHandler:
    """The per-row write for the job's operation, with the header already resolved."""
    if job.operation in DELETE_OPERATIONS:
        return _DeleteRows(store, id_column_index(headers), hard=job.operation == "hardDelete")
    columns = plan_columns(store, job.object, headers)
    id_index = id_column_index(headers) if job.operation == "update" else None
    return _WriteRows(store, job, columns, id_index)


class _DeleteRows:
    def __init__(self, store: OrgStore, id_index: int, *, hard: bool) -> None:
        self._store = store
        self._id_index = id_index
        self._hard = hard

    def __call__(self, cells: list[str], ctx: OpContext) -> RowResult:
        record_id = cells[self._id_index]
        if not record_id:
            return RowResult("", False, _missing_id("delete"))
        return _from_save(self._store.delete(record_id, ctx, hard=self._hard), record_id)


class _WriteRows:
    def __init__(self, store: OrgStore, job: Job, columns: list[Column], id_index: int | None) -> None:
        self._store = store
        self._job = job
        self.columns = columns
        self._id_index = id_index

    def __call__(self, cells: list[str], ctx: OpContext) -> RowResult:
        given_id = cells[self._id_index] if self._id_index is not None else ""
        values, error = self._values(cells)
        if error is not None:
            return RowResult(given_id, False, error)
        operation = self._job.operation
        if operation == "insert":
            return _from_save(self._store.insert(self._job.object, values, ctx), "")
        if operation == "upsert":
            external_id = str(self._job.external_id_field_name)
            return _from_save(self._store.upsert(self._job.object, external_id, values, ctx), "")
        if not given_id:
            return RowResult("", False, _missing_id("update"))
        values = {key: value for key, value in values.items() if key.lower() != "id"}
        return _from_save(self._store.update(self._job.object, given_id, values, ctx), given_id)

    def _values(self, cells: list[str]) -> tuple[dict[str, Any], FieldError | None]:
        values: dict[str, Any] = {}
        for cell, column in zip(cells, self.columns, strict=True):
            if cell == "":
                continue
            if cell == NULL_MARKER:
                values[column.field] = None
            elif column.is_relationship:
                parent_id, error = _resolve_parent(self._store, column, cell)
                if error is not None:
                    return values, error
                values[column.field] = parent_id
            else:
                values[column.field] = cell
        return values, None


def _resolve_parent(store: OrgStore, column: Column, value: str) -> tuple[str | None, FieldError | None]:
    parent_object = str(column.parent_object)
    parent_field = str(column.parent_field)
    matches = store.find_ids(parent_object, parent_field, value)
    if len(matches) == 1:
        return matches[0], None
    code, message = messages.PARENT_NOT_FOUND if not matches else messages.PARENT_SEVERAL
    text = message.format(value=value, field=parent_field, sobject=parent_object)
    return None, FieldError(code, text, [column.field])


def _missing_id(operation: str) -> FieldError:
    code, message = messages.ID_MISSING
    return FieldError(code, message.format(operation=operation), ["Id"])


def _from_save(result: SaveResult, given_id: str) -> RowResult:
    if result.success:
        return RowResult(result.id or given_id, result.created, None)
    error = result.errors[0] if result.errors else FieldError("UNKNOWN_EXCEPTION", "unknown error")
    return RowResult(result.id or given_id, False, error)
