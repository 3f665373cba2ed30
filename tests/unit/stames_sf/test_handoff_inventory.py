"""The manual-work inventory of the hand-written work folder: every item with its numbers, counted
by hand from the rows in `tests/fixtures/handoff.py`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import duckdb
import pytest

from loaders.load.plan import AuditFields
from mapping.model import Mapping
from stames_sf.discovery.warehouse import RawWarehouse
from stames_sf.handoff.errors import failed_records
from stames_sf.handoff.inventory import InventoryItem, InventorySection, InventoryTable
from stames_sf.handoff.not_carried import not_carried_section
from stames_sf.handoff.rebuild import mapping_items_section, rebuild_section
from stames_sf.handoff.run import choose_run
from stames_sf.workdir import WorkDir
from tests.fixtures.handoff import OLDER_RUN_ID, RUN_ID


@pytest.fixture
def warehouse(handoff_work: WorkDir) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(handoff_work.warehouse), read_only=True) as con:
        yield con


def item(section: InventorySection, topic: str) -> InventoryItem:
    return next(entry for entry in section.items if entry.topic == topic)


def table(entry: InventoryItem, caption_start: str) -> InventoryTable:
    return next(found for found in entry.tables if found.caption.startswith(caption_start))


def test_portal_lists_the_web_form_inboxes_and_their_tickets(warehouse, confirmed_mapping: Mapping) -> None:
    portal = item(
        rebuild_section(RawWarehouse(warehouse, "raw_stames"), confirmed_mapping), "Self-service portal"
    )
    assert "/portal answered HTTP 404" in portal.evidence[0]
    assert "2 tickets arrived through web forms" in portal.evidence[0]
    assert table(portal, "Web-form inboxes").rows == (
        ("Formulario web", "https://acme.example/contacto", "2"),
    )
    assert "Experience Cloud" in portal.salesforce


def test_every_reminder_trigger_and_automated_transition_in_use(
    warehouse, confirmed_mapping: Mapping
) -> None:
    section = rebuild_section(RawWarehouse(warehouse, "raw_stames"), confirmed_mapping)
    notifications = item(section, "Notification triggers and reminders")
    assert table(notifications, "Reminder triggers").rows == (
        ("before_sla_breach", "60", "2", "2"),
        ("after_customer_inactivity", "1,440", "1", "1"),
    )
    assert table(notifications, "Status changes made by automation").rows == (
        ("new", "open", "3"),
        ("open", "pending", "1"),
    )
    evidence = " ".join(notifications.evidence)
    assert "2 tickets text status updates" in evidence
    assert "Stames automation made 4 status changes" in evidence
    assert "ticket.reminder.trigger → Case.Stames_Reminder_Trigger__c" in evidence
    assert "Flow" in notifications.salesforce


def test_sla_due_dates_by_priority_for_entitlements(warehouse, confirmed_mapping: Mapping) -> None:
    sla = item(rebuild_section(RawWarehouse(warehouse, "raw_stames"), confirmed_mapping), "SLA policies")
    assert table(sla, "SLA due dates by priority").rows == (
        ("(none)", "1", "0", "0"),
        ("high", "2", "2", "1"),
        ("normal", "2", "1", "1"),
    )
    evidence = " ".join(sla.evidence)
    assert "3 tickets carry an SLA due date; account time zone Europe/Madrid" in evidence
    assert "2 open tickets with an SLA due date" in evidence
    assert "ticket.sla_due_at → Case.Stames_SLA_Due_At__c" in evidence
    assert "Entitlement" in sla.salesforce and "Business Hours" in sla.salesforce


def test_the_mappings_own_manual_items_are_listed(confirmed_mapping: Mapping) -> None:
    [listed] = mapping_items_section(confirmed_mapping, None).items
    assert listed.tables[0].rows[0] == (
        "Self-service portal",
        "theme, forms and article layout",
        "the Stames API does not expose the portal",
    )
    assert len(listed.tables[0].rows) == 3


def test_creation_dates_the_load_could_not_keep(warehouse) -> None:
    section = not_carried_section(warehouse, choose_run(warehouse, None), failed_records(warehouse, RUN_ID))
    audit = item(section, "Original creation dates (audit fields)")
    assert [(row[0], row[2]) for row in audit.tables[0].rows] == [
        ("Account", "1"),
        ("Case", "2"),
        ("EmailMessage", "0"),
    ]
    assert "Stames_Created_At__c" in audit.tables[0].rows[1][1]
    assert audit.evidence == (
        "The loading user could not set audit fields on Case, EmailMessage: the original CreatedDate of "
        "2 records this run created went to Stames_Created_At__c.",
    )


def test_a_run_that_did_not_record_audit_fields_says_so(warehouse) -> None:
    run = choose_run(warehouse, OLDER_RUN_ID)
    audit = item(not_carried_section(warehouse, run, {}), "Original creation dates (audit fields)")
    assert audit.evidence == ("The run did not record which objects kept CreatedDate.",)


def test_a_run_that_kept_every_creation_date_asks_for_nothing(warehouse) -> None:
    run = replace(choose_run(warehouse, None), audit_fields={"Case": AuditFields.KEPT.value})
    audit = item(not_carried_section(warehouse, run, {}), "Original creation dates (audit fields)")
    assert audit.salesforce.startswith("Nothing")
    assert [(row[0], row[2]) for row in audit.tables[0].rows] == [("Case", "2")]


def test_quarantined_and_excluded_records_with_their_rules(warehouse) -> None:
    section = not_carried_section(warehouse, choose_run(warehouse, None), {})
    held = item(section, "Records quarantined or excluded before the load")
    assert held.evidence[0].startswith(
        "1 record quarantined and 3 excluded by the mapping's rules, of 15 Stames records"
    )
    assert table(held, "Per Stames object").rows == (
        ("customer", "5", "4", "0", "1", "merged: 1"),
        ("ticket", "10", "7", "1", "2", "deleted: 1, spam: 1"),
    )
    assert table(held, "Quarantine by reason").rows == (
        ("ticket", "subject too long", "1", "10006", "Subject has 300 characters"),
    )


def test_failed_records_per_object_and_error(warehouse) -> None:
    section = not_carried_section(warehouse, choose_run(warehouse, None), failed_records(warehouse, RUN_ID))
    failed = item(section, "Records the load could not write")
    assert failed.evidence == (
        "4 records failed to load; each is listed with its error in the object's CSV.",
    )
    assert failed.tables[0].rows == (
        ("Case", "ENTITY_IS_DELETED", "1", "entity is deleted", "errors-Case.csv"),
        (
            "Case",
            "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            "1",
            "Subject <script>alert('pwned')</script>",
            "errors-Case.csv",
        ),
        ("Case", "REQUIRED_FIELD_MISSING", "1", "Required fields are missing: [Status]", "errors-Case.csv"),
        (
            "EmailMessage",
            "INVALID_CROSS_REFERENCE_KEY",
            "1",
            'invalid cross reference id, "quoted", and a comma',
            "errors-EmailMessage.csv",
        ),
    )
