"""The Bulk API 2.0 transport: one ingest job per chunk, several in flight, results by key.

Each chunk: create job → one PUT of CSV → close → poll → successfulResults (+ failedResults when
the job counted failures, + unprocessedrecords when rows are missing). Results are matched to the
records by the key column they echo (`Stames_Id__c`, or `Id` for an update), never by row order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from loaders.load.http import OrgHttp
from loaders.load.records import (
    DmlSpec,
    LoadRecord,
    Operation,
    RecordResult,
    api_text,
    failure,
    parse_bulk_error,
)

TERMINAL_STATES = frozenset({"JobComplete", "Failed", "Aborted"})
NULL = "#N/A"
"""Bulk CSV's null: an empty cell leaves a field as it is."""
RESULT_COLUMNS = ("sf__Id", "sf__Created", "sf__Error")
UPLOAD_CAP_BYTES = 100_000_000
"""The raw CSV a job takes (150 MB after base64) [CONTRACT §1.5], with room to spare."""


@dataclass(frozen=True)
class BulkSettings:
    max_rows_per_job: int = 10_000
    max_bytes_per_job: int = 90_000_000
    jobs_in_flight: int = 4
    first_poll_s: float = 0.5
    max_poll_s: float = 5.0


class BulkTransport:
    def __init__(self, http: OrgHttp, settings: BulkSettings | None = None) -> None:
        self.http = http
        self.settings = settings or BulkSettings()

    def run(self, spec: DmlSpec, records: Sequence[LoadRecord]) -> Iterator[list[RecordResult]]:
        """Yield the results of each job as it finishes."""
        header = csv_header(spec)
        chunks = list(csv_chunks(spec, records, self.settings))
        if not chunks:
            return
        with ThreadPoolExecutor(max_workers=max(1, self.settings.jobs_in_flight)) as pool:
            futures = [pool.submit(self._run_job, spec, header, body, chunk) for body, chunk in chunks]
            for future in futures:
                yield future.result()

    def _run_job(
        self, spec: DmlSpec, header: list[str], body: bytes, chunk: Sequence[LoadRecord]
    ) -> list[RecordResult]:
        job = {
            "object": spec.sobject,
            "operation": spec.operation.value,
            "contentType": "CSV",
            "lineEnding": "LF",
        }
        if spec.operation is Operation.UPSERT:
            job["externalIdFieldName"] = spec.key_field
        created = self.http.json("POST", "jobs/ingest", json=job)
        job_id = created["id"]
        self.http.request(
            "PUT",
            f"jobs/ingest/{job_id}/batches",
            data=body,
            headers={"Content-Type": "text/csv; charset=UTF-8"},
        )
        self.http.json("PATCH", f"jobs/ingest/{job_id}", json={"state": "UploadComplete"})
        info = self._wait(job_id)
        return self._results(spec, header, job_id, info, chunk)

    def _wait(self, job_id: str) -> dict:
        delay = self.settings.first_poll_s
        while True:
            self.http.clock.sleep(delay)
            info = self.http.json("GET", f"jobs/ingest/{job_id}")
            if info["state"] in TERMINAL_STATES:
                return info
            delay = min(delay * 1.5, self.settings.max_poll_s)

    def _results(
        self, spec: DmlSpec, header: list[str], job_id: str, info: dict, chunk: Sequence[LoadRecord]
    ) -> list[RecordResult]:
        key_column = header[0]
        results: dict[str, RecordResult] = {}
        for row in self._csv(job_id, "successfulResults", key_column):
            key = row[key_column]
            results[key] = RecordResult(
                key, row.get("sf__Id") or None, True, created=row.get("sf__Created") == "true"
            )
        if int(info.get("numberRecordsFailed") or 0):
            for row in self._csv(job_id, "failedResults", key_column):
                key = row[key_column]
                code, message = parse_bulk_error(row.get("sf__Error", ""))
                results[key] = failure(key, code, message, row.get("sf__Id"))
        missing = [record for record in chunk if record.key not in results]
        if missing:
            reason = str(info.get("errorMessage") or "the job ended before reaching the row")
            code = "UNPROCESSED" if _transient(reason) else "INVALID_JOB"
            for record in missing:
                results[record.key] = failure(record.key, code, reason)
        return [results[record.key] for record in chunk]

    def _csv(self, job_id: str, kind: str, key_column: str) -> Iterator[dict[str, str]]:
        """The result columns the ledger needs (key, sf__Id, sf__Created, sf__Error) of each row.

        A results CSV echoes every column sent: the message bodies of an EmailMessage job again.
        Only the few cells read are kept, not a dict of every column per row."""
        response = self.http.request("GET", f"jobs/ingest/{job_id}/{kind}", headers={"Accept": "text/csv"})
        response.encoding = "utf-8"
        rows = csv.reader(io.StringIO(response.text))
        header = next(rows, [])
        wanted = {key_column: _column_index(header, key_column)}
        wanted |= {name: _column_index(header, name) for name in RESULT_COLUMNS}
        for cells in rows:
            yield {
                name: cells[index] if index is not None and index < len(cells) else ""
                for name, index in wanted.items()
            }


def _transient(reason: str) -> bool:
    """A job stopped by the platform (retry it) rather than by its data or header (don't)."""
    return reason.startswith(("InternalServerError", "the job ended")) or "timed out" in reason.lower()


def _column_index(header: list[str], column: str) -> int | None:
    """Where `column` is in a results header; the key column's case may differ from what was sent."""
    if column in header:
        return header.index(column)
    lowered = [name.lower() for name in header]
    return lowered.index(column.lower()) if column.lower() in lowered else None


def csv_header(spec: DmlSpec) -> list[str]:
    """The key first (results are matched on it), then the fields, then the parents' columns."""
    fields = [name for name in spec.fields if name != spec.key_field]
    return [spec.key_field, *fields, *(parent.bulk_header for parent in spec.parents)]


def csv_row(spec: DmlSpec, record: LoadRecord) -> list[str]:
    fields = [name for name in spec.fields if name != spec.key_field]
    null = NULL if spec.operation is not Operation.INSERT else ""
    cells = [record.key]
    for name in fields:
        value = record.values.get(name)
        cells.append(null if value is None else api_text(value))
    cells.extend(record.parent_keys.get(parent.field) or "" for parent in spec.parents)
    return cells


def csv_chunks(
    spec: DmlSpec, records: Sequence[LoadRecord], settings: BulkSettings
) -> Iterator[tuple[bytes, Sequence[LoadRecord]]]:
    """CSV bodies under the row and byte caps, each with the records it holds."""
    header_line = _line(csv_header(spec))
    max_bytes = min(settings.max_bytes_per_job, UPLOAD_CAP_BYTES)
    lines: list[bytes] = []
    chunk: list[LoadRecord] = []
    size = len(header_line)
    for record in records:
        line = _line(csv_row(spec, record))
        if chunk and (len(chunk) >= settings.max_rows_per_job or size + len(line) > max_bytes):
            yield header_line + b"".join(lines), chunk
            lines, chunk, size = [], [], len(header_line)
        lines.append(line)
        chunk.append(record)
        size += len(line)
    if chunk:
        yield header_line + b"".join(lines), chunk


def _line(cells: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().encode("utf-8")
