"""Bulk 2.0 query jobs: run the SOQL once, keep the CSV on disk with a row index, and serve it in
pages addressed by opaque locators (`MTAwMDA` is base64 of the row offset `10000`)."""

from __future__ import annotations

import base64
import binascii
from array import array
from dataclasses import dataclass

from emulators.salesforce.bulk.csvio import CsvDialect, all_quoted_line
from emulators.salesforce.bulk.ingest import JobFiles
from emulators.salesforce.bulk.jobs import Job
from emulators.salesforce.org.types import RecordStore
from emulators.salesforce.soql import QueryResult, csv_rows, execute

DEFAULT_PAGE_SIZE = 50_000
_INDEX_TYPE = "Q"


@dataclass(frozen=True)
class ResultPage:
    """One page of query results: CSV bytes, its row count, and the next locator or None."""

    body: bytes
    number_of_records: int
    next_locator: str | None


def encode_locator(offset: int) -> str:
    return base64.b64encode(str(offset).encode()).decode().rstrip("=")


def decode_locator(locator: str) -> int | None:
    """The row offset a locator stands for, or None when it is not one of ours."""
    padded = locator + "=" * (-len(locator) % 4)
    try:
        text = base64.b64decode(padded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def run_query(job: Job, files: JobFiles, store: RecordStore, result: QueryResult | None = None) -> int:
    """Write the job's results (running its SOQL unless `result` is given) plus a byte-offset
    index; the number of rows."""
    if result is None:
        include_deleted = job.operation == "queryAll"
        result = execute(store, str(job.query), include_deleted=include_deleted, api_version=job.api_version)
    dialect = CsvDialect(job.column_delimiter, job.line_ending)
    offsets = array(_INDEX_TYPE)
    written = 0
    with files.query_results.open("wb") as output:
        for position, row in enumerate(csv_rows(result)):
            if position:
                offsets.append(written)
            line = all_quoted_line(row, dialect).encode("utf-8")
            output.write(line)
            written += len(line)
    offsets.append(written)
    with files.query_index.open("wb") as index:
        offsets.tofile(index)
    return len(offsets) - 1


def read_page(files: JobFiles, offset: int, max_records: int) -> ResultPage:
    """Rows `offset…offset+max_records` with the header row in front, as every page has it."""
    offsets = array(_INDEX_TYPE)
    offsets.frombytes(files.query_index.read_bytes())
    total = len(offsets) - 1
    start = min(max(offset, 0), total)
    end = min(start + max_records, total)
    with files.query_results.open("rb") as source:
        header = source.read(offsets[0])
        source.seek(offsets[start])
        rows = source.read(offsets[end] - offsets[start])
    next_locator = encode_locator(end) if end < total else None
    return ResultPage(header + rows, end - start, next_locator)
