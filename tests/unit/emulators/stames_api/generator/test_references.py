"""Referential facts: children point to parents, parents are at least as new as their children."""

import json
import re
from collections import Counter, defaultdict

from emulators.stames_api.generator import DATASET_FORMAT, DatasetSummary
from tests.fixtures.stames_dataset import read_jsonl

STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
SNAPSHOT_LIMIT = "2024-06-01T11:59:00.000Z"


def test_manifest_and_settings_files(profile_dataset):
    manifest = json.loads((profile_dataset.root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == DATASET_FORMAT
    assert manifest["now"] == "2024-06-01T12:00:00.000Z"
    assert manifest["account"]["timezone"] == "Europe/Madrid"
    for name in ("ticket_statuses", "channels", "custom_fields", "custom_objects", "tags"):
        assert read_jsonl(profile_dataset.root / f"{name}.jsonl"), name
    objects = {o["key"] for o in read_jsonl(profile_dataset.root / "custom_objects.jsonl")}
    assert objects == {"warranty", "subscription"}


def test_ids_are_unique(profile_dataset):
    for name in ("tickets", "customers", "agents", "messages", "attachments", "status_changes"):
        ids = [record["id"] for record in profile_dataset.collection(name)]
        assert len(ids) == len(set(ids)), name


def test_children_point_to_existing_parents(profile_dataset):
    tickets = {t["id"] for t in profile_dataset.tickets}
    customers = {c["id"] for c in profile_dataset.customers}
    messages = {m["id"]: m for m in profile_dataset.messages}
    assert {m["ticket_id"] for m in messages.values()} <= tickets
    assert {c["ticket_id"] for c in profile_dataset.status_changes} <= tickets
    assert {t["customer_id"] for t in profile_dataset.tickets} <= customers
    assert {t["merged_into_id"] for t in profile_dataset.tickets} - {None} <= tickets
    assert {c["merged_into_id"] for c in profile_dataset.customers} - {None} <= customers
    for attachment in profile_dataset.attachments:
        message = messages[attachment["message_id"]]
        assert message["ticket_id"] == attachment["ticket_id"]
        assert attachment["id"] in {a["id"] for a in message["attachments"]}
    embedded = sum(len(m["attachments"]) for m in messages.values())
    assert embedded == len(profile_dataset.attachments)


def test_ticket_counters_match_their_children(profile_dataset):
    messages = Counter(m["ticket_id"] for m in profile_dataset.messages)
    attachments = Counter(a["ticket_id"] for a in profile_dataset.attachments)
    for ticket in profile_dataset.tickets:
        assert ticket["message_count"] == messages[ticket["id"]]
        assert ticket["attachment_count"] == attachments[ticket["id"]]


def test_a_ticket_is_at_least_as_new_as_its_children(profile_dataset):
    newest = defaultdict(str)
    for child in (*profile_dataset.messages, *profile_dataset.status_changes):
        newest[child["ticket_id"]] = max(newest[child["ticket_id"]], child["updated_at"])
    for ticket in profile_dataset.tickets:
        assert ticket["updated_at"] >= newest[ticket["id"]], ticket["id"]


def test_server_stamps_are_well_formed_and_before_the_first_snapshot(profile_dataset):
    for name, keys in (
        ("tickets", ("updated_at",)),
        ("messages", ("updated_at",)),
        ("customers", ("updated_at",)),
        ("agents", ("updated_at",)),
        ("status_changes", ("changed_at", "updated_at")),
        ("deleted_records", ("deleted_at",)),
    ):
        for record in profile_dataset.collection(name):
            for key in keys:
                assert STAMP.match(record[key]), (name, key, record[key])
                assert record[key] <= SNAPSHOT_LIMIT, (name, key, record[key])


def test_the_report_agrees_with_the_files(profile_dataset):
    summary = DatasetSummary.read(profile_dataset.root)
    assert summary == profile_dataset.summary
    for name in ("tickets", "messages", "deleted_records", "attachments", "status_changes"):
        assert summary.counts[name] == len(profile_dataset.collection(name)), name


def test_edge_case_counts_are_exact_not_intended(profile_dataset):
    """Each count is what a reader of the files finds, so discovery can demand equality."""
    cases = profile_dataset.summary.edge_cases
    messages, attachments = profile_dataset.messages, profile_dataset.attachments
    tickets, customers = profile_dataset.tickets, profile_dataset.customers
    expected = {
        "customers_without_email": sum(c["email"] is None for c in customers),
        "customers_merged": sum(c["merged_into_id"] is not None for c in customers),
        "tickets_deleted": sum(t["status"] == "deleted" for t in tickets),
        "tickets_spam": sum(t["status"] == "spam" for t in tickets),
        "tickets_merged": sum(t["merged_into_id"] is not None for t in tickets),
        "tickets_legacy_created_at": sum(not t["created_at"].endswith("Z") for t in tickets),
        "messages_redacted": sum(m["body_text"] == "[redacted]" for m in messages),
        "messages_data_uri": sum("data:image/" in (m["body_html"] or "") for m in messages),
        "messages_huge": sum(m["body_size_bytes"] > 128 * 1024 for m in messages),
        "messages_erased": sum(r["object"] == "message" for r in profile_dataset.deleted_records),
        "attachments_zero_byte": sum(a["size"] == 0 for a in attachments),
        "attachments_big": sum(a["size"] >= 25 * 1024 * 1024 for a in attachments),
        "attachments_purged": sum(a["status"] == "purged" for a in attachments),
        "attachments_quarantined": sum(a["status"] == "quarantined" for a in attachments),
        "agents_anonymised": sum(a["deleted"] for a in profile_dataset.agents),
        "agents_light": sum(a["role"] == "light_agent" for a in profile_dataset.agents),
    }
    assert {key: cases[key] for key in expected} == expected
    history = defaultdict(list)
    for change in profile_dataset.status_changes:
        history[change["ticket_id"]].append(change)
    status = {t["id"]: t["status"] for t in tickets}
    disagreeing = sum(
        rows[-1]["to_status"] != status[ticket_id] and status[ticket_id] != "deleted"
        for ticket_id, rows in history.items()
    )
    assert cases["history_disagrees"] == disagreeing
