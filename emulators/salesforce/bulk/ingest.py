"""Process one uploaded ingest job: read its CSV from disk, write every row through the OrgStore in
internal batches of 10,000 (one `atomic()` each), and stream the three result files to disk."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from emulators.salesforce.bulk import messages
from emulators.salesforce.bulk.columns import JobFailedError
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
from emulators.salesforce.bulk.rows import RowHandler, row_handler
from emulators.salesforce.org import record_errors
from emulators.salesforce.org.chunks import DML_CHUNK_SIZE, repeated_keys
from emulators.salesforce.org.types import FieldError, OpContext, OrgStore

INTERNAL_BATCH_SIZE = 10_000

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
    try:
        row_writer = row_handler(job, store, headers)
    except JobFailedError:
        for raw in records:  # a refused header leaves every row unprocessed
            writer.unprocessed(raw)
        raise
    ctx = OpContext(user_id=job.created_by_id, wire="csv", api="bulk")
    upsert_key = _upsert_key(job, store, row_writer)
    for batch in _batches(records, batch_size):
        if outcome.aborted or outcome.failure:
            for raw in batch:
                writer.unprocessed(raw)
            continue
        refused = _repeated_external_ids(batch, dialect, len(headers), upsert_key)
        with store.atomic():
            for position, raw in enumerate(batch):
                _one_row(
                    raw, dialect, headers, row_writer, ctx, faults, writer, outcome, refused.get(position)
                )
        if not progress(outcome.processed, outcome.failed):
            outcome.aborted = True
        if faults.fail_job:
            outcome.failure = messages.FAILED_FAULT


@dataclass(frozen=True)
class UpsertKey:
    """Where an upsert job's external id sits in each row, and how its values compare."""

    index: int
    field: str
    case_sensitive: bool


def _upsert_key(job: Job, store: OrgStore, handler: RowHandler) -> UpsertKey | None:
    """The external id column of an upsert job (None for other operations or without the column)."""
    if job.operation != "upsert" or handler.columns is None or not job.external_id_field_name:
        return None
    wanted = str(job.external_id_field_name).lower()
    if wanted == "id":  # repeated record Ids are a different rule, not modelled here
        return None
    for index, column in enumerate(handler.columns):
        if not column.is_relationship and column.field.lower() == wanted:
            described = {str(item["name"]): item for item in store.describe(job.object)["fields"]}
            case_sensitive = bool(described.get(column.field, {}).get("caseSensitive"))
            return UpsertKey(index, column.field, case_sensitive)
    return None


def _repeated_external_ids(
    batch: list[str], dialect: CsvDialect, width: int, key: UpsertKey | None
) -> dict[int, FieldError]:
    """Rows of the batch whose external id another row of the same 200-row DML chunk repeats:
    Salesforce fails all of them instead of letting the later row update the earlier one."""
    if key is None:
        return {}
    refused: dict[int, FieldError] = {}
    for start in range(0, len(batch), DML_CHUNK_SIZE):
        keys = [_key_cell(raw, dialect, width, key.index) for raw in batch[start : start + DML_CHUNK_SIZE]]
        for offset in repeated_keys(keys, case_sensitive=key.case_sensitive):
            refused[start + offset] = record_errors.external_id_repeated(key.field, str(keys[offset]))
    return refused


def _key_cell(raw: str, dialect: CsvDialect, width: int, index: int) -> str | None:
    """The external id cell of a raw row; None when the row does not parse (it fails on its own)."""
    try:
        cells = parse_record(raw, dialect.delimiter)
    except CsvRowError:
        return None
    if len(cells) != width or cells[index] == NULL_MARKER:
        return None
    return cells[index]


def _batches(records: Iterator[str], size: int) -> Iterator[list[str]]:
    while batch := list(itertools.islice(records, size)):
        yield batch


def _one_row(
    raw: str,
    dialect: CsvDialect,
    headers: list[str],
    handler: RowHandler,
    ctx: OpContext,
    faults: IngestFaults,
    writer: ResultWriter,
    outcome: IngestOutcome,
    refused: FieldError | None = None,
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
    if refused is not None:
        outcome.failed += 1
        writer.failure("", refused, cells)
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
    if handler.columns is None:
        return cells
    return [echo_value(cell, column.field_type) for cell, column in zip(cells, handler.columns, strict=True)]
