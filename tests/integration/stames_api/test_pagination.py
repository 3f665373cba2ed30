"""Keyset pagination, snapshot isolation and incremental semantics over real HTTP (API.md §2.2, §2.3)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.fixtures.stames_api import HANDWRITTEN_DATASET, StartStames
from tests.integration.stames_api.helpers import ids, read_jsonl, scan


def _dataset_ids(dataset: Path, name: str) -> set[int]:
    return {record["id"] for record in read_jsonl(dataset / f"{name}.jsonl")}


@pytest.mark.parametrize("limit", [1, 7, 50, 100])
def test_scan_returns_every_ticket_once_while_tickets_change(
    start_stames: StartStames, synthetic_dataset: Path, limit: int
) -> None:
    stames = start_stames(synthetic_dataset)
    all_ids = _dataset_ids(synthetic_dataset, "tickets")
    first_ticket, last_ticket, another = min(all_ids), max(all_ids), max(all_ids) - 1
    mutated = {first_ticket, last_ticket, another}

    def change_records(page_number: int) -> None:
        if page_number == 1:
            stames.admin("mutate", {"ticket_ids": [first_ticket, last_ticket], "action": "touch"})
            stames.admin("mutate", {"ticket_ids": [another], "action": "add_message"})

    with stames.client() as client:
        first_run = scan(client, "/tickets", limit=limit, after_page=change_records)
        counts = Counter(ids(first_run))
        assert max(counts.values()) == 1
        assert set(counts) >= all_ids - mutated
        assert last_ticket not in counts and another not in counts  # changed mid-scan: left for the next run

        stames.admin("clock", {"advance_seconds": 120})
        checkpoint = max(ticket["updated_at"] for ticket in first_run)
        second_run = scan(client, "/tickets", {"updated_since": checkpoint}, limit=limit)
    assert set(counts) | set(ids(second_run)) == all_ids
    assert mutated <= set(ids(second_run))


def test_without_snapshot_isolation_a_row_changed_mid_scan_shows_twice(
    start_stames: StartStames, synthetic_dataset: Path
) -> None:
    stames = start_stames(synthetic_dataset, snapshot_isolation=False)
    all_ids = _dataset_ids(synthetic_dataset, "tickets")
    touched = min(all_ids)

    def touch_first(page_number: int) -> None:
        if page_number == 1:
            stames.admin("mutate", {"ticket_ids": [touched], "action": "touch"})

    with stames.client() as client:
        items = scan(client, "/tickets", limit=10, after_page=touch_first)
    counts = Counter(ids(items))
    assert set(counts) == all_ids
    assert counts[touched] == 2
    versions = [item["updated_at"] for item in items if item["id"] == touched]
    assert versions[0] < versions[1]


def test_messages_feed_and_status_changes_cover_the_dataset(
    start_stames: StartStames, synthetic_dataset: Path
) -> None:
    stames = start_stames(synthetic_dataset)
    with stames.client() as client:
        messages = scan(client, "/messages", limit=33)
        changes = scan(client, "/status_changes", limit=33)
    assert Counter(ids(messages)) == Counter(_dataset_ids(synthetic_dataset, "messages"))
    assert set(ids(changes)) == _dataset_ids(synthetic_dataset, "status_changes")
    keys = [(message["updated_at"], message["id"]) for message in messages]
    assert keys == sorted(keys)


def test_added_message_bumps_its_ticket(start_stames: StartStames, synthetic_dataset: Path) -> None:
    stames = start_stames(synthetic_dataset)
    ticket_id = min(_dataset_ids(synthetic_dataset, "tickets"))
    stamp = stames.admin("mutate", {"ticket_ids": [ticket_id], "action": "add_message"})["updated_at"]
    stames.admin("clock", {"advance_seconds": 61})
    with stames.client() as client:
        tickets = scan(client, "/tickets", {"updated_since": stamp})
        messages = scan(client, "/messages", {"updated_since": stamp})
    assert ids(tickets) == [ticket_id]
    assert [message["ticket_id"] for message in messages] == [ticket_id]


def test_updated_since_is_inclusive_and_accepts_any_offset(start_stames: StartStames) -> None:
    stames = start_stames()
    tickets = read_jsonl(HANDWRITTEN_DATASET / "tickets.jsonl")
    boundary = "2024-05-20T12:00:00.000Z"
    expected = {
        ticket["id"]
        for ticket in tickets
        if ticket["updated_at"] >= boundary and not ticket["deleted_at"] and not ticket["is_spam"]
    }
    at_boundary = {ticket["id"] for ticket in tickets if ticket["updated_at"] == boundary}
    with stames.client() as client:
        in_utc = ids(scan(client, "/tickets", {"updated_since": boundary}))
        in_madrid = ids(scan(client, "/tickets", {"updated_since": "2024-05-20T14:00:00+02:00"}))
    assert set(in_utc) == expected
    assert at_boundary <= set(in_utc)
    assert in_madrid == in_utc


def test_updated_since_without_offset_is_rejected(start_stames: StartStames) -> None:
    stames = start_stames()
    with stames.client() as client:
        response = client.get("/tickets", params={"updated_since": "2024-05-20T12:00:00"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["details"] == [{"field": "updated_since", "reason": "missing_timezone"}]
    assert error["request_id"] == response.headers["X-Request-Id"]


def test_snapshot_at_is_a_minute_before_now_and_fixed_across_pages(start_stames: StartStames) -> None:
    stames = start_stames()
    with stames.client() as client:
        first = client.get("/tickets", params={"limit": 2}).json()
        stames.admin("clock", {"advance_seconds": 3600})
        second = client.get("/tickets", params={"limit": 2, "cursor": first["next_cursor"]}).json()
        fresh = client.get("/tickets", params={"limit": 2}).json()
    assert first["meta"]["snapshot_at"] == "2024-06-01T11:59:00.000Z"
    assert second["meta"]["snapshot_at"] == first["meta"]["snapshot_at"]
    assert fresh["meta"]["snapshot_at"] == "2024-06-01T12:59:00.000Z"


@pytest.mark.parametrize(("asked", "effective"), [("0", 1), ("-5", 1), ("1000", 100), ("37", 37), (None, 50)])
def test_limit_is_clamped_and_echoed(start_stames: StartStames, asked: str | None, effective: int) -> None:
    stames = start_stames()
    params = {"limit": asked} if asked is not None else {}
    with stames.client() as client:
        body = client.get("/customers", params=params).json()
    assert body["meta"]["limit"] == effective
    assert len(body["data"]) <= effective


def test_cursor_tampered_or_reused_elsewhere_is_invalid(start_stames: StartStames) -> None:
    stames = start_stames()
    with stames.client() as client:
        cursor = client.get("/tickets", params={"limit": 1, "status": "open"}).json()["next_cursor"]
        body, _, signature = cursor.partition(".")
        forged = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + signature
        attempts = {
            "tampered": client.get("/tickets", params={"cursor": forged}),
            "other endpoint": client.get("/customers", params={"cursor": cursor}),
            "other filters": client.get("/tickets", params={"cursor": cursor, "status": "pending"}),
            "garbage": client.get("/tickets", params={"cursor": "not-a-cursor"}),
        }
        same_filters = client.get("/tickets", params={"cursor": cursor, "status": "open", "limit": 5})
        no_filters = client.get("/tickets", params={"cursor": cursor})
    for name, response in attempts.items():
        assert response.status_code == 400, name
        assert response.json()["error"]["code"] == "invalid_cursor", name
    assert same_filters.status_code == 200
    assert no_filters.json()["data"] == same_filters.json()["data"]


def test_cursor_expires_after_its_ttl(start_stames: StartStames) -> None:
    stames = start_stames(cursor_ttl_seconds=3600)
    with stames.client() as client:
        cursor = client.get("/tickets", params={"limit": 1}).json()["next_cursor"]
        stames.admin("clock", {"advance_seconds": 3599})
        still_valid = client.get("/tickets", params={"cursor": cursor})
        stames.admin("clock", {"advance_seconds": 2})
        expired = client.get("/tickets", params={"cursor": cursor})
    assert still_valid.status_code == 200
    assert expired.status_code == 400
    assert expired.json()["error"]["code"] == "cursor_expired"
