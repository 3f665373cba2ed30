"""What the load could not carry: original creation dates where audit fields were off, the
records quarantined or excluded before the load, and the records the load failed to write."""

from __future__ import annotations

import duckdb

from expectations.signoff import read_quarantine
from expectations.sync_tables import RECONCILIATION_TABLE, SYNC_SCHEMA
from loaders.load.ledger import SCHEMA
from loaders.load.plan import CREATED_AT_FALLBACK, AuditFields
from mapping.propose.values import count_of
from stames_sf.handoff.errors import FailedRecord, error_file_name
from stames_sf.handoff.inventory import InventoryItem, InventorySection, InventoryTable, number
from stames_sf.handoff.run import HandoffRun, has_table

CREATED_DATE_OUTCOMES = {
    AuditFields.KEPT.value: "kept: CreatedDate is the Stames creation time",
    AuditFields.FALLBACK.value: "not settable: CreatedDate is the load time, the original is in "
    f"{CREATED_AT_FALLBACK}",
    AuditFields.DROPPED.value: "lost: CreatedDate is the load time and the mapping has no "
    f"{CREATED_AT_FALLBACK}",
}


def _created_by_object(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Records the run created per object: CreatedDate is only ever set on insert."""
    if not has_table(con, SCHEMA, "load_records"):
        return {}
    rows = con.execute(
        f"SELECT sobject, count(*) FROM {SCHEMA}.load_records WHERE run_id = ? AND action = 'created' "
        "GROUP BY sobject",
        [run_id],
    ).fetchall()
    return {str(sobject): int(count) for sobject, count in rows}


def audit_fields_item(con: duckdb.DuckDBPyConnection, run: HandoffRun) -> InventoryItem:
    topic = "Original creation dates (audit fields)"
    salesforce = (
        f"Where CreatedDate is the load time, reports and list views on creation time use "
        f'{CREATED_AT_FALLBACK}. To keep CreatedDate, grant the loading user "Set Audit Fields upon '
        'Record Creation" before the production load.'
    )
    if run.audit_fields is None:
        return InventoryItem(topic, salesforce, ("The run did not record which objects kept CreatedDate.",))
    created = _created_by_object(con, run.run_id)
    evidence = []
    for outcome, said in (
        (AuditFields.FALLBACK, f"went to {CREATED_AT_FALLBACK}"),
        (AuditFields.DROPPED, "was not kept"),
    ):
        objects = [sobject for sobject, recorded in run.audit_fields.items() if recorded == outcome.value]
        if objects:
            records = sum(created.get(sobject, 0) for sobject in objects)
            evidence.append(
                f"The loading user could not set audit fields on {', '.join(objects)}: the original "
                f"CreatedDate of {count_of(records, 'record')} this run created {said}."
            )
    if not evidence:
        evidence.append(
            "Every object kept the original CreatedDate: the loading user could set audit fields."
        )
        salesforce = "Nothing: CreatedDate holds the Stames creation time on every object."
    table = InventoryTable(
        "Original CreatedDate per object",
        ("object", "original CreatedDate", "records created by this run"),
        tuple(
            (sobject, CREATED_DATE_OUTCOMES.get(recorded, recorded), number(created.get(sobject, 0)))
            for sobject, recorded in run.audit_fields.items()
        ),
    )
    return InventoryItem(topic, salesforce, tuple(evidence), (table,))


def quarantined_and_excluded_item(con: duckdb.DuckDBPyConnection) -> InventoryItem:
    topic = "Records quarantined or excluded before the load"
    salesforce = (
        "Nothing loads them: fix a quarantined record in Stames and run `stames-sf delta`, or accept it; "
        "confirm the exclusion rules (spam, deleted, merged, …) with the customer."
    )
    if not has_table(con, SYNC_SCHEMA, RECONCILIATION_TABLE):
        return InventoryItem(topic, salesforce, ("Not produced yet: run `stames-sf transform`.",))
    rows = con.execute(
        f"SELECT object, source_rows, synced, quarantined, excluded, excluded_by_rule "
        f"FROM {SYNC_SCHEMA}.{RECONCILIATION_TABLE} ORDER BY object"
    ).fetchall()
    source, quarantined, excluded = (sum(int(row[column] or 0) for row in rows) for column in (1, 3, 4))
    evidence = (
        f"{count_of(quarantined, 'record')} quarantined and {excluded:,} excluded by the mapping's rules, "
        f"of {count_of(source, 'Stames record')} (the sync tables of the last transform).",
    )
    counts = InventoryTable(
        "Per Stames object: source = synced + quarantined + excluded",
        ("Stames object", "source", "synced", "quarantined", "excluded", "excluded by rule"),
        tuple(
            (str(obj), number(rows_in), number(synced), number(held), number(dropped), str(rules or ""))
            for obj, rows_in, synced, held, dropped, rules in rows
        ),
    )
    reasons = InventoryTable(
        "Quarantine by reason",
        ("object", "reason", "records", "examples (Stames ids)", "detail"),
        tuple(
            (
                reason.object,
                reason.reason,
                number(reason.count),
                ", ".join(reason.examples),
                reason.detail or "",
            )
            for reason in read_quarantine(con)
        ),
    )
    return InventoryItem(topic, salesforce, evidence, (counts, reasons) if reasons.rows else (counts,))


def _failures_by_code(sobject: str, records: list[FailedRecord]) -> list[tuple[str, ...]]:
    """One row per error code, the most frequent first, with the first record's message as example."""
    by_code: dict[str, list[FailedRecord]] = {}
    for record in records:
        by_code.setdefault(record.error_code or "no code", []).append(record)
    ranked = sorted(by_code.items(), key=lambda item: (-len(item[1]), item[0]))
    return [
        (sobject, code, number(len(failures)), failures[0].error_message or "", error_file_name(sobject))
        for code, failures in ranked
    ]


def failed_item(failed: dict[str, list[FailedRecord]]) -> InventoryItem:
    total = sum(len(records) for records in failed.values())
    evidence = (
        f"{count_of(total, 'record')} failed to load; each is listed with its error in the object's CSV."
        if total
        else "None: the load wrote every record it attempted.",
    )
    table = InventoryTable(
        "Failed records per object and error",
        ("object", "error", "records", "example message", "file"),
        tuple(row for sobject, records in failed.items() for row in _failures_by_code(sobject, records)),
    )
    return InventoryItem(
        "Records the load could not write",
        "Fix the cause and run `stames-sf load --retry-failed`, or accept them." if failed else "Nothing.",
        evidence,
        (table,) if failed else (),
    )


def not_carried_section(
    con: duckdb.DuckDBPyConnection, run: HandoffRun, failed: dict[str, list[FailedRecord]]
) -> InventorySection:
    return InventorySection(
        "What the load could not carry",
        "Data that is not in Salesforce as it was in Stames, and why.",
        (audit_fields_item(con, run), quarantined_and_excluded_item(con), failed_item(failed)),
    )
