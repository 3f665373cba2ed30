"""Findings about messages (API.md §3 #9–#12, #14)."""

from __future__ import annotations

from dataclasses import replace

from stames_sf.discovery.findings.base import Finding, absent, rows_finding
from stames_sf.discovery.warehouse import RawWarehouse, text

HUGE_BODY_BYTES = 128 * 1024
# Encoding damage (§3 #14): replacement character, mojibake (UTF-8 read as Latin-1), JSON-escaped
# lone surrogates (the extractor keeps them as text), zero-width spaces and a trailing zero-width
# joiner. Bidi marks are left out: right-to-left text carries them legitimately.
# Only text holding combining marks can be NFD; checking first spares normalising every body.
COMBINING_MARKS = r"[\x{0300}-\x{036F}]"
DAMAGE_PATTERN = r"(\x{FFFD}|[ÂÃâð][\x{80}-\x{BF}]|\\u[dD][89abAB][0-9a-fA-F]{2}|\x{200B}|\x{200D}$)"


def _thread_sql(warehouse: RawWarehouse) -> str:
    return f"""
        SELECT ticket_id, created_at, id,
               lag(created_at) OVER (PARTITION BY ticket_id ORDER BY id) AS previous_created
        FROM {warehouse.table("messages")}
    """


def identical_timestamps(warehouse: RawWarehouse) -> Finding:
    """Threads where messages share a `created_at`, or where ids run against time (back-dated)."""
    title = "Threads with identical-timestamp or out-of-order messages"
    if not warehouse.has("messages", "ticket_id", "created_at", "id"):
        return absent(warehouse, 9, title, "tickets", "messages")
    sql = f"""
        WITH ordered AS ({_thread_sql(warehouse)}),
        identical AS (
            SELECT DISTINCT ticket_id FROM ordered GROUP BY ticket_id, created_at HAVING count(*) > 1
        ),
        backdated AS (SELECT DISTINCT ticket_id FROM ordered WHERE previous_created > created_at),
        affected AS (SELECT ticket_id FROM identical UNION SELECT ticket_id FROM backdated)
        SELECT (SELECT count(*) FROM affected), (SELECT min(ticket_id) FROM affected),
               (SELECT count(*) FROM identical), (SELECT count(*) FROM backdated)
    """
    affected, example, identical, backdated = warehouse.rows(sql)[0]
    note = f"identical timestamps: {identical:,} threads; back-dated (id order ≠ time order): {backdated:,}"
    parts = {"identical_timestamps": int(identical), "backdated": int(backdated)}
    return Finding(9, title, int(affected), "tickets", None if example is None else str(example), note, parts)


def redacted_messages(warehouse: RawWarehouse) -> Finding:
    finding = rows_finding(
        warehouse,
        10,
        "Messages redacted after the fact",
        "messages",
        "messages",
        ("body_text",),
        f"{text('body_text')} = '[redacted]'",
    )
    erased = (
        warehouse.count("deleted_records", f"{text('object')} = 'message'")
        if warehouse.has("deleted_records", "object")
        else None
    )
    if erased is None:
        return finding
    return replace(finding, note=f"{erased:,} message tombstones (erased)")


def data_uri_images(warehouse: RawWarehouse) -> Finding:
    return rows_finding(
        warehouse,
        11,
        "HTML bodies with inline base64 (data:) images",
        "messages",
        "messages",
        ("body_html",),
        f"{text('body_html')} LIKE '%data:image/%'",
    )


def huge_bodies(warehouse: RawWarehouse) -> Finding:
    return rows_finding(
        warehouse,
        12,
        "Message bodies over 128 KB",
        "messages",
        "messages",
        ("body_size_bytes",),
        f"body_size_bytes > {HUGE_BODY_BYTES}",
    )


def encoding_damage(warehouse: RawWarehouse) -> Finding:
    """Messages whose text shows mojibake, replacement characters, lone surrogates or NFD."""
    columns = [name for name in ("body_text",) if warehouse.has("messages", name)]
    if not columns:
        return absent(
            warehouse,
            14,
            "Encoding damage (mojibake, U+FFFD, lone surrogates, NFD, zero-width)",
            "messages",
            "messages",
        )
    checks = [
        f"(regexp_matches({text(name)}, '{DAMAGE_PATTERN}') "
        f"OR (regexp_matches({text(name)}, '{COMBINING_MARKS}') "
        f"AND {text(name)} <> nfc_normalize({text(name)})))"
        for name in columns
    ]
    return rows_finding(
        warehouse,
        14,
        "Encoding damage (mojibake, U+FFFD, lone surrogates, NFD, zero-width)",
        "messages",
        "messages",
        tuple(columns),
        " OR ".join(checks),
    )
