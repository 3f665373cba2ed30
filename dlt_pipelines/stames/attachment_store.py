"""Where attachment bytes and their download statuses live in the work folder.

Bytes are content-addressed: the path comes from the sha256 alone, never from the file name, so
names such as `../../x` or `CON` can do no harm, and a file shared by several tickets is stored
once. Each attachment's outcome is a row in `raw_stames.attachment_downloads`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

import duckdb

from stames_sf.workdir import RAW_SCHEMA, WorkDir

LEDGER_TABLE = "attachment_downloads"
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


def sha256_of(source: BinaryIO) -> str:
    """Hash an open file in chunks (used to check a stored blob)."""
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


_LEDGER_COLUMNS = (
    "attachment_id BIGINT PRIMARY KEY, message_id BIGINT, ticket_id BIGINT, status VARCHAR NOT NULL, "
    "size_bytes BIGINT, declared_size_bytes BIGINT, sha256 VARCHAR, storage_path VARCHAR, "
    "file_name VARCHAR, content_type VARCHAR, "
    "attempts INTEGER, url_refreshes INTEGER, last_error VARCHAR, recorded_at TIMESTAMPTZ"
)


class AttachmentLedger:
    """The `attachment_downloads` table: one row per attachment, rewritten on each attempt."""

    def __init__(self, work: WorkDir) -> None:
        self.work = work
        self.connection = duckdb.connect(str(work.warehouse))
        self.connection.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
        self.connection.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{LEDGER_TABLE} ({_LEDGER_COLUMNS})")

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> AttachmentLedger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def listed_attachments(self) -> list[AttachmentRef]:
        """Attachment ids from the raw messages (none when no message had an attachment)."""
        exists = self.connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [RAW_SCHEMA, "messages__attachments"],
        ).fetchone()
        if not exists or not exists[0]:
            return []
        rows = self.connection.execute(
            f"SELECT id, any_value(message_id), any_value(ticket_id) "
            f"FROM {RAW_SCHEMA}.messages__attachments GROUP BY id ORDER BY id"
        ).fetchall()
        return [AttachmentRef(int(row[0]), _maybe_int(row[1]), _maybe_int(row[2])) for row in rows]

    def settled_ids(self) -> set[int]:
        """Attachments whose outcome is final and whose bytes (if any) are still on disk."""
        rows = self.connection.execute(
            f"SELECT attachment_id, status, storage_path FROM {RAW_SCHEMA}.{LEDGER_TABLE}"
        ).fetchall()
        return {
            int(attachment_id)
            for attachment_id, status, storage_path in rows
            if status in FINAL_STATUSES
            and (storage_path is None or (self.work.root / storage_path).is_file())
        }

    def record(self, outcome: DownloadOutcome) -> None:
        """Write (or overwrite) the row of one attachment; committed immediately, never lost."""
        self.connection.execute(
            f"INSERT OR REPLACE INTO {RAW_SCHEMA}.{LEDGER_TABLE} VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
            [
                outcome.attachment_id,
                outcome.message_id,
                outcome.ticket_id,
                str(outcome.status),
                outcome.size_bytes,
                outcome.declared_size_bytes,
                outcome.sha256,
                outcome.storage_path,
                outcome.file_name,
                outcome.content_type,
                outcome.attempts,
                outcome.url_refreshes,
                outcome.last_error,
            ],
        )

    def status_counts(self) -> dict[str, int]:
        rows = self.connection.execute(
            f"SELECT status, count(*) FROM {RAW_SCHEMA}.{LEDGER_TABLE} GROUP BY status ORDER BY status"
        ).fetchall()
        return {str(status): int(count) for status, count in rows}


def _maybe_int(value: Any) -> int | None:
    return None if value is None else int(value)
