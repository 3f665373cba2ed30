"""The manual-work list: what no API moves and someone has to rebuild in Salesforce."""

from __future__ import annotations

from dataclasses import dataclass

from stames_sf.discovery.warehouse import RawWarehouse, text

NOTES_TABLE = "_extraction_notes"


@dataclass(frozen=True)
class ManualItem:
    topic: str
    evidence: str
    salesforce: str


def _portal(warehouse: RawWarehouse) -> ManualItem:
    evidence = (
        "/portal is not part of the API (404): theme, contact forms and article layout cannot be extracted."
    )
    if warehouse.has(NOTES_TABLE, "topic", "http_status"):
        status = warehouse.scalar(
            f"SELECT max(http_status) FROM {warehouse.table(NOTES_TABLE)} WHERE {text('topic')} = 'portal'"
        )
        if status is not None:
            evidence = (
                f"/portal answered HTTP {status} during extraction: the configuration is not in the API."
            )
    forms = (
        warehouse.count("tickets", f"{text('channel__type')} = 'web_form'")
        if warehouse.has("tickets", "channel__type")
        else None
    )
    if forms:
        evidence += f" {forms:,} tickets arrived through web forms whose definitions must be rebuilt."
    return ManualItem(
        "Self-service portal", evidence, "Rebuild in Experience Cloud (help centre, contact forms, branding)."
    )


def _notifications(warehouse: RawWarehouse) -> ManualItem:
    parts = []
    if warehouse.has("tickets", "reminder__trigger"):
        rows = warehouse.rows(
            f"SELECT {text('reminder__trigger')}, count(*) FROM {warehouse.table('tickets')} "
            "WHERE reminder__trigger IS NOT NULL AND reminder__trigger <> 'none' GROUP BY 1 ORDER BY 2 "
            "DESC, 1"
        )
        if rows:
            parts.append(
                "reminders in use: " + ", ".join(f"{trigger} ({uses:,} tickets)" for trigger, uses in rows)
            )
    if warehouse.has("tickets", "sms_notification"):
        sms = warehouse.count("tickets", f"{text('sms_notification')} = 'true'") or 0
        parts.append(f"{sms:,} tickets text status updates to the customer (SMS notifications)")
    evidence = "; ".join(parts) if parts else "no reminders or notification flags found in the data"
    return ManualItem(
        "Notification triggers and reminders",
        evidence + ". Trigger and automation definitions are not in the API.",
        "Rebuild as Flows (record-triggered and scheduled paths) and Case assignment/escalation rules.",
    )


def _sla(warehouse: RawWarehouse) -> ManualItem:
    evidence = "no SLA due dates found in the data"
    if warehouse.has("tickets", "sla_due_at"):
        with_sla = warehouse.count("tickets", "sla_due_at IS NOT NULL") or 0
        evidence = f"{with_sla:,} tickets carry an SLA due date"
    if warehouse.has("account", "timezone"):
        timezone = warehouse.scalar(f"SELECT min({text('timezone')}) FROM {warehouse.table('account')}")
        if timezone:
            evidence += f"; account time zone {timezone}"
    return ManualItem(
        "SLA policies",
        evidence + ". Policy definitions and business hours are not in the API.",
        "Recreate as Entitlement Processes with Milestones and Business Hours; decide how open SLAs "
        "carry over.",
    )


def manual_work(warehouse: RawWarehouse) -> list[ManualItem]:
    """Items to plan by hand, each with the evidence from the data and the Salesforce target."""
    return [_portal(warehouse), _notifications(warehouse), _sla(warehouse)]
