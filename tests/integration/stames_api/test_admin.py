"""The test-only mutation hook and reset (API.md §2.8): what each action changes, seen through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.fixtures.stames_api import RunningStames
from tests.integration.stames_api.helpers import scan


def _ticket(stames: RunningStames, ticket_id: int) -> dict[str, Any]:
    with stames.client() as client:
        return client.get(f"/tickets/{ticket_id}", params={"include_deleted": "true"}).json()


def test_touch_bumps_updated_at_with_the_server_clock(stames: RunningStames) -> None:
    result = stames.admin("mutate", {"ticket_ids": [10234], "action": "touch"})
    assert result["updated_at"] == "2024-06-01T12:00:00.000Z"
    assert _ticket(stames, 10234)["updated_at"] == result["updated_at"]


def test_add_message_creates_a_new_message_in_the_thread(stames: RunningStames) -> None:
    with stames.client() as client:
        before = scan(client, "/tickets/10237/messages")
        stames.admin("mutate", {"ticket_ids": [10237], "action": "add_message"})
        after = scan(client, "/tickets/10237/messages")
    new = [message for message in after if message["id"] not in {m["id"] for m in before}]
    assert len(new) == 1
    assert new[0]["ticket_id"] == 10237
    assert new[0]["id"] > max(m["id"] for m in before)
    assert _ticket(stames, 10237)["message_count"] == 2


def test_change_status_adds_a_history_row(stames: RunningStames) -> None:
    stames.admin("mutate", {"ticket_ids": [10235], "action": "change_status"})
    ticket = _ticket(stames, 10235)
    with stames.client() as client:
        history = scan(client, "/tickets/10235/status_changes")
    assert ticket["status"] == "pending"
    assert (history[-1]["from_status"], history[-1]["to_status"]) == ("open", "pending")
    assert history[-1]["changed_at"] == ticket["updated_at"]


def test_merge_closes_tags_and_leaves_a_tombstone(stames: RunningStames) -> None:
    stames.admin("mutate", {"ticket_ids": [10237], "action": "merge", "into": 10234})
    ticket = _ticket(stames, 10237)
    with stames.client() as client:
        tombstones = scan(client, "/deleted_records", {"deleted_since": ticket["updated_at"]})
    assert ticket["status"] == "closed"
    assert ticket["merged_into_id"] == 10234
    assert "closed_by_merge" in ticket["tags"]
    assert tombstones == []  # created after snapshot_at: visible only in the next run
    stames.admin("clock", {"advance_seconds": 61})
    with stames.client() as client:
        tombstones = scan(client, "/deleted_records", {"deleted_since": ticket["updated_at"]})
    assert [(t["object"], t["id"], t["reason"], t["merged_into_id"]) for t in tombstones] == [
        ("ticket", "10237", "merged", "10234")
    ]


def test_delete_soft_deletes_and_reset_restores_the_dataset(stames: RunningStames) -> None:
    stames.admin("mutate", {"ticket_ids": [10234], "action": "delete"})
    with stames.client() as client:
        assert client.get("/tickets/10234").status_code == 410
        stames.admin("reset")
        restored = client.get("/tickets/10234")
    assert restored.status_code == 200
    assert restored.json()["updated_at"] == "2024-05-02T16:40:03.511Z"


def test_bad_mutations_are_refused(stames: RunningStames) -> None:
    unknown_action = httpx.post(
        f"{stames.base_url}/__admin/mutate", json={"ticket_ids": [10234], "action": "explode"}
    )
    unknown_ticket = httpx.post(
        f"{stames.base_url}/__admin/mutate", json={"ticket_ids": [1], "action": "touch"}
    )
    assert unknown_action.status_code == 400
    assert unknown_ticket.status_code == 404
