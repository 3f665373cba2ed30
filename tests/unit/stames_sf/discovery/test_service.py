"""Discovery over a hand-written dataset landed by dlt: every number is known by construction.

The dataset and its expected counts live in tests/fixtures/discovery.py; the counts there were
worked out by hand from the records, not taken from discovery's output.
"""

import duckdb
import pytest

from stames_sf.discovery.service import run_discovery
from stames_sf.workdir import WorkDir
from tests.fixtures.discovery import EXPECTED_FINDINGS, TABLES, land_with_dlt
from tests.fixtures.discovery_records import CUSTOMERS, HOSTILE_SUBJECT, MESSAGES, TICKETS


@pytest.fixture(scope="module")
def report(handwritten_work):
    return run_discovery(handwritten_work)


def test_counts_per_object_match_the_dataset(report):
    assert report.records("tickets") == len(TICKETS)
    assert report.records("customers") == len(CUSTOMERS)
    assert report.records("messages") == len(MESSAGES)
    assert report.records("messages__attachments") == sum(len(message["attachments"]) for message in MESSAGES)
    assert report.records("custom_object_records_warranty") == len(TABLES["custom_object_records_warranty"])
    assert report.records("channels") is None  # absent collection: reported as not found


def test_ticket_breakdowns_match_the_dataset(report):
    statuses = {item.value: item.records for item in report.by_status}
    assert statuses == {ticket["status"]: 1 for ticket in TICKETS}
    channels = {item.value: item.records for item in report.by_channel}
    assert channels["email"] == sum(ticket["channel"]["type"] == "email" for ticket in TICKETS)
    priorities = {item.value: item.records for item in report.by_priority}
    assert priorities["(none)"] == sum(ticket["priority"] is None for ticket in TICKETS)


@pytest.mark.parametrize(("number", "expected"), sorted(EXPECTED_FINDINGS.items()))
def test_every_edge_case_class_is_counted(report, number, expected):
    assert report.finding(number).count == expected


def test_findings_cover_all_32_classes_in_order_then_the_cursor_check(report):
    assert [finding.number for finding in report.findings] == list(range(1, 34))
    assert report.finding(26).count is None  # not measurable from landed data, said so
    assert report.finding(7).example == "102"


def test_tags_collisions_and_recommendation(report):
    tags = report.tags
    assert tags.assignments == sum(len(ticket["tags"]) for ticket in TICKETS)
    assert tags.distinct_spellings == 5
    assert tags.distinct_normalised == 3
    assert {collision.key for collision in tags.collisions} == {"vip", "garantia"}
    assert not tags.picklist_blockers
    assert "multi-select picklist fits" in tags.recommendation


def test_agents_by_state_and_deleted_but_referenced(report):
    agents = report.agents
    assert (agents.active, agents.deactivated, agents.anonymised) == (3, 1, 1)
    assert agents.light_agents == 1
    assert agents.deleted_but_referenced == ("99",)


def test_attachments_volume_histogram_and_multipart(report):
    files = report.attachments
    sizes = [attachment["size"] for message in MESSAGES for attachment in message["attachments"]]
    assert files.count == len(sizes)
    assert files.total_bytes == sum(sizes)
    assert sum(number for _, number, _ in files.histogram) == len(sizes)
    assert files.multipart == 1
    assert dict(files.by_status) == {"available": 4, "purged": 1}
    assert files.downloads == ()  # the download step never ran on this dataset


def test_custom_fields_and_objects(report):
    uses = {use.key: use for use in report.custom_fields}
    assert uses["contact_reason"].options == ("billing", "returns", "tech")
    assert [value.value for value in uses["contact_reason"].values_outside_options] == ["returns_legacy"]
    assert uses["refund_amount"].active is False
    warranty = report.custom_objects[0]
    assert (warranty.key, warranty.records) == ("warranty", 2)
    assert (warranty.ticket_links, warranty.dangling_ticket_links) == (3, 1)
    assert (warranty.customer_links, warranty.dangling_customer_links) == (2, 1)
    assert warranty.lookup_fields == ("warranty_record",)


def test_estimate_uses_the_target_volumes(report):
    volumes = {volume.sobject: volume.records for volume in report.estimate.volumes}
    assert volumes["Case"] == len(TICKETS)
    assert volumes["Contact"] == sum(customer["merged_into_id"] is None for customer in CUSTOMERS)
    assert volumes["Account"] == 2  # the ACME spellings fold into one company
    assert volumes["EmailMessage"] == len(MESSAGES)  # every message of the dataset is public
    assert volumes["Task"] == 0  # no internal note; Task is the default without a mapping
    assert volumes["Stames_Warranty__c"] == 2  # the proposer's name, before any mapping
    assert report.estimate.files.files == 4  # the purged file has no bytes to move


def test_report_files_hold_the_manual_work_and_no_raw_contact_data(report):
    markdown = report.markdown_path.read_text(encoding="utf-8")
    page = report.html_path.read_text(encoding="utf-8")
    for output in (markdown, page):
        assert "Self-service portal" in output
        assert "Experience Cloud" in output
        assert "Flow" in output
        assert "Entitlement" in output
        for customer in CUSTOMERS:
            if customer["email"]:
                assert customer["email"].strip() not in output
        assert "600 11 12 22" not in output
        assert "34600111222" not in output
        assert "<script>" not in output
    # The hostile subject is the most frequent one, so it is among the profile's examples: escaped.
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; pantalla rota" in page
    assert HOSTILE_SUBJECT not in page


def test_discovery_on_a_dataset_without_most_collections(tmp_path):
    work = WorkDir.at(tmp_path / "work")
    land_with_dlt(work, {"tickets": [{"id": 1, "subject": "only tickets", "status": "open"}]})
    report = run_discovery(work)
    assert report.records("tickets") == 1
    assert report.records("customers") is None
    assert report.finding(1).count is None
    assert report.agents.total is None
    markdown = report.markdown_path.read_text(encoding="utf-8")
    assert "None found." in markdown


def test_discovery_opens_the_warehouse_read_only(handwritten_work, report):
    # A writer holding the file would block a read-write open; read-only discovery leaves it usable.
    connection = duckdb.connect(str(handwritten_work.warehouse))
    try:
        assert connection.execute("SELECT count(*) FROM raw_stames.tickets").fetchone()[0] == len(TICKETS)
    finally:
        connection.close()
