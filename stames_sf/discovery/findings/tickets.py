"""Findings about tickets, their history, and custom data (API.md §3 #13, #16–#19, #24–#28, #30, #31),
and tickets whose `updated_at` cannot be the incremental cursor (#33)."""

from __future__ import annotations

from dataclasses import replace

from stames_sf.discovery.findings.base import Finding, absent, empty, rows_finding
from stames_sf.discovery.inventory import CustomObjectSummary, custom_field_uses, custom_object_summaries
from stames_sf.discovery.profile import quote
from stames_sf.discovery.warehouse import RawWarehouse, text

SYSTEM_STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed", "spam", "deleted")
# A timestamp that states its offset (`Z`, `+02:00`); legacy rows lack one (§3 #30).
OFFSET_PATTERN = r"(Z|[+-]\d{2}:?\d{2})$"
# Every server-maintained timestamp has exactly this form (API.md §2.1: UTC, milliseconds, `Z`), so
# text order is time order; anything else cannot be compared as an incremental cursor.
CURSOR_PATTERN = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"
CURSOR_FORMAT = "%Y-%m-%dT%H:%M:%S.%gZ"
# Where the extraction logs records it kept out of the cursor; absent until it has rejected one.
CURSOR_REJECTS_TABLE = "cursor_rejects"


def empty_subjects(warehouse: RawWarehouse) -> Finding:
    title = "Tickets with an empty subject"
    if warehouse.has("tickets") and not warehouse.has("tickets", "subject"):
        return Finding(
            13, title, warehouse.count("tickets"), "tickets", warehouse.first_id("tickets", "TRUE")
        )
    return rows_finding(warehouse, 13, title, "tickets", "tickets", ("subject",), empty("subject"))


def custom_statuses(warehouse: RawWarehouse) -> Finding:
    title = "Tickets in a custom (non-system) status"
    if warehouse.has("ticket_statuses", "key", "system"):
        custom = (
            f"SELECT {text('key')} FROM {warehouse.table('ticket_statuses')} WHERE {text('system')} = 'false'"
        )
    else:
        custom = None
    system = ", ".join(f"'{status}'" for status in SYSTEM_STATUSES)
    where = f"{text('status')} IN ({custom})" if custom else f"{text('status')} NOT IN ({system})"
    return rows_finding(warehouse, 16, title, "tickets", "tickets", ("status",), where)


def history_anomalies(warehouse: RawWarehouse) -> Finding:
    """Tickets whose history reopens after closing, skips events, or disagrees with the ticket.

    The chain is walked in id order, the order the source recorded the events in: many
    transitions share one `changed_at`, so time order cannot tell a missed event from a tie.
    A soft-deleted ticket's `deleted` status has no history row and is not a disagreement.
    """
    title = "Status history anomalies (reopened, missed events, disagrees with ticket)"
    if not warehouse.has("status_changes", "ticket_id", "from_status", "to_status", "id"):
        return absent(warehouse, 17, title, "tickets", "status_changes")
    reopened = "FALSE"
    if warehouse.has("status_changes", "from_category", "to_category"):
        reopened = (
            "from_category IN ('solved', 'closed') AND to_category IN ('new', 'open', 'pending', 'on_hold')"
        )
    disagrees, join = "FALSE", ""
    if warehouse.has("tickets", "id", "status"):
        join = (
            f"LEFT JOIN {warehouse.table('tickets')} AS t "
            "ON CAST(t.id AS VARCHAR) = CAST(h.ticket_id AS VARCHAR)"
        )
        disagrees = "h.is_last AND t.status <> 'deleted' AND CAST(t.status AS VARCHAR) <> h.to_status"
    sql = f"""
        WITH ordered AS (
            SELECT ticket_id, {text("from_status")} AS from_status, {text("to_status")} AS to_status,
                   {reopened} AS reopened,
                   lag({text("to_status")}) OVER w AS previous_to,
                   row_number() OVER w = count(*) OVER (PARTITION BY ticket_id) AS is_last
            FROM {warehouse.table("status_changes")}
            WINDOW w AS (PARTITION BY ticket_id ORDER BY id)
        ),
        flagged AS (
            SELECT h.ticket_id, h.reopened AS reopened,
                   h.previous_to IS NOT NULL AND h.from_status IS DISTINCT FROM h.previous_to AS missed,
                   coalesce({disagrees}, FALSE) AS disagrees
            FROM ordered AS h {join}
        )
        SELECT count(DISTINCT ticket_id) FILTER (WHERE reopened OR missed OR disagrees),
               min(ticket_id) FILTER (WHERE reopened OR missed OR disagrees),
               count(DISTINCT ticket_id) FILTER (WHERE reopened),
               count(DISTINCT ticket_id) FILTER (WHERE missed),
               count(DISTINCT ticket_id) FILTER (WHERE disagrees)
        FROM flagged
    """
    affected, example, reopened_count, missed, disagreeing = warehouse.rows(sql)[0]
    note = (
        f"reopened after solved/closed: {reopened_count:,}; missed events: {missed:,}; "
        f"last row ≠ ticket: {disagreeing:,}"
    )
    parts = {"reopened": int(reopened_count), "missed_event": int(missed), "disagrees": int(disagreeing)}
    return Finding(
        17, title, int(affected), "tickets", None if example is None else str(example), note, parts
    )


BOUNCE_SENDERS = ("mailer-daemon@%", "postmaster@%")


def spam_tickets(warehouse: RawWarehouse) -> Finding:
    """Spam, plus auto-reply/bounce tickets in the note: both are filtered by rule, not silently."""
    spam = f"{text('status')} = 'spam'"
    if warehouse.has("tickets", "is_spam"):
        spam += f" OR {text('is_spam')} = 'true'"
    finding = rows_finding(warehouse, 18, "Spam tickets", "tickets", "tickets", ("status",), spam)
    if not warehouse.has("tickets", "requester__email"):
        return finding
    senders = " OR ".join(
        f"lower(trim({text('requester__email')})) LIKE '{sender}'" for sender in BOUNCE_SENDERS
    )
    bounces = warehouse.count("tickets", senders) or 0
    return replace(finding, note=f"{bounces:,} tickets from bounce or auto-reply senders")


def imported_history(warehouse: RawWarehouse) -> Finding:
    finding = rows_finding(
        warehouse,
        19,
        "Status history starting with a synthetic import row (pre-2021)",
        "status changes",
        "status_changes",
        ("via",),
        "via = 'import'",
    )
    if not warehouse.has("status_changes", "to_status") or not warehouse.has(
        "ticket_statuses", "key", "active"
    ):
        return finding
    inactive = warehouse.scalar(
        f"SELECT count(*) FROM {warehouse.table('status_changes')} WHERE {text('to_status')} IN "
        f"(SELECT {text('key')} FROM {warehouse.table('ticket_statuses')} WHERE {text('active')} = 'false')"
    )
    return replace(finding, note=f"{inactive:,} transitions into inactive statuses")


def unknown_option_values(warehouse: RawWarehouse) -> Finding:
    title = "Custom field values outside the field's options"
    uses = custom_field_uses(warehouse)
    if not uses:
        return absent(warehouse, 24, title, "values", "custom_fields")
    outside = [(use.key, value.value) for use in uses for value in use.values_outside_options]
    by_type: dict[str, int] = {}
    for use in uses:
        if use.outside_count:
            by_type[use.field_type] = by_type.get(use.field_type, 0) + use.outside_count
    inactive = [use.key for use in uses if use.active is False and use.records_with_value]
    parts = [f"{field_type}: {count:,}" for field_type, count in sorted(by_type.items())]
    if inactive:
        parts.append(f"inactive fields still holding values: {', '.join(inactive)}")
    example = f"{outside[0][0]} = {outside[0][1]}" if outside else None
    total = sum(use.outside_count for use in uses)
    return Finding(24, title, total, "values", example, "; ".join(parts), by_type)


def dangling_references(warehouse: RawWarehouse) -> Finding:
    """Links that resolve to nothing: records → tickets/customers, ticket lookups → records."""
    title = "Dangling references (custom-object records ↔ tickets, customers)"
    summaries = custom_object_summaries(warehouse)
    if not summaries:
        return absent(warehouse, 25, title, "links", "custom_objects")
    to_tickets = sum(summary.dangling_ticket_links for summary in summaries)
    to_customers = sum(summary.dangling_customer_links for summary in summaries)
    lookups = sum(summary.dangling_lookup_values for summary in summaries)
    note = (
        f"record → ticket: {to_tickets:,}; record → customer: {to_customers:,}; "
        f"ticket lookup → missing record: {lookups:,}"
    )
    example = _first_dangling_record(warehouse, summaries)
    parts = {"record_to_ticket": to_tickets, "record_to_customer": to_customers, "lookup_to_record": lookups}
    return Finding(25, title, to_tickets + to_customers + lookups, "links", example, note, parts)


def _first_dangling_record(warehouse: RawWarehouse, summaries: list[CustomObjectSummary]) -> str | None:
    for summary in summaries:
        child = f"{summary.table}__ticket_ids"
        if summary.dangling_ticket_links and warehouse.has(child, "value") and warehouse.has("tickets", "id"):
            return warehouse.scalar(
                f"SELECT min(CAST(r.id AS VARCHAR)) FROM {warehouse.table(summary.table)} AS r "
                f"JOIN {warehouse.table(child)} AS link ON link._dlt_parent_id = r._dlt_id "
                "WHERE CAST(link.value AS VARCHAR) NOT IN (SELECT CAST(id AS VARCHAR) FROM "
                f"{warehouse.table('tickets')})"
            )
    return None


def soft_deleted_tickets(warehouse: RawWarehouse) -> Finding:
    deleted = f"{text('status')} = 'deleted'"
    if warehouse.has("tickets", "deleted_at"):
        deleted += " OR deleted_at IS NOT NULL"
    return rows_finding(warehouse, 27, "Soft-deleted tickets", "tickets", "tickets", ("status",), deleted)


def merged_tickets(warehouse: RawWarehouse) -> Finding:
    return rows_finding(
        warehouse,
        28,
        "Merged tickets (closed into another ticket)",
        "tickets",
        "tickets",
        ("merged_into_id",),
        "merged_into_id IS NOT NULL",
    )


def legacy_timestamps(warehouse: RawWarehouse) -> Finding:
    where = f"created_at IS NOT NULL AND NOT regexp_matches({text('created_at')}, '{OFFSET_PATTERN}')"
    return rows_finding(
        warehouse,
        30,
        "Tickets with a timezone-less created_at (legacy import)",
        "tickets",
        "tickets",
        ("created_at",),
        where,
    )


def stale_requesters(warehouse: RawWarehouse) -> Finding:
    """Tickets whose requester snapshot no longer matches the customer record."""
    title = "Stale requester snapshots (differ from the current customer)"
    if not warehouse.has("tickets", "customer_id", "id") or not warehouse.has("customers", "id"):
        return absent(warehouse, 31, title, "tickets", "tickets")
    differences = []
    for snapshot, current in (("requester__email", "email"), ("requester__name", "name")):
        if warehouse.has("tickets", snapshot) and warehouse.has("customers", current):
            differences.append(f"CAST(t.{snapshot} AS VARCHAR) IS DISTINCT FROM CAST(c.{current} AS VARCHAR)")
    if warehouse.has("tickets", "requester__id"):
        differences.append("CAST(t.requester__id AS VARCHAR) IS DISTINCT FROM CAST(t.customer_id AS VARCHAR)")
    if warehouse.has("customers", "merged_into_id"):
        differences.append("c.merged_into_id IS NOT NULL")
    if not differences:
        return Finding(31, title, 0, "tickets", None)
    sql = (
        f"SELECT count(*), min(t.id) FROM {warehouse.table('tickets')} AS t "
        f"JOIN {warehouse.table('customers')} AS c ON CAST(c.id AS VARCHAR) = CAST(t.customer_id AS VARCHAR) "
        f"WHERE {' OR '.join(differences)}"
    )
    affected, example = warehouse.rows(sql)[0]
    return Finding(31, title, int(affected), "tickets", None if example is None else str(example))


def unusable_cursors(warehouse: RawWarehouse) -> Finding:
    """Tickets whose `updated_at` is missing or not the contract's ISO-8601 form (#33).

    The contract says this never happens; when it does, the extraction lands the ticket as it is
    and never takes its value as the cursor, so the ticket is only caught up by a full re-read.
    dlt may type the column as text (the extraction keeps strings) or as a timestamp, where only
    missing values can be; a value of another JSON type lands in a `updated_at__v_*` variant column.
    """
    title = (
        "Tickets whose updated_at cannot be the incremental cursor (missing, or not YYYY-MM-DDTHH:MM:SS.sssZ)"
    )
    if not warehouse.has("tickets", "id"):
        return absent(warehouse, 33, title, "tickets", "tickets")
    column_type = warehouse.column_type("tickets", "updated_at")
    variants = " OR ".join(
        f"{quote(name)} IS NOT NULL" for name in warehouse.columns_like("tickets", "updated_at__v_")
    )
    other_type = f"({variants})" if variants else "FALSE"
    if column_type is None:  # dlt creates no column when every value is null
        missing, malformed = f"NOT {other_type}", other_type
    elif column_type.upper() in ("VARCHAR", "JSON"):
        value = text("updated_at")
        missing = f"updated_at IS NULL AND NOT {other_type}"
        malformed = (
            f"{other_type} OR (updated_at IS NOT NULL AND NOT coalesce(regexp_full_match({value}, "
            f"'{CURSOR_PATTERN}') AND try_strptime({value}, '{CURSOR_FORMAT}') IS NOT NULL, FALSE))"
        )
    else:
        missing, malformed = f"updated_at IS NULL AND NOT {other_type}", other_type
    null_count, malformed_count, example = warehouse.rows(
        f"SELECT count(*) FILTER (WHERE {missing}), count(*) FILTER (WHERE {malformed}), "
        f"min(id) FILTER (WHERE ({missing}) OR ({malformed})) FROM {warehouse.table('tickets')}"
    )[0]
    rejects = warehouse.count(CURSOR_REJECTS_TABLE)
    note = f"missing: {null_count:,}; malformed: {malformed_count:,}"
    if rejects is not None:
        note += f"; rows in {CURSOR_REJECTS_TABLE} (logged by the extraction): {rejects:,}"
    parts = {"missing": int(null_count), "malformed": int(malformed_count)}
    if rejects is not None:
        parts["cursor_rejects"] = rejects
    affected = int(null_count) + int(malformed_count)
    return Finding(33, title, affected, "tickets", None if example is None else str(example), note, parts)
