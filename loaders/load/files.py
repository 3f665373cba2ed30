"""Files: one REST multipart upload per distinct file (the only way past 37.5 MB, up to 2 GB;
never base64 JSON), several at a time; the org's Checksum (MD5) and ContentSize checked against
the bytes we hold, whose sha256 the extraction recorded; a file attached to several tickets is
uploaded once and linked to the other Cases with ContentDocumentLink."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from requests_toolbelt import MultipartEncoder

from loaders.load.http import OrgError, OrgHttp
from loaders.load.org_reads import IDS_PER_QUERY, query_all
from loaders.load.records import LoadRecord, RecordResult, Value, api_json, failure

READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileRow:
    record: LoadRecord
    case_key: str | None
    sha256: str
    size: int
    path: Path
    kind: str


@dataclass(frozen=True)
class Uploaded:
    row: FileRow
    result: RecordResult
    md5: str | None = None


def file_row(record: LoadRecord, helpers: dict, work_root: Path) -> FileRow:
    return FileRow(
        record=record,
        case_key=record.parent_keys.get("FirstPublishLocationId"),
        sha256=str(helpers.get("stames__sha256") or ""),
        size=int(helpers.get("stames__size_bytes") or 0),
        path=work_root / str(helpers.get("stames__file_path") or ""),
        kind=str(helpers.get("stames__file_kind") or ""),
    )


def digests(path: Path) -> tuple[str, str, int]:
    """(sha256, md5, size) of a file, read once."""
    sha, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            sha.update(chunk)
            md5.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), md5.hexdigest(), size


def upload_all(
    http: OrgHttp,
    rows: Sequence[FileRow],
    entity: Callable[[FileRow], dict[str, Value]],
    files_in_flight: int,
    on_done: Callable[[Uploaded], None],
) -> None:
    """Upload each row's file, `files_in_flight` at a time; `on_done` hears of each one."""
    with ThreadPoolExecutor(max_workers=max(1, files_in_flight)) as pool:
        for uploaded in pool.map(lambda row: _upload(http, row, entity(row)), rows):
            on_done(uploaded)


def _upload(http: OrgHttp, row: FileRow, entity: dict[str, Value]) -> Uploaded:
    key = row.record.key
    try:
        sha256, md5, size = digests(row.path)
    except OSError as error:
        return Uploaded(row, failure(key, "FILE_MISSING", f"{row.path.name}: {error.strerror or error}"))
    if sha256 != row.sha256 or size != row.size:
        return Uploaded(
            row,
            failure(
                key,
                "FILE_CHANGED",
                "the stored file no longer matches the sha256 and size the extraction recorded",
            ),
        )
    body = json.dumps({name: api_json(value) for name, value in entity.items() if value is not None})

    def multipart() -> tuple[MultipartEncoder, str]:
        encoder = MultipartEncoder(
            fields={
                "entity_content": (None, body, "application/json"),
                "VersionData": (
                    str(entity.get("PathOnClient") or "file"),
                    row.path.open("rb"),
                    "application/octet-stream",
                ),
            }
        )
        return encoder, encoder.content_type

    try:
        answer = http.json("POST", "sobjects/ContentVersion", body_factory=multipart)
    except OrgError as error:
        return Uploaded(row, failure(key, error.code or "UPLOAD_FAILED", str(error)))
    return Uploaded(row, RecordResult(key, answer.get("id"), True, created=True), md5=md5)


def stored_versions(http: OrgHttp, version_ids: Sequence[str]) -> dict[str, dict]:
    """Id → Checksum, ContentSize, ContentDocumentId of uploaded versions, 200 Ids a query."""
    found: dict[str, dict] = {}
    for start in range(0, len(version_ids), IDS_PER_QUERY):
        quoted = ", ".join(f"'{value}'" for value in version_ids[start : start + IDS_PER_QUERY])
        soql = (
            f"SELECT Id, Checksum, ContentSize, ContentDocumentId FROM ContentVersion WHERE Id IN ({quoted})"
        )
        for record in query_all(http, soql):
            found[record["Id"]] = record
    return found
