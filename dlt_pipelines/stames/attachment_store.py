"""Where attachment bytes and their download statuses live in the work folder.

Bytes are content-addressed: the path comes from the sha256 alone, never from the file name, so
names such as `../../x` or `CON` can do no harm, and a file shared by several tickets is stored
once. Each attachment's outcome is a row in `raw_stames.attachment_downloads`, a dlt resource
merged on `attachment_id`. Outcomes are appended to a local journal as they happen (one line per
file, flushed at once) and loaded through dlt at the end of the step and at the start of the next
one, so a killed run loses at most the files in flight and dlt alone owns the `raw_stames` schema.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

import dlt
import duckdb
from dlt.common.schema.typing import TTableSchemaColumns
from dlt.extract import DltResource

from dlt_pipelines.stames.helpers import escape_lone_surrogates
from dlt_pipelines.stames.settings import DATASET_NAME
from dlt_pipelines.stames.warehouse import forget_config_lookups, warehouse_pipeline

LEDGER_TABLE = "attachment_downloads"
LEDGER_PIPELINE_NAME = "stames_attachments"
CHUNK_BYTES = 1 << 20


class DownloadStatus(StrEnum):
    """Outcome of one attachment; every attachment ends with exactly one."""

    STORED = "stored"
    EXPIRED_REFRESHED = "expired_refreshed"
    PURGED = "purged"
    QUARANTINED = "quarantined"
    FAILED = "failed"


FINAL_STATUSES = frozenset({DownloadStatus.STORED, DownloadStatus.EXPIRED_REFRESHED, DownloadStatus.PURGED})
"""Not asked again on a rerun; quarantined (the scan may clear) and failed files are."""


@dataclass(frozen=True)
class AttachmentRef:
    """An attachment id as the raw messages list it."""

    attachment_id: int
    message_id: int | None
    ticket_id: int | None


@dataclass(frozen=True)
class DownloadOutcome:
    """One ledger row."""

    attachment_id: int
    message_id: int | None
    ticket_id: int | None
    status: DownloadStatus
    size_bytes: int | None = None
    declared_size_bytes: int | None = None
    sha256: str | None = None
    storage_path: str | None = None
    file_name: str | None = None
    content_type: str | None = None
    attempts: int = 0
    url_refreshes: int = 0
    last_error: str | None = None


def blob_path(files_dir: Path, sha256: str) -> Path:
    """Path of the bytes with this hash: two fan-out levels, then the full hex digest."""
    digest = sha256.lower()
    if len(digest) != 64 or any(char not in "0123456789abcdef" for char in digest):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return files_dir / digest[:2] / digest[2:4] / digest


@dataclass(frozen=True)
class StreamedFile:
    """A download written to a temporary file, with what its bytes really are."""

    temp_path: Path
    size_bytes: int
    sha256: str


def stream_to_temp(files_dir: Path, chunks: Iterable[bytes]) -> StreamedFile:
    """Write chunks to a temporary file under `files_dir`, hashing as they pass (flat memory)."""
    partial_dir = files_dir / ".partial"
    partial_dir.mkdir(parents=True, exist_ok=True)
    temp_path = partial_dir / uuid.uuid4().hex
    digest = hashlib.sha256()
    size = 0
    try:
        with temp_path.open("wb") as sink:
            for chunk in chunks:
                digest.update(chunk)
                sink.write(chunk)
                size += len(chunk)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    return StreamedFile(temp_path=temp_path, size_bytes=size, sha256=digest.hexdigest())


def discard_partials(files_dir: Path) -> int:
    """Delete temp files a killed run left behind; the ledger never points at them."""
    partial_dir = files_dir / ".partial"
    leftovers = [path for path in partial_dir.glob("*") if path.is_file()] if partial_dir.is_dir() else []
    for path in leftovers:
        path.unlink(missing_ok=True)
    return len(leftovers)


def commit_blob(files_dir: Path, streamed: StreamedFile) -> Path:
    """Move a verified temp file to its content address (a duplicate just drops the temp file)."""
    target = blob_path(files_dir, streamed.sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        streamed.temp_path.unlink(missing_ok=True)
    else:
        streamed.temp_path.replace(target)
    return target


@dataclass(frozen=True)
class AttachmentPaths:
    """Where the attachment step reads and writes; the caller resolves them from its work folder.

    Ledger `storage_path` values are relative to `storage_root`, the folder holding `files_dir`, so
    they stay valid when the whole work folder moves.
    """

    files_dir: Path
    duckdb_path: Path
    pipelines_dir: Path
    journal_path: Path

    @property
    def storage_root(self) -> Path:
        return self.files_dir.parent


LEDGER_COLUMNS: TTableSchemaColumns = {
    "attachment_id": {"data_type": "bigint", "nullable": False},
    "message_id": {"data_type": "bigint"},
    "ticket_id": {"data_type": "bigint"},
    "status": {"data_type": "text", "nullable": False},
    "size_bytes": {"data_type": "bigint"},
    "declared_size_bytes": {"data_type": "bigint"},
    "sha256": {"data_type": "text"},
    "storage_path": {"data_type": "text"},
    "file_name": {"data_type": "text"},
    "content_type": {"data_type": "text"},
    "attempts": {"data_type": "bigint"},
    "url_refreshes": {"data_type": "bigint"},
    "last_error": {"data_type": "text"},
    "recorded_at": {"data_type": "timestamp"},
}
"""Declared whole, so a column that is null in every row (no failure yet) still exists."""

_OUTCOME_FIELDS = tuple(spec.name for spec in fields(DownloadOutcome))


def ledger_resource(rows: list[dict[str, Any]]) -> DltResource:
    """The ledger rows as a dlt resource: one row per attachment, merged on its id."""
    return dlt.resource(
        rows,
        name=LEDGER_TABLE,
        primary_key="attachment_id",
        write_disposition="merge",
        columns=LEDGER_COLUMNS,
    )


def ledger_pipeline(paths: AttachmentPaths) -> dlt.Pipeline:
    """A pipeline of its own (state beside the extraction's), loading into the same `raw_stames`."""
    return warehouse_pipeline(LEDGER_PIPELINE_NAME, paths.duckdb_path, paths.pipelines_dir)


def journal_row(outcome: DownloadOutcome, recorded_at: datetime) -> dict[str, Any]:
    """One ledger row; a file name with lone surrogates keeps them as escape text, as raw_stames does."""
    row = escape_lone_surrogates(asdict(outcome))
    row["status"] = str(outcome.status)
    row["recorded_at"] = recorded_at.isoformat()
    return row


def read_journal(journal_path: Path) -> list[dict[str, Any]]:
    """The journal's rows, the last one per attachment; a line torn by a kill is skipped."""
    if not journal_path.is_file():
        return []
    latest: dict[int, dict[str, Any]] = {}
    for line in journal_path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and isinstance(row.get("attachment_id"), int):
            latest[row["attachment_id"]] = row
    return list(latest.values())


FLUSH_EVERY_OUTCOMES = 5_000
"""Journalled outcomes loaded through dlt at a time: one load's memory stays the same at any size."""


class AttachmentLedger:
    """`raw_stames.attachment_downloads`: read from the warehouse, written through a journal and dlt."""

    def __init__(self, paths: AttachmentPaths, *, flush_every: int = FLUSH_EVERY_OUTCOMES) -> None:
        self.paths = paths
        self.flush_every = flush_every
        self._journal: TextIO | None = None
        self._journalled = 0

    def __enter__(self) -> AttachmentLedger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def record(self, outcome: DownloadOutcome, recorded_at: datetime | None = None) -> None:
        """Append one outcome to the journal, on disk before the next file is recorded."""
        if self._journal is None:
            self.paths.journal_path.parent.mkdir(parents=True, exist_ok=True)
            self._journal = self.paths.journal_path.open("a", encoding="utf-8")
        row = journal_row(outcome, recorded_at or datetime.now(UTC))
        self._journal.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())
        self._journalled += 1
        if self._journalled >= self.flush_every:
            self.flush()

    def flush(self) -> int:
        """Load the journal (and a ledger table made before dlt owned it) through dlt; rows loaded."""
        self.close()
        self._adopt_hand_made_table()
        rows = read_journal(self.paths.journal_path)
        if rows:
            # Parquet, as for the extraction: the default INSERT VALUES load grows with the row count.
            info = ledger_pipeline(self.paths).run(ledger_resource(rows), loader_file_format="parquet")
            forget_config_lookups()
            info.raise_on_failed_jobs()
        # Deleted only after the load: a kill in between loads the same rows again, merged away.
        self.paths.journal_path.unlink(missing_ok=True)
        self._journalled = 0
        return len(rows)

    def _adopt_hand_made_table(self) -> None:
        """A warehouse from before the ledger was a dlt resource: its rows go to the front of the
        journal (newer outcomes win), then the table is dropped so dlt creates its own."""
        with _warehouse(self.paths.duckdb_path) as connection:
            columns = _columns(connection, LEDGER_TABLE) if connection is not None else set()
            if connection is None or not columns or "_dlt_id" in columns:
                return
            cursor = connection.execute(f"SELECT * FROM {DATASET_NAME}.{LEDGER_TABLE}")
            names = [column[0] for column in cursor.description]
            old_rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            lines = [json.dumps(row, default=str, ensure_ascii=False) + "\n" for row in old_rows]
            journal = self.paths.journal_path
            pending = journal.read_text(encoding="utf-8") if journal.is_file() else ""
            journal.parent.mkdir(parents=True, exist_ok=True)
            staged = journal.with_suffix(".adopting")
            staged.write_text("".join(lines) + pending, encoding="utf-8")
            staged.replace(journal)
            connection.execute(f"DROP TABLE {DATASET_NAME}.{LEDGER_TABLE}")

    def listed_attachments(self) -> list[AttachmentRef]:
        """Attachment ids from the raw messages (none when no message had an attachment)."""
        with _warehouse(self.paths.duckdb_path) as connection:
            if connection is None or not _columns(connection, "messages__attachments"):
                return []
            rows = connection.execute(
                f"SELECT id, any_value(message_id), any_value(ticket_id) "
                f"FROM {DATASET_NAME}.messages__attachments GROUP BY id ORDER BY id"
            ).fetchall()
        return [AttachmentRef(int(row[0]), _maybe_int(row[1]), _maybe_int(row[2])) for row in rows]

    def known_outcomes(self) -> dict[int, DownloadOutcome]:
        """The ledger's current row per attachment."""
        with _warehouse(self.paths.duckdb_path) as connection:
            if connection is None or not _columns(connection, LEDGER_TABLE):
                return {}
            cursor = connection.execute(
                f"SELECT {', '.join(_OUTCOME_FIELDS)} FROM {DATASET_NAME}.{LEDGER_TABLE}"
            )
            rows = cursor.fetchall()
        outcomes = (DownloadOutcome(**dict(zip(_OUTCOME_FIELDS, row, strict=True))) for row in rows)
        return {
            outcome.attachment_id: replace(outcome, status=DownloadStatus(outcome.status))
            for outcome in outcomes
        }

    def settled_ids(self, known: Mapping[int, DownloadOutcome]) -> set[int]:
        """Of the `known_outcomes()`, attachments whose outcome is final and whose bytes (if any)
        are still on disk."""
        return {
            attachment_id
            for attachment_id, outcome in known.items()
            if outcome.status in FINAL_STATUSES
            and (outcome.storage_path is None or (self.paths.storage_root / outcome.storage_path).is_file())
        }

    def status_counts(self) -> dict[str, int]:
        with _warehouse(self.paths.duckdb_path) as connection:
            if connection is None or not _columns(connection, LEDGER_TABLE):
                return {}
            rows = connection.execute(
                f"SELECT status, count(*) FROM {DATASET_NAME}.{LEDGER_TABLE} GROUP BY status ORDER BY status"
            ).fetchall()
        return {str(status): int(count) for status, count in rows}


@contextmanager
def _warehouse(duckdb_path: Path) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A short-lived warehouse connection, or None before the warehouse exists."""
    if not duckdb_path.is_file():
        yield None
        return
    with duckdb.connect(str(duckdb_path)) as connection:
        yield connection


def _columns(connection: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
        [DATASET_NAME, table],
    ).fetchall()
    return {str(row[0]) for row in rows}


def _maybe_int(value: Any) -> int | None:
    return None if value is None else int(value)
