"""Findings about attachments (API.md §3 #20–#23) and the attachment volume of the report."""

from __future__ import annotations

from dataclasses import dataclass, replace

from stames_sf.discovery.estimate import BASE64_LIMIT_BYTES, MB
from stames_sf.discovery.findings.base import Finding, absent
from stames_sf.discovery.warehouse import RawWarehouse, text

TABLE = "messages__attachments"
DOWNLOADS_TABLE = "attachment_downloads"
BIG_ATTACHMENT_BYTES = 25 * MB
# The smallest size whose base64 form exceeds 37.5 MB: 4 * ceil(size / 3) > limit.
MULTIPART_FROM_BYTES = 3 * (BASE64_LIMIT_BYTES // 4) + 1
HISTOGRAM_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0 bytes", 0, 1),
    ("1 byte – 100 KB", 1, 100 * 1024),
    ("100 KB – 1 MB", 100 * 1024, MB),
    ("1 – 10 MB", MB, 10 * MB),
    ("10 – 25 MB", 10 * MB, 25 * MB),
    ("25 MB and more", 25 * MB, None),
)
# Names unsafe to write as-is (§3 #21): path parts, drive colons, control and bidi-override
# characters, Windows device names, a blank stem, no extension.
HOSTILE_NAME_PATTERN = (
    r"(\.\.|[:\\/]|[\x{00}-\x{1F}\x{202A}-\x{202E}]|^\s|^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\.|$)|^[^.]*$)"
)


@dataclass(frozen=True)
class AttachmentSummary:
    count: int | None
    total_bytes: int
    histogram: tuple[tuple[str, int, int], ...]
    multipart: int
    by_status: tuple[tuple[str, int], ...]
    downloads: tuple[tuple[str, int], ...]
    available_files: int
    available_bytes: int


def _distinct_attachments(warehouse: RawWarehouse) -> str:
    """One row per attachment id: merged tickets copy files, and dlt keeps each copy as a child row."""
    status = text("status") if warehouse.has(TABLE, "status") else "NULL"
    return (
        f"SELECT id, any_value(size) AS size, any_value({status}) AS status "
        f"FROM {warehouse.table(TABLE)} GROUP BY id"
    )


def summarise_attachments(warehouse: RawWarehouse) -> AttachmentSummary:
    if not warehouse.has(TABLE, "id", "size"):
        return AttachmentSummary(warehouse.count(TABLE), 0, (), 0, (), _downloads(warehouse), 0, 0)
    source = _distinct_attachments(warehouse)
    count, total = warehouse.rows(f"SELECT count(*), coalesce(sum(size), 0) FROM ({source})")[0]
    histogram = []
    for label, low, high in HISTOGRAM_BUCKETS:
        bound = f"size >= {low}" + (f" AND size < {high}" if high is not None else "")
        files, volume = warehouse.rows(
            f"SELECT count(*), coalesce(sum(size), 0) FROM ({source}) WHERE {bound}"
        )[0]
        histogram.append((label, int(files), int(volume)))
    statuses = warehouse.rows(
        f"SELECT coalesce(status, '(none)'), count(*) FROM ({source}) GROUP BY 1 ORDER BY 2 DESC"
    )
    available, available_bytes = warehouse.rows(
        f"SELECT count(*), coalesce(sum(size), 0) FROM ({source}) WHERE coalesce(status, 'available') = "
        "'available'"
    )[0]
    return AttachmentSummary(
        count=int(count),
        total_bytes=int(total),
        histogram=tuple(histogram),
        multipart=int(
            warehouse.scalar(f"SELECT count(*) FROM ({source}) WHERE size >= {MULTIPART_FROM_BYTES}")
        ),
        by_status=tuple((str(status), int(files)) for status, files in statuses),
        downloads=_downloads(warehouse),
        available_files=int(available),
        available_bytes=int(available_bytes),
    )


def _downloads(warehouse: RawWarehouse) -> tuple[tuple[str, int], ...]:
    """Outcomes of the download step, when it has run."""
    if not warehouse.has(DOWNLOADS_TABLE, "status"):
        return ()
    rows = warehouse.rows(
        f"SELECT {text('status')}, count(*) FROM {warehouse.table(DOWNLOADS_TABLE)} GROUP BY 1 ORDER BY 1"
    )
    return tuple((str(status), int(files)) for status, files in rows)


def missing_files(warehouse: RawWarehouse) -> Finding:
    return _distinct_finding(
        warehouse,
        20,
        "Attachments purged or quarantined (metadata only)",
        ("status",),
        f"{text('status')} IN ('purged', 'quarantined')",
    )


def odd_files(warehouse: RawWarehouse) -> Finding:
    """Zero-byte files; hostile or over-long names are reported in the note."""
    finding = _distinct_finding(warehouse, 21, "Zero-byte attachments", ("size",), "size = 0")
    if not warehouse.has(TABLE, "file_name"):
        return finding
    hostile = warehouse.scalar(
        f"SELECT count(DISTINCT id) FROM {warehouse.table(TABLE)} WHERE "
        f"regexp_matches({text('file_name')}, '{HOSTILE_NAME_PATTERN}') OR length({text('file_name')}) > 255"
    )
    return replace(finding, note=f"{hostile:,} file names unsafe on disk or over 255 characters")


def shared_files(warehouse: RawWarehouse) -> Finding:
    """Identical bytes (same sha256) attached to more than one ticket."""
    title = "Same file attached to several tickets (same sha256)"
    if not warehouse.has(TABLE, "sha256", "ticket_id", "id"):
        return absent(warehouse, 22, title, "files", TABLE)
    rows = warehouse.rows(
        "SELECT count(*), min(example) FROM (SELECT sha256, min(id) AS example FROM "
        f"{warehouse.table(TABLE)} "
        "WHERE sha256 IS NOT NULL GROUP BY sha256 HAVING count(DISTINCT ticket_id) > 1)"
    )
    files, example = rows[0]
    return Finding(22, title, int(files), "files", None if example is None else str(example))


def big_files(warehouse: RawWarehouse) -> Finding:
    finding = _distinct_finding(
        warehouse, 23, "Attachments of 25 MB or more", ("size",), f"size >= {BIG_ATTACHMENT_BYTES}"
    )
    if not warehouse.has(TABLE, "size"):
        return finding
    multipart = warehouse.scalar(
        f"SELECT count(DISTINCT id) FROM {warehouse.table(TABLE)} WHERE size >= {MULTIPART_FROM_BYTES}"
    )
    note = f"{multipart:,} exceed 37.5 MB once base64-encoded: multipart upload"
    return replace(finding, note=note, parts={"multipart": int(multipart)})


def _distinct_finding(
    warehouse: RawWarehouse, number: int, title: str, columns: tuple[str, ...], where: str
) -> Finding:
    """Like `rows_finding`, but counting attachment ids (a merged ticket repeats its files)."""
    if not warehouse.has(TABLE, "id", *columns):
        return absent(warehouse, number, title, "attachments", TABLE)
    files, example = warehouse.rows(
        f"SELECT count(DISTINCT id), min(id) FROM {warehouse.table(TABLE)} WHERE {where}"
    )[0]
    return Finding(number, title, int(files), "attachments", None if example is None else str(example))
