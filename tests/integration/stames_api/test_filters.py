"""List filters of API.md §2.7, checked against the hand-written dataset's own records."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.stames_api import HANDWRITTEN_DATASET, RunningStames
from tests.integration.stames_api.helpers import ids, read_jsonl, scan

TICKETS = read_jsonl(HANDWRITTEN_DATASET / "tickets.jsonl")
MESSAGES = read_jsonl(HANDWRITTEN_DATASET / "messages.jsonl")
CUSTOMERS = read_jsonl(HANDWRITTEN_DATASET / "customers.jsonl")
AGENTS = read_jsonl(HANDWRITTEN_DATASET / "agents.jsonl")


def _ticket_ids(predicate: Any) -> set[int]:
    return {ticket["id"] for ticket in TICKETS if predicate(ticket)}


def _visible(ticket: dict[str, Any]) -> bool:
    return ticket["deleted_at"] is None and not ticket["is_spam"]


@pytest.mark.parametrize(
    ("params", "predicate"),
    [
        ({}, _visible),
        ({"include_deleted": "true"}, lambda t: not t["is_spam"]),
        ({"include_spam": "true"}, lambda t: t["deleted_at"] is None),
        ({"status": "open"}, lambda t: _visible(t) and t["status"] == "open"),
        ({"status_category": "open"}, lambda t: _visible(t) and t["status_category"] == "open"),
        ({"channel": "email"}, lambda t: _visible(t) and t["channel"]["type"] == "email"),
        ({"customer_id": "5522"}, lambda t: _visible(t) and t["customer_id"] == 5522),
        ({"assignee_id": "17"}, lambda t: _visible(t) and t["assignee_id"] == 17),
    ],
)
def test_ticket_filters(stames: RunningStames, params: dict[str, str], predicate: Any) -> None:
    with stames.client() as client:
        served = scan(client, "/tickets", params, limit=2)
    assert set(ids(served)) == _ticket_ids(predicate)


def test_status_is_repeatable(stames: RunningStames) -> None:
    with stames.client() as client:
        served = client.get("/tickets", params=[("status", "open"), ("status", "new")]).json()["data"]
    assert set(ids(served)) == _ticket_ids(lambda t: _visible(t) and t["status"] in {"open", "new"})


@pytest.mark.parametrize(
    ("params", "predicate"),
    [
        ({}, lambda m: m["ticket_id"] != 10150),
        ({"include_deleted": "true"}, lambda m: True),
        ({"include_private": "false"}, lambda m: m["ticket_id"] != 10150 and not m["is_private"]),
        ({"include_system": "false"}, lambda m: m["ticket_id"] != 10150 and m["author"]["type"] != "system"),
        ({"ticket_id": "10234"}, lambda m: m["ticket_id"] == 10234),
    ],
)
def test_message_feed_filters(stames: RunningStames, params: dict[str, str], predicate: Any) -> None:
    with stames.client() as client:
        served = scan(client, "/messages", params, limit=4)
    assert set(ids(served)) == {message["id"] for message in MESSAGES if predicate(message)}


def test_thread_filters(stames: RunningStames) -> None:
    with stames.client() as client:
        public = scan(client, "/tickets/10234/messages", {"include_private": "false"})
        no_system = scan(client, "/tickets/10234/messages", {"include_system": "false"})
    thread = [message for message in MESSAGES if message["ticket_id"] == 10234]
    assert set(ids(public)) == {m["id"] for m in thread if not m["is_private"]}
    assert set(ids(no_system)) == {m["id"] for m in thread if m["author"]["type"] != "system"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {c["id"] for c in CUSTOMERS if c["merged_into_id"] is None}),
        ({"include_merged": "true"}, {c["id"] for c in CUSTOMERS}),
        ({"email": "ANA.PEREZ@example.com"}, {5521}),
        ({"phone": "+34 600 111 222"}, {5521}),
        ({"phone": "0034-622-333-444"}, {5526}),
        ({"phone": "34622333444"}, set()),
    ],
)
def test_customer_filters(stames: RunningStames, params: dict[str, str], expected: set[int]) -> None:
    with stames.client() as client:
        assert set(ids(scan(client, "/customers", params))) == expected


def test_merged_customer_by_id_is_200_with_merged_into(stames: RunningStames) -> None:
    with stames.client() as client:
        assert client.get("/customers/5522").json()["merged_into_id"] == 5521


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {a["id"] for a in AGENTS}),
        ({"status": "active"}, {a["id"] for a in AGENTS if a["active"]}),
        ({"status": "deactivated"}, {a["id"] for a in AGENTS if not a["active"]}),
        ({"email": "marta.gil@acme.example"}, {17}),
    ],
)
def test_agent_filters(stames: RunningStames, params: dict[str, str], expected: set[int]) -> None:
    with stames.client() as client:
        assert set(ids(scan(client, "/agents", params))) == expected


def test_custom_field_filters(stames: RunningStames) -> None:
    fields = read_jsonl(HANDWRITTEN_DATASET / "custom_fields.jsonl")
    with stames.client() as client:
        customer = scan(client, "/custom_fields", {"object_type": "customer"})
        active = scan(client, "/custom_fields", {"include_inactive": "false"})
    assert set(ids(customer)) == {f["id"] for f in fields if f["object_type"] == "customer"}
    assert set(ids(active)) == {f["id"] for f in fields if f["active"]}


def test_record_and_tombstone_filters(stames: RunningStames) -> None:
    with stames.client() as client:
        by_ticket = scan(client, "/custom_objects/warranty/records", {"ticket_id": "99999999"})
        by_customer = scan(client, "/custom_objects/warranty/records", {"customer_id": "5524"})
        empty = scan(client, "/custom_objects/subscription/records")
        tickets_only = scan(
            client, "/deleted_records", {"deleted_since": "2024-05-11T10:00:00Z", "object": "ticket"}
        )
    assert ids(by_ticket) == ["wr_000981"]
    assert ids(by_customer) == ["wr_000983"]
    assert empty == []
    assert [(t["object"], t["id"]) for t in tickets_only] == [("ticket", "10150")]


@pytest.mark.parametrize("path", ["/messages", "/status_changes"])
def test_one_ticket_feed_pages_through_in_order(stames: RunningStames, path: str) -> None:
    with stames.client() as client:
        whole = scan(client, path, limit=100)
        one_ticket = scan(client, path, {"ticket_id": "10234"}, limit=1)
    assert ids(one_ticket) == [item["id"] for item in whole if item["ticket_id"] == 10234]
    assert len(one_ticket) > 1
