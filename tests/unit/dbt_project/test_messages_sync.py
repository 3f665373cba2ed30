"""The messages area's sync tables, built by dbt on the generated dataset (300 tickets) extracted over
HTTP with the hand-written mapping `tests/fixtures/mappings/generated.yml` confirmed.

Every expected number is counted straight from the dataset's JSONL files with the mapping's rules
restated here by hand (routes, exclusions, Salesforce's limits), never read from the models.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.fixtures.dbt_messages import GENERATED_MAPPING, TransformedWork

EMAIL_ROUTES = {("customer", "inbound"), ("agent", "outbound"), ("bot", "outbound")}
TASK_ROUTES = {("agent", "internal")}
BODY_LIMIT = 131072
"""EmailMessage HtmlBody and TextBody, in UTF-16 code units (contract §4.1)."""
SOBJECTS = {"warranty": "Stames_Warranty__c", "subscription": "Stames_Subscription__c"}
DATA_URI = re.compile(r"data:image/[A-Za-z0-9.+-]+;base64,[A-Za-z0-9+/=]+")


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def route(message: dict[str, Any]) -> tuple[str, str]:
    return message["author"]["type"], message["direction"]


def content_versions(built: TransformedWork) -> dict[str, dict[str, Any]]:
    rows = built.rows("select * from salesforce.sync_salesforce__content_versions")
    return {row["Stames_Id__c"]: row for row in rows}


@pytest.fixture(scope="module")
def built(messages_transformed: TransformedWork) -> TransformedWork:
    return messages_transformed


@pytest.fixture(scope="module")
def kept_ticket_ids(built: TransformedWork) -> set[int]:
    """Tickets that become Cases by the mapping's rules: not spam, not deleted, no deletion tombstone."""
    tombstoned = {
        int(record["id"])
        for record in built.dataset.deleted_records
        if record["object"] == "ticket" and record["reason"] in ("deleted", "gdpr_erasure")
    }
    return {
        ticket["id"]
        for ticket in built.dataset.tickets
        if not ticket.get("is_spam") and not ticket.get("deleted_at") and ticket["id"] not in tombstoned
    }


@pytest.fixture(scope="module")
def erased_message_ids(built: TransformedWork) -> set[int]:
    """Messages with a tombstone (deleted or GDPR erasure): the mapping's `deleted` rule."""
    return {
        int(record["id"])
        for record in built.dataset.deleted_records
        if record["object"] == "message" and record["reason"] in ("deleted", "gdpr_erasure")
    }


@pytest.fixture(scope="module")
def emails(built: TransformedWork) -> dict[str, dict[str, Any]]:
    rows = built.rows("select * from salesforce.sync_salesforce__email_messages")
    return {row["Stames_Id__c"]: row for row in rows}


@pytest.fixture(scope="module")
def messages_by_id(built: TransformedWork) -> dict[str, dict[str, Any]]:
    return {str(message["id"]): message for message in built.dataset.messages}


def message_time(text: str) -> datetime:
    """A dataset timestamp in UTC; legacy ones without offset are Madrid wall time (the account's)."""
    if text.endswith("Z"):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Madrid")).astimezone(UTC)


def test_one_email_message_per_public_message_of_a_migrated_case(
    built, kept_ticket_ids, erased_message_ids, emails
):
    expected = {
        str(message["id"])
        for message in built.dataset.messages
        if route(message) in EMAIL_ROUTES
        and message["ticket_id"] in kept_ticket_ids
        and message["id"] not in erased_message_ids
    }
    assert erased_message_ids, "the dataset should erase a message"
    assert len(expected) > 1000
    assert set(emails) == expected


def test_incoming_status_and_channel_source_follow_the_message(emails, messages_by_id):
    for stames_id, email in emails.items():
        # the mapping gives message.channel.type no value map: the picklist holds the Stames keys
        assert email["Stames_Channel_Source__c"] == messages_by_id[stames_id]["channel"]["type"]
        inbound = route(messages_by_id[stames_id]) == ("customer", "inbound")
        assert (email["Incoming"], email["Status"]) == ((True, "1") if inbound else (False, "3"))


def test_thread_order_is_time_then_id(emails, messages_by_id):
    positions: dict[int, list[tuple[datetime, int, int]]] = defaultdict(list)
    for stames_id, email in emails.items():
        message = messages_by_id[stames_id]
        at = message_time(message["created_at"])
        positions[message["ticket_id"]].append((at, message["id"], email["stames__thread_position"]))
    ties = 0
    for thread in positions.values():
        by_source_order = sorted(thread)
        assert [position for *_, position in by_source_order] == sorted(p for *_, p in thread)
        ties += len(thread) - len({at for at, *_ in thread})
    assert ties > 0, "the dataset should have messages sharing a timestamp"


def test_bodies_fit_and_an_over_long_body_is_kept_whole_as_a_file(built, emails, messages_by_id):
    files = {
        row["Stames_Id__c"]: row
        for row in built.rows("select * from salesforce.sync_salesforce__content_versions")
    }
    long_texts = [
        stames_id
        for stames_id in emails
        if utf16_units(messages_by_id[stames_id]["body_text"] or "") > BODY_LIMIT
    ]
    assert long_texts, "the dataset should have a body over the limit"
    for email in emails.values():
        assert utf16_units(email["TextBody"] or "") <= BODY_LIMIT
        assert utf16_units(email["HtmlBody"] or "") <= BODY_LIMIT
    for stames_id in long_texts:
        full = messages_by_id[stames_id]["body_text"]
        email = emails[stames_id]
        # the cut may give up one unit per emoji it keeps, never more than that
        assert full.startswith(email["TextBody"]) and utf16_units(email["TextBody"]) > 0.99 * BODY_LIMIT
        body_file = files[email["stames__text_body_file_id"]]
        assert body_file["stames__size_bytes"] == len(full.encode("utf-8"))
        assert body_file["stames__sha256"] == hashlib.sha256(full.encode("utf-8")).hexdigest()
        assert body_file["ref__FirstPublishLocationId"] == str(messages_by_id[stames_id]["ticket_id"])


def test_cut_html_never_ends_inside_a_tag_or_an_entity(emails):
    cut = [email for email in emails.values() if email["stames__html_body_file_id"]]
    assert cut, "the dataset should have an HTML body over the limit"
    for email in cut:
        assert not re.search(r"<[^>]*$", email["HtmlBody"])
        assert not re.search(r"&#?[A-Za-z0-9]*$", email["HtmlBody"])


def test_data_images_become_files_the_html_points_at(built, emails, messages_by_id):
    files = {
        row["Stames_Id__c"]: row
        for row in built.rows("select * from salesforce.sync_salesforce__content_versions")
    }
    with_images = [sid for sid in emails if DATA_URI.search(messages_by_id[sid]["body_html"] or "")]
    assert with_images
    for stames_id in with_images:
        html = emails[stames_id]["HtmlBody"]
        assert "data:image" not in html
        for uri, referenced in zip(
            dict.fromkeys(DATA_URI.findall(messages_by_id[stames_id]["body_html"])),
            re.findall(r"stames-file:([\w-]+)", html),
            strict=False,
        ):
            image = base64.b64decode(uri.split("base64,", 1)[1])
            assert files[referenced]["stames__sha256"] == hashlib.sha256(image).hexdigest()


def test_cid_images_point_at_their_stored_inline_attachment(built, emails, messages_by_id):
    inline = [
        attachment
        for attachment in built.dataset.attachments
        if attachment["inline"]
        and attachment["status"] == "available"
        and str(attachment["message_id"]) in emails
    ]
    assert inline
    for attachment in inline:
        html = emails[str(attachment["message_id"])]["HtmlBody"]
        assert f"stames-file:{attachment['id']}" in html
        assert f"cid:{attachment['content_id']}" not in html


def test_one_task_per_internal_note_of_a_migrated_case(built, kept_ticket_ids, erased_message_ids):
    expected = {
        str(message["id"])
        for message in built.dataset.messages
        if route(message) in TASK_ROUTES
        and message["ticket_id"] in kept_ticket_ids
        and message["id"] not in erased_message_ids
    }
    tasks = built.rows('select "Stames_Id__c", "Status", "OwnerId" from salesforce.sync_salesforce__tasks')
    assert {task["Stames_Id__c"] for task in tasks} == expected
    assert {task["Status"] for task in tasks} == {"Completed"}


def test_stored_attachments_are_content_versions_with_the_file_on_disk(
    built, kept_ticket_ids, erased_message_ids
):
    message_routes = {message["id"]: route(message) for message in built.dataset.messages}
    expected = {
        str(attachment["id"])
        for attachment in built.dataset.attachments
        if attachment["status"] == "available"
        and attachment["ticket_id"] in kept_ticket_ids
        and message_routes[attachment["message_id"]] in EMAIL_ROUTES | TASK_ROUTES
        and attachment["message_id"] not in erased_message_ids
    }
    files = built.rows(
        "select * from salesforce.sync_salesforce__content_versions where stames__file_kind = 'attachment'"
    )
    assert {row["Stames_Id__c"] for row in files} == expected
    for row in files:
        content = (built.work.root / row["stames__file_path"]).read_bytes()
        assert len(content) == row["stames__size_bytes"]
        assert hashlib.sha256(content).hexdigest() == row["stames__sha256"]


def test_files_stames_could_not_give_are_quarantined_with_the_ledger_reason(built):
    unavailable = {str(a["id"]): a["status"] for a in built.dataset.attachments if a["status"] != "available"}
    assert unavailable
    quarantined = {
        row["stames_id"]: row for row in built.rows("select * from intermediate.int_quarantine__files")
    }
    for attachment_id, status in unavailable.items():
        assert quarantined[attachment_id]["reason"] == f"file {status}"
        assert "accept it as metadata only" in quarantined[attachment_id]["detail"]


def test_every_message_is_synced_quarantined_or_excluded_once(built):
    accounted = built.rows(
        """
        select stames_id from intermediate.int_quarantine__messages
        union all select stames_id from intermediate.int_excluded__messages
        union all select "Stames_Id__c" from salesforce.sync_salesforce__email_messages
        union all select "Stames_Id__c" from salesforce.sync_salesforce__tasks
        union all select "Stames_Id__c" from salesforce.sync_salesforce__case_comments
        """
    )
    ids = [row["stames_id"] for row in accounted]
    assert len(ids) == len(set(ids))
    assert set(ids) == {str(message["id"]) for message in built.dataset.messages}


def test_status_history_has_one_record_per_change_of_a_migrated_case(built, kept_ticket_ids):
    expected = {
        str(change["id"]) for change in built.dataset.status_changes if change["ticket_id"] in kept_ticket_ids
    }
    rows = built.rows(
        'select "Stames_Id__c", "ref__Case__c" from salesforce.sync_salesforce__case_status_history'
    )
    assert {row["Stames_Id__c"] for row in rows} == expected


def test_tags_become_the_mapped_picklist_values(built):
    # the hand-written map of tests/fixtures/mappings/generated.yml, looked up trimmed; it has no
    # default, so a tag it does not list adds nothing and is listed against its Case
    mapping = yaml.safe_load(GENERATED_MAPPING.read_text(encoding="utf-8"))
    tag_map = next(value_map for value_map in mapping["value_maps"] if value_map["name"] == "tags")
    targets = {entry["source"].strip(): entry["target"] for entry in tag_map["entries"]}
    expected = {
        ticket["id"]: ";".join(
            sorted({targets[tag.strip()] for tag in ticket["tags"] if targets.get(tag.strip())})
        )
        for ticket in built.dataset.tickets
        if any(targets.get(tag.strip()) for tag in ticket["tags"] or [])
    }
    rows = built.rows("select ticket_id, tag_values from intermediate.int_tags_by_ticket")
    assert {row["ticket_id"]: row["tag_values"] for row in rows} == expected
    unmapped = {
        (ticket["id"], tag)
        for ticket in built.dataset.tickets
        for tag in ticket["tags"] or []
        if tag.strip() not in targets
    }
    listed = built.rows("select stames_id, detail from intermediate.int_quarantine__case_tags")
    synced = {
        int(row["Stames_Id__c"])
        for row in built.rows('select "Stames_Id__c" from salesforce.sync_salesforce__cases')
    }
    assert {int(row["stames_id"]) for row in listed} == {
        ticket_id for ticket_id, _ in unmapped if ticket_id in synced
    }


def test_custom_object_records_with_mapped_fields_and_case_links(built, kept_ticket_ids):
    rows = {
        row["Stames_Id__c"]: row
        for row in built.rows("select * from salesforce.sync_salesforce__custom_object_records")
    }
    dropped = {
        row["stames_id"] for row in built.rows("select * from intermediate.int_quarantine__custom_objects")
    }
    records = [(key, record) for key in ("warranty", "subscription") for record in built.dataset.records(key)]
    assert set(rows) == {record["id"] for _, record in records}
    for key, record in records:
        row = rows[record["id"]]
        assert (
            row["stames__sobject"]
            == {"warranty": "Stames_Warranty__c", "subscription": "Stames_Subscription__c"}[key]
        )
        first = record["ticket_ids"][0] if record["ticket_ids"] else None
        if first in kept_ticket_ids:
            assert row["ref__Case__c"] == str(first)
        else:
            assert row["ref__Case__c"] is None
            assert (first is None) != (record["id"] in dropped)
        field_values = json.loads(row["stames__field_values"])
        assert field_values["Name"] == record["name"]
        if key == "subscription" and record["fields"].get("mrr") is not None:
            float(field_values["Mrr__c"])  # a Number field: a decimal comma would be rejected
    assert dropped


@pytest.mark.parametrize(
    ("collection", "accounted_sql"),
    [
        (
            "attachments",
            """
            select stames_id from intermediate.int_quarantine__files
            union all select stames_id from intermediate.int_excluded__files
            union all select "Stames_Id__c" from salesforce.sync_salesforce__content_versions
                where stames__file_kind = 'attachment'
            """,
        ),
        (
            "status_changes",
            """
            select stames_id from intermediate.int_quarantine__history
            union all select stames_id from intermediate.int_excluded__history
            union all select "Stames_Id__c" from salesforce.sync_salesforce__case_status_history
            """,
        ),
    ],
)
def test_every_record_is_synced_quarantined_or_excluded_once(built, collection, accounted_sql):
    ids = [row["stames_id"] for row in built.rows(accounted_sql)]
    assert len(ids) == len(set(ids))
    assert set(ids) == {str(record["id"]) for record in built.dataset.collection(collection)}
