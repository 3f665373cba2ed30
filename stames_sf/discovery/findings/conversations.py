"""Findings about messages (API.md §3 #9–#12, #14)."""

from __future__ import annotations

from stames_sf.discovery.findings.base import Finding, absent, rows_finding
from stames_sf.discovery.warehouse import RawWarehouse, text

HUGE_BODY_BYTES = 128 * 1024
# Damage the source shows (§3 #14): replacement character, mojibake, JSON-escaped lone
# surrogates (kept as text by the extractor), bidi controls and zero-width characters.
DAMAGE_PATTERN = (
    r"(\x{FFFD}|Ã[\x{80}-\x{BF}]|Â[\x{80}-\x{BF}]|\\u[dD][89abAB][0-9a-fA-F]{2}"
    r"|[\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}])"
)


def identical_timestamps(warehouse: RawWarehouse) -> Finding:
    """Threads where messages share a `created_at` or ids run against time."""
    title = "Threads with identical-timestamp or out-of-order messages"
    if not warehouse.has("messages", "ticket_id", "created_at", "id"):
        return absent(warehouse, 9, title, "tickets", "messages")
    sql = f"""
        WITH ordered AS (
            SELECT ticket_id, created_at, id,
                   lag(created_at) OVER (PARTITION BY ticket_id ORDER BY id) AS previous_created
            FROM {warehouse.table("messages")}
        ),
        affected AS (
            SELECT ticket_id FROM ordered GROUP BY ticket_id, created_at HAVING count(*) > 1
            UNION
            SELECT ticket_id FROM ordered WHERE previous_created > created_at
        )
        SELECT count(*), min(ticket_id) FROM affected
    """
    affected, example = warehouse.rows(sql)[0]
    return Finding(9, title, int(affected), "tickets", None if example is None else str(example))


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
    return Finding(**{**finding.__dict__, "note": f"{erased:,} message tombstones (erased)"})


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
    columns = [name for name in ("body_text", "author__name") if warehouse.has("messages", name)]
    if not columns:
        return absent(
            warehouse,
            14,
            "Encoding damage (mojibake, U+FFFD, lone surrogates, NFD, bidi)",
            "messages",
            "messages",
        )
    checks = [
        f"(regexp_matches({text(name)}, '{DAMAGE_PATTERN}') OR {text(name)} <> nfc_normalize({text(name)}))"
        for name in columns
    ]
    return rows_finding(
        warehouse,
        14,
        "Encoding damage (mojibake, U+FFFD, lone surrogates, NFD, bidi)",
        "messages",
        "messages",
        tuple(columns),
        " OR ".join(checks),
    )
